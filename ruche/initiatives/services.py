"""What members do with initiatives and needs. Every function checks who may act, writes in one
transaction, appends the act to the Contribution ledger and tells people after commit. Pages and
the API call these and nothing else, so both enforce the same rules with the same messages."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.core.markdown import plain_text
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.initiatives.enums import (
    OPEN_STATUSES,
    STATUSES_NEEDING_A_BUDGET_DECISION,
    STATUSES_NEEDING_A_REASON,
    BudgetStatus,
    InitiativeKind,
    InitiativeStatus,
    LeadRole,
    ModerationActionKind,
    NeedState,
    ReportTarget,
    Scope,
)
from ruche.initiatives.models import (
    TITLE_MAX_LENGTH,
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
from ruche.members.enums import Domaine
from ruche.members.models import Incubator, Member, Startup
from ruche.notifications.services import notify

SUMMARY_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
ROLE_LABEL_MAX_LENGTH = 120
ROLE_MAX_COUNT = 500
BUDGET_MAX = Decimal("1000000")
MENTION = re.compile(r"(?<![\w.@])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)", re.IGNORECASE)

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
NEED_TITLE_REQUIRED = gettext_lazy("Donnez un titre au besoin : le problème en une phrase.")
STATUS_UNKNOWN = gettext_lazy(
    "Statut inconnu : choisissez idée, recherche de contributeurs, en cours, réalisée, en pause "
    "ou abandonnée."
)
COMMENT_EMPTY = gettext_lazy("Le commentaire est vide : écrivez quelque chose.")

_INITIATIVE = SubjectType.INITIATIVE
_NEED = SubjectType.NEED


# Permission helpers.


def _require_manager(actor: Member, initiative: Initiative, message: str) -> None:
    if not initiative.can_be_managed_by(actor):
        raise PermissionDenied(message)


def _require_lead(actor: Member, initiative: Initiative, message: str) -> None:
    if not initiative.is_led_by(actor):
        raise PermissionDenied(message)


def _require_animation_team(actor: Member, message: str) -> None:
    if not getattr(actor, "is_animation_team", False):
        raise PermissionDenied(message)


def _ledger(member: Member, kind: str, subject: Initiative | Need, **kwargs) -> None:
    subject_type = _INITIATIVE if isinstance(subject, Initiative) else _NEED
    record(member=member, kind=kind, subject_type=subject_type, subject_id=subject.pk, **kwargs)


def _create_once(model, already, *, extra: dict | None = None, **unique):
    """Creates the row that a unique constraint on `unique` allows once; a second one, even sent
    at the same instant, is refused with `already`. Call it inside the caller's transaction."""
    if model.objects.filter(**unique).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            return model.objects.create(**unique, **(extra or {}))
    except IntegrityError:
        raise ValidationError(already) from None


def _delete_or_refuse(queryset, missing: str) -> None:
    deleted, _details = queryset.delete()
    if not deleted:
        raise ValidationError(missing)


