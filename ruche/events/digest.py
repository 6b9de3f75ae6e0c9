"""The events app's sections of the weekly digest (registered in notifications.py). Each
section reads what every recipient's part is cut from once per sending, in `prepare`, so the
digest costs the same number of queries however many slots and members there are."""

import datetime
from collections import defaultdict

from django.urls import reverse

from ruche.events.dates import when
from ruche.events.enums import EventStatus, RsvpStatus
from ruche.events.home import OPEN_SHIFT_DAYS, coming_open_shifts
from ruche.events.models import Event, Rsvp, ShiftSignup

# More than this in one e-mail is a list nobody reads: the rest is on the agenda.
DIGEST_SHIFTS = 10
PLACES_LEFT_DAYS = 14


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
    """« Créneaux à pourvoir »: the open slots of the coming week the member does not hold (all
    of them, for the community part)."""
    mine = member.pk if member is not None else None
    shifts = [shift for shift, holders in prepared if mine not in holders]
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


def places_left_prepare(now: datetime.datetime) -> list[tuple[dict, set[int]]]:
    """The public events of the coming two weeks that still have places (or no limit), with
    who registered or holds one of their slots already."""
    events = [
        event
        for event in Event.objects.public()
        .filter(
            status=EventStatus.SCHEDULED,
            start__gte=now,
            start__lte=now + datetime.timedelta(days=PLACES_LEFT_DAYS),
        )
        .with_rsvp_counts()
        .order_by("start", "pk")
        if event.capacity is None or event.confirmed_count < event.capacity
    ]
    registered = defaultdict(set)
    for event_id, member_id in Rsvp.objects.filter(
        event_id__in=[event.pk for event in events],
        status__in=[RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED],
    ).values_list("event_id", "member_id"):
        registered[event_id].add(member_id)
    for event_id, member_id in ShiftSignup.objects.filter(
        shift__event_id__in=[event.pk for event in events]
    ).values_list("shift__event_id", "member_id"):
        registered[event_id].add(member_id)
    return [
        (
            {
                "title": event.title,
                "when": when(event.start, event.end),
                "location": event.location,
                "free": None if event.capacity is None else event.capacity - event.confirmed_count,
                "url": event.get_absolute_url(),
            },
            registered[event.pk],
        )
        for event in events
    ]


def places_left_build(member, now, prepared) -> dict | None:
    """« Il reste des places »: the coming public events the member has not registered for
    (all of them, for the community part)."""
    mine = member.pk if member is not None else None
    events = [event for event, registered in prepared if mine not in registered]
    if not events:
        return None
    return {"events": events[:DIGEST_SHIFTS], "agenda_url": reverse("events:event-list")}
