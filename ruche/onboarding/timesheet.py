"""The 10 % rule, as the member reads it: a month's declarations, their total against the
allowance, a CSV and a statement to print. The animation team sees only aggregates over at
least five members."""

import calendar
import csv
import datetime
import io
import statistics
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from ruche.engagement.models import TimeDeclaration
from ruche.engagement.services import duration_text, monthly_allowance_minutes
from ruche.members.models import Member
from ruche.onboarding.history import describe

# Fewer declaring members than this in a month, and the team sees nothing of it.
AGGREGATE_MIN_MEMBERS = 5
AGGREGATE_MONTHS = 6


def month_of(text: str | None) -> datetime.date:
    """The first day of the month written AAAA-MM, this month when absent or malformed."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def next_month(first: datetime.date) -> datetime.date:
    return month_end(first) + datetime.timedelta(days=1)


def month_entries(member: Member, first: datetime.date) -> dict:
    # Any: each gets `subject` and `duration`, for the template.
    entries: list[Any] = list(
        TimeDeclaration.objects.filter(member=member, day__gte=first, day__lte=month_end(first))
    )
    described = describe(
        [(e.subject_type, e.subject_id) for e in entries if e.subject_type and e.subject_id]
    )
    for entry in entries:
        entry.subject = described.get((entry.subject_type, entry.subject_id))
        entry.duration = duration_text(entry.minutes)
    total = sum(entry.minutes for entry in entries)
    allowance = monthly_allowance_minutes()
    return {
        "month": first,
        "entries": entries,
        "total_minutes": total,
        "total": duration_text(total),
        "allowance": duration_text(allowance),
        "allowance_minutes": allowance,
        "percent": round(100 * total / allowance) if allowance else 0,
        "over": total > allowance,
    }


def month_csv(member: Member, first: datetime.date) -> str:
    data = month_entries(member, first)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "minutes", "heures", "objet", "lien", "description"])
    for entry in data["entries"]:
        writer.writerow(
            [
                entry.day.isoformat(),
                entry.minutes,
                f"{entry.minutes / 60:.2f}",
                entry.subject.title if entry.subject else "",
                entry.subject.url if entry.subject else "",
                _safe(entry.what),
            ]
        )
    writer.writerow(
        ["total", data["total_minutes"], f"{data['total_minutes'] / 60:.2f}", "", "", ""]
    )
    return out.getvalue()


def _safe(text: str) -> str:
    """A spreadsheet runs a cell that starts with =, +, - or @ as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def community_aggregates(today: datetime.date | None = None) -> list[dict]:
    """For the animation team: per month, how many members declared time and the total and
    median hours, shown only when at least five members declared."""
    first = (today or timezone.localdate()).replace(day=1)
    months = [first]
    for _i in range(AGGREGATE_MONTHS - 1):
        months.append(previous_month(months[-1]))
    rows = (
        TimeDeclaration.objects.filter(day__gte=months[-1], day__lte=month_end(first))
        .values("member_id", "day__year", "day__month")
        .annotate(minutes=Sum("minutes"))
    )
    per_month: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        per_month.setdefault((row["day__year"], row["day__month"]), []).append(row["minutes"])
    result = []
    for month in months:
        totals = per_month.get((month.year, month.month), [])
        shown = len(totals) >= AGGREGATE_MIN_MEMBERS
        result.append(
            {
                "month": month,
                "shown": shown,
                "members": len(totals) if shown else None,
                "total": duration_text(sum(totals)) if shown else "",
                "median": duration_text(round(statistics.median(totals))) if shown else "",
            }
        )
    return result
