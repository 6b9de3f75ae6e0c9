"""A member's working groups, for « Mes données »."""

from ruche.core.personal_data import hand_over, rows
from ruche.groups.models import Membership
from ruche.members.models import Member


def export(member: Member) -> dict:
    return {
        "memberships": rows(
            Membership.objects.filter(member=member),
            "group__slug",
            "group__name",
            "role",
            "joined_at",
        )
    }


def erase(member: Member, placeholder: Member) -> None:
    hand_over(Membership.objects.filter(member=member), "member", placeholder, unique_with="group")
