"""Segments of the community the dashboard can narrow to, and the rule that protects people in
small ones: a segment with fewer than MIN_MEMBERS members in a period is never shown on its
own; its members are counted in « autres » (the small segments of that kind put together),
which is itself shown only once it reaches MIN_MEMBERS."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ruche.core.text import Label
from ruche.health.enums import SegmentKind, SeniorityBand

MIN_MEMBERS = 5
OTHERS = "autres"
ALL = "all"

# Upper bounds (in days of seniority, excluded) of each band but the last.
BAND_LIMITS = (
    (183, SeniorityBand.UNDER_6_MONTHS),
    (730, SeniorityBand.UNDER_2_YEARS),
    (1826, SeniorityBand.UNDER_5_YEARS),
)


def seniority_band(first_start: datetime.date | None, on: datetime.date) -> str | None:
    """The band of a member whose first mission started on `first_start`, seen on `on`."""
    if first_start is None:
        return None
    days = (on - first_start).days
    for limit, band in BAND_LIMITS:
        if days < limit:
            return band
    return SeniorityBand.OVER_5_YEARS


@dataclass(frozen=True)
class SegmentKey:
    """A segment as written in URLs and the API: « all », « incubator:<slug> »,
    « domaine:<value> », « seniority:<band> », or « <kind>:autres »."""

    kind: str
    value: str = ""

    @classmethod
    def parse(cls, text: str) -> "SegmentKey":
        text = (text or ALL).strip()
        if text == ALL:
            return cls(SegmentKind.ALL)
        kind, _sep, value = text.partition(":")
        if kind not in SegmentKind.values or kind == SegmentKind.ALL or not value:
            raise ValueError(text)
        if kind == SegmentKind.SENIORITY and value not in (*SeniorityBand.values, OTHERS):
            raise ValueError(text)
        return cls(kind, value)

    def __str__(self) -> str:
        return ALL if self.kind == SegmentKind.ALL else f"{self.kind}:{self.value}"

    @property
    def is_others(self) -> bool:
        return self.value == OTHERS


def others_label(kind: str) -> Label:
    labels: dict[str, Label] = {
        SegmentKind.INCUBATOR: _("Autres incubateurs (moins de 5 membres chacun)"),
        SegmentKind.DOMAINE: _("Autres domaines (moins de 5 membres chacun)"),
        SegmentKind.SENIORITY: _("Autres anciennetés (moins de 5 membres chacune)"),
    }
    return labels[kind]
