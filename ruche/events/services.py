"""Events: publishing and changing them, registrations with a waiting list, volunteer slots,
invited speakers, personal calendar feeds and reminders.

Capacity holds under concurrency because every change to who holds a place happens with the
event (or slot) row locked inside one transaction: SELECT … FOR UPDATE on PostgreSQL; on SQLite
transactions are IMMEDIATE (settings), so writers queue on the database lock. The unique
constraint on (event, member) makes a double submission harmless."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ruche.accounts.models import hash_secret, new_secret
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.events import ics
from ruche.events.dates import when
from ruche.events.enums import EventKind, EventStatus, RsvpStatus, SpeakerStatus
from ruche.events.models import (
    Event,
    EventPreferences,
    EventSeries,
    Rsvp,
    Shift,
    ShiftSignup,
    Speaker,
)
from ruche.events.recurrence import parse_rule
from ruche.members.models import Member
from ruche.notifications.services import notify, notify_address

MAX_DURATION = datetime.timedelta(days=14)
REMINDER_LEAD = datetime.timedelta(hours=24)
# Fields whose change calendars must show (SEQUENCE goes up).
CALENDAR_FIELDS = {"title", "description", "start", "end", "location", "online_url", "kind"}
# Fields whose change registered members are told about.
NOTIFIED_FIELDS = {"start", "end", "location", "online_url"}
EDITABLE_FIELDS = {
    "title",
    "kind",
    "description",
    "start",
    "end",
    "location",
    "online_url",
    "capacity",
    "is_public",
    "incubator",
    "initiative",
}
SERIES_FIELDS = EDITABLE_FIELDS - {"start", "end"}


# ---------------------------------------------------------------------------------------------
# Permissions


def can_manage(member, event: Event) -> bool:
    """Organisers of the event, the animation team and admins."""
    if member is None or not member.is_authenticated:
        return False
    if member.is_staff or member.is_animation_team:
        return True
    return any(organiser.pk == member.pk for organiser in event.organisers.all())


def _require_manager(actor, event: Event) -> None:
    if not can_manage(actor, event):
        raise PermissionDenied(
            _("Seules les personnes qui organisent cet événement peuvent faire cela.")
        )


def can_view(member, event: Event) -> bool:
    return event.is_public or (member is not None and member.is_authenticated)


# ---------------------------------------------------------------------------------------------
# Helpers


def event_context(event: Event, **extra) -> dict:
    """What notifications about an event say, in the site's language (stored as JSON)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "event_id": event.pk,
            "title": event.title,
            "when": when(event.start, event.end),
            "location": event.location,
            "online_url": event.online_url,
            "url": event.get_absolute_url(),
            **extra,
        }


def _validate(fields: dict, *, now, is_new: bool, current: Event | None = None) -> dict:
    """Checks and normalises event fields; raises one ValidationError naming each bad field."""
    errors = {}
    clean = dict(fields)
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            errors["title"] = _("Donnez un titre à l’événement.")
        elif len(title) > 200:
            errors["title"] = _("Le titre ne doit pas dépasser 200 caractères.")
        clean["title"] = title
    if "kind" in fields and fields["kind"] not in EventKind.values:
        errors["kind"] = _("Type d’événement inconnu : « %(kind)s ».") % {"kind": fields["kind"]}
    for name in ("start", "end"):
        if name in fields:
            value = fields[name]
            if value is None:
                errors[name] = (
                    _("Indiquez la date et l’heure de début.")
                    if name == "start"
                    else _("Indiquez la date et l’heure de fin.")
                )
            elif timezone.is_naive(value):
                errors[name] = _(
                    "Précisez le fuseau horaire de la date (par exemple 2027-01-05T09:00:00+01:00)."
                )
    start = clean.get("start", current.start if current else None)
    end = clean.get("end", current.end if current else None)
    if start and end and "start" not in errors and "end" not in errors:
        if end <= start:
            errors["end"] = _("La fin doit être après le début.")
        elif end - start > MAX_DURATION:
            errors["end"] = _("Un événement dure au plus 14 jours.")
        if "start" in fields and start < now and (is_new or start != current.start):
            errors["start"] = _("La date de début est passée : choisissez une date à venir.")
    if "capacity" in fields:
        capacity = fields["capacity"]
        if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
            errors["capacity"] = _(
                "Le nombre de places doit être d’au moins 1. Laissez le champ vide pour un "
                "nombre illimité."
            )
    if "location" in fields:
        clean["location"] = (fields["location"] or "").strip()
        if len(clean["location"]) > 300:
            errors["location"] = _("Le lieu ne doit pas dépasser 300 caractères.")
    if "online_url" in fields:
        url = (fields["online_url"] or "").strip()
        clean["online_url"] = url
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["online_url"] = _(
                    "Saisissez une adresse web complète, par exemple https://webinaire.numerique.gouv.fr/…"
                )
    location = clean.get("location", current.location if current else "")
    online_url = clean.get("online_url", current.online_url if current else "")
    if not location and not online_url and "location" not in errors:
        errors["location"] = _("Indiquez un lieu, un lien de visioconférence, ou les deux.")
    if "description" in fields:
        clean["description"] = fields["description"] or ""
        if len(clean["description"]) > 20000:
            errors["description"] = _("La description ne doit pas dépasser 20 000 caractères.")
    if errors:
        raise ValidationError(errors)
    return clean


