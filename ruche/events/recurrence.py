"""Recurrence rules (RFC 5545 RRULE), limited to what a community agenda needs: weekly (every
n weeks, on one or more days) and monthly on the nth weekday. Every rule must end (UNTIL or
COUNT): occurrences are stored as rows, one per date, so members register for one date."""

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.events.enums import Repeat

PARIS = ZoneInfo("Europe/Paris")
MAX_OCCURRENCES = 250
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALLOWED = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"}


def _error(message: str) -> ValidationError:
    return ValidationError({"recurrence": message})


def _day_names() -> dict[str, tuple[str, str]]:
    # (singular, plural) — "le mardi", "tous les mardis"
    return {
        "MO": (_("lundi"), _("lundis")),
        "TU": (_("mardi"), _("mardis")),
        "WE": (_("mercredi"), _("mercredis")),
        "TH": (_("jeudi"), _("jeudis")),
        "FR": (_("vendredi"), _("vendredis")),
        "SA": (_("samedi"), _("samedis")),
        "SU": (_("dimanche"), _("dimanches")),
    }


def _ordinal(n: int | None) -> str:
    """A monthly rule's rank (`_rule_days` lets no other through; None is a KeyError)."""
    ordinals: dict[int | None, str] = {
        1: _("premier"),
        2: _("deuxième"),
        3: _("troisième"),
        4: _("quatrième"),
        -1: _("dernier"),
    }
    return ordinals[n]


def _split_byday(value: str) -> tuple[int | None, str]:
    """ "2TU" → (2, "TU"); "TU" → (None, "TU")."""
    day = value[-2:]
    prefix = value[:-2]
    if day not in DAYS:
        raise _error(_("Jour de la semaine inconnu dans la répétition : « %s ».") % value)
    if not prefix:
        return None, day
    try:
        return int(prefix), day
    except ValueError:
        raise _error(_("Jour de la semaine inconnu dans la répétition : « %s ».") % value) from None


def nth_weekday(moment: datetime.datetime) -> tuple[int, str]:
    """The place of a date's weekday in its month: (2, "TU") for the second Tuesday; the fifth
    becomes (-1, …), the last, which exists every month."""
    local = moment.astimezone(PARIS)
    n = (local.day - 1) // 7 + 1
    return (-1 if n == 5 else n), DAYS[local.weekday()]


