"""What every part of the initiatives services shares: who may act, writing to the
ledger, rows allowed once, and the text checks that initiatives and needs both use."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters
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


def ledger(member: Member, kind: str, subject: Initiative | Need, **kwargs) -> None:
    subject_type = SubjectType.INITIATIVE if isinstance(subject, Initiative) else SubjectType.NEED
    record(member=member, kind=kind, subject_type=subject_type, subject_id=subject.pk, **kwargs)


def create_once(model, already, *, extra: dict | None = None, **unique):
    """Creates the row that a unique constraint on `unique` allows once; a second one, even sent
    at the same instant, is refused with `already`. Call it inside the caller's transaction."""
    if model.objects.filter(**unique).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            return model.objects.create(**unique, **(extra or {}))
    except IntegrityError:
        raise ValidationError(already) from None


def delete_or_refuse(queryset, missing: str) -> None:
    deleted, _details = queryset.delete()
    if not deleted:
        raise ValidationError(missing)


def locked(initiative: Initiative) -> Initiative:
    """The initiative row, locked until the end of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


# Validation shared by forms and the API.


def text(value) -> str:
    return str(value if value is not None else "").strip()


def title_clean(value, required: str) -> str:
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


def description_clean(value) -> str:
    description = value or ""
    refuse_control_characters(paragraphs={"description": (_("La description"), description)})
    if len(description) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("La description ne doit pas dépasser %(max)d caractères.") % {"max": TEXT_MAX_LENGTH}
        )
    return description


def clean_into(cleaned: dict, errors: dict, name: str, clean, *args) -> None:
    """cleaned[name] = clean(*args), or the error under `name`."""
    try:
        cleaned[name] = clean(*args)
    except ValidationError as error:
        errors[name] = error.messages[0]