def _refuse_group(group) -> None:
    if group is not None:
        raise ValidationError(
            {
                "group": _(
                    "Les groupes de travail n’existent pas encore dans Ruche : un événement ne "
                    "peut pas encore leur être rattaché. Laissez ce champ vide."
                )
            }
        )


def _check_initiative(actor, initiative) -> None:
    """An event joins an initiative its organiser carries or has joined (the animation team
    may attach any)."""
    if initiative is None:
        return
    Initiative = Event._meta.get_field("initiative").related_model
    visible = Initiative.objects.visible().filter(pk=initiative.pk)
    if not visible.exists():
        raise ValidationError({"initiative": _("Cette initiative n’existe pas ou plus.")})
    if actor.is_animation_team or actor.is_staff:
        return
    if not visible.involving(actor).exists():
        raise ValidationError(
            {
                "initiative": _(
                    "Seules les personnes qui portent ou ont rejoint cette initiative peuvent y "
                    "rattacher un événement."
                )
            }
        )


def _record_organised(members: Iterable[Member], event: Event, *, undo=False, **details):
    for member in members:
        record(
            member=member,
            kind=ContributionKind.ORGANISED,
            subject_type=SubjectType.EVENT,
            subject_id=event.pk,
            undo=undo,
            details=details,
        )


# ---------------------------------------------------------------------------------------------
# Events


def event_create(
    *,
    actor: Member,
    title: str,
    kind: str,
    start: datetime.datetime,
    end: datetime.datetime,
    description: str = "",
    location: str = "",
    online_url: str = "",
    capacity: int | None = None,
    is_public: bool = False,
    incubator=None,
    co_organisers: Iterable[Member] = (),
    recurrence: str = "",
    initiative=None,
    group=None,
) -> Event:
    """Publishes an event, or a series when `recurrence` (RRULE text) is given; returns the
    event, or the series' first occurrence."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour publier un événement."))
    now = timezone.now()
    _refuse_group(group)
    _check_initiative(actor, initiative)
    fields = _validate(
        {
            "title": title,
            "kind": kind,
            "start": start,
            "end": end,
            "description": description,
            "location": location,
            "online_url": online_url,
            "capacity": capacity,
        },
        now=now,
        is_new=True,
    )
    rule = parse_rule(recurrence, start=fields["start"]) if recurrence.strip() else None
    organisers = [actor, *(m for m in co_organisers if m.pk != actor.pk)]
    with transaction.atomic():
        common = {
            **fields,
            "is_public": is_public,
            "incubator": incubator,
            "initiative": initiative,
            "created_by": actor,
        }
        if rule is None:
            event = Event.objects.create(**common)
            event.organisers.set(organisers)
            _record_organised(organisers, event)
            return event
        duration = fields["end"] - fields["start"]
        dates = rule.occurrences(fields["start"])
        series = EventSeries.objects.create(
            rrule=rule.as_text(), dtstart=dates[0], created_by=actor
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    **{**common, "start": date, "end": date + duration},
                    series=series,
                    recurrence_id=date,
                )
                for date in dates
            ]
        )
        Through = Event.organisers.through
        Through.objects.bulk_create(
            [Through(event_id=event.pk, member_id=m.pk) for event in events for m in organisers]
        )
        first = events[0]
        _record_organised(organisers, first, series=series.pk, occurrences=len(events))
        return first


def _series_targets(event: Event, now) -> list[Event]:
    """The coming, scheduled occurrences of the event's series (a change to "the whole
    series" leaves the past alone)."""
    return list(
        Event.objects.filter(series_id=event.series_id, status=EventStatus.SCHEDULED)
        .filter(start__gte=now)
        .order_by("start")
    )


