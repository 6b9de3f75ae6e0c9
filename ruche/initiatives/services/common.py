"""What every part of the initiatives services shares: who may act, writing to the
ledger, rows allowed once, and the text checks that initiatives and needs both use."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from ruche.core.text import Label, refuse_control_characters
from ruche.engagement.enums import SubjectType
from ruche.engagement.services import record
from ruche.initiatives.models import TITLE_MAX_LENGTH, Initiative, Need
from ruche.members.models import Member

TEXT_MAX_LENGTH = 20_000


# Permission helpers.


def require_manager(actor: Member, initiative: Initiative, message: str) -> None:
    if not initiative.can_be_managed_by(actor):
        raise PermissionDenied(message)


def require_lead(actor: Member, initiative: Initiative, message: str) -> None:
    if not initiative.is_led_by(actor):
        raise PermissionDenied(message)


def require_animation_team(actor: Member, message: str) -> None:
    if not getattr(actor, "is_animation_team", False):
        raise PermissionDenied(message)


def ledger(member: Member, kind: str, subject: Initiative | Need, **kwargs: Any) -> None:
    subject_type = SubjectType.INITIATIVE if isinstance(subject, Initiative) else SubjectType.NEED
    record(member=member, kind=kind, subject_type=subject_type, subject_id=subject.pk, **kwargs)


def create_once[M: Model](
    model: type[M],
    already: Label | dict[str, Label],
    *,
    extra: dict[str, Any] | None = None,
    **unique: Any,
) -> M:
    """Creates the row that a unique constraint on `unique` allows once; a second one, even sent
    at the same instant, is refused with `already`. Call it inside the caller's transaction."""
    if model._default_manager.filter(**unique).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            return model._default_manager.create(**unique, **(extra or {}))
    except IntegrityError:
        raise ValidationError(already) from None


def delete_or_refuse(queryset: QuerySet[Any], missing: Label) -> None:
    deleted, _details = queryset.delete()
    if not deleted:
        raise ValidationError(missing)


def locked(initiative: Initiative) -> Initiative:
    """The initiative row, locked until the end of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


# Validation shared by forms and the API.


def text(value: object) -> str:
    return str(value if value is not None else "").strip()


def title_clean(value: object, required: Label) -> str:
    title = text(value)
    refuse_control_characters(lines={"title": (_("Le titre"), title)})
    if not title:
        raise ValidationError(str(required))
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("Le titre ne doit pas dépasser %(max)d caractères (il en compte %(count)d).")
            % {"max": TITLE_MAX_LENGTH, "count": len(title)}
        )
    return title


def description_clean(value: str | None) -> str:
    description = value or ""
    refuse_control_characters(paragraphs={"description": (_("La description"), description)})
    if len(description) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("La description ne doit pas dépasser %(max)d caractères.") % {"max": TEXT_MAX_LENGTH}
        )
    return description


def clean_into(
    cleaned: dict[str, Any],
    errors: dict[str, str],
    name: str,
    clean: Callable[..., object],
    *args: Any,
) -> None:
    """cleaned[name] = clean(*args), or the error under `name`."""
    try:
        cleaned[name] = clean(*args)
    except ValidationError as error:
        errors[name] = error.messages[0]
