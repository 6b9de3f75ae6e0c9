"""Publishing events (one date or a series), changing and cancelling them."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.text import refuse_control_characters, text_errors
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.services import record
from ruche.events.enums import EventKind, EventStatus
from ruche.events.models import Event, EventSeries, Rsvp, Shift, ShiftSignup
from ruche.events.recurrence import Rule, parse_rule
from ruche.events.services.common import event_context, people_concerned, require_manager
from ruche.events.services.registrations import capacity_apply
from ruche.groups.models import WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Incubator, Member
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Topic
from ruche.notifications.services import notify, notify_many

MAX_DURATION = datetime.timedelta(days=14)

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
    "group",
}


def _dates_errors(
    fields: dict[str, Any],
    clean: dict[str, Any],
    *,
    now: datetime.datetime,
    is_new: bool,
    current: Event | None,
) -> dict[str, str]:
    """What is wrong with the start and the end (the ones given, or the event's)."""
    errors: dict[str, str] = {}
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
        moved = is_new or current is None or start != current.start
        if "start" in fields and start < now and moved:
            errors["start"] = _("La date de début est passée : choisissez une date à venir.")
    return errors


def _place_errors(
    fields: dict[str, Any], clean: dict[str, Any], *, current: Event | None
) -> dict[str, str]:
    """What is wrong with the place and the online link; normalises both into `clean`."""
    errors: dict[str, str] = {}
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
    return errors


def event_fields_clean(
    fields: dict[str, Any],
    *,
    now: datetime.datetime,
    is_new: bool,
    current: Event | None = None,
) -> dict[str, Any]:
    """Checks and normalises event fields; raises one ValidationError naming each bad field.
    The event form runs it too, so that a person sees every problem at once."""
    errors: dict[str, str] = {}
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
    errors.update(_dates_errors(fields, clean, now=now, is_new=is_new, current=current))
    if "capacity" in fields:
        capacity = fields["capacity"]
        if capacity is not None and (not isinstance(capacity, int) or capacity < 1):
            errors["capacity"] = _(
                "Le nombre de places doit être d’au moins 1. Laissez le champ vide pour un "
                "nombre illimité."
            )
    errors.update(_place_errors(fields, clean, current=current))
    if "description" in fields:
        clean["description"] = fields["description"] or ""
        if len(clean["description"]) > 20000:
            errors["description"] = _("La description ne doit pas dépasser 20 000 caractères.")
    errors.update(
        text_errors(
            lines={
                "title": (_("Le titre"), clean.get("title")),
                "location": (_("Le lieu"), clean.get("location")),
                "online_url": (_("Le lien de visioconférence"), clean.get("online_url")),
            },
            paragraphs={"description": (_("La description"), clean.get("description"))},
        )
    )
    if errors:
        raise ValidationError(errors)
    return clean


def _check_group(actor: Member, group: WorkingGroup | None) -> None:
    """An event joins a working group its organiser belongs to (the animation team may attach
    any); an archived group takes no new events."""
    if group is None:
        return
    current = WorkingGroup.objects.active().filter(pk=group.pk)
    if not current.exists():
        raise ValidationError({"group": _("Ce groupe de travail n’existe pas ou plus.")})
    if actor.is_animation_team or actor.is_staff:
        return
    if not current.of_member(actor).exists():
        raise ValidationError(
            {
                "group": _(
                    "Seuls les membres de ce groupe peuvent y rattacher un événement : "
                    "rejoignez-le d’abord."
                )
            }
        )


def _check_initiative(actor: Member, initiative: Initiative | None) -> None:
    """An event joins an initiative its organiser carries or has joined (the animation team
    may attach any)."""
    if initiative is None:
        return
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


def _record_organised(
    members: Iterable[Member], event: Event, *, undo: bool = False, **details: Any
) -> None:
    for member in members:
        record(
            member=member,
            kind=ContributionKind.ORGANISED,
            subject_type=SubjectType.EVENT,
            subject_id=event.pk,
            undo=undo,
            details=details,
        )


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
    incubator: Incubator | None = None,
    co_organisers: Iterable[Member] = (),
    recurrence: str = "",
    initiative: Initiative | None = None,
    group: WorkingGroup | None = None,
) -> Event:
    """Publishes an event, or a series when `recurrence` (RRULE text) is given; returns the
    event, or the series' first occurrence."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Connectez-vous pour publier un événement."))
    now = timezone.now()
    _check_initiative(actor, initiative)
    _check_group(actor, group)
    fields = event_fields_clean(
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
            "group": group,
            "created_by": actor,
        }
        if rule is None:
            event = Event.objects.create(**common)
            event.organisers.set(organisers)
            _record_organised(organisers, event)
            _tell_the_community(actor, event)
            return event
        first = _series_create(actor, rule, common, organisers)
        _tell_the_community(actor, first)
        return first


def _series_create(
    actor: Member, rule: Rule, common: dict[str, Any], organisers: list[Member]
) -> Event:
    """Every date of the series at once; returns the first."""
    duration = common["end"] - common["start"]
    dates = rule.occurrences(common["start"])
    series = EventSeries.objects.create(rrule=rule.as_text(), dtstart=dates[0], created_by=actor)
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
    _record_organised(organisers, events[0], series=series.pk, occurrences=len(events))
    return events[0]


def _tell_the_community(actor: Member, event: Event) -> None:
    """A public event is news: for the chat rooms that announce them and the members who want
    community news as it comes (the others read it in the digest)."""
    if not event.is_public:
        return
    context = event_context(event)
    announce(
        topic=Topic.NEW_PUBLIC_EVENT,
        title=event.title,
        url=event.get_absolute_url(),
        summary=context["when"],
        incubator_id=event.incubator_id,
        group_id=event.group_id,
    )
    notify_many(
        Member.objects.filter(is_active=True).exclude(pk=actor.pk),
        "events.new_public_event",
        context,
    )


def series_targets(event: Event, now: datetime.datetime) -> list[Event]:
    """The coming, scheduled occurrences of the event's series (a change to "the whole
    series" leaves the past alone)."""
    return list(
        Event.objects.filter(series_id=event.series_id, status=EventStatus.SCHEDULED)
        .filter(start__gte=now)
        .order_by("start")
    )