def event_update(
    *,
    actor: Member,
    event: Event,
    changes: dict,
    co_organisers: Iterable[Member] | None = None,
    whole_series: bool = False,
) -> Event:
    """Changes an event (or, with whole_series, every coming occurrence of its series; dates
    are then left as they are). Registered members are told when the date or place changes;
    calendars see a new SEQUENCE."""
    _require_manager(actor, event)
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : il ne peut plus être modifié."))
    changes = dict(changes)
    _refuse_group(changes.pop("group", None))
    if changes.get("initiative") is not None and changes["initiative"] != event.initiative:
        _check_initiative(actor, changes["initiative"])
    if changes.pop("recurrence", None):
        raise ValidationError(
            {
                "recurrence": _(
                    "La répétition d’une série ne se modifie pas : déplacez ou annulez des dates, "
                    "ou créez une nouvelle série."
                )
            }
        )
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Champs inconnus : %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if whole_series and event.series_id is None:
        whole_series = False
    if whole_series and {"start", "end"} & set(changes):
        raise ValidationError(
            {
                "start": _(
                    "Les dates se changent une par une : modifiez l’occurrence à déplacer "
                    "plutôt que toute la série."
                )
            }
        )
    now = timezone.now()
    if event.is_over(now) and {"start", "end"} & set(changes):
        raise ValidationError({"start": _("Cet événement est passé : sa date ne change plus.")})
    with transaction.atomic():
        targets = _series_targets(event, now) if whole_series else [event]
        if not targets:
            raise ValidationError(_("Aucune date à venir dans cette série."))
        changed_any = False
        for target in targets:
            locked = Event.objects.select_for_update().get(pk=target.pk)
            fields = _validate(changes, now=now, is_new=False, current=locked)
            fields = {k: v for k, v in fields.items() if getattr(locked, k) != v}
            if co_organisers is not None:
                _set_organisers(locked, co_organisers)
            if not fields:
                continue
            changed_any = True
            old_capacity = locked.capacity
            for name, value in fields.items():
                setattr(locked, name, value)
            if CALENDAR_FIELDS & set(fields):
                locked.sequence += 1
            locked.save()
            if "capacity" in fields:
                _apply_capacity(locked, old_capacity, now)
            if NOTIFIED_FIELDS & set(fields) and not locked.is_over(now):
                for rsvp in locked.rsvps.active().select_related("member"):
                    notify(rsvp.member, "events.changed", event_context(locked))
        if changed_any and event.series_id:
            EventSeries.objects.filter(pk=event.series_id).update(sequence=F("sequence") + 1)
    event.refresh_from_db()
    return event


def _set_organisers(event: Event, co_organisers: Iterable[Member]) -> None:
    wanted = {event.created_by_id: event.created_by}
    wanted.update({m.pk: m for m in co_organisers})
    current = {m.pk: m for m in event.organisers.all()}
    added = [m for pk, m in wanted.items() if pk not in current]
    removed = [m for pk, m in current.items() if pk not in wanted]
    if added:
        event.organisers.add(*added)
        _record_organised(added, event)
    if removed:
        event.organisers.remove(*removed)
        _record_organised(removed, event, undo=True)