@dataclass(frozen=True)
class Rule:
    freq: str  # "WEEKLY" or "MONTHLY"
    interval: int
    byday: tuple[str, ...]
    count: int | None = None
    until: datetime.datetime | None = None  # aware, UTC

    def as_text(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        parts.append("BYDAY=" + ",".join(self.byday))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append("UNTIL=" + self.until.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ"))
        return ";".join(parts)

    def ical_value(self) -> dict[str, Any]:
        """The rule as the icalendar library takes it (UNTIL in UTC, as RFC 5545 requires when
        DTSTART carries a time zone)."""
        value: dict[str, Any] = {"FREQ": self.freq, "BYDAY": list(self.byday)}
        if self.interval != 1:
            value["INTERVAL"] = self.interval
        if self.count is not None:
            value["COUNT"] = self.count
        if self.until is not None:
            value["UNTIL"] = self.until.astimezone(datetime.UTC)
        return value

    def occurrences(self, start: datetime.datetime) -> list[datetime.datetime]:
        """The start of every occurrence, in Paris time (wall-clock time kept across daylight
        saving changes), at most MAX_OCCURRENCES + 1 of them."""
        local = start.astimezone(PARIS)
        weekdays = []
        for value in self.byday:
            n, day = _split_byday(value)
            weekday = getattr(du, day)
            weekdays.append(weekday(n) if n else weekday)
        rule = du.rrule(
            du.WEEKLY if self.freq == "WEEKLY" else du.MONTHLY,
            dtstart=local,
            interval=self.interval,
            byweekday=weekdays,
            count=self.count,
            until=self.until,
        )
        dates = []
        for moment in rule:
            dates.append(moment)
            if len(dates) > MAX_OCCURRENCES:
                break
        return dates

    def describe(self) -> str:
        """The rule in plain words: « tous les mardis jusqu’au 30 juin 2027 »."""
        names = _day_names()
        if self.freq == "WEEKLY":
            days = [names[_split_byday(value)[1]] for value in self.byday]
            if self.interval == 1:
                plural = [plural for _singular, plural in days]
                listed = (
                    plural[0]
                    if len(plural) == 1
                    else _("%(first)s et %(last)s")
                    % {"first": ", ".join(plural[:-1]), "last": plural[-1]}
                )
                text = _("tous les %(days)s") % {"days": listed}
            else:
                singular = [singular for singular, _plural in days]
                listed = (
                    singular[0]
                    if len(singular) == 1
                    else _("%(first)s et %(last)s")
                    % {"first": ", ".join(singular[:-1]), "last": singular[-1]}
                )
                if self.interval == 2:
                    text = _("un %(days)s sur deux") % {"days": listed}
                else:
                    text = _("le %(days)s, toutes les %(n)s semaines") % {
                        "days": listed,
                        "n": self.interval,
                    }
        else:
            n, day = _split_byday(self.byday[0])
            what = _("le %(ordinal)s %(day)s") % {"ordinal": _ordinal(n), "day": names[day][0]}
            if self.interval == 1:
                text = _("%(what)s de chaque mois") % {"what": what}
            elif self.interval == 2:
                text = _("%(what)s du mois, tous les deux mois") % {"what": what}
            else:
                text = _("%(what)s du mois, tous les %(n)s mois") % {
                    "what": what,
                    "n": self.interval,
                }
        if self.until is not None:
            last = self.until.astimezone(PARIS).date()
            label = formats.date_format(last, "F Y")
            number = _("1er") if last.day == 1 else str(last.day)
            text += " " + _("jusqu’au %(day)s %(month_year)s") % {
                "day": number,
                "month_year": label,
            }
        elif self.count is not None:
            text += ", " + ngettext("%(count)s fois", "%(count)s fois", self.count) % {
                "count": self.count
            }
        return text


def _parse_until(value: str) -> datetime.datetime:
    try:
        if len(value) == 8:
            day = datetime.datetime.strptime(value, "%Y%m%d").date()
            # A date means "up to and including that day", in Paris.
            end = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=PARIS)
            return end.astimezone(datetime.UTC)
        if value.endswith("Z"):
            moment = datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ")
            return moment.replace(tzinfo=datetime.UTC)
        moment = datetime.datetime.strptime(value, "%Y%m%dT%H%M%S")
        return moment.replace(tzinfo=PARIS).astimezone(datetime.UTC)
    except ValueError:
        raise _error(
            _("Date de fin de répétition illisible : « %s » (attendu : AAAAMMJJ).") % value
        ) from None


def _rule_parts(text: str) -> dict[str, str]:
    """RRULE text as {key: value}, keys Ruche supports only."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = {}
    for chunk in filter(None, body.split(";")):
        key, sep, value = chunk.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise _error(_("Règle de répétition illisible : « %s ».") % chunk)
        if key not in _ALLOWED:
            raise _error(
                _(
                    "La répétition « %s » n’est pas prise en charge : Ruche accepte FREQ, "
                    "INTERVAL, BYDAY, COUNT et UNTIL."
                )
                % key
            )
        parts[key] = value.strip().upper()
    return parts


def _rule_bounds(parts: dict[str, str], start: datetime.datetime):
    """(interval, count, until): how often, and where the series ends."""
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _error(
            _(
                "Une répétition doit avoir une fin : indiquez une date de fin ou un nombre "
                "d’occurrences."
            )
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _error(
            _("Indiquez soit une date de fin, soit un nombre d’occurrences, pas les deux.")
        )
    try:
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        raise _error(_("INTERVAL et COUNT doivent être des nombres entiers.")) from None
    if not 1 <= interval <= 12:
        raise _error(_("L’intervalle de répétition doit être compris entre 1 et 12."))
    if count is not None and not 2 <= count <= MAX_OCCURRENCES:
        raise _error(
            _("Le nombre d’occurrences doit être compris entre 2 et %(max)s.")
            % {"max": MAX_OCCURRENCES}
        )
    until = _parse_until(parts["UNTIL"]) if "UNTIL" in parts else None
    if until is not None and until <= start:
        raise _error(_("La date de fin de la répétition doit être après le premier événement."))
    return interval, count, until


def _rule_days(freq: str, value: str, start: datetime.datetime) -> tuple[str, ...]:
    byday = tuple(filter(None, value.split(",")))
    if freq == "WEEKLY":
        if not byday:
            byday = (DAYS[start.astimezone(PARIS).weekday()],)
        if any(_split_byday(day)[0] is not None for day in byday):
            raise _error(_("Une répétition hebdomadaire prend des jours sans numéro (BYDAY=TU)."))
        return tuple(sorted(set(byday), key=DAYS.index))
    if len(byday) != 1 or _split_byday(byday[0])[0] not in (1, 2, 3, 4, -1):
        raise _error(
            _(
                "Pour une répétition mensuelle, précisez un jour et son rang dans le mois, "
                "par exemple BYDAY=2TU (le deuxième mardi) ou BYDAY=-1FR (le dernier "
                "vendredi)."
            )
        )
    return byday


def parse_rule(text: str, *, start: datetime.datetime) -> Rule:
    """Reads RRULE text ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630", with or without "RRULE:") and
    checks it is one Ruche supports and that it ends."""
    parts = _rule_parts(text)
    freq = parts.get("FREQ")
    if freq not in ("WEEKLY", "MONTHLY"):
        raise _error(
            _(
                "Ruche sait répéter un événement chaque semaine (FREQ=WEEKLY) ou chaque mois "
                "(FREQ=MONTHLY), pas autrement."
            )
        )
    interval, count, until = _rule_bounds(parts, start)
    byday = _rule_days(freq, parts.get("BYDAY", ""), start)
    rule = Rule(freq=freq, interval=interval, byday=byday, count=count, until=until)
    occurrences = rule.occurrences(start)
    if len(occurrences) > MAX_OCCURRENCES:
        raise _error(
            _(
                "Cette répétition donne plus de %(max)s dates : choisissez une date de fin plus "
                "proche."
            )
            % {"max": MAX_OCCURRENCES}
        )
    if len(occurrences) < 2:
        raise _error(_("Cette répétition ne donne qu’une date : ce n’est pas une série."))
    return rule


def build_rule(
    *,
    repeat: str,
    start: datetime.datetime,
    until: datetime.date | None = None,
    count: int | None = None,
) -> str:
    """The RRULE text for one of the form's choices ("" when the event does not repeat)."""
    if repeat == Repeat.NONE:
        return ""
    if until is None and not count:
        raise _error(
            _(
                "Une répétition doit avoir une fin : indiquez une date de fin ou un nombre "
                "d’occurrences."
            )
        )
    if repeat == Repeat.MONTHLY:
        n, day = nth_weekday(start)
        parts = [f"FREQ=MONTHLY;BYDAY={n}{day}"]
    else:
        day = DAYS[start.astimezone(PARIS).weekday()]
        parts = [f"FREQ=WEEKLY;BYDAY={day}"]
        if repeat == Repeat.BIWEEKLY:
            parts.append("INTERVAL=2")
    if until is not None:
        parts.append("UNTIL=" + until.strftime("%Y%m%d"))
    else:
        parts.append(f"COUNT={count}")
    return ";".join(parts)
