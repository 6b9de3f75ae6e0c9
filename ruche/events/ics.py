"""iCalendar (RFC 5545) output: the public agenda, personal feeds, one event's download and the
file attached to a speaker's invitation.

Times are written in Europe/Paris with its VTIMEZONE, so clients keep 9:00 as 9:00 across
daylight saving changes. A recurring series is one VEVENT with RRULE and EXDATE (its cancelled
dates), plus one VEVENT with RECURRENCE-ID for each date that differs from the rule (moved or
edited on its own). UIDs never change; SEQUENCE grows with each change.

These files publish, they do not invite: no METHOD (RFC 5545 §3.7.2 would then require the
same `method=` on the Content-Type, and iTIP semantics such as an ORGANIZER), so DTSTAMP is the
time of the last change, and the same data always gives the same bytes. Only subscription
feeds carry a calendar name and a refresh interval; a downloaded file has neither, so clients
import it into the calendar the person chooses."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

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
        parts.append(_("En ligne : %(url)s") % {"url": event.online_url})
    parts.append(_absolute(event.get_absolute_url()))
    if event.status == EventStatus.CANCELLED and event.cancellation_message:
        parts.insert(0, _("Annulé : %(message)s") % {"message": event.cancellation_message})
    return "\n\n".join(parts)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _fill(component: icalendar.Event, event, *, stamp: datetime.datetime) -> None:
    component.add("summary", event.title)
    component.add("dtstart", _local(event.start))
    component.add("dtend", _local(event.end))
    component.add("dtstamp", _utc(stamp))
    component.add("created", event.created_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("description", _describe(event))
    location = event.location or event.online_url
    if location:
        component.add("location", location)
    component.add("url", _absolute(event.get_absolute_url()))
    component.add("categories", [str(EventKind(event.kind).label)])
    component.add("class", "PUBLIC" if event.is_public else "PRIVATE")


def event_component(event, *, waitlisted: bool = False) -> icalendar.Event:
    """One event on its own (an occurrence of a series included: it then has its own UID). In a
    member's own feed, a place on the waiting list is TENTATIVE and says so."""
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    _fill(component, event, stamp=event.updated_at)
    if event.is_cancelled:
        status = "CANCELLED"
    elif waitlisted:
        status = "TENTATIVE"
        component["description"] = icalendar.vText(
            _(
                "Vous êtes sur la liste d’attente : si une place se libère, vous serez "
                "inscrit·e et prévenu·e."
            )
            + "\n\n"
            + _describe(event)
        )
    else:
        status = "CONFIRMED"
    component.add("status", status)
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


def series_components(series, occurrences) -> list[icalendar.Event]:
    """The master VEVENT (RRULE, EXDATE) and the overrides of one series. `occurrences`: all of
    the series' Event rows."""
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
    _fill(master, template, stamp=max(event.updated_at for event in occurrences))
    # The master's own dates are the series' first, whatever happened to that occurrence.
    master.pop("dtstart")
    master.pop("dtend")
    master.add("dtstart", _local(series.dtstart))
    master.add("dtend", _local(series.dtstart + (template.end - template.start)))
    master.add("rrule", series.rule().ical_value())
    # Dates the rule gives that are cancelled, or not among `occurrences` (left out of this
    # feed), are skipped.
    live_ids = {event.recurrence_id for event in live}
    skipped = [date for date in series.rule().occurrences(series.dtstart) if date not in live_ids]
    if skipped:
        master.add("exdate", [_local(date) for date in skipped])
    master.add("status", "CONFIRMED" if live else "CANCELLED")
    components = [master]
    for event in live:
        if not _differs(event, template):
            continue
        override = icalendar.Event()
        override.add("uid", series.uid)
        override.add("recurrence-id", _local(event.recurrence_id))
        override.add("sequence", series.sequence)
        _fill(override, event, stamp=event.updated_at)
        override.add("status", "CONFIRMED")
        components.append(override)
    return components


def shift_component(signup) -> icalendar.Event:
    shift = signup.shift
    event = shift.event
    component = icalendar.Event()
    component.add("uid", f"creneau-{signup.pk}-{event.uid}")
    component.add("sequence", event.sequence)
    component.add(
        "summary",
        _("Créneau : %(label)s — %(title)s") % {"label": shift.label, "title": event.title},
    )
    component.add("dtstart", _local(shift.start))
    component.add("dtend", _local(shift.end))
    component.add("dtstamp", _utc(max(event.updated_at, shift.created_at, signup.created_at)))
    if event.location:
        component.add("location", event.location)
    component.add("url", _absolute(event.get_absolute_url()))
    component.add(
        "description",
        _("Vous vous êtes proposé·e pour « %(label)s ».") % {"label": shift.label}
        + "\n\n"
        + _absolute(event.get_absolute_url()),
    )
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return component


def calendar(components, *, name: str = "") -> bytes:
    """A calendar file: a subscription feed when it has a `name`, else a one-off download."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Paris")
        cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    cal.add_component(icalendar.Timezone.from_ical(_VTIMEZONE))
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def events_calendar(events, *, name: str, whole_series=(), waitlisted=(), extra=()) -> bytes:
    """A subscription feed of `events`. Occurrences whose series is in `whole_series` (a dict
    series_id → all its occurrences) are written once, as their series; the others on their
    own (those whose id is in `waitlisted` as tentative)."""
    components = []
    written_series = set()
    for event in events:
        if event.series_id and event.series_id in whole_series:
            if event.series_id in written_series:
                continue
            written_series.add(event.series_id)
            components.extend(series_components(event.series, whole_series[event.series_id]))
        else:
            components.append(event_component(event, waitlisted=event.pk in waitlisted))
    components.extend(extra)
    return calendar(components, name=name)
