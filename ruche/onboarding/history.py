"""A member's engagement as their profile tells it: what they led, joined, organised, spoke at,
the slots they took and the thanks they received, year by year. No counts, no comparison."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ruche.core.text import Label
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution, Thanks
from ruche.events.models import Event, Shift
from ruche.groups.models import WorkingGroup
from ruche.initiatives.models import Initiative, Need
from ruche.members.models import Member

SHOWN_KINDS = [
    ContributionKind.PROPOSED,
    ContributionKind.LED,
    ContributionKind.CO_LED,
    ContributionKind.JOINED,
    ContributionKind.ORGANISED,
    ContributionKind.SPOKE,
    ContributionKind.VOLUNTEERED,
    ContributionKind.DECIDED,
]


@dataclass(frozen=True)
class Described:
    title: str
    url: str


# No row has this id: a type the page names nothing of still takes its part in the one query,
# so that the page runs the same queries whatever the member did.
_NONE = 0

# Each type's part of the one query: model, title column, and whether hidden rows stay out
# (Initiative/Need.objects.visible()). Written in SQL: the same UNION built with the ORM cost
# 7 ms of CPU per profile, most of the page's own work. Only constant names go in the text;
# ids and values travel as parameters.
_PARTS = (
    (SubjectType.INITIATIVE, Initiative, "title", True),
    (SubjectType.NEED, Need, "title", True),
    (SubjectType.EVENT, Event, "title", False),
    (SubjectType.SHIFT, Shift, "label", False),
    (SubjectType.GROUP, WorkingGroup, "name", False),
)


def describe(pairs) -> dict[tuple[str, int], Described]:
    """(subject type, id) → its title and page, in one query whatever the pairs, even none."""
    ids = defaultdict(set)
    for subject_type, subject_id in pairs:
        ids[subject_type].add(subject_id)
    sql, params = [], []
    for subject_type, model, title, visible_only in _PARTS:
        wanted = sorted(ids[subject_type]) or [_NONE]
        sql.append(_part_sql(subject_type, model, title, visible_only, len(wanted)))
        params += [str(subject_type), *wanted, *([False] if visible_only else [])]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        return {(row[0], row[1]): _described(*row) for row in cursor.fetchall()}


def _part_sql(subject_type, model, title, visible_only, count) -> str:
    """One type's rows as (type, id, title, event title, event id, slug); the NULLs are typed
    for PostgreSQL, which types a UNION's columns from its first parts."""
    name = connection.ops.quote_name
    table = name(model._meta.db_table)
    event_title, event, slug, join = "CAST(NULL AS TEXT)", "CAST(NULL AS BIGINT)", "", ""
    if subject_type == SubjectType.SHIFT:
        events = name(Event._meta.db_table)
        event_title, event = f"{events}.{name('title')}", f"{table}.{name('event_id')}"
        join = f" INNER JOIN {events} ON {events}.{name('id')} = {table}.{name('event_id')}"
    slug = f"{table}.{name('slug')}" if subject_type == SubjectType.GROUP else "CAST(NULL AS TEXT)"
    holes = ", ".join(["%s"] * count)
    hidden = f" AND {table}.{name('hidden')} = %s" if visible_only else ""
    return (
        f"SELECT %s, {table}.{name('id')}, {table}.{name(title)}, {event_title}, {event},"  # noqa: S608  # nosec B608 — constant names, values as parameters
        f" {slug} FROM {table}{join} WHERE {table}.{name('id')} IN ({holes}){hidden}"
    )


def _described(subject_type, pk, title, event_title, event, slug) -> Described:
    if subject_type == SubjectType.INITIATIVE:
        return Described(title, reverse("initiatives:initiative-detail", args=[pk]))
    if subject_type == SubjectType.NEED:
        return Described(title, reverse("initiatives:need-detail", args=[pk]))
    if subject_type == SubjectType.EVENT:
        return Described(title, reverse("events:event-detail", args=[pk]))
    if subject_type == SubjectType.SHIFT:
        return Described(f"{title} — {event_title}", reverse("events:event-detail", args=[event]))
    return Described(title, reverse("groups:group-detail", args=[slug]))


# The profile shows the latest thanks; the history tells them all.
THANKS_SHOWN = 20
THANKS_FIELDS = ("giver", "receiver", "subject_type", "subject_id", "message", "at")


