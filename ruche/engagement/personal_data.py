"""A member's rows of the Contribution ledger, for « Mes données »."""

from ruche.core.personal_data import hand_over, rows
from ruche.engagement.models import Contribution
from ruche.members.models import Member


def export(member: Member) -> list[dict]:
    return rows(
        Contribution.objects.filter(member=member),
        "kind",
        "subject_type",
        "subject_id",
        "at",
        "weight",
        "domaine",
        "startup__slug",
        "incubator__slug",
        "is_transverse_role",
        "is_newcomer",
        "is_alumnus",
    )


def erase(member: Member, placeholder: Member) -> None:
    """The one exception to « never updated in place »: the rows go to the shared placeholder,
    with the context of each act kept, so that the community's figures do not move."""
    hand_over(Contribution.objects.filter(member=member), "member", placeholder)


def count(member: Member) -> int:
    return Contribution.objects.filter(member=member).count()
