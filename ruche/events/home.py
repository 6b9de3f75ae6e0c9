"""The events app's blocks on other apps' pages: the home page, an initiative's page
(registered in apps.py)."""

import datetime

from django.utils import timezone

from ruche.events.models import Event, Shift, ShiftSignup
from ruche.initiatives.models import Initiative

OPEN_SHIFT_DAYS = 7


def public_upcoming(request) -> dict:
    """Signed out: the next public events."""
    events = list(
        Event.objects.public()
        .scheduled()
        .upcoming()
        .with_rsvp_counts()
        .select_related("series")
        .order_by("start", "pk")[:6]
    )
    return {"events": events}


def my_upcoming(request) -> dict | None:
    """« À venir »: the member's next events (registered or organising) and slots."""
    member = request.user
    now = timezone.now()
    events = list(
        Event.objects.upcoming(now)
        .involving(member)
        .with_rsvp_of(member)
        .order_by("start", "pk")[:5]
    )
    signups = list(
        ShiftSignup.objects.filter(member=member, shift__end__gte=now)
        .select_related("shift__event")
        .order_by("shift__start")[:5]
    )
    return {"events": events, "signups": signups}


def coming_open_shifts(now: datetime.datetime):
    """Volunteer slots of scheduled events starting in the coming week that still need
    someone (here and in the weekly digest)."""
    return (
        Shift.objects.upcoming(now)
        .filter(start__lte=now + datetime.timedelta(days=OPEN_SHIFT_DAYS))
        .with_free_places()
        .select_related("event")
        .order_by("start", "pk")
    )


def open_shifts(request) -> dict | None:
    """The open slots of the coming week the member has not taken; hidden when there are none."""
    shifts = list(
        coming_open_shifts(timezone.now()).with_signup_of(request.user).filter(mine=False)[:6]
    )
    if not shifts:
        return None
    return {"shifts": shifts}


def initiative_events(request, initiative, limit: int = 10) -> dict:
    """On an initiative's page: its coming and recent events, and whether the member may
    organise one for it (as events.services checks: its leads, its participants and the
    animation team)."""
    member = request.user
    now = timezone.now()
    events = Event.objects.filter(initiative=initiative).with_rsvp_counts()
    return {
        "initiative": initiative,
        "upcoming": list(events.upcoming(now).order_by("start", "pk")[:limit]),
        "past": list(events.past(now).order_by("-start", "-pk")[:limit]),
        "can_organise": member.is_animation_team
        or Initiative.objects.filter(pk=initiative.pk).involving(member).exists(),
    }


def group_events(request, group, limit: int = 10) -> dict:
    """On a working group's page: its next and past meetings (public ones for a visitor who is
    not signed in)."""
    now = timezone.now()
    events = Event.objects.filter(group=group).visible_to(request.user)
    return {
        "group": group,
        "upcoming": list(events.upcoming(now).order_by("start", "pk")[:limit]),
        "past": list(events.past(now).order_by("-start", "-pk")[:limit]),
        "can_organise": group.is_member(request.user) and not group.is_archived,
    }
