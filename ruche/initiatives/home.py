"""The home page's sections that come from initiatives and needs (registered in apps.py)."""

import datetime
from typing import Any

from django.utils import timezone

from ruche.initiatives.enums import OPEN_STATUSES, BudgetStatus
from ruche.initiatives.models import (
    BudgetRequest,
    Initiative,
    Need,
    Participation,
    Report,
)

SECTION_SIZE = 6
MOVING_SIZE = 5
# How long something counts as new on the home page.
NEW_FOR = datetime.timedelta(days=30)


def waiting_for_the_team() -> dict:
    """What the animation team has to deal with: reports to examine, budgets to decide."""
    return {
        "reports": Report.objects.filter(resolved_at__isnull=True).count(),
        "budgets": BudgetRequest.objects.filter(status=BudgetStatus.PENDING).count(),
    }


def animation_team(request) -> dict | None:
    """The animation team's way in, at the top of their home page."""
    if not request.user.is_animation_team:
        return None
    return waiting_for_the_team()


def propose(request) -> dict:
    return {}


def moving(request) -> dict:
    """« Ça bouge »: what is new and alive, initiatives proposed and needs raised in the last
    month that are still under way (not paused, dropped or done; not addressed or closed)."""
    since = timezone.now() - NEW_FOR
    initiatives = Initiative.objects.visible().filter(
        status__in=OPEN_STATUSES, created_at__gte=since
    )
    needs = Need.objects.visible().unresolved().filter(created_at__gte=since)
    return {
        "initiatives": list(initiatives.order_by("-created_at", "-pk")[:MOVING_SIZE]),
        "needs": list(needs.order_by("-created_at", "-pk")[:MOVING_SIZE]),
    }


def mine(request) -> dict:
    member = request.user
    # Any: each gets `i_lead` and `my_role` below, for the template.
    initiatives: list[Any] = list(
        Initiative.objects.visible()
        .involving(member)
        .filter(status__in=OPEN_STATUSES)
        .order_by("-status_changed_at", "-pk")[:SECTION_SIZE]
    )
    led = set(
        Initiative.objects.filter(pk__in=[i.pk for i in initiatives])
        .led_by(member)
        .values_list("pk", flat=True)
    )
    roles = dict(
        Participation.objects.filter(
            member=member, initiative__in=initiatives, role__isnull=False
        ).values_list("initiative_id", "role__label")
    )
    for initiative in initiatives:
        initiative.i_lead = initiative.pk in led
        initiative.my_role = roles.get(initiative.pk, "")
    return {"initiatives": initiatives}