@dataclass
class Entry:
    kind: str
    label: Label
    subject: Described


def profile_history(member: Member, viewer: Member) -> dict:
    """The profile's thanks received (newest first), what `viewer` may still thank the member
    for and the member's history, with one description query for all three: the page runs
    the same queries whatever the member did."""
    rows = _history_rows(member)
    thanks = _thanks_of(member)
    standing = (
        _standing_pairs(member, exclude=_thanked_for(member, viewer))
        if viewer.pk != member.pk
        else []
    )
    described = describe(
        [(row["subject_type"], row["subject_id"]) for row in rows]
        + [(item.subject_type, item.subject_id) for item in thanks]
        + standing
    )
    return {
        "thanks": _with_subjects(thanks[::-1][:THANKS_SHOWN], described),
        "thankable": _described_pairs(standing, described),
        "history": _history(rows, thanks, described),
    }


def _history_rows(member: Member) -> list[Any]:
    return list(
        Contribution.objects.filter(member=member, kind__in=SHOWN_KINDS)
        .values("kind", "subject_type", "subject_id")
        .annotate(net=Sum("weight"), at=_first_at())
        .filter(net__gt=0)
        .order_by("at", "subject_id")
    )


def _thanks_of(member: Member) -> list[Any]:
    """Every thanks the member received, oldest first, with the giver's name only."""
    return list(
        Thanks.objects.filter(receiver=member)
        .select_related("giver")
        .only(*THANKS_FIELDS, "giver__display_name")
        .order_by("at", "pk")
    )


def _history(rows, thanks, described) -> list[tuple[int, list[Entry]]]:
    years = defaultdict(list)
    for row in rows:
        subject = described.get((row["subject_type"], row["subject_id"]))
        if subject is None:
            continue
        label = ContributionKind(row["kind"]).label
        years[row["at"].year].append(Entry(row["kind"], label, subject))
    for item in thanks:
        subject = described.get((item.subject_type, item.subject_id))
        if subject is not None:
            years[item.at.year].append(
                Entry(
                    "thanks_received",
                    str(_thanked_by(item.giver)),
                    subject,
                )
            )
    return sorted(years.items(), reverse=True)


def _first_at():
    return Min("at")


def _thanked_by(giver) -> str:
    return _("remercié·e par %(name)s pour") % {"name": giver.display_name}


def _with_subjects(thanks: list[Any], described) -> list[Any]:
    for item in thanks:
        item.subject = described.get((item.subject_type, item.subject_id))
    return thanks


def _standing_pairs(member: Member, *, types=None, exclude=()) -> list[tuple[str, int]]:
    rows = (
        Contribution.objects.filter(member=member)
        .exclude(kind=ContributionKind.THANKED)
        .values("subject_type", "subject_id")
        .annotate(net=Sum("weight"), at=Max("at"))
        .filter(net__gt=0)
        .order_by("-at", "-subject_id")
    )
    if types:
        rows = rows.filter(subject_type__in=types)
    return [
        (row["subject_type"], row["subject_id"])
        for row in rows[:50]
        if (row["subject_type"], row["subject_id"]) not in exclude
    ]


def _described_pairs(pairs, described) -> list[tuple[str, Described]]:
    return [
        (f"{subject_type}-{subject_id}", described[subject_type, subject_id])
        for subject_type, subject_id in pairs
        if (subject_type, subject_id) in described
    ]


def standing_subjects(member: Member, *, types=None, exclude=()) -> list[tuple[str, Described]]:
    """The subjects of the member's acts that still stand, as ("type-id", description), the
    most recent first; `exclude` holds (type, id) pairs to leave out."""
    pairs = _standing_pairs(member, types=types, exclude=exclude)
    return _described_pairs(pairs, describe(pairs))


def _thanked_for(receiver: Member, giver: Member) -> set[tuple[str, int]]:
    return set(
        Thanks.objects.filter(giver=giver, receiver=receiver).values_list(
            "subject_type", "subject_id"
        )
    )


def thankable(receiver: Member, giver: Member) -> list[tuple[str, Described]]:
    """What `giver` may still thank `receiver` for."""
    return standing_subjects(receiver, exclude=_thanked_for(receiver, giver))
