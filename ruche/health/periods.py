"""Periods the dashboard measures: a calendar month, quarter or year, or any span of days.
A period is a closed range of local days [start, end]; its previous period is the one of the
same kind just before it (for a chosen span, the same number of days just before it)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ruche.health.enums import PeriodKind

MONTHS_PER_KIND: dict[str, int] = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def _month_start(day: datetime.date, months: int) -> datetime.date:
    """The first day of the `months`-long calendar block holding `day` (1, 3 or 12 months)."""
    first_month = (day.month - 1) // months * months + 1
    return datetime.date(day.year, first_month, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str = PeriodKind.CUSTOM

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> "Period":
        months = MONTHS_PER_KIND[kind]
        start = _month_start(day, months)
        end = _add_months(start, months) - datetime.timedelta(days=1)
        return cls(start=start, end=end, kind=kind)

    @classmethod
    def span(cls, start: datetime.date, end: datetime.date) -> "Period":
        """A chosen span of days; one that is exactly a calendar month, quarter or year is
        that period (so it is read from its snapshot)."""
        for kind in MONTHS_PER_KIND:
            calendar = cls.containing(kind, start)
            if (calendar.start, calendar.end) == (start, end):
                return calendar
        return cls(start=start, end=end, kind=PeriodKind.CUSTOM)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_calendar(self) -> bool:
        return self.kind in MONTHS_PER_KIND

    def previous(self) -> "Period":
        if self.is_calendar:
            return Period.containing(self.kind, self.start - datetime.timedelta(days=1))
        end = self.start - datetime.timedelta(days=1)
        return Period(start=end - datetime.timedelta(days=self.days - 1), end=end)

    def next(self) -> "Period":
        if self.is_calendar:
            return Period.containing(self.kind, self.end + datetime.timedelta(days=1))
        start = self.end + datetime.timedelta(days=1)
        return Period(start=start, end=start + datetime.timedelta(days=self.days - 1))

    def recent(self, count: int) -> list["Period"]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first instant, first instant after] in local time, for filtering timestamps."""
        zone = timezone.get_current_timezone()
        after = self.end + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
        )

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == PeriodKind.QUARTER:
            return _("%(number)s trimestre %(year)s") % {
                "number": _ordinal((self.start.month - 1) // 3 + 1),
                "year": self.start.year,
            }
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return _("du %(start)s au %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    @property
    def short_label(self) -> str:
        """For a chart’s axis: « 05/26 », « T2 2026 », « 2026 »."""
        if self.kind == PeriodKind.MONTH:
            return self.start.strftime("%m/%y")
        if self.kind == PeriodKind.QUARTER:
            return _("T%(number)s %(year)s") % {
                "number": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start:%d/%m}–{self.end:%d/%m/%Y}"


def _ordinal(number: int) -> str:
    return {1: _("1er"), 2: _("2e"), 3: _("3e"), 4: _("4e")}[number]
