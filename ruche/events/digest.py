"""The events app's sections of the weekly digest (registered in notifications.py). Each
section reads what every recipient's part is cut from once per sending, in `prepare`, so the
digest costs the same number of queries however many slots and members there are."""

import datetime
from collections import defaultdict

from django.urls import reverse

from ruche.events.dates import when
from ruche.events.enums import EventStatus, RsvpStatus
from ruche.events.home import OPEN_SHIFT_DAYS, coming_open_shifts
from ruche.events.models import Rsvp, ShiftSignup

# More than this in one e-mail is a list nobody reads: the rest is on the agenda.
DIGEST_SHIFTS = 10


def open_shifts_prepare(now: datetime.datetime) -> list[tuple[dict, set[int]]]:
    """Each open slot of the coming week, as the e-mail says it, with who already holds it."""
    shifts = list(coming_open_shifts(now))
    holders = defaultdict(set)
    for shift_id, member_id in ShiftSignup.objects.filter(
        shift_id__in=[shift.pk for shift in shifts]
    ).values_list("shift_id", "member_id"):
        holders[shift_id].add(member_id)
    return [
        (
            {
                "label": shift.label,
                "title": shift.event.title,
                "when": when(shift.start, shift.end),
                "free": shift.capacity - shift.taken,
                "url": f"{shift.event.get_absolute_url()}#creneaux",
            },
            holders[shift.pk],
        )
        for shift in shifts
    ]


def open_shifts_build(member, now, prepared) -> dict | None:
    """« Créneaux à pourvoir »: the open slots of the coming week the member does not hold."""
    shifts = [shift for shift, holders in prepared if member.pk not in holders]
    if not shifts:
        return None
    return {
        "shifts": shifts[:DIGEST_SHIFTS],
        "more": max(len(shifts) - DIGEST_SHIFTS, 0),
        "agenda_url": reverse("events:event-list"),
    }


def my_events_prepare(now: datetime.datetime) -> dict[int, list[dict]]:
    """member id → the events of the coming week they registered for (waiting list included)."""
    rsvps = (
        Rsvp.objects.filter(
            status__in=[RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED],
            event__status=EventStatus.SCHEDULED,
            event__start__gte=now,
            event__start__lte=now + datetime.timedelta(days=OPEN_SHIFT_DAYS),
        )
        .select_related("event")
        .order_by("event__start", "event__pk")
    )
    events = defaultdict(list)
    for rsvp in rsvps:
        events[rsvp.member_id].append(
            {
                "title": rsvp.event.title,
                "when": when(rsvp.event.start, rsvp.event.end),
                "location": rsvp.event.location,
                "waitlisted": rsvp.status == RsvpStatus.WAITLISTED,
                "url": rsvp.event.get_absolute_url(),
            }
        )
    return events


def my_events_build(member, now, prepared) -> dict | None:
    """« Vos prochains événements »: what the member registered for in the coming week."""
    events = prepared.get(member.pk)
    return {"events": events} if events else None
