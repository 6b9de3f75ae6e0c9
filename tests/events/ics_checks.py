"""A strict reading of our iCalendar output against RFC 5545, beyond what the icalendar library
accepts when it parses: the bytes on the wire (CRLF, folding at 75 octets without cutting a
UTF-8 character), the properties each component must have, time zones that are defined, and
series whose exceptions match their rule. Returns the parsed calendar."""

import datetime

import icalendar
from dateutil.rrule import rrulestr

REQUIRED_EVENT = ("UID", "DTSTAMP", "DTSTART", "SUMMARY")
ONCE_ONLY = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "CLASS")
STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED"}


def _physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n"), "the last line must end with CRLF"
    lines = body[:-2].split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        assert b"\n" not in line, f"line {number}: a bare LF"
        assert b"\r" not in line, f"line {number}: a bare CR"
        assert len(line) <= 75, f"line {number} is {len(line)} octets long (75 at most)"
        line.decode("utf-8")  # a fold inside a multi-octet character fails here
    return lines


def _content_lines(body: bytes) -> list[str]:
    unfolded = []
    for line in _physical_lines(body):
        if line[:1] in (b" ", b"\t"):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return [line.decode("utf-8") for line in unfolded]


def _check_times(component, tzids: set[str]) -> None:
    uid = component.get("UID")
    start = component["DTSTART"]
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        if name not in component:
            continue
        prop = component[name]
        tzid = prop.params.get("TZID")
        if tzid:
            assert tzid in tzids, f"{uid}: {name} names {tzid}, which no VTIMEZONE defines"
        assert type(prop.dt) is type(start.dt), f"{uid}: {name} and DTSTART differ in type"
        if isinstance(prop.dt, datetime.datetime):
            assert prop.dt.tzinfo is not None, f"{uid}: {name} is a floating time"
    if "DTEND" in component:
        assert component["DTEND"].dt > start.dt, f"{uid}: DTEND is not after DTSTART"
    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        if name in component:
            assert component[name].to_ical().endswith(b"Z"), f"{uid}: {name} must be in UTC"


def check_calendar(body: bytes) -> icalendar.Calendar:
    lines = _content_lines(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    # We publish files, not iTIP messages: a METHOD would need the same `method=` parameter on
    # the Content-Type (RFC 5545 §3.7.2).
    assert "METHOD" not in calendar
    assert calendar.subcomponents, "a calendar holds at least one component"
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for tz in calendar.walk("VTIMEZONE"):
        kinds = {sub.name for sub in tz.subcomponents}
        assert {"STANDARD", "DAYLIGHT"} <= kinds, "the time zone must define its DST rules"
        for sub in tz.subcomponents:
            for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                assert name in sub, f"{tz['TZID']} {sub.name} lacks {name}"
    events = list(calendar.walk("VEVENT"))
    masters = {}
    overrides = []
    for event in events:
        for name in REQUIRED_EVENT:
            assert name in event, f"a VEVENT lacks {name}: {event.to_ical()[:200]!r}"
        for name in ONCE_ONLY:
            value = event.get(name)
            assert not isinstance(value, list), f"{event['UID']}: {name} appears twice"
        assert "DTEND" not in event or "DURATION" not in event
        if "STATUS" in event:
            assert str(event["STATUS"]) in STATUSES
        if "SEQUENCE" in event:
            assert int(event["SEQUENCE"]) >= 0
        _check_times(event, tzids)
        uid = str(event["UID"])
        if "RECURRENCE-ID" in event:
            overrides.append(event)
        else:
            assert uid not in masters, f"two VEVENTs without RECURRENCE-ID share the UID {uid}"
            masters[uid] = event
    for event in masters.values():
        if "RRULE" not in event:
            assert "EXDATE" not in event
            continue
        rule = event["RRULE"]
        until = rule.get("UNTIL")
        if until and event["DTSTART"].params.get("TZID"):
            assert until[0].tzinfo is not None, "UNTIL must be in UTC when DTSTART has a TZID"
        assert "COUNT" in rule or "UNTIL" in rule, "every series of ours ends"
        dates = set(rrulestr(rule.to_ical().decode(), dtstart=event["DTSTART"].dt))
        exdates = event.get("EXDATE", [])
        for exdate in exdates if isinstance(exdates, list) else [exdates]:
            for value in exdate.dts:
                assert value.params.get("TZID") == event["DTSTART"].params.get("TZID")
                assert value.dt in dates, f"EXDATE {value.dt} is not a date of the rule"
        event.rule_dates = dates
    for override in overrides:
        uid = str(override["UID"])
        assert uid in masters, f"an override of {uid} has no series in this file"
        master = masters[uid]
        assert "RRULE" in master
        recurrence_id = override["RECURRENCE-ID"]
        assert recurrence_id.params.get("TZID") == master["DTSTART"].params.get("TZID")
        assert recurrence_id.dt in master.rule_dates, "RECURRENCE-ID is not a date of the rule"
        assert int(override.get("SEQUENCE", 0)) >= int(master.get("SEQUENCE", 0))
    return calendar