def _locked(initiative: Initiative) -> Initiative:
    """The initiative row, locked until the end of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


# Validation shared by forms and the API.


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _title_clean(value, required: str) -> str:
    title = _text(value)
    if not title:
        raise ValidationError(str(required))
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("Le titre ne doit pas dépasser %(max)d caractères (il en compte %(count)d).")
            % {"max": TITLE_MAX_LENGTH, "count": len(title)}
        )
    return title


def _description_clean(value) -> str:
    description = value or ""
    if len(description) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("La description ne doit pas dépasser %(max)d caractères.") % {"max": TEXT_MAX_LENGTH}
        )
    return description


def _clean_into(cleaned: dict, errors: dict, name: str, clean, *args) -> None:
    """cleaned[name] = clean(*args), or the error under `name`."""
    try:
        cleaned[name] = clean(*args)
    except ValidationError as error:
        errors[name] = error.messages[0]


def initiative_fields_clean(fields: dict) -> dict:
    """Checks what describes an initiative; raises ValidationError with one French message per
    field. Returns the cleaned values."""
    errors = {}
    cleaned = dict(fields)
    if "title" in fields:
        _clean_into(cleaned, errors, "title", _title_clean, fields["title"], TITLE_REQUIRED)
    if "kind" in fields:
        kind = _text(fields["kind"])
        if not kind:
            errors["kind"] = str(KIND_REQUIRED)
        elif kind not in InitiativeKind.values:
            errors["kind"] = str(KIND_UNKNOWN)
        cleaned["kind"] = kind
    if "summary" in fields:
        summary = _text(fields["summary"])
        if not summary:
            errors["summary"] = str(SUMMARY_REQUIRED)
        elif len(summary) > SUMMARY_MAX_LENGTH:
            errors["summary"] = _(
                "Le résumé ne doit pas dépasser %(max)d caractères (il en compte %(count)d)."
            ) % {"max": SUMMARY_MAX_LENGTH, "count": len(summary)}
        cleaned["summary"] = summary
    if "description" in fields:
        _clean_into(cleaned, errors, "description", _description_clean, fields["description"])
    if "scope" in fields:
        scope = _text(fields["scope"]) or Scope.COMMUNITY
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


def budget_clean(amount, purpose: str) -> tuple[Decimal, str]:
    errors = {}
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0:
        errors["budget_amount"] = _("Indiquez un montant en euros, supérieur à zéro.")
    elif value > BUDGET_MAX:
        errors["budget_amount"] = _("Le montant ne peut pas dépasser 1 000 000 €.")
    purpose = _text(purpose)
    if not purpose:
        errors["budget_purpose"] = _("Dites à quoi servira ce budget.")
    elif len(purpose) > 2000:
        errors["budget_purpose"] = _("Décrivez l’usage du budget en 2 000 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    return value, purpose


def _visible_needs(needs) -> list[Need]:
    needs = list(needs or [])
    if any(need.hidden for need in needs):
        raise ValidationError({"needs": _("Ce besoin n’est plus visible : retirez-le.")})
    return needs


# Needs and their state.


def needs_refresh_state(need_ids) -> None:
    """Recomputes the stored state of these needs from their visible initiatives: addressed as
    soon as one is done, being addressed while one is in progress, otherwise open (or closed if
    someone closed it)."""
    need_ids = set(need_ids)
    if not need_ids:
        return
    statuses: dict[int, set[str]] = {pk: set() for pk in need_ids}
    links = Initiative.needs.through.objects.filter(
        need_id__in=need_ids, initiative__hidden=False
    ).values_list("need_id", "initiative__status")
    for need_id, status in links:
        statuses[need_id].add(status)
    for need in Need.objects.filter(pk__in=need_ids).only("pk", "state", "closed_at"):
        found = statuses[need.pk]
        if InitiativeStatus.DONE in found:
            state = NeedState.ADDRESSED
        elif InitiativeStatus.IN_PROGRESS in found:
            state = NeedState.BEING_ADDRESSED
        elif need.closed_at:
            state = NeedState.CLOSED
        else:
            state = NeedState.OPEN
        if state != need.state:
            Need.objects.filter(pk=need.pk).update(state=state)


def _need_ids(initiative: Initiative) -> list[int]:
    return list(initiative.needs.values_list("pk", flat=True))


def need_fields_clean(fields: dict) -> dict:
    errors = {}
    cleaned = dict(fields)
    if "title" in fields:
        _clean_into(cleaned, errors, "title", _title_clean, fields["title"], NEED_TITLE_REQUIRED)
    if "description" in fields:
        _clean_into(cleaned, errors, "description", _description_clean, fields["description"])
    if "domaine" in fields:
        domaine = _text(fields["domaine"])
        if domaine and domaine not in Domaine.values:
            errors["domaine"] = _("Domaine inconnu : choisissez-en un dans la liste.")
        cleaned["domaine"] = domaine
    incubator = fields.get("incubator")
    if incubator is not None and not isinstance(incubator, Incubator):
        errors["incubator"] = _("Incubateur inconnu.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def need_raise(
    *,
    actor: Member,
    title: str,
    description: str = "",
    incubator: Incubator | None = None,
    domaine: str = "",
) -> Need:
    cleaned = need_fields_clean(
        {"title": title, "description": description, "incubator": incubator, "domaine": domaine}
    )
    with transaction.atomic():
        need = Need.objects.create(author=actor, **cleaned)
        _ledger(actor, ContributionKind.RAISED_NEED, need)
    return need


def need_update(*, actor: Member, need: Need, fields: dict) -> Need:
    if not need.can_be_managed_by(actor):
        raise PermissionDenied(
            _(
                "Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, peut le "
                "modifier."
            )
        )
    cleaned = need_fields_clean(fields)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(need, name, value)
        need.save()
    return need


def need_support(*, actor: Member, need: Need) -> NeedSupport:
    if need.author_id == actor.pk:
        raise ValidationError(_("Vous avez exprimé ce besoin : il compte déjà pour vous."))
    if need.hidden:
        raise ValidationError(_("Ce besoin a été masqué par l’équipe d’animation."))
    with transaction.atomic():
        support = _create_once(
            NeedSupport, _("Vous avez déjà dit « moi aussi » pour ce besoin."),
            need=need, member=actor,
        )  # fmt: skip
        _ledger(actor, ContributionKind.NEED_SUPPORTED, need)
    return support


def need_unsupport(*, actor: Member, need: Need) -> None:
    with transaction.atomic():
        _delete_or_refuse(
            NeedSupport.objects.filter(need=need, member=actor),
            _("Vous n’aviez pas dit « moi aussi » pour ce besoin."),
        )
        _ledger(actor, ContributionKind.NEED_SUPPORTED, need, undo=True)


def need_close(*, actor: Member, need: Need, reason: str) -> Need:
    if not need.can_be_managed_by(actor):
        raise PermissionDenied(
            _("Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, peut le clore.")
        )
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Dites en quelques mots pourquoi ce besoin est clos.")})
    with transaction.atomic():
        need.closed_at = timezone.now()
        need.closed_reason = reason[:2000]
        need.save(update_fields=["closed_at", "closed_reason", "updated_at"])
        needs_refresh_state([need.pk])
    need.refresh_from_db(fields=["state"])
    return need


def need_reopen(*, actor: Member, need: Need) -> Need:
    if not need.can_be_managed_by(actor):
        raise PermissionDenied(
            _(
                "Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, peut le "
                "rouvrir."
            )
        )
    with transaction.atomic():
        need.closed_at = None
        need.closed_reason = ""
        need.save(update_fields=["closed_at", "closed_reason", "updated_at"])
        needs_refresh_state([need.pk])
    need.refresh_from_db(fields=["state"])
    return need


# Initiatives.


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
    needs=(),
    budget_amount=None,
    budget_purpose: str = "",
) -> Initiative:
    """A member proposes an initiative and becomes its lead (porteur·se)."""
    errors = {}
    try:
        cleaned = initiative_fields_clean(
            {
                "title": title,
                "kind": kind,
                "summary": summary,
                "description": description,
                "scope": scope,
                "incubator": incubator,
                "startup": startup,
            }
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    budget = None
    if budget_amount not in (None, "") or _text(budget_purpose):
        try:
            budget = budget_clean(budget_amount, budget_purpose)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        needs = _visible_needs(needs)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
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
        if needs:
            initiative.needs.set(needs)
        if budget:
            BudgetRequest.objects.create(
                initiative=initiative, amount=budget[0], purpose=budget[1], requested_by=actor
            )
        for kind_ in (ContributionKind.PROPOSED, ContributionKind.LED):
            _ledger(actor, kind_, initiative, at=now)
        needs_refresh_state([need.pk for need in needs])
    return initiative


def initiative_update(
    *, actor: Member, initiative: Initiative, fields: dict, needs=None
) -> Initiative:
    """Leads and the animation team edit what describes the initiative (not its status)."""
    _require_manager(
        actor,
        initiative,
        _("Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent la modifier."),
    )
    errors = {}
    cleaned = {}
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
        initiative = _locked(initiative)
        for name, value in cleaned.items():
            setattr(initiative, name, value)
        initiative.save()
        if needs is not None:
            before = set(_need_ids(initiative))
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


def initiative_status_change(
    *, actor: Member, initiative: Initiative, status: str, reason: str = ""
) -> Initiative:
    """Moves the initiative along its lifecycle; only its leads and the animation team may.
    Every change lands in the timeline and in the ledger."""
    _require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent changer "
            "son statut."
        ),
    )
    status = _text(status)
    reason = _text(reason)
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
    with transaction.atomic():
        initiative = _locked(initiative)
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
        _ledger(
            actor, ContributionKind.STATUS_CHANGED, initiative, at=now,
            details={"from": previous, "to": status},
        )  # fmt: skip
        needs_refresh_state(_need_ids(initiative))
    return initiative


def initiative_colead_add(
    *, actor: Member, initiative: Initiative, member: Member
) -> InitiativeLead:
    _require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent ajouter un·e "
            "co-porteur·se."
        ),
    )
    if not member.is_active:
        raise ValidationError({"member": _("Ce compte est fermé : choisissez un·e autre membre.")})
    with transaction.atomic():
        link = _create_once(
            InitiativeLead,
            {"member": _("%(name)s porte déjà cette initiative.") % {"name": member}},
            initiative=initiative, member=member, extra={"role": LeadRole.CO_LEAD},
        )  # fmt: skip
        _ledger(member, ContributionKind.CO_LED, initiative, details={"added_by": actor.pk})
        if member.pk != actor.pk:
            notify(
                member,
                "initiatives.co_lead_added",
                {
                    "actor": str(actor),
                    "title": initiative.title,
                    "url": initiative.get_absolute_url(),
                },
            )
    return link


def initiative_colead_remove(*, actor: Member, initiative: Initiative, member: Member) -> None:
    """A co-lead steps down, or another lead (or the animation team) removes them. The proposer
    stays."""
    if actor.pk != member.pk:
        _require_manager(
            actor,
            initiative,
            _(
                "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent retirer "
                "un·e co-porteur·se."
            ),
        )
    with transaction.atomic():
        link = InitiativeLead.objects.filter(initiative=initiative, member=member).first()
        if link is None:
            raise ValidationError(_("%(name)s ne porte pas cette initiative.") % {"name": member})
        if link.role == LeadRole.PROPOSER:
            raise ValidationError(
                _(
                    "La personne qui a proposé l’initiative en reste porteuse : elle ne peut pas "
                    "être retirée."
                )
            )
        link.delete()
        _ledger(
            member, ContributionKind.CO_LED, initiative, undo=True,
            details={"removed_by": actor.pk},
        )  # fmt: skip


# Roles and participation.


def role_add(
    *, actor: Member, initiative: Initiative, label: str, count, skill: str = ""
) -> CallForHelp:
    _require_manager(
        actor,
        initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent ouvrir un "
            "rôle."
        ),
    )
    errors = {}
    label = _text(label)
    skill = _text(skill)
    if not label:
        errors["label"] = _("Nommez le rôle, par exemple « accueil des participant·es ».")
    elif len(label) > ROLE_LABEL_MAX_LENGTH:
        errors["label"] = _("Le rôle ne doit pas dépasser %(max)d caractères.") % {
            "max": ROLE_LABEL_MAX_LENGTH
        }
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if count < 1 or count > ROLE_MAX_COUNT:
        errors["count"] = _("Indiquez un nombre de personnes entre 1 et %(max)d.") % {
            "max": ROLE_MAX_COUNT
        }
    if len(skill) > ROLE_LABEL_MAX_LENGTH:
        errors["skill"] = _("La compétence ne doit pas dépasser %(max)d caractères.") % {
            "max": ROLE_LABEL_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return CallForHelp.objects.create(initiative=initiative, label=label, count=count, skill=skill)


def role_remove(*, actor: Member, role: CallForHelp) -> None:
    """Those who had taken the role stay in the initiative, without a role."""
    _require_manager(
        actor,
        role.initiative,
        _(
            "Seul·es les porteur·ses de l’initiative et l’équipe d’animation peuvent retirer un "
            "rôle."
        ),
    )
    with transaction.atomic():
        Participation.objects.filter(role=role).update(role=None)
        role.delete()


def initiative_join(
    *, actor: Member, initiative: Initiative, role: CallForHelp | None = None
) -> Participation:
    """The member joins the initiative, in a role or generally. A role's places are taken by a
    conditional update, so the last place goes to exactly one of two simultaneous requests;
    the unique constraint does the same for a double submission."""
    already = _("Vous avez déjà rejoint cette initiative.")
    if initiative.hidden:
        raise ValidationError(_("Cette initiative a été masquée par l’équipe d’animation."))
    if initiative.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Cette initiative est « %(status)s » : elle n’accueille plus de participant·es.")
            % {"status": initiative.get_status_display().lower()}
        )
    if role is not None and role.initiative_id != initiative.pk:
        raise ValidationError({"role": _("Ce rôle n’appartient pas à cette initiative.")})
    if role is None and initiative.is_led_by(actor):
        # A lead already belongs to the initiative; they may still take one of its roles.
        raise ValidationError(_("Vous portez cette initiative : vous en faites déjà partie."))
    if Participation.objects.filter(initiative=initiative, member=actor).exists():
        raise ValidationError(already)  # before taking a place, which a refusal would undo
    with transaction.atomic():
        if role is not None:
            taken = CallForHelp.objects.filter(pk=role.pk, taken__lt=F("count")).update(
                taken=F("taken") + 1
            )
            if not taken:
                raise ValidationError(
                    {"role": _("Ce rôle est complet : toutes les places sont prises.")}
                )
        participation = _create_once(
            Participation, already, initiative=initiative, member=actor, extra={"role": role}
        )
        _ledger(
            actor, ContributionKind.JOINED, initiative,
            details={"role": role.label} if role else {},
        )  # fmt: skip
        for lead in initiative.leads.exclude(pk=actor.pk):
            notify(
                lead,
                "initiatives.participant_joined",
                {
                    "member_name": str(actor),
                    "role": role.label if role else "",
                    "title": initiative.title,
                    "url": initiative.get_absolute_url(),
                },
            )
    if role is not None:
        role.refresh_from_db(fields=["taken"])
    return participation


def initiative_leave(*, actor: Member, initiative: Initiative) -> None:
    with transaction.atomic():
        participation = (
            Participation.objects.select_related("role")
            .filter(initiative=initiative, member=actor)
            .first()
        )
        if participation is None:
            raise ValidationError(_("Vous ne participez pas à cette initiative."))
        deleted, _details = Participation.objects.filter(pk=participation.pk).delete()
        if not deleted:
            raise ValidationError(_("Vous ne participez pas à cette initiative."))
        if participation.role_id:
            CallForHelp.objects.filter(pk=participation.role_id, taken__gt=0).update(
                taken=F("taken") - 1
            )
        _ledger(
            actor, ContributionKind.JOINED, initiative, undo=True,
            details={"role": participation.role.label} if participation.role_id else {},
        )  # fmt: skip


def initiative_support(*, actor: Member, initiative: Initiative) -> Support:
    if initiative.hidden:
        raise ValidationError(_("Cette initiative a été masquée par l’équipe d’animation."))
    with transaction.atomic():
        support = _create_once(
            Support, _("Vous soutenez déjà cette initiative."),
            initiative=initiative, member=actor,
        )  # fmt: skip
        _ledger(actor, ContributionKind.SUPPORTED, initiative)
    return support


def initiative_unsupport(*, actor: Member, initiative: Initiative) -> None:
    with transaction.atomic():
        _delete_or_refuse(
            Support.objects.filter(initiative=initiative, member=actor),
            _("Vous ne souteniez pas cette initiative."),
        )
        _ledger(actor, ContributionKind.SUPPORTED, initiative, undo=True)


# Budget.


def budget_request_create(
    *, actor: Member, initiative: Initiative, amount, purpose: str
) -> BudgetRequest:
    _require_lead(
        actor, initiative, _("Seul·es les porteur·ses de l’initiative peuvent demander un budget.")
    )
    amount, purpose = budget_clean(amount, purpose)
    with transaction.atomic():
        initiative = _locked(initiative)
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
    _require_animation_team(
        actor, _("Seule l’équipe d’animation peut accorder ou refuser un budget.")
    )
    message = _text(message)
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
                "initiatives.budget_decided",
                {
                    "title": initiative.title,
                    "approved": approve,
                    "amount": f"{budget_request.amount:.2f}",
                    "decision": str(budget_request.get_status_display()).lower(),
                    "message": message,
                    "url": initiative.get_absolute_url(),
                },
            )
    return budget_request


def budget_request_withdraw(*, actor: Member, budget_request: BudgetRequest) -> BudgetRequest:
    _require_lead(
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


# Updates and comments.


def update_post(*, actor: Member, initiative: Initiative, body: str) -> Update:
    _require_lead(
        actor, initiative, _("Seul·es les porteur·ses de l’initiative publient ses points d’étape.")
    )
    body = _text(body)
    if not body:
        raise ValidationError({"body": _("Écrivez où en est l’initiative.")})
    if len(body) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Le point d’étape ne doit pas dépasser %(max)d caractères.")
                % {"max": TEXT_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        update = Update.objects.create(initiative=initiative, author=actor, body=body)
        _ledger(actor, ContributionKind.UPDATED, initiative)
    return update


def _comment_body_clean(body: str) -> str:
    body = _text(body)
    if not body:
        raise ValidationError({"body": str(COMMENT_EMPTY)})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "Le commentaire ne doit pas dépasser %(max)d caractères (il en compte "
                    "%(count)d)."
                )
                % {"max": COMMENT_MAX_LENGTH, "count": len(body)}
            }
        )
    return body


def mentioned_ids(body: str) -> set[str]:
    return {match.lower() for match in MENTION.findall(body or "")}


def _notify_mentions(actor: Member, comment: Comment, ids: set[str]) -> None:
    if not ids:
        return
    subject = comment.subject
    mentioned = Member.objects.filter(betagouv_id__in=ids, is_active=True).exclude(pk=actor.pk)
    for member in mentioned:
        notify(
            member,
            "initiatives.mentioned",
            {
                "author": str(actor),
                "title": subject.title,
                "excerpt": plain_text(comment.body)[:300],
                "url": comment.get_absolute_url(),
            },
        )


def comment_add(
    *, actor: Member, body: str, initiative: Initiative | None = None, need: Need | None = None
) -> Comment:
    if (initiative is None) == (need is None):
        raise ValueError("A comment is on an initiative or on a need.")
    body = _comment_body_clean(body)
    subject = initiative or need
    if subject.hidden:
        raise ValidationError(_("Ce contenu a été masqué par l’équipe d’animation."))
    with transaction.atomic():
        comment = Comment.objects.create(initiative=initiative, need=need, author=actor, body=body)
        _ledger(actor, ContributionKind.COMMENTED, subject, details={"comment": comment.pk})
        ids = mentioned_ids(body)
        transaction.on_commit(lambda: _notify_mentions(actor, comment, ids))
    return comment


def _require_comment_author(actor: Member, comment: Comment, message: str) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied(message)


def comment_edit(*, actor: Member, comment: Comment, body: str) -> Comment:
    _require_comment_author(
        actor, comment, _("Vous ne pouvez modifier que vos propres commentaires.")
    )
    body = _comment_body_clean(body)
    newly_mentioned = mentioned_ids(body) - mentioned_ids(comment.body)
    with transaction.atomic():
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        transaction.on_commit(lambda: _notify_mentions(actor, comment, newly_mentioned))
    return comment


def comment_delete(*, actor: Member, comment: Comment) -> None:
    _require_comment_author(
        actor, comment, _("Vous ne pouvez supprimer que vos propres commentaires.")
    )
    with transaction.atomic():
        subject_type = _INITIATIVE if comment.initiative_id else _NEED
        subject_id = comment.initiative_id or comment.need_id
        details = {"comment": comment.pk}
        comment.delete()
        record(
            member=actor,
            kind=ContributionKind.COMMENTED,
            subject_type=subject_type,
            subject_id=subject_id,
            undo=True,
            details=details,
        )


# Moderation.


def _target_author(target_type: str, target):
    if target_type == ReportTarget.INITIATIVE:
        return target.proposer
    return target.author


def report_create(*, actor: Member, target_type: str, target, reason: str) -> Report:
    """Any member asks the animation team to look at an initiative, a need or a comment."""
    if target_type not in ReportTarget.values:
        raise ValidationError(
            _("On ne peut signaler qu’une initiative, un besoin ou un commentaire.")
        )
    reason = _text(reason)
    if not reason:
        raise ValidationError(
            {"reason": _("Dites ce qui pose problème, pour aider l’équipe d’animation.")}
        )
    if len(reason) > 2000:
        raise ValidationError({"reason": _("La raison ne doit pas dépasser 2 000 caractères.")})
    with transaction.atomic():
        if Report.objects.filter(
            reporter=actor,
            target_type=target_type,
            resolved_at__isnull=True,
            **{target_type: target},
        ).exists():
            raise ValidationError(
                {
                    "reason": _(
                        "Vous avez déjà signalé ce contenu : l’équipe d’animation va le regarder."
                    )
                }
            )
        return Report.objects.create(
            target_type=target_type, reporter=actor, reason=reason, **{target_type: target}
        )


def _moderate(*, actor: Member, target_type: str, target, hide: bool, note: str):
    _require_animation_team(
        actor, _("Seule l’équipe d’animation peut masquer ou rétablir un contenu.")
    )
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Ajoutez une note qui explique cette décision.")})
    if target_type not in ReportTarget.values:
        raise ValidationError(
            _("On ne peut modérer qu’une initiative, un besoin ou un commentaire.")
        )
    with transaction.atomic():
        now = timezone.now()
        changed = type(target).objects.filter(pk=target.pk, hidden=not hide).update(hidden=hide)
        if not changed:
            raise ValidationError(
                _("Ce contenu est déjà masqué.") if hide else _("Ce contenu est déjà visible.")
            )
        target.hidden = hide
        ModerationAction.objects.create(
            action=ModerationActionKind(f"{target_type}.{'hidden' if hide else 'restored'}"),
            actor=actor,
            target_type=target_type,
            target_id=target.pk,
            note=note[:2000],
            at=now,
        )
        Report.objects.filter(
            target_type=target_type, resolved_at__isnull=True, **{target_type: target}
        ).update(resolved_at=now, resolved_by=actor)
        if target_type == ReportTarget.INITIATIVE:
            needs_refresh_state(_need_ids(target))
        author = _target_author(target_type, target)
        if hide and author is not None:
            title = target.subject.title if target_type == ReportTarget.COMMENT else target.title
            notify(
                author,
                "initiatives.content_hidden",
                {
                    "what": str(ReportTarget(target_type).label),
                    "title": title,
                    "note": note,
                    "url": target.get_absolute_url(),
                },
            )
    return target


def content_hide(*, actor: Member, target_type: str, target, note: str):
    return _moderate(actor=actor, target_type=target_type, target=target, hide=True, note=note)


def content_restore(*, actor: Member, target_type: str, target, note: str):
    return _moderate(actor=actor, target_type=target_type, target=target, hide=False, note=note)


def report_dismiss(*, actor: Member, report: Report, note: str = "") -> Report:
    """The content stays as it is; the report leaves the queue."""
    _require_animation_team(actor, _("Seule l’équipe d’animation peut classer un signalement."))
    with transaction.atomic():
        now = timezone.now()
        dismissed = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        if not dismissed:
            raise ValidationError(_("Ce signalement a déjà été traité."))
        ModerationAction.objects.create(
            action=ModerationActionKind.REPORT_DISMISSED,
            actor=actor,
            target_type="report",
            target_id=report.pk,
            note=_text(note)[:2000],
            at=now,
        )
    report.refresh_from_db()
    return report
