"""The health app's block on the home page (registered in apps.py)."""

from ruche.health.services import transverse_alert


def alert(request) -> dict | None:
    """For the animation team, the alert in force, if any: the transverse load stayed above
    its threshold two months in a row."""
    if not request.user.is_animation_team:
        return None
    found = transverse_alert()
    return {"alert": found} if found else None
