"""What the groups app adds to other apps' pages (registered in apps.py)."""

from ruche.groups.models import WorkingGroup
from ruche.initiatives.enums import InitiativeKind


def initiative_group(request, initiative) -> dict | None:
    """On an initiative's page: the groups linked to it, or, for its leads when it is of kind
    « groupe de travail » and has no group yet, « Créer le groupe »."""
    groups = list(WorkingGroup.objects.filter(initiatives=initiative).order_by("name"))
    can_create = (
        initiative.kind == InitiativeKind.WORKING_GROUP
        and not any(group.initiative_id == initiative.pk for group in groups)
        and initiative.is_led_by(request.user)
    )
    if not groups and not can_create:
        return None
    return {"groups": groups, "initiative": initiative, "can_create": can_create}
