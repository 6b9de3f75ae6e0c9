"""iCalendar (RFC 5545) output: the public agenda, personal feeds, one event's download and the
file attached to a speaker's invitation.

Times are written in Europe/Paris with its VTIMEZONE, so clients keep 9:00 as 9:00 across
daylight saving changes. A recurring series is one VEVENT with RRULE and EXDATE (its cancelled
dates), plus one VEVENT with RECURRENCE-ID for each date that differs from the rule (moved or
edited on its own). UIDs never change; SEQUENCE grows with each change."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from ruche.core.markdown import plain_text
from ruche.events.enums import EventKind, EventStatus
from ruche.events.recurrence import PARIS

PRODID = "-//beta.gouv.fr//Ruche//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"

# The usual compact definition (EU rules since 1996), as Thunderbird, Outlook and Google emit it.
_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
X-LIC-LOCATION:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def _absolute(path: str) -> str:
    return settings.BASE_URL + path


def _local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def _describe(event) -> str:
    parts = []
    text = plain_text(event.description)
    if text:
        parts.append(text)
    if event.online_url:
        parts.append(f"En ligne : {event.online_url}")
    parts.append(_absolute(event.get_absolute_url()))
    if event.status == EventStatus.CANCELLED and event.cancellation_message:
        parts.insert(0, f"Annulé : {event.cancellation_message}")
    return "\n\n".join(parts)


def _fill(component: icalendar.Event, event, *, stamp: datetime.datetime) -> None:
    component.add("summary", event.title)
    component.add("dtstart", _local(event.start))
    component.add("dtend", _local(event.end))
    component.add("dtstamp", stamp)
    component.add("created", event.created_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("description", _describe(event))
    location = event.location or event.online_url
    if location:
        component.add("location", location)
    component.add("url", _absolute(event.get_absolute_url()))
    component.add("categories", [str(EventKind(event.kind).label)])
    component.add("class", "PUBLIC" if event.is_public else "PRIVATE")


def event_component(event, *, stamp: datetime.datetime | None = None) -> icalendar.Event:
    """One event on its own (an occurrence of a series included: it then has its own UID)."""
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    _fill(component, event, stamp=stamp or timezone.now())
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return component


def _differs(occurrence, template) -> bool:
    return (
        occurrence.start != occurrence.recurrence_id
        or occurrence.end - occurrence.start != template.end - template.start
        or any(
            getattr(occurrence, name) != getattr(template, name)
            for name in ("title", "description", "location", "online_url", "kind")
        )
    )


def series_components(series, occurrences, *, stamp=None) -> list[icalendar.Event]:
    """The master VEVENT (RRULE, EXDATE) and the overrides of one series. `occurrences`: all of
    the series' Event rows."""
    stamp = stamp or timezone.now()
    occurrences = sorted(occurrences, key=lambda event: event.recurrence_id)
    live = [event for event in occurrences if not event.is_cancelled]
    # The master carries what the coming dates say, so that only exceptions need overrides.
    now = timezone.now()
    template = next(
        (event for event in live if event.end >= now and not event.is_moved),
        live[-1] if live else occurrences[-1],
    )
    master = icalendar.Event()
    master.add("uid", series.uid)
    master.add("sequence", series.sequence)
    _fill(master, template, stamp=stamp)
    # The master's own dates are the series' first, whatever happened to that occurrence.
    master.pop("dtstart")
    master.pop("dtend")
    master.add("dtstart", _local(series.dtstart))
    master.add("dtend", _local(series.dtstart + (template.end - template.start)))
    master.add("rrule", series.rule().ical_value())
    cancelled = [_local(event.recurrence_id) for event in occurrences if event.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    master.add("status", "CONFIRMED" if live else "CANCELLED")
    components = [master]
    for event in live:
        if not _differs(event, template):
            continue
        override = icalendar.Event()
        override.add("uid", series.uid)
        override.add("recurrence-id", _local(event.recurrence_id))
        override.add("sequence", series.sequence)
        _fill(override, event, stamp=stamp)
        override.add("status", "CONFIRMED")
        components.append(override)
    return components


def shift_component(signup, *, stamp=None) -> icalendar.Event:
    shift = signup.shift
    event = shift.event
    component = icalendar.Event()
    component.add("uid", f"creneau-{signup.pk}-{event.uid}")
    component.add("sequence", event.sequence)
    component.add("summary", f"Créneau : {shift.label} — {event.title}")
    component.add("dtstart", _local(shift.start))
    component.add("dtend", _local(shift.end))
    component.add("dtstamp", stamp or timezone.now())
    if event.location:
        component.add("location", event.location)
    component.add("url", _absolute(event.get_absolute_url()))
    component.add(
        "description",
        f"Vous vous êtes proposé·e pour « {shift.label} ».\n\n"
        + _absolute(event.get_absolute_url()),
    )
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return component


def calendar(components, *, name: str = "", method: str = "PUBLISH") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(icalendar.Timezone.from_ical(_VTIMEZONE))
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def events_calendar(events, *, name: str = "", whole_series=(), extra=()) -> bytes:
    """A calendar of `events`. Occurrences whose series is in `whole_series` (a dict series_id →
    all its occurrences) are written once, as their series; the others on their own."""
    stamp = timezone.now()
    components = []
    written_series = set()
    for event in events:
        if event.series_id and event.series_id in whole_series:
            if event.series_id in written_series:
                continue
            written_series.add(event.series_id)
            components.extend(
                series_components(event.series, whole_series[event.series_id], stamp=stamp)
            )
        else:
            components.append(event_component(event, stamp=stamp))
    components.extend(extra)
    return calendar(components, name=name)
