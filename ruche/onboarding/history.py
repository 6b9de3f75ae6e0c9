"""A member's engagement as their profile tells it: what they led, joined, organised, spoke at,
the slots they took and the thanks they received, year by year. No counts, no comparison."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Sum
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


def describe(pairs) -> dict[tuple[str, int], Described]:
    """(subject type, id) → its title and page, one query per type whatever the number."""
    ids = defaultdict(set)
    for subject_type, subject_id in pairs:
        ids[subject_type].add(subject_id)
    found: dict[tuple[str, int], Described] = {}
    for initiative in Initiative.objects.visible().filter(pk__in=ids[SubjectType.INITIATIVE]):
        found[SubjectType.INITIATIVE, initiative.pk] = Described(
            initiative.title, initiative.get_absolute_url()
        )
    for need in Need.objects.visible().filter(pk__in=ids[SubjectType.NEED]):
        found[SubjectType.NEED, need.pk] = Described(need.title, need.get_absolute_url())
    for event in Event.objects.filter(pk__in=ids[SubjectType.EVENT]):
        found[SubjectType.EVENT, event.pk] = Described(event.title, event.get_absolute_url())
    for shift in Shift.objects.filter(pk__in=ids[SubjectType.SHIFT]).select_related("event"):
        found[SubjectType.SHIFT, shift.pk] = Described(
            f"{shift.label} — {shift.event.title}", shift.event.get_absolute_url()
        )
    for group in WorkingGroup.objects.filter(pk__in=ids[SubjectType.GROUP]):
        found[SubjectType.GROUP, group.pk] = Described(group.name, group.get_absolute_url())
    return found


@dataclass
class Entry:
    kind: str
    label: Label
    subject: Described


def engagement_history(member: Member) -> list[tuple[int, list[Entry]]]:
    """Newest year first; within a year, acts that still stand, in the order they happened."""
    rows = list(
        Contribution.objects.filter(member=member, kind__in=SHOWN_KINDS)
        .values("kind", "subject_type", "subject_id")
        .annotate(net=Sum("weight"), at=_first_at())
        .filter(net__gt=0)
        .order_by("at", "subject_id")
    )
    thanks = list(
        Thanks.objects.filter(receiver=member).select_related("giver").order_by("at", "pk")
    )
    described = describe(
        [(row["subject_type"], row["subject_id"]) for row in rows]
        + [(t.subject_type, t.subject_id) for t in thanks]
    )
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


def thanks_received(member: Member, limit: int = 20) -> list:
    # Any: each gets `subject`, for the template.
    thanks: list[Any] = list(
        Thanks.objects.filter(receiver=member)
        .select_related("giver")
        .order_by("-at", "-pk")[:limit]
    )
    described = describe([(t.subject_type, t.subject_id) for t in thanks])
    for item in thanks:
        item.subject = described.get((item.subject_type, item.subject_id))
    return thanks


def standing_subjects(member: Member, *, types=None, exclude=()) -> list[tuple[str, Described]]:
    """The subjects of the member's acts that still stand, as ("type-id", description), the
    most recent first; `exclude` holds (type, id) pairs to leave out."""
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
    pairs = [
        (row["subject_type"], row["subject_id"])
        for row in rows[:50]
        if (row["subject_type"], row["subject_id"]) not in exclude
    ]
    described = describe(pairs)
    return [
        (f"{subject_type}-{subject_id}", described[subject_type, subject_id])
        for subject_type, subject_id in pairs
        if (subject_type, subject_id) in described
    ]


def thankable(receiver: Member, giver: Member) -> list[tuple[str, Described]]:
    """What `giver` may still thank `receiver` for."""
    done = set(
        Thanks.objects.filter(giver=giver, receiver=receiver).values_list(
            "subject_type", "subject_id"
        )
    )
    return standing_subjects(receiver, exclude=done)
