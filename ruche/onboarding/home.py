"""The onboarding app's blocks on other pages: the home page and a member's profile
(registered in apps.py)."""

from ruche.onboarding.history import profile_history
from ruche.onboarding.models import ChatRoom
from ruche.onboarding.people import engaged_colleagues
from ruche.onboarding.steps import first_steps
from ruche.onboarding.suggestions import suggestions_for

HOME_SUGGESTIONS = 6


def steps(request) -> dict | None:
    found = first_steps(request.user)
    return {"steps": found} if found else None


def needed(request) -> dict:
    """« On a besoin de vous »: the same suggestions as /sengager/, the first few."""
    return {"suggestions": suggestions_for(request.user, limit=HOME_SUGGESTIONS)}


def whom(request) -> dict:
    return {"rooms": list(ChatRoom.objects.all()[:4]), **engaged_colleagues(request.user)}


def profile(request, member) -> dict:
    """Thanks received (with « Dire merci ») and, when the member shows it, their history."""
    viewer = request.user
    shown = member.shows_history_to(viewer)
    if not shown:
        return {
            "member": member,
            "thanks": [],
            "thankable": [],
            "history": None,
            "history_hidden": True,
        }
    # Thanks name what the member did: they are part of the history they may keep to
    # themselves; what one may thank them for is their history too: hidden with it.
    return {"member": member, **profile_history(member, viewer), "history_hidden": False}