def event_cancel(
    *, actor: Member, event: Event, message: str = "", whole_series: bool = False
) -> Event:
    """Cancels an event (or every coming date of its series) and tells everyone registered,
    with the organisers' message."""
    _require_manager(actor, event)
    now = timezone.now()
    message = (message or "").strip()
    if len(message) > 5000:
        raise ValidationError({"message": _("Le message ne doit pas dépasser 5 000 caractères.")})
    if not whole_series or event.series_id is None:
        if event.is_cancelled:
            raise ValidationError(_("Cet événement est déjà annulé."))
        if event.is_over(now):
            raise ValidationError(_("Cet événement est passé : il ne peut plus être annulé."))
    with transaction.atomic():
        targets = _series_targets(event, now) if whole_series and event.series_id else [event]
        for target in targets:
            locked = Event.objects.select_for_update().get(pk=target.pk)
            if locked.is_cancelled:
                continue
            locked.status = EventStatus.CANCELLED
            locked.cancelled_at = now
            locked.cancellation_message = message
            locked.sequence += 1
            locked.save()
            for rsvp in locked.rsvps.active().select_related("member"):
                notify(rsvp.member, "events.cancelled", event_context(locked, message=message))
        if event.series_id:
            EventSeries.objects.filter(pk=event.series_id).update(sequence=F("sequence") + 1)
    event.refresh_from_db()
    return event


# ---------------------------------------------------------------------------------------------
# Registrations


def _check_open(event: Event, now) -> None:
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


def _fill_free_places(event: Event, now) -> list[Rsvp]:
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


def _apply_capacity(event: Event, old_capacity: int | None, now) -> None:
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
    _require_manager(actor, event)
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


# ---------------------------------------------------------------------------------------------
# Volunteer slots


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
    _require_manager(actor, event)
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
            targets += [e for e in _series_targets(event, timezone.now()) if e.pk != event.pk]
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
    _require_manager(actor, shift.event)
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


def _check_shift_open(shift: Shift, now) -> None:
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
        ).update(member=actor, swap_offered_at=None, created_at=now)
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


# ---------------------------------------------------------------------------------------------
# Speakers


def speaker_invite(
    *,
    actor: Member,
    event: Event,
    name: str,
    email: str,
    bio: str = "",
    talk_title: str = "",
) -> Speaker:
    """Invites someone to speak: they get an e-mail with the event, a calendar file and a
    private link to answer (no account needed)."""
    _require_manager(actor, event)
    errors = {}
    name = (name or "").strip()
    email = (email or "").strip().lower()
    if not name:
        errors["name"] = _("Indiquez le nom de la personne invitée.")
    elif len(name) > 150:
        errors["name"] = _("Le nom ne doit pas dépasser 150 caractères.")
    try:
        EmailValidator()(email)
    except ValidationError:
        errors["email"] = _("Saisissez une adresse e-mail complète, par exemple nom@exemple.fr.")
    if len(talk_title or "") > 200:
        errors["talk_title"] = _("Le titre ne doit pas dépasser 200 caractères.")
    if errors:
        raise ValidationError(errors)
    if event.is_cancelled or event.is_over():
        raise ValidationError(_("On n’invite plus d’intervenant·e à un événement annulé ou passé."))
    if Speaker.objects.filter(event=event, email=email).exists():
        raise ValidationError({"email": _("Cette personne est déjà invitée à cet événement.")})
    secret = new_secret()
    with transaction.atomic():
        speaker = Speaker.objects.create(
            event=event,
            name=name,
            email=email,
            bio=(bio or "").strip(),
            talk_title=(talk_title or "").strip(),
            member=Member.objects.filter(email=email, is_active=True).first(),
            token_hash=hash_secret(secret),
            invited_by=actor,
        )
        attachment = ics.calendar([ics.event_component(event)]).decode()
        notify_address(
            email,
            name,
            "events.speaker_invitation",
            event_context(
                event,
                url=reverse("events:speaker-answer", args=[secret]),
                event_url=event.get_absolute_url(),
                inviter=actor.display_name,
                talk_title=speaker.talk_title,
            ),
            attachments=(("evenement.ics", attachment, "text/calendar"),),
        )
    return speaker


def speaker_find(*, secret: str) -> Speaker | None:
    return (
        Speaker.objects.select_related("event").filter(token_hash=hash_secret(secret or "")).first()
    )


