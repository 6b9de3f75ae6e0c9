"""The Contribution ledger: every activity service calls `record()` inside its transaction."""

import datetime

from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.members.models import NEWCOMER_DAYS, Member


def member_context(member: Member, at: datetime.datetime) -> dict:
    """Who the member is at `at`: startup and incubator of their running mission, domaine,
    transverse role, newcomer (first mission started less than 90 days ago, or no contribution
    yet) and alumnus."""
    day = timezone.localdate(at)
    missions = list(member.missions.prefetch_related("startups__incubator").all())
    running = [m for m in missions if m.is_running(day)]
    startup = next((s for m in running for s in m.startups.all()), None)
    first_start = min((m.start for m in missions), default=None)
    recent_start = first_start is not None and (day - first_start).days < NEWCOMER_DAYS
    never_contributed = not Contribution.objects.filter(member=member, at__lt=at).exists()
    return {
        "startup": startup,
        "incubator": startup.incubator if startup else None,
        "domaine": member.domaine,
        "is_transverse_role": member.is_animation_team,
        "is_newcomer": recent_start or never_contributed,
        "is_alumnus": bool(missions) and not running,
    }


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
