"""« Premiers pas »: a newcomer's first ways in, each ticked from the ledger once done."""

from dataclasses import dataclass

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from ruche.core.text import Label
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.members.models import NEWCOMER_DAYS, Member
from ruche.onboarding.enums import FirstStep
from ruche.onboarding.models import FirstStepsDismissal

# Which acts of the ledger tick each step.
TICKS = {
    FirstStep.EVENT: [
        (ContributionKind.REGISTERED, SubjectType.EVENT),
        (ContributionKind.ATTENDED, SubjectType.EVENT),
    ],
    FirstStep.CLUB: [(ContributionKind.JOINED, SubjectType.GROUP)],
    FirstStep.SLOT: [(ContributionKind.VOLUNTEERED, SubjectType.SHIFT)],
    FirstStep.NEED: [
        (ContributionKind.RAISED_NEED, SubjectType.NEED),
        (ContributionKind.NEED_SUPPORTED, SubjectType.NEED),
    ],
}


@dataclass(frozen=True)
class Step:
    step: FirstStep
    done: bool
    url: str

    @property
    def label(self) -> Label:
        return FirstStep(self.step).label


def is_newcomer(member: Member) -> bool:
    """First mission started less than 90 days ago, or no contribution yet."""
    first = member.missions.order_by("start").values_list("start", flat=True).first()
    if first is not None and (timezone.localdate() - first).days < NEWCOMER_DAYS:
        return True
    return not Contribution.objects.filter(member=member).exists()


def _links() -> dict:
    return {
        FirstStep.EVENT: reverse("events:event-list"),
        FirstStep.CLUB: reverse("onboarding:engage") + "#suggestions",
        FirstStep.SLOT: reverse("onboarding:engage") + "#suggestions",
        FirstStep.NEED: reverse("initiatives:need-create"),
        FirstStep.COMPETENCES: reverse("members:profile-edit"),
    }


def first_steps(member: Member) -> list[Step] | None:
    """The steps and whether each is done; None when the member is no newcomer or put the
    block away."""
    if FirstStepsDismissal.objects.filter(member=member).exists() or not is_newcomer(member):
        return None
    acts = {
        (row["kind"], row["subject_type"])
        for row in Contribution.objects.filter(member=member)
        .values("kind", "subject_type", "subject_id")
        .annotate(net=Sum("weight"))
        .filter(net__gt=0)
    }
    links = _links()
    steps = [
        Step(step=step, done=any(act in acts for act in ticks), url=links[step])
        for step, ticks in TICKS.items()
    ]
    steps.append(
        Step(
            step=FirstStep.COMPETENCES,
            done=member.competences.exists(),
            url=links[FirstStep.COMPETENCES],
        )
    )
    return steps
