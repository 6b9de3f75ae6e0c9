"""A member's rows of the Contribution ledger, their thanks and declared time, for « Mes
données »."""

from django.db.models import Q

from ruche.core.personal_data import hand_over, rows
from ruche.engagement.models import Contribution, Thanks, TimeDeclaration
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


def thanks_export(member: Member) -> dict:
    fields = ("subject_type", "subject_id", "message", "at")
    return {
        "given": rows(Thanks.objects.filter(giver=member), "receiver__display_name", *fields),
        "received": rows(Thanks.objects.filter(receiver=member), "giver__display_name", *fields),
    }


def thanks_erase(member: Member, placeholder: Member) -> None:
    """Thanks the member gave are read on the other member's profile: they stay, signed by the
    placeholder. Thanks they received were about them: they go with them."""
    Thanks.objects.filter(receiver=member).delete()
    given = Thanks.objects.filter(giver=member)
    given.filter(receiver=placeholder).delete()  # nobody thanks themselves
    hand_over(given, "giver", placeholder, unique_with=("receiver", "subject_type", "subject_id"))


def thanks_count(member: Member) -> int:
    return Thanks.objects.filter(Q(giver=member) | Q(receiver=member)).count()


def time_export(member: Member) -> list[dict]:
    return rows(
        TimeDeclaration.objects.filter(member=member),
        "day",
        "minutes",
        "subject_type",
        "subject_id",
        "what",
        "created_at",
    )


def time_erase(member: Member, placeholder: Member) -> None:
    """Declared time is the member's own statement, not a community figure: it goes."""
    TimeDeclaration.objects.filter(member=member).delete()


def time_count(member: Member) -> int:
    return TimeDeclaration.objects.filter(member=member).count()
