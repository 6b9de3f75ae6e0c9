"""A member's working groups, for « Mes données »."""

from ruche.core.personal_data import hand_over, rows
from ruche.groups.models import Answer, Decision, JoinRequest, Membership, Proposal, WorkingGroup
from ruche.members.models import Member


def export(member: Member) -> dict:
    return {**_membership(member), **_deciding(member)}


def _membership(member: Member) -> dict:
    """Places, groups created and requests to join."""
    return {
        "memberships": rows(
            Membership.objects.filter(member=member),
            "group__slug",
            "group__name",
            "role",
            "joined_at",
        ),
        "groups_created": rows(
            WorkingGroup.objects.filter(created_by=member), "slug", "name", "created_at"
        ),
        "join_requests": rows(
            JoinRequest.objects.filter(member=member),
            "group__slug",
            "group__name",
            "message",
            "status",
            "answer",
            "created_at",
            "answered_at",
        ),
        "join_requests_answered": rows(
            JoinRequest.objects.filter(answered_by=member),
            "group__slug",
            "status",
            "answer",
            "answered_at",
        ),
    }


def _deciding(member: Member) -> dict:
    """Proposals, answers and decisions."""
    return {
        "proposals": rows(
            Proposal.objects.filter(author=member),
            "id",
            "group__slug",
            "question",
            "context",
            "options",
            "closes_on",
            "created_at",
            "closed_at",
        ),
        "proposals_closed": rows(
            Proposal.objects.filter(closed_by=member), "id", "group__slug", "closed_at"
        ),
        "answers": rows(
            Answer.objects.filter(member=member),
            "proposal_id",
            "proposal__question",
            "option",
            "reason",
            "answered_at",
            "changed_at",
        ),
        "decisions_recorded": rows(
            Decision.objects.filter(recorded_by=member),
            "id",
            "group__slug",
            "title",
            "rationale",
            "decided_on",
            "created_at",
        ),
    }


def erase(member: Member, placeholder: Member) -> None:
    """What the group reads stays, signed by the placeholder: places (so that a group's figures
    do not move), groups created, proposals, answers (a proposal's counts), decisions, and the
    answers given to others' requests. The member's own requests to join, with their message,
    go with them."""
    hand_over(Membership.objects.filter(member=member), "member", placeholder, unique_with="group")
    hand_over(WorkingGroup.objects.filter(created_by=member), "created_by", placeholder)
    JoinRequest.objects.filter(member=member).delete()
    hand_over(JoinRequest.objects.filter(answered_by=member), "answered_by", placeholder)
    hand_over(Proposal.objects.filter(author=member), "author", placeholder)
    hand_over(Proposal.objects.filter(closed_by=member), "closed_by", placeholder)
    hand_over(Answer.objects.filter(member=member), "member", placeholder, unique_with="proposal")
    hand_over(Decision.objects.filter(recorded_by=member), "recorded_by", placeholder)


def count(member: Member) -> int:
    return Answer.objects.filter(member=member).count()
