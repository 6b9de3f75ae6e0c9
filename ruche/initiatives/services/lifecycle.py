"""Initiatives: proposing, describing, and moving along their lifecycle."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.core.text import refuse_control_characters, text_errors
from ruche.engagement.enums import ContributionKind
from ruche.initiatives.enums import (
    STATUSES_NEEDING_A_BUDGET_DECISION,
    STATUSES_NEEDING_A_REASON,
    BudgetStatus,
    InitiativeKind,
    InitiativeStatus,
    LeadRole,
    Scope,
)
from ruche.initiatives.models import BudgetRequest, Initiative, InitiativeLead, Need, StatusChange
from ruche.initiatives.services.budget import budget_clean
from ruche.initiatives.services.common import (
    clean_into,
    description_clean,
    ledger,
    locked,
    require_manager,
    text,
    title_clean,
)
from ruche.initiatives.services.needs import linked_need_ids, needs_refresh_state
from ruche.members.models import Incubator, Member, Startup
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Topic
from ruche.notifications.services import notify_many

SUMMARY_MAX_LENGTH = 500


# Messages the forms reuse, so that a page and the API say the same thing.
TITLE_REQUIRED = gettext_lazy("Donnez un titre à l’initiative.")
KIND_REQUIRED = gettext_lazy(
    "Choisissez le type d’initiative : événement, processus, outil, groupe de travail ou autre."
)
KIND_UNKNOWN = gettext_lazy(
    "Type d’initiative inconnu : choisissez événement, processus, outil, groupe de travail ou "
    "autre."
)
SUMMARY_REQUIRED = gettext_lazy("Résumez l’initiative en une ou deux phrases.")
STATUS_UNKNOWN = gettext_lazy(
    "Statut inconnu : choisissez idée, recherche de contributeurs, en cours, réalisée, en pause "
    "ou abandonnée."
)


INCUBATOR_UNKNOWN = gettext_lazy(
    "Incubateur inconnu : choisissez-en un dans la liste (son identifiant)."
)
STARTUP_UNKNOWN = gettext_lazy(
    "Startup introuvable : vérifiez son identifiant (par exemple « ruche »)."
)
NEED_UNKNOWN = gettext_lazy("Besoin introuvable (n° %(value)s) : il a peut-être été masqué.")


def startup_find(text_: str) -> Startup | None:
    """A startup given by its identifier or its exact name (there are too many for a list)."""
    text_ = (text_ or "").strip()
    return (
        Startup.objects.select_related("incubator")
        .filter(Q(slug=text_) | Q(name__iexact=text_))
        .first()
    )


def initiative_links_find(**given: Any) -> dict[str, Any]:
    """What an API client names by identifier, as the services take it: `incubator` (its
    slug), `startup` (its slug or exact name), `needs` (their numbers); only the keys given.
    Raises ValidationError with the messages the form gives for the same mistakes."""
    found: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if "incubator" in given:
        slug = given["incubator"] or ""
        found["incubator"] = Incubator.objects.filter(slug=slug).first() if slug else None
        if slug and found["incubator"] is None:
            errors["incubator"] = [str(INCUBATOR_UNKNOWN)]
    if "startup" in given:
        found["startup"] = startup_find(given["startup"]) if given["startup"] else None
        if given["startup"] and found["startup"] is None:
            errors["startup"] = [str(STARTUP_UNKNOWN)]
    if "needs" in given:
        ids = list(dict.fromkeys(given["needs"] or []))
        found["needs"] = list(Need.objects.visible().filter(pk__in=ids))
        missing = sorted(set(ids) - {need.pk for need in found["needs"]})
        if missing:
            errors["needs"] = [str(NEED_UNKNOWN) % {"value": pk} for pk in missing]
    if errors:
        raise ValidationError(errors)
    return found


def initiative_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Checks what describes an initiative; raises ValidationError with one French message per
    field. Returns the cleaned values."""
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "title" in fields:
        clean_into(cleaned, errors, "title", title_clean, fields["title"], TITLE_REQUIRED)
    if "kind" in fields:
        kind = text(fields["kind"])
        if not kind:
            errors["kind"] = str(KIND_REQUIRED)
        elif kind not in InitiativeKind.values:
            errors["kind"] = str(KIND_UNKNOWN)
        cleaned["kind"] = kind
    if "summary" in fields:
        summary = text(fields["summary"])
        if not summary:
            errors["summary"] = str(SUMMARY_REQUIRED)
        elif control := text_errors(paragraphs={"summary": (_("Le résumé"), summary)}):
            errors.update(control)
        elif len(summary) > SUMMARY_MAX_LENGTH:
            errors["summary"] = _(
                "Le résumé ne doit pas dépasser %(max)d caractères (il en compte %(count)d)."
            ) % {"max": SUMMARY_MAX_LENGTH, "count": len(summary)}
        cleaned["summary"] = summary
    if "description" in fields:
        clean_into(cleaned, errors, "description", description_clean, fields["description"])
    if "scope" in fields:
        scope = text(fields["scope"]) or Scope.COMMUNITY
        if scope not in Scope.values:
            errors["scope"] = _(
                "Périmètre inconnu : choisissez toute la communauté, un incubateur ou une startup."
            )
        elif scope == Scope.INCUBATOR and not fields.get("incubator"):
            errors["incubator"] = _("Choisissez l’incubateur concerné.")
        elif scope == Scope.STARTUP and not fields.get("startup"):
            errors["startup"] = _("Choisissez la startup concernée.")
        cleaned["scope"] = scope
        if scope != Scope.INCUBATOR:
            cleaned["incubator"] = None
        if scope != Scope.STARTUP:
            cleaned["startup"] = None
        if scope == Scope.STARTUP and isinstance(fields.get("startup"), Startup):
            cleaned["incubator"] = fields["startup"].incubator
    if errors:
        raise ValidationError(errors)
    return cleaned


