"""Budget requests: a lead asks, the animation team decides."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters, text_errors
from ruche.initiatives.enums import BudgetStatus, ModerationActionKind
from ruche.initiatives.models import BudgetRequest, Initiative, ModerationAction
from ruche.initiatives.services.common import locked, require_animation_team, require_lead, text
from ruche.members.models import Member
from ruche.notifications.services import notify

BUDGET_MAX = Decimal("1000000")


def budget_clean(amount: object, purpose: str) -> tuple[Decimal, str]:
    errors: dict[str, str] = {}
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0:
        errors["budget_amount"] = _("Indiquez un montant en euros, supérieur à zéro.")
    elif value > BUDGET_MAX:
        errors["budget_amount"] = _("Le montant ne peut pas dépasser 1 000 000 €.")
    purpose = text(purpose)
    if not purpose:
        errors["budget_purpose"] = _("Dites à quoi servira ce budget.")
    elif len(purpose) > 2000:
        errors["budget_purpose"] = _("Décrivez l’usage du budget en 2 000 caractères au plus.")
    errors.update(text_errors(paragraphs={"budget_purpose": (_("L’usage du budget"), purpose)}))
    if errors:
        raise ValidationError(errors)
    assert value is not None  # refused above otherwise
    return value, purpose


def budget_request_create(
    *, actor: Member, initiative: Initiative, amount: object, purpose: str
) -> BudgetRequest:
    require_lead(
        actor, initiative, _("Seul·es les porteur·ses de l’initiative peuvent demander un budget.")
    )
    amount, purpose = budget_clean(amount, purpose)
    with transaction.atomic():
        initiative = locked(initiative)
        if initiative.budget_requests.filter(status=BudgetStatus.PENDING).exists():
            raise ValidationError(
                {
                    "budget_amount": _(
                        "Une demande de budget attend déjà la décision de l’équipe d’animation."
                    )
                }
            )
        return BudgetRequest.objects.create(
            initiative=initiative, amount=amount, purpose=purpose, requested_by=actor
        )


def budget_request_decide(
    *, actor: Member, budget_request: BudgetRequest, approve: bool, message: str = ""
) -> BudgetRequest:
    """The animation team approves or refuses; the proposer is told either way."""
    require_animation_team(
        actor, _("Seule l’équipe d’animation peut accorder ou refuser un budget.")
    )
    message = text(message)
    refuse_control_characters(paragraphs={"message": (_("Le message"), message)})
    if not approve and not message:
        raise ValidationError(
            {"message": _("Expliquez le refus en quelques mots à l’équipe de l’initiative.")}
        )
    if len(message) > 2000:
        raise ValidationError({"message": _("Le message ne doit pas dépasser 2 000 caractères.")})
    with transaction.atomic():
        budget_request = (
            BudgetRequest.objects.select_for_update()
            .select_related("initiative")
            .get(pk=budget_request.pk)
        )
        if budget_request.status != BudgetStatus.PENDING:
            raise ValidationError(_("Cette demande de budget a déjà été traitée."))
        now = timezone.now()
        budget_request.status = BudgetStatus.APPROVED if approve else BudgetStatus.REFUSED
        budget_request.decided_by = actor
        budget_request.decided_at = now
        budget_request.message = message
        budget_request.save()
        ModerationAction.objects.create(
            action=ModerationActionKind.BUDGET_APPROVED
            if approve
            else ModerationActionKind.BUDGET_REFUSED,
            actor=actor,
            target_type="budget_request",
            target_id=budget_request.pk,
            note=message,
            at=now,
        )
        initiative = budget_request.initiative
        recipient = initiative.proposer or budget_request.requested_by
        if recipient is not None:
            notify(
                recipient,
                "initiatives.budget_approved" if approve else "initiatives.budget_refused",
                {
                    "title": initiative.title,
                    "approved": approve,
                    "amount": f"{budget_request.amount:.2f}",
                    "message": message,
                    "url": initiative.get_absolute_url(),
                },
            )
    return budget_request


def budget_request_withdraw(*, actor: Member, budget_request: BudgetRequest) -> BudgetRequest:
    require_lead(
        actor,
        budget_request.initiative,
        _("Seul·es les porteur·ses de l’initiative peuvent retirer sa demande de budget."),
    )
    with transaction.atomic():
        withdrawn = BudgetRequest.objects.filter(
            pk=budget_request.pk, status__in=[BudgetStatus.PENDING, BudgetStatus.REFUSED]
        ).update(status=BudgetStatus.WITHDRAWN)
        if not withdrawn:
            raise ValidationError(_("Cette demande de budget ne peut plus être retirée."))
    budget_request.refresh_from_db()
    return budget_request
