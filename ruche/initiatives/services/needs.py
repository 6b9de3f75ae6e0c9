"""Needs (problems members meet): raising, editing, « moi aussi », closing, and the state
they take from the initiatives that address them."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.core.text import refuse_control_characters
from ruche.engagement.enums import ContributionKind
from ruche.initiatives.enums import InitiativeStatus, NeedState
from ruche.initiatives.models import Initiative, Need, NeedSupport
from ruche.initiatives.services.common import (
    clean_into,
    create_once,
    delete_or_refuse,
    description_clean,
    ledger,
    text,
    title_clean,
)
from ruche.members.enums import Domaine
from ruche.members.models import Incubator, Member
from ruche.notifications.services import notify_many

# A message the forms reuse, so that a page and the API say the same thing.
NEED_TITLE_REQUIRED = gettext_lazy("Donnez un titre au besoin : le problème en une phrase.")


def needs_refresh_state(need_ids: Iterable[int]) -> None:
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


def linked_need_ids(initiative: Initiative) -> list[int]:
    return list(initiative.needs.values_list("pk", flat=True))


def need_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "title" in fields:
        clean_into(cleaned, errors, "title", title_clean, fields["title"], NEED_TITLE_REQUIRED)
    if "description" in fields:
        clean_into(cleaned, errors, "description", description_clean, fields["description"])
    if "domaine" in fields:
        domaine = text(fields["domaine"])
        if domaine and domaine not in Domaine.values:
            errors["domaine"] = _("Domaine inconnu : choisissez-en un dans la liste.")
        cleaned["domaine"] = domaine
    incubator = fields.get("incubator")
    if incubator is not None and not isinstance(incubator, Incubator):
        errors["incubator"] = _("Incubateur inconnu.")
    if "anonymous" in fields:
        cleaned["anonymous"] = bool(fields["anonymous"])
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
    anonymous: bool = False,
) -> Need:
    """`anonymous`: other members will not see who raised it."""
    cleaned = need_fields_clean(
        {
            "title": title,
            "description": description,
            "incubator": incubator,
            "domaine": domaine,
            "anonymous": anonymous,
        }
    )
    with transaction.atomic():
        need = Need.objects.create(author=actor, **cleaned)
        ledger(actor, ContributionKind.RAISED_NEED, need)
        notify_many(
            Member.objects.filter(is_active=True).exclude(pk=actor.pk),
            "initiatives.new_need",
            {"title": need.title, "url": need.get_absolute_url()},
        )
    return need


def need_update(*, actor: Member, need: Need, fields: dict[str, Any]) -> Need:
    if not need.can_be_managed_by(actor):
        raise PermissionDenied(
            _(
                "Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, peut le "
                "modifier."
            )
        )
    cleaned = need_fields_clean(fields)
    if cleaned.get("anonymous", need.anonymous) != need.anonymous and need.author_id != actor.pk:
        raise PermissionDenied(
            _("Seule la personne qui a exprimé ce besoin choisit d’y rester anonyme ou non.")
        )
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
        support = create_once(
            NeedSupport, _("Vous avez déjà dit « moi aussi » pour ce besoin."),
            need=need, member=actor,
        )  # fmt: skip
        ledger(actor, ContributionKind.NEED_SUPPORTED, need)
    return support


def need_unsupport(*, actor: Member, need: Need) -> None:
    with transaction.atomic():
        delete_or_refuse(
            NeedSupport.objects.filter(need=need, member=actor),
            _("Vous n’aviez pas dit « moi aussi » pour ce besoin."),
        )
        ledger(actor, ContributionKind.NEED_SUPPORTED, need, undo=True)


def need_close(*, actor: Member, need: Need, reason: str) -> Need:
    if not need.can_be_managed_by(actor):
        raise PermissionDenied(
            _("Seule la personne qui a exprimé ce besoin, ou l’équipe d’animation, peut le clore.")
        )
    reason = text(reason)
    refuse_control_characters(paragraphs={"reason": (_("La raison"), reason)})
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
