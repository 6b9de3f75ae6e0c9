"""What a member wrote and did around initiatives and needs, for « Mes données »."""

from django.db.models import F

from ruche.core.personal_data import hand_over, rows
from ruche.initiatives.models import (
    BudgetRequest,
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    ModerationAction,
    Need,
    NeedSupport,
    Participation,
    Report,
    StatusChange,
    Support,
    Update,
)
from ruche.members.models import Member


def export(member: Member) -> dict:
    return {**_taking_part(member), **_writing(member), **_governing(member)}


def _taking_part(member: Member) -> dict:
    """Initiatives proposed, led, joined and supported."""
    return {
        "initiatives_proposed": rows(
            Initiative.objects.filter(proposer=member), "id", "title", "status", "created_at"
        ),
        "initiatives_led": rows(
            InitiativeLead.objects.filter(member=member),
            "initiative_id",
            "initiative__title",
            "role",
            "added_at",
        ),
        "participations": rows(
            Participation.objects.filter(member=member),
            "initiative_id",
            "initiative__title",
            "role__label",
            "joined_at",
        ),
        "supports": rows(
            Support.objects.filter(member=member),
            "initiative_id",
            "initiative__title",
            "created_at",
        ),
    }


def _writing(member: Member) -> dict:
    """What the member wrote: updates, needs, comments."""
    return {
        "updates": rows(
            Update.objects.filter(author=member), "initiative_id", "body", "created_at"
        ),
        "needs": rows(
            Need.objects.filter(author=member),
            "id",
            "title",
            "description",
            "anonymous",
            "state",
            "created_at",
        ),
        "need_supports": rows(
            NeedSupport.objects.filter(member=member), "need_id", "need__title", "created_at"
        ),
        "comments": rows(
            Comment.objects.filter(author=member),
            "initiative_id",
            "need_id",
            "body",
            "created_at",
            "edited_at",
        ),
    }


def _governing(member: Member) -> dict:
    """Budget requests and decisions, status changes, reports and moderation."""
    return {
        "budget_requests": rows(
            BudgetRequest.objects.filter(requested_by=member),
            "initiative_id",
            "amount",
            "purpose",
            "status",
            "requested_at",
            "message",
        ),
        "budget_decisions": rows(
            BudgetRequest.objects.filter(decided_by=member),
            "initiative_id",
            "amount",
            "status",
            "decided_at",
        ),
        "status_changes": rows(
            StatusChange.objects.filter(actor=member),
            "initiative_id",
            "from_status",
            "to_status",
            "reason",
            "at",
        ),
        "reports": rows(
            Report.objects.filter(reporter=member),
            "target_type",
            "initiative_id",
            "need_id",
            "comment_id",
            "reason",
            "created_at",
        ),
        "reports_resolved": rows(
            Report.objects.filter(resolved_by=member), "target_type", "resolved_at"
        ),
        "moderation_actions": rows(
            ModerationAction.objects.filter(actor=member),
            "action",
            "target_type",
            "target_id",
            "note",
            "at",
        ),
    }


def erase(member: Member, placeholder: Member) -> None:
    """Public writing stays, signed by the placeholder; so do the places the member held, so
    that an initiative's figures and the health of the community do not move."""
    hand_over(Initiative.objects.filter(proposer=member), "proposer", placeholder)
    hand_over(Need.objects.filter(author=member), "author", placeholder)
    hand_over(Comment.objects.filter(author=member), "author", placeholder)
    hand_over(Update.objects.filter(author=member), "author", placeholder)
    # The initiatives' history and the moderation log keep who acted, as « ancien membre ».
    hand_over(BudgetRequest.objects.filter(requested_by=member), "requested_by", placeholder)
    hand_over(BudgetRequest.objects.filter(decided_by=member), "decided_by", placeholder)
    hand_over(StatusChange.objects.filter(actor=member), "actor", placeholder)
    hand_over(Report.objects.filter(reporter=member), "reporter", placeholder)
    hand_over(Report.objects.filter(resolved_by=member), "resolved_by", placeholder)
    hand_over(ModerationAction.objects.filter(actor=member), "actor", placeholder)
    hand_over(
        InitiativeLead.objects.filter(member=member),
        "member",
        placeholder,
        unique_with="initiative",
    )
    # A place the placeholder already holds in the same initiative is given back to the role.
    doubles = Participation.objects.filter(
        member=member,
        role__isnull=False,
        initiative__in=Participation.objects.filter(member=placeholder).values("initiative"),
    )
    for role_id in list(doubles.values_list("role_id", flat=True)):
        CallForHelp.objects.filter(pk=role_id, taken__gt=0).update(taken=F("taken") - 1)
    hand_over(
        Participation.objects.filter(member=member), "member", placeholder, unique_with="initiative"
    )
    hand_over(
        Support.objects.filter(member=member), "member", placeholder, unique_with="initiative"
    )
    hand_over(NeedSupport.objects.filter(member=member), "member", placeholder, unique_with="need")


def count(member: Member) -> int:
    return Comment.objects.filter(author=member).count()
