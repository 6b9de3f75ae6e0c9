"""The Contribution ledger: every activity service calls `record()` inside its transaction."""

import datetime
from collections import defaultdict

from django.db.models import Min
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.members.models import NEWCOMER_DAYS, Member, Mission


def _context(
    *, member: Member, missions: list, first_contribution_at, at: datetime.datetime
) -> dict:
    """Who the member is at `at`: startup and incubator of their running mission, domaine,
    transverse role, newcomer (first mission started less than 90 days ago, or no contribution
    before `at`) and alumnus. `missions` are the member's missions, newest first, each with its
    startups in name order."""
    day = timezone.localdate(at)
    running = [(mission, startups) for mission, startups in missions if mission.is_running(day)]
    startup = next((s for _mission, startups in running for s in startups), None)
    first_start = min((mission.start for mission, _startups in missions), default=None)
    recent_start = first_start is not None and (day - first_start).days < NEWCOMER_DAYS
    return {
        "startup": startup,
        "incubator": startup.incubator if startup else None,
        "domaine": member.domaine,
        "is_transverse_role": member.is_animation_team,
        "is_newcomer": recent_start or first_contribution_at is None or first_contribution_at >= at,
        "is_alumnus": bool(missions) and not running,
    }


def _missions_with_startups(member_ids) -> dict[int, list]:
    missions = defaultdict(list)
    queryset = (
        Mission.objects.filter(member_id__in=member_ids)
        .prefetch_related("startups__incubator")
        .order_by("member_id", "-start", "-pk")
    )
    for mission in queryset:
        startups = sorted(mission.startups.all(), key=lambda s: (s.name, s.pk))
        missions[mission.member_id].append((mission, startups))
    return missions


def member_context(member: Member, at: datetime.datetime) -> dict:
    first = Contribution.objects.filter(member=member, at__lt=at).aggregate(first=Min("at"))[
        "first"
    ]
    return _context(
        member=member,
        missions=_missions_with_startups([member.pk])[member.pk],
        first_contribution_at=first,
        at=at,
    )


def record(
    *,
    member: Member,
    kind: ContributionKind | str,
    subject_type: SubjectType | str,
    subject_id: int,
    at: datetime.datetime | None = None,
    undo: bool = False,
    details: dict | None = None,
) -> Contribution:
    """Appends one act to the ledger (or, with undo=True, its reversal)."""
    at = at or timezone.now()
    return Contribution.objects.create(
        member=member,
        kind=ContributionKind(kind),
        subject_type=SubjectType(subject_type),
        subject_id=subject_id,
        at=at,
        weight=-1 if undo else 1,
        details=details or {},
        **member_context(member, at),
    )


class ContributionBatch:
    """Collects many past acts and writes them at once, each with the member's context at the
    time of the act, as `record()` would have: for demo data and back-fills, where one query
    per act would take minutes."""

    def __init__(self, member_ids):
        member_ids = set(member_ids)
        self.acts = []
        self.members = {
            m.pk: m
            for m in Member.objects.filter(pk__in=member_ids).only(
                "pk", "domaine", "transverse_role"
            )
        }
        self.missions = _missions_with_startups(member_ids)
        self.first_at = dict(
            Contribution.objects.filter(member_id__in=member_ids)
            .values("member_id")
            .annotate(first=Min("at"))
            .values_list("member_id", "first")
        )

    def add(
        self, member_id, kind, subject_type, subject_id, at, *, undo=False, details=None
    ) -> None:
        self.acts.append((at, member_id, kind, subject_type, subject_id, undo, details or {}))

    def write(self) -> int:
        rows = []
        for at, member_id, kind, subject_type, subject_id, undo, details in sorted(
            self.acts, key=lambda act: act[0]
        ):
            context = _context(
                member=self.members[member_id],
                missions=self.missions.get(member_id, []),
                first_contribution_at=self.first_at.get(member_id),
                at=at,
            )
            rows.append(
                Contribution(
                    member_id=member_id,
                    kind=ContributionKind(kind),
                    subject_type=SubjectType(subject_type),
                    subject_id=subject_id,
                    at=at,
                    weight=-1 if undo else 1,
                    details=details,
                    **context,
                )
            )
            first = self.first_at.get(member_id)
            if first is None or at < first:
                self.first_at[member_id] = at
        Contribution.objects.bulk_create(rows, batch_size=1000)
        self.acts = []
        return len(rows)
