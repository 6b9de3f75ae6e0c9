"""Volunteer slots (the rota): adding them, signing up, withdrawing and swapping. A slot row
is locked while its places change, as the event row is for registrations."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ruche.core.text import text_errors
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.events.dates import when
from ruche.events.models import (
    Event,
    Shift,
    ShiftSignup,
)
from ruche.events.services.common import require_manager
from ruche.events.services.events import series_targets
from ruche.members.models import Member
from ruche.notifications.services import notify


def shift_create(
    *,
    actor: Member,
    event: Event,
    label: str,
    capacity: int,
    start: datetime.datetime,
    end: datetime.datetime,
    whole_series: bool = False,
) -> list[Shift]:
    """Adds a slot to the event, or to it and every coming occurrence of its series (at the
    same time relative to each occurrence's start)."""
    require_manager(actor, event)
    errors = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = _("Dites ce qu’il y a à faire, par exemple « préparer le café ».")
    elif len(label) > 150:
        errors["label"] = _("La tâche ne doit pas dépasser 150 caractères.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("Il faut au moins une personne par créneau.")
    elif capacity > 100:
        errors["capacity"] = _("Un créneau compte au plus 100 personnes.")
    if start is None or end is None:
        errors["start"] = _("Indiquez l’heure de début et de fin du créneau.")
    elif end <= start:
        errors["end"] = _("La fin du créneau doit être après son début.")
    elif end - start > datetime.timedelta(hours=24):
        errors["end"] = _("Un créneau dure au plus 24 heures.")
    errors.update(text_errors(lines={"label": (_("La tâche"), label)}))
    if errors:
        raise ValidationError(errors)
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé."))
    if event.is_over():
        raise ValidationError(_("Cet événement est passé."))
    offset = start - event.start
    duration = end - start
    with transaction.atomic():
        targets = [event]
        if whole_series and event.series_id:
            targets += [e for e in series_targets(event, timezone.now()) if e.pk != event.pk]
        return Shift.objects.bulk_create(
            [
                Shift(
                    event=target,
                    label=label,
                    capacity=capacity,
                    start=target.start + offset,
                    end=target.start + offset + duration,
                )
                for target in targets
            ]
        )


def shift_delete(*, actor: Member, shift: Shift) -> None:
    require_manager(actor, shift.event)
    with transaction.atomic():
        for signup in shift.signups.select_related("member"):
            _record_volunteered(signup.member, shift, undo=True)
        shift.delete()


def _record_volunteered(member: Member, shift: Shift, *, undo: bool = False) -> None:
    record(
        member=member,
        kind=ContributionKind.VOLUNTEERED,
        subject_type=SubjectType.SHIFT,
        subject_id=shift.pk,
        undo=undo,
        details={"event": shift.event_id, "label": shift.label},
    )


def _lock_shift(shift: Shift) -> Shift:
    return Shift.objects.select_for_update(of=("self",)).select_related("event").get(pk=shift.pk)


def _check_shift_open(shift: Shift, now: datetime.datetime) -> None:
    if shift.event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé."))
    if shift.start <= now:
        raise ValidationError(_("Ce créneau est passé."))


def shift_signup(*, actor: Member, shift: Shift) -> ShiftSignup:
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour prendre un créneau."))
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(shift)
        _check_shift_open(shift, now)
        if ShiftSignup.objects.filter(shift=shift, member=actor).exists():
            raise ValidationError(_("Vous avez déjà pris ce créneau."))
        if ShiftSignup.objects.filter(shift=shift).count() >= shift.capacity:
            raise ValidationError(_("Ce créneau est complet. Merci quand même !"))
        try:
            with transaction.atomic():
                signup = ShiftSignup.objects.create(shift=shift, member=actor, created_at=now)
        except IntegrityError:
            raise ValidationError(_("Vous avez déjà pris ce créneau.")) from None
        _record_volunteered(actor, shift)
    return signup


def shift_withdraw(*, actor: Member, shift: Shift) -> None:
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(shift)
        signup = ShiftSignup.objects.filter(shift=shift, member=actor).first()
        if signup is None:
            raise ValidationError(_("Vous n’avez pas pris ce créneau."))
        if shift.start <= now:
            raise ValidationError(_("Ce créneau est passé."))
        signup.delete()
        _record_volunteered(actor, shift, undo=True)


def shift_swap_offer(*, actor: Member, shift: Shift, offered: bool = True) -> ShiftSignup:
    """Offers the member's place on a slot to anyone (or, with offered=False, takes the offer
    back). The member keeps the slot until someone accepts."""
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(shift)
        _check_shift_open(shift, now)
        signup = ShiftSignup.objects.filter(shift=shift, member=actor).first()
        if signup is None:
            raise ValidationError(_("Vous n’avez pas pris ce créneau."))
        signup.swap_offered_at = now if offered else None
        signup.save(update_fields=["swap_offered_at"])
    return signup


def shift_swap_accept(*, actor: Member, signup: ShiftSignup) -> ShiftSignup:
    """Takes over a place someone offers: one conditional update moves the slot, so two
    members accepting at once cannot both get it."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour reprendre un créneau."))
    now = timezone.now()
    gone = _("Cet échange n’est plus proposé : quelqu’un l’a peut-être déjà repris.")
    with transaction.atomic():
        shift = _lock_shift(signup.shift)
        _check_shift_open(shift, now)
        current = ShiftSignup.objects.select_related("member").filter(pk=signup.pk).first()
        if current is None or current.swap_offered_at is None:
            raise ValidationError(gone)
        if current.member_id == actor.pk:
            raise ValidationError(_("C’est votre propre créneau."))
        if ShiftSignup.objects.filter(shift=shift, member=actor).exists():
            raise ValidationError(_("Vous avez déjà pris ce créneau."))
        offerer = current.member
        moved = ShiftSignup.objects.filter(
            pk=current.pk, member=offerer, swap_offered_at__isnull=False
        ).update(member=actor, swap_offered_at=None, created_at=now, reminded_at=None)
        if moved != 1:
            raise ValidationError(gone)
        _record_volunteered(offerer, shift, undo=True)
        _record_volunteered(actor, shift)
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "name": actor.display_name,
                "label": shift.label,
                "when": when(shift.start, shift.end),
                "url": shift.event.get_absolute_url(),
            }
        notify(offerer, "events.shift_swap_taken", context)
    current.refresh_from_db()
    return current