def speaker_answer(
    *, secret: str, accept: bool, bio: str, talk_title: str | None = None
) -> Speaker:
    """The invited person confirms or declines, and may rewrite the bio shown on the event."""
    speaker = speaker_find(secret=secret)
    if speaker is None:
        raise PermissionDenied(_("Ce lien d’invitation n’est pas valable."))
    event = speaker.event
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : plus besoin de répondre."))
    if event.is_over():
        raise ValidationError(_("Cet événement est passé."))
    if len(bio or "") > 5000:
        raise ValidationError({"bio": _("La présentation ne doit pas dépasser 5 000 caractères.")})
    now = timezone.now()
    with transaction.atomic():
        speaker = (
            Speaker.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=speaker.pk)
        )
        previous = speaker.status
        speaker.status = SpeakerStatus.CONFIRMED if accept else SpeakerStatus.DECLINED
        speaker.bio = (bio or "").strip()
        if talk_title is not None:
            speaker.talk_title = talk_title.strip()[:200]
        speaker.responded_at = now
        speaker.save()
        spoke_changed = accept or previous == SpeakerStatus.CONFIRMED
        if speaker.member is not None and previous != speaker.status and spoke_changed:
            record(
                member=speaker.member,
                kind=ContributionKind.SPOKE,
                subject_type=SubjectType.EVENT,
                subject_id=event.pk,
                undo=not accept,
            )
        if previous != speaker.status:
            for organiser in event.organisers.all():
                notify(
                    organiser,
                    "events.speaker_answered",
                    event_context(event, name=speaker.name, accepted=accept),
                )
    return speaker


def speaker_remove(*, actor: Member, speaker: Speaker) -> None:
    _require_manager(actor, speaker.event)
    with transaction.atomic():
        if speaker.member_id and speaker.status == SpeakerStatus.CONFIRMED:
            record(
                member=speaker.member,
                kind=ContributionKind.SPOKE,
                subject_type=SubjectType.EVENT,
                subject_id=speaker.event_id,
                undo=True,
            )
        speaker.delete()


# ---------------------------------------------------------------------------------------------
# Personal calendar feed and reminders


def preferences_for(member: Member) -> EventPreferences:
    preferences, _created = EventPreferences.objects.get_or_create(member=member)
    return preferences


def preferences_update(*, actor: Member, reminders: bool) -> EventPreferences:
    with transaction.atomic():
        preferences = preferences_for(actor)
        preferences.reminders = reminders
        preferences.save(update_fields=["reminders"])
    return preferences


def calendar_feed_create(*, actor: Member) -> str:
    """A new secret link to the member's personal feed; any previous link stops working. The
    secret is shown once: only its hash is kept."""
    secret = new_secret()
    with transaction.atomic():
        preferences = preferences_for(actor)
        preferences.feed_token_hash = hash_secret(secret)
        preferences.feed_created_at = timezone.now()
        preferences.feed_used_at = None
        preferences.save()
    return secret


def calendar_feed_revoke(*, actor: Member) -> None:
    EventPreferences.objects.filter(member=actor).update(
        feed_token_hash=None, feed_created_at=None, feed_used_at=None
    )


def calendar_feed_member(*, secret: str) -> Member | None:
    preferences = (
        EventPreferences.objects.select_related("member")
        .filter(feed_token_hash=hash_secret(secret or ""), member__is_active=True)
        .first()
    )
    if preferences is None:
        return None
    now = timezone.now()
    if preferences.feed_used_at is None or now - preferences.feed_used_at > datetime.timedelta(
        hours=1
    ):
        EventPreferences.objects.filter(pk=preferences.pk).update(feed_used_at=now)
    return preferences.member


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Periodic: reminds registered members of events starting within a day. Each RSVP is
    claimed with a conditional update, so two runs (or two workers) remind once. Members who
    registered less than a day before are not reminded: they have just said yes."""
    now = now or timezone.now()
    due = (
        Rsvp.objects.filter(
            status=RsvpStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__status=EventStatus.SCHEDULED,
            event__start__gt=now,
            event__start__lte=now + REMINDER_LEAD,
            confirmed_at__lt=F("event__start") - REMINDER_LEAD,
            member__is_active=True,
        )
        .exclude(member__event_preferences__reminders=False)
        .select_related("event", "member")
    )
    sent = 0
    for rsvp in due[:1000]:
        with transaction.atomic():
            claimed = Rsvp.objects.filter(pk=rsvp.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            notify(
                rsvp.member,
                "events.reminder",
                event_context(rsvp.event, settings_url=reverse("events:my-agenda")),
            )
            sent += 1
    return sent
