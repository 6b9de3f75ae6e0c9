"""Registrations with a waiting list, and attendance.

Capacity holds under concurrency because every change to who holds a place happens with the
event row locked inside one transaction: SELECT … FOR UPDATE on PostgreSQL; on SQLite
transactions are IMMEDIATE (settings), so writers queue on the database lock. The unique
constraint on (event, member) makes a double submission harmless."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.events.enums import RsvpStatus
from ruche.events.models import (
    Event,
    Rsvp,
)
from ruche.events.services.common import event_context, require_manager
from ruche.members.models import Member
from ruche.notifications.services import notify


def _check_open(event: Event, now: datetime.datetime) -> None:
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : les inscriptions sont fermées."))
    if event.has_started(now):
        raise ValidationError(
            _("Cet événement a déjà commencé ou est passé : les inscriptions sont fermées.")
        )


def rsvp_register(*, actor: Member, event: Event) -> Rsvp:
    """Registers the member: a place if one is free, else the end of the waiting list."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour vous inscrire."))
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_open(event, now)
        rsvp = Rsvp.objects.filter(event=event, member=actor).first()
        if rsvp is not None and rsvp.status == RsvpStatus.CONFIRMED:
            raise ValidationError(_("Vous êtes déjà inscrit·e à cet événement."))
        if rsvp is not None and rsvp.status == RsvpStatus.WAITLISTED:
            raise ValidationError(
                _("Vous êtes déjà sur la liste d’attente, en position %(position)s.")
                % {"position": rsvp.position}
            )
        confirmed = Rsvp.objects.filter(event=event, status=RsvpStatus.CONFIRMED).count()
        queue = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).exists()
        has_room = (event.capacity is None or confirmed < event.capacity) and not queue
        event.queue_counter += 1
        Event.objects.filter(pk=event.pk).update(queue_counter=event.queue_counter)
        status = RsvpStatus.CONFIRMED if has_room else RsvpStatus.WAITLISTED
        values = {
            "status": status,
            "queue_number": event.queue_counter,
            "registered_at": now,
            "confirmed_at": now if has_room else None,
            "cancelled_at": None,
            "reminded_at": None,
        }
        if rsvp is None:
            rsvp = Rsvp.objects.create(event=event, member=actor, **values)
        else:
            for name, value in values.items():
                setattr(rsvp, name, value)
            rsvp.save()
        if has_room:
            _record_registered(rsvp)
    return rsvp


def _record_registered(rsvp: Rsvp, *, undo: bool = False) -> None:
    record(
        member=rsvp.member,
        kind=ContributionKind.REGISTERED,
        subject_type=SubjectType.EVENT,
        subject_id=rsvp.event_id,
        undo=undo,
    )


def rsvp_cancel(*, actor: Member, event: Event) -> Rsvp:
    """Takes the member off the event (or its waiting list); a freed place goes to the first
    person waiting, who is told."""
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        rsvp = (
            Rsvp.objects.filter(event=event, member=actor)
            .exclude(status=RsvpStatus.CANCELLED)
            .select_related("member")
            .first()
        )
        if rsvp is None:
            raise ValidationError(_("Vous n’êtes pas inscrit·e à cet événement."))
        if event.is_cancelled:
            raise ValidationError(_("Cet événement est annulé : inutile de vous désinscrire."))
        if event.has_started(now):
            raise ValidationError(
                _("Cet événement a déjà commencé : il n’est plus possible de se désinscrire.")
            )
        was_confirmed = rsvp.status == RsvpStatus.CONFIRMED
        rsvp.status = RsvpStatus.CANCELLED
        rsvp.cancelled_at = now
        rsvp.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            _record_registered(rsvp, undo=True)
            _fill_free_places(event, now)
    return rsvp


def _fill_free_places(event: Event, now: datetime.datetime) -> list[Rsvp]:
    """Promotes the first people waiting into free places, in order, and tells them. The
    caller holds the event row lock."""
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).order_by(
        "queue_number"
    )
    if event.capacity is not None:
        confirmed = Rsvp.objects.filter(event=event, status=RsvpStatus.CONFIRMED).count()
        free = event.capacity - confirmed
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("member"))
    for rsvp in promoted:
        rsvp.status = RsvpStatus.CONFIRMED
        rsvp.confirmed_at = now
        rsvp.save(update_fields=["status", "confirmed_at"])
        _record_registered(rsvp)
        notify(rsvp.member, "events.rsvp_promoted", event_context(event))
    return promoted


def capacity_apply(event: Event, old_capacity: int | None, now: datetime.datetime) -> None:
    """After a capacity change (event row locked): more places promote people waiting, in
    order; fewer places send the last people confirmed back to the head of the waiting list,
    still in order of arrival, and tell them."""
    if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
        _fill_free_places(event, now)
        return
    confirmed = Rsvp.objects.filter(event=event, status=RsvpStatus.CONFIRMED)
    extra = confirmed.count() - event.capacity
    if extra <= 0:
        return
    demoted = list(confirmed.order_by("-queue_number").select_related("member")[:extra])
    for rsvp in demoted:
        rsvp.status = RsvpStatus.WAITLISTED
        rsvp.confirmed_at = None
        rsvp.save(update_fields=["status", "confirmed_at"])
        _record_registered(rsvp, undo=True)
    for rsvp in demoted:
        notify(
            rsvp.member,
            "events.rsvp_waitlisted",
            event_context(event, position=rsvp.position),
        )


def rsvp_attendance_set(*, actor: Member, event: Event, present: Iterable[int]) -> int:
    """Marks who came (member ids among those registered); returns how many came."""
    require_manager(actor, event)
    if not event.has_started():
        raise ValidationError(_("La présence se note une fois l’événement commencé."))
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé."))
    present = set(present)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        rsvps = list(
            Rsvp.objects.filter(event=event, status=RsvpStatus.CONFIRMED).select_related("member")
        )
        for rsvp in rsvps:
            came = rsvp.member_id in present
            if rsvp.attended == came:
                continue
            if came or rsvp.attended:
                record(
                    member=rsvp.member,
                    kind=ContributionKind.ATTENDED,
                    subject_type=SubjectType.EVENT,
                    subject_id=event.pk,
                    undo=not came,
                )
            rsvp.attended = came
            rsvp.save(update_fields=["attended"])
    return sum(1 for rsvp in rsvps if rsvp.attended)