def _update_checked(
    actor: Member, event: Event, changes: dict[str, Any], whole_series: bool
) -> tuple[dict[str, Any], bool]:
    """(changes, whole_series) once checked: links the actor may make, editable fields only,
    and dates changed one occurrence at a time."""
    changes = dict(changes)
    if changes.get("initiative") is not None and changes["initiative"] != event.initiative:
        _check_initiative(actor, changes["initiative"])
    if changes.get("group") is not None and changes["group"] != event.group:
        _check_group(actor, changes["group"])
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
    return changes, whole_series


def event_update(
    *,
    actor: Member,
    event: Event,
    changes: dict[str, Any],
    co_organisers: Iterable[Member] | None = None,
    whole_series: bool = False,
) -> Event:
    """Changes an event (or, with whole_series, every coming occurrence of its series; dates
    are then left as they are). Registered members and volunteers are told when the date or
    place changes; calendars see a new SEQUENCE."""
    require_manager(actor, event)
    if event.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : il ne peut plus être modifié."))
    changes, whole_series = _update_checked(actor, event, changes, whole_series)
    now = timezone.now()
    if event.is_over(now) and {"start", "end"} & set(changes):
        raise ValidationError({"start": _("Cet événement est passé : sa date ne change plus.")})
    with transaction.atomic():
        targets = series_targets(event, now) if whole_series else [event]
        if not targets:
            raise ValidationError(_("Aucune date à venir dans cette série."))
        changed_any = False
        for target in targets:
            locked = Event.objects.select_for_update().get(pk=target.pk)
            fields = event_fields_clean(changes, now=now, is_new=False, current=locked)
            fields = {k: v for k, v in fields.items() if getattr(locked, k) != v}
            if co_organisers is not None:
                _set_organisers(locked, co_organisers)
            if fields:
                _change(locked, fields, now)
                changed_any = True
        if changed_any and event.series_id:
            EventSeries.objects.filter(pk=event.series_id).update(sequence=F("sequence") + 1)
    event.refresh_from_db()
    return event


def _change(event: Event, fields: dict[str, Any], now: datetime.datetime) -> None:
    """Writes the changed fields of one locked event, and what follows from them: a new
    SEQUENCE for calendars, slots moving with the date, the waiting list following the
    capacity, and word to the people concerned when the date or place changes."""
    old_capacity, old_start = event.capacity, event.start
    for name, value in fields.items():
        setattr(event, name, value)
    if CALENDAR_FIELDS & set(fields):
        event.sequence += 1
    event.save()
    if "start" in fields:
        _follow_new_date(event, moved_by=event.start - old_start)
    if "capacity" in fields:
        capacity_apply(event, old_capacity, now)
    if NOTIFIED_FIELDS & set(fields) and not event.is_over(now):
        for member in people_concerned(event):
            notify(member, "events.changed", event_context(event))


def _follow_new_date(event: Event, *, moved_by: datetime.timedelta) -> None:
    """An event that moves takes its volunteer slots along (same time relative to its start),
    and everyone is reminded again before the new date."""
    Shift.objects.filter(event=event).update(start=F("start") + moved_by, end=F("end") + moved_by)
    Rsvp.objects.filter(event=event).update(reminded_at=None)
    ShiftSignup.objects.filter(shift__event=event).update(reminded_at=None)


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
    """Cancels an event (or every coming date of its series) and tells everyone registered
    (waiting list included) and every volunteer, with the organisers' message."""
    require_manager(actor, event)
    now = timezone.now()
    message = (message or "").strip()
    refuse_control_characters(paragraphs={"message": (_("Le message"), message)})
    if len(message) > 5000:
        raise ValidationError({"message": _("Le message ne doit pas dépasser 5 000 caractères.")})
    if not whole_series or event.series_id is None:
        if event.is_cancelled:
            raise ValidationError(_("Cet événement est déjà annulé."))
        if event.is_over(now):
            raise ValidationError(_("Cet événement est passé : il ne peut plus être annulé."))
    with transaction.atomic():
        targets = series_targets(event, now) if whole_series and event.series_id else [event]
        for target in targets:
            locked = Event.objects.select_for_update().get(pk=target.pk)
            if locked.is_cancelled:
                continue
            locked.status = EventStatus.CANCELLED
            locked.cancelled_at = now
            locked.cancellation_message = message
            locked.sequence += 1
            locked.save()
            for member in people_concerned(locked):
                notify(member, "events.cancelled", event_context(locked, message=message))
        if event.series_id:
            EventSeries.objects.filter(pk=event.series_id).update(sequence=F("sequence") + 1)
    event.refresh_from_db()
    return event