def _visible_needs(needs: Iterable[Need] | None) -> list[Need]:
    listed = list(needs or [])
    if any(need.hidden for need in listed):
        raise ValidationError({"needs": _("Ce besoin n’est plus visible : retirez-le.")})
    return listed


def _proposal_clean(
    fields: dict[str, Any], budget_amount: object, budget_purpose: str, needs: Iterable[Need]
) -> tuple[dict[str, Any], tuple[Decimal, str] | None, list[Need]]:
    """(fields, budget or None, needs) of a proposal; one ValidationError naming every problem."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    visible: list[Need] = []
    try:
        cleaned = initiative_fields_clean(fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    budget = None
    if budget_amount not in (None, "") or text(budget_purpose):
        try:
            budget = budget_clean(budget_amount, budget_purpose)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        visible = _visible_needs(needs)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned, budget, visible


def initiative_propose(
    *,
    actor: Member,
    title: str,
    kind: str,
    summary: str,
    description: str = "",
    scope: str = Scope.COMMUNITY,
    incubator: Incubator | None = None,
    startup: Startup | None = None,
    needs: Iterable[Need] = (),
    budget_amount: object = None,
    budget_purpose: str = "",
) -> Initiative:
    """A member proposes an initiative and becomes its lead (porteur·se)."""
    cleaned, budget, visible = _proposal_clean(
        {
            "title": title,
            "kind": kind,
            "summary": summary,
            "description": description,
            "scope": scope,
            "incubator": incubator,
            "startup": startup,
        },
        budget_amount,
        budget_purpose,
        needs,
    )
    now = timezone.now()
    with transaction.atomic():
        initiative = Initiative.objects.create(
            proposer=actor, status=InitiativeStatus.IDEA, status_changed_at=now, created_at=now,
            **cleaned,
        )  # fmt: skip
        InitiativeLead.objects.create(
            initiative=initiative, member=actor, role=LeadRole.PROPOSER, added_at=now
        )
        StatusChange.objects.create(
            initiative=initiative, actor=actor, at=now, to_status=InitiativeStatus.IDEA
        )
        if visible:
            initiative.needs.set(visible)
        if budget:
            BudgetRequest.objects.create(
                initiative=initiative, amount=budget[0], purpose=budget[1], requested_by=actor
            )
        for kind_ in (ContributionKind.PROPOSED, ContributionKind.LED):
            ledger(actor, kind_, initiative, at=now)
        needs_refresh_state([need.pk for need in visible])
        _tell_the_community(actor, initiative)
    return initiative


def _tell_the_community(actor: Member, initiative: Initiative) -> None:
    """The chat rooms that announce new initiatives, and the members who want community news
    as it comes (the others read it in the digest)."""
    url = initiative.get_absolute_url()
    announce(
        topic=Topic.NEW_INITIATIVE,
        title=initiative.title,
        url=url,
        summary=initiative.summary,
        incubator_id=initiative.incubator_id,
    )
    notify_many(
        Member.objects.filter(is_active=True).exclude(pk=actor.pk),
        "initiatives.new_initiative",
        {
            "title": initiative.title,
            "summary": initiative.summary,
            "proposer": actor.display_name,
            "url": url,
        },
    )


def initiative_update(
    *,
    actor: Member,
    initiative: Initiative,
    fields: dict[str, Any],
    needs: Iterable[Need] | None = None,
) -> Initiative:
    """Leads and the animation team edit what describes the initiative (not its status)."""
    require_manager(
        actor,
        initiative,
        _("Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent la modifier."),
    )
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = initiative_fields_clean(fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    if needs is not None:
        try:
            needs = _visible_needs(needs)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        initiative = locked(initiative)
        for name, value in cleaned.items():
            setattr(initiative, name, value)
        initiative.save()
        if needs is not None:
            before = set(linked_need_ids(initiative))
            initiative.needs.set(needs)
            needs_refresh_state(before | {need.pk for need in needs})
    return initiative


def _require_budget_cleared(initiative: Initiative, status: str) -> None:
    """A pending or refused budget request keeps the initiative from going ahead (« en cours »,
    or straight to « réalisée », which would skip the decision)."""
    blocking = (
        initiative.budget_requests.filter(status__in=[BudgetStatus.PENDING, BudgetStatus.REFUSED])
        .only("status")
        .first()
    )
    if blocking is None:
        return
    label = InitiativeStatus(status).label.lower()
    if blocking.status == BudgetStatus.PENDING:
        message = _(
            "La demande de budget attend l’accord de l’équipe d’animation : l’initiative ne peut "
            "pas passer « %(status)s » avant."
        )
    else:
        message = _(
            "La demande de budget a été refusée : retirez-la pour avancer sans budget avant de "
            "passer « %(status)s »."
        )
    raise ValidationError({"status": message % {"status": label}})


def _status_clean(status: str, reason: str) -> tuple[str, str]:
    status = text(status)
    reason = text(reason)
    refuse_control_characters(paragraphs={"reason": (_("La raison"), reason)})
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": str(STATUS_UNKNOWN)})
    if status in STATUSES_NEEDING_A_REASON and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Dites en quelques mots pourquoi l’initiative est mise en pause ou abandonnée."
                )
            }
        )
    if len(reason) > 2000:
        raise ValidationError({"reason": _("La raison ne doit pas dépasser 2 000 caractères.")})
    return status, reason


def initiative_status_change(
    *, actor: Member, initiative: Initiative, status: str, reason: str = ""
) -> Initiative:
    """Moves the initiative along its lifecycle; only its leads and the animation team may.
    Every change lands in the timeline and in the ledger."""
    require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent changer "
            "son statut."
        ),
    )
    status, reason = _status_clean(status, reason)
    with transaction.atomic():
        initiative = locked(initiative)
        previous = initiative.status
        if status == previous:
            raise ValidationError(
                {
                    "status": _("L’initiative a déjà le statut « %(status)s ».")
                    % {"status": InitiativeStatus(status).label}
                }
            )
        if status in STATUSES_NEEDING_A_BUDGET_DECISION:
            _require_budget_cleared(initiative, status)
        now = timezone.now()
        initiative.status = status
        initiative.status_reason = reason
        initiative.status_changed_at = now
        initiative.save(
            update_fields=["status", "status_reason", "status_changed_at", "updated_at"]
        )
        StatusChange.objects.create(
            initiative=initiative,
            actor=actor,
            at=now,
            from_status=previous,
            to_status=status,
            reason=reason,
        )
        ledger(
            actor, ContributionKind.STATUS_CHANGED, initiative, at=now,
            details={"from": previous, "to": status},
        )  # fmt: skip
        needs_refresh_state(linked_need_ids(initiative))
    return initiative
