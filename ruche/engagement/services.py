"""The Contribution ledger: every activity service calls `record()` inside its transaction."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import THANKS_MAX_LENGTH, Contribution, Thanks, TimeDeclaration
from ruche.members.models import NEWCOMER_DAYS, Member, Mission, Startup
from ruche.notifications.services import notify

DAY_MINUTES = 24 * 60

# A mission with its startups, in name order.
MissionWithStartups = tuple[Mission, list[Startup]]


def _context(
    *,
    member: Member,
    missions: list[MissionWithStartups],
    first_contribution_at: datetime.datetime | None,
    at: datetime.datetime,
) -> dict[str, Any]:
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


def _missions_with_startups(member_ids: Iterable[int]) -> dict[int, list[MissionWithStartups]]:
    missions: defaultdict[int, list[MissionWithStartups]] = defaultdict(list)
    queryset = (
        Mission.objects.filter(member_id__in=member_ids)
        .prefetch_related("startups__incubator")
        .order_by("member_id", "-start", "-pk")
    )
    for mission in queryset:
        startups = sorted(mission.startups.all(), key=lambda s: (s.name, s.pk))
        missions[mission.member_id].append((mission, startups))
    return missions


def member_context(member: Member, at: datetime.datetime) -> dict[str, Any]:
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
    details: dict[str, Any] | None = None,
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

    def __init__(self, member_ids: Iterable[int]) -> None:
        member_ids = set(member_ids)
        self.acts: list[tuple[datetime.datetime, int, str, str, int, bool, dict[str, Any]]] = []
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
        self,
        member_id: int,
        kind: str,
        subject_type: str,
        subject_id: int,
        at: datetime.datetime,
        *,
        undo: bool = False,
        details: dict[str, Any] | None = None,
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


def _net_contributors(subject_type: str, subject_id: int) -> set[int]:
    """The members whose acts on the subject still stand (an undone act cancels its row)."""
    rows = (
        Contribution.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .exclude(kind=ContributionKind.THANKED)
        .values("member_id")
        .annotate(net=Sum("weight"))
        .filter(net__gt=0)
    )
    return {row["member_id"] for row in rows}


def thanks_give(
    *,
    actor: Member,
    receiver: Member,
    subject_type: SubjectType | str,
    subject_id: int,
    message: str = "",
) -> Thanks:
    """`actor` thanks `receiver` for what they did on one subject: once per subject, never
    oneself, only for a contribution the ledger knows. The thanks is an act of its own
    (kind thanked) and the thanked member is told."""
    subject_type = SubjectType(subject_type)
    message = message.strip()
    _thanks_check(actor, receiver, subject_type, subject_id, message)
    with transaction.atomic():
        if Thanks.objects.filter(
            giver=actor, receiver=receiver, subject_type=subject_type, subject_id=subject_id
        ).exists():
            raise ValidationError(
                _("Vous avez déjà remercié %(name)s pour cela.") % {"name": receiver.display_name}
            )
        try:
            with transaction.atomic():
                thanks = Thanks.objects.create(
                    giver=actor,
                    receiver=receiver,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    message=message,
                )
        except IntegrityError:
            # Two clicks at once: the constraint keeps one.
            raise ValidationError(
                _("Vous avez déjà remercié %(name)s pour cela.") % {"name": receiver.display_name}
            ) from None
        record(
            member=actor,
            kind=ContributionKind.THANKED,
            subject_type=subject_type,
            subject_id=subject_id,
            at=thanks.at,
            details={"receiver": receiver.pk, "thanks": thanks.pk},
        )
        context = {
            "giver": actor.display_name,
            "message": message,
            "url": reverse("members:member-detail", args=[receiver.pk]) + "#mercis",
        }
        # In the same transaction as the thanks, as every notification.
        notify(receiver, "engagement.thanked", context)
    return thanks


def _thanks_check(
    actor: Member, receiver: Member, subject_type: SubjectType, subject_id: int, message: str
) -> None:
    if receiver.pk == actor.pk:
        raise ValidationError(_("On ne peut pas se remercier soi-même."))
    refuse_control_characters(lines={"message": (_("Le message"), message)})
    if len(message) > THANKS_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _("Le message tient en %(limit)d caractères au plus.")
                % {"limit": THANKS_MAX_LENGTH}
            }
        )
    if receiver.pk not in _net_contributors(subject_type, subject_id):
        raise ValidationError(
            _("%(name)s n’a pas contribué à ce que vous voulez saluer.")
            % {"name": receiver.display_name}
        )


def monthly_allowance_minutes() -> int:
    """10 % of a working month, in minutes (COMMUNITY_TIME_MONTHLY_HOURS, 15.4 h by default)."""
    return round(settings.COMMUNITY_TIME_MONTHLY_HOURS * 60)


def time_declare(
    *,
    actor: Member,
    day: datetime.date,
    minutes: int,
    what: str = "",
    subject_type: SubjectType | str = "",
    subject_id: int | None = None,
) -> TimeDeclaration:
    """Writes down time the member gave to the community: a day not in the future, more than
    nothing, and no more than 24 hours in all for that day."""
    what = what.strip()
    refuse_control_characters(lines={"what": (_("Ce que vous avez fait"), what)})
    if minutes is None or minutes <= 0:
        raise ValidationError({"minutes": _("Indiquez une durée de plus de zéro minute.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("Ce jour n’est pas encore arrivé : déclarez-le après.")})
    if not what and not (subject_type and subject_id):
        raise ValidationError(
            {"what": _("Dites à quoi ce temps a servi : une initiative, un groupe, un événement…")}
        )
    with transaction.atomic():
        already = (
            TimeDeclaration.objects.filter(member=actor, day=day).aggregate(total=Sum("minutes"))[
                "total"
            ]
            or 0
        )
        if already + minutes > DAY_MINUTES:
            raise ValidationError(
                {
                    "minutes": _(
                        "Une journée compte 24 heures : vous avez déjà déclaré %(hours)s ce "
                        "jour-là."
                    )
                    % {"hours": duration_text(already)}
                }
            )
        return TimeDeclaration.objects.create(
            member=actor,
            day=day,
            minutes=minutes,
            what=what,
            subject_type=SubjectType(subject_type) if subject_type else "",
            subject_id=subject_id if subject_type else None,
        )


def time_delete(*, actor: Member, declaration_id: int) -> None:
    """Removes one of the member's own declarations; another's is as good as absent."""
    deleted, _rows = TimeDeclaration.objects.filter(pk=declaration_id, member=actor).delete()
    if not deleted:
        raise TimeDeclaration.DoesNotExist


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
