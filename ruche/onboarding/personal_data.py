"""The suggestions a member said « pas pour moi » to and whether they put the first steps
away, for « Mes données »."""

from ruche.core.personal_data import rows
from ruche.members.models import Member
from ruche.onboarding.models import Decline, FirstStepsDismissal


def export(member: Member) -> dict:
    dismissal = FirstStepsDismissal.objects.filter(member=member).first()
    return {
        "declined_suggestions": rows(Decline.objects.filter(member=member), "key", "at"),
        "first_steps_dismissed_at": dismissal and dismissal.at,
    }


def erase(member: Member, placeholder: Member) -> None:
    """Choices about what the member sees: nobody else needs them."""
    Decline.objects.filter(member=member).delete()
    FirstStepsDismissal.objects.filter(member=member).delete()
