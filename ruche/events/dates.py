"""Dates as people read them: « mardi 5 janvier 2027, de 9 h à 10 h 30 », in Paris time."""

import datetime
import functools

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruche.events.recurrence import PARIS


def hour(moment: datetime.datetime) -> str:
    local = moment.astimezone(PARIS)
    if local.minute:
        return _("%(h)s h %(m)02d") % {"h": local.hour, "m": local.minute}
    return _("%(h)s h") % {"h": local.hour}


def day(moment: datetime.datetime) -> str:
    return _day(moment.astimezone(PARIS).date(), get_language())


@functools.lru_cache(maxsize=2048)
def _day(date: datetime.date, language: str | None) -> str:
    """Formatting a date is slow enough to show on a list of events: once per date and
    language."""
    text = formats.date_format(date, "l j F Y")
    if date.day == 1:
        text = text.replace(" 1 ", " " + _("1er") + " ", 1)
    return text


def when(start: datetime.datetime, end: datetime.datetime) -> str:
    if start.astimezone(PARIS).date() == end.astimezone(PARIS).date():
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day(start),
            "start": hour(start),
            "end": hour(end),
        }
    return _("du %(start_day)s à %(start)s au %(end_day)s à %(end)s") % {
        "start_day": day(start),
        "start": hour(start),
        "end_day": day(end),
        "end": hour(end),
    }
