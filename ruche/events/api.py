import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from ruche.core.api import (
    INPUT_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Moment,
    Pagination,
    choice_of,
)
from ruche.events.enums import EventKind, EventStatus, RsvpStatus
from ruche.events.models import Event, Shift
from ruche.events.recurrence import PARIS
from ruche.events.services import events, registrations, shifts
from ruche.groups.models import WorkingGroup
from ruche.initiatives.models import Initiative
from ruche.members.models import Incubator, Member

router = Router(tags=["événements"])


def _paris(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Times are answered in Paris time, with their offset."""
    return moment.astimezone(PARIS) if moment else None


class SeriesOut(Schema):
    id: int
    rrule: str
    description: str

    @staticmethod
    def resolve_description(series):
        return series.describe()


class EventOut(Schema):
    id: int
    uid: str
    title: str
    kind: choice_of(EventKind)
    description: str
    start: datetime.datetime
    end: datetime.datetime
    location: str
    online_url: str
    capacity: int | None
    public: bool = Field(alias="is_public")
    status: choice_of(EventStatus)
    incubator: str | None = Field(None, alias="incubator.slug")
    organisers: list[int]
    confirmed_count: int
    waitlist_count: int
    places_left: int | None
    series: SeriesOut | None
    recurrence_id: datetime.datetime | None
    initiative: int | None = Field(None, alias="initiative_id")
    group: int | None = Field(None, alias="group_id")
    url: str
    ics_url: str

    @staticmethod
    def resolve_start(event):
        return _paris(event.start)

    @staticmethod
    def resolve_end(event):
        return _paris(event.end)

    @staticmethod
    def resolve_recurrence_id(event):
        return _paris(event.recurrence_id)

    @staticmethod
    def resolve_organisers(event):
        return [member.pk for member in event.api_organisers]

    @staticmethod
    def resolve_places_left(event):
        if event.capacity is None:
            return None
        return max(event.capacity - event.confirmed_count, 0)

    @staticmethod
    def resolve_url(event):
        return _url_of("events:event-detail", event.pk)

    @staticmethod
    def resolve_ics_url(event):
        return _url_of("events:event-ics", event.pk)


_PK = 987654321


@functools.cache
def _url_pattern(name: str, script_prefix: str) -> tuple[str, str]:
    """An event URL around its id, reversed once per process (and script prefix): a list of
    50 events would otherwise reverse 100 URLs."""
    before, _pk, after = reverse(name, args=[_PK]).partition(str(_PK))
    return before, after


def _url_of(name: str, pk: int) -> str:
    before, after = _url_pattern(name, get_script_prefix())
    return f"{settings.BASE_URL}{before}{pk}{after}"


class EventIn(Schema):
    title: str
    kind: choice_of(EventKind)
    start: Moment = Field(description="ISO 8601 avec décalage : 2027-01-05T09:00:00+01:00")
    end: Moment
    description: str = ""
    location: str = ""
    online_url: str = ""
    capacity: int | None = Field(None, description="Vide (null) pour un nombre illimité")
    public: bool = False
    incubator: str | None = Field(None, description="Identifiant d’incubateur")
    recurrence: str | None = Field(
        None,
        description=(
            "Règle RRULE (RFC 5545), avec UNTIL ou COUNT : FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630"
        ),
    )
    initiative: int | None = None
    group: int | None = Field(
        None, description="Identifiant d’un groupe de travail dont vous êtes membre"
    )
    co_organisers: list[int] = Field(default_factory=list, description="Identifiants de membres")


class EventPatch(Schema):
    title: str | None = None
    kind: choice_of(EventKind) | None = None
    start: Moment | None = None
    end: Moment | None = None
    description: str | None = None
    location: str | None = None
    online_url: str | None = None
    capacity: int | None = None
    public: bool | None = None
    incubator: str | None = None
    recurrence: str | None = None
    initiative: int | None = None
    group: int | None = None
    co_organisers: list[int] | None = None
    whole_series: bool = Field(
        False, description="Appliquer à toutes les dates à venir de la série (sauf les horaires)"
    )


class RsvpOut(Schema):
    status: choice_of(RsvpStatus)
    position: int | None


class ShiftOut(Schema):
    id: int
    event: int = Field(alias="event_id")
    label: str
    capacity: int
    taken: int
    start: datetime.datetime
    end: datetime.datetime
    members: list[int]
    mine: bool

    @staticmethod
    def resolve_start(shift):
        return _paris(shift.start)

    @staticmethod
    def resolve_end(shift):
        return _paris(shift.end)

    @staticmethod
    def resolve_members(shift):
        return [signup.member_id for signup in shift.signups.all()]


class SignupOut(Schema):
    shift: int = Field(alias="shift_id")
    member: int = Field(alias="member_id")
    swap_offered: bool

    @staticmethod
    def resolve_swap_offered(signup):
        return signup.swap_offered_at is not None


def _events():
    """What EventOut reads; the organisers' ids as a plain list (to_attr): cheaper than a
    related manager and queryset per event."""
    return (
        Event.objects.select_related("series", "incubator")
        .prefetch_related(
            Prefetch("organisers", queryset=Member.objects.only("pk"), to_attr="api_organisers")
        )
        .with_rsvp_counts()
    )


def _members(ids: list[int]) -> list[Member]:
    members = list(Member.objects.filter(pk__in=ids, is_active=True))
    missing = set(ids) - {m.pk for m in members}
    if missing:
        listed = ", ".join(map(str, sorted(missing)))
        raise HttpError(400, _("Membres inconnus : %(ids)s.") % {"ids": listed})
    return members


def _initiative(initiative_id: int | None):
    if initiative_id is None:
        return None
    initiative = Initiative.objects.visible().filter(pk=initiative_id).first()
    if initiative is None:
        raise HttpError(400, _("Initiative inconnue : %(id)s.") % {"id": initiative_id})
    return initiative


def _group(group_id: int | None):
    if group_id is None:
        return None
    group = WorkingGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise HttpError(400, _("Groupe de travail inconnu : %(id)s.") % {"id": group_id})
    return group


def _incubator(slug: str | None):
    if not slug:
        return None
    incubator = Incubator.objects.filter(slug=slug).first()
    if incubator is None:
        raise HttpError(400, _("Incubateur inconnu : « %(slug)s ».") % {"slug": slug})
    return incubator


class EventFilters(Schema):
    from_: Moment | None = Field(
        None, alias="from", description="Événements finissant après (ISO 8601)"
    )
    to: Moment | None = Field(None, description="Événements commençant avant")
    kind: choice_of(EventKind) | None = None
    q: str | None = Field(None, description="Mots du titre ou de la description")
    group: int | None = Field(None, description="Identifiant d’un groupe de travail")


@router.get(
    "/events",
    response={200: list[EventOut], 400: ErrorOut, **INPUT_ERRORS},
    summary="Les événements",
    url_name="event_list",
)
@paginate(Pagination)
def event_list(request, filters: Query[EventFilters]):
    """Par défaut les événements à venir ; `from` et `to` bornent la période."""
    found = _events()
    if filters.from_ is None and filters.to is None:
        found = found.upcoming()
    if filters.from_ is not None:
        found = found.filter(end__gte=filters.from_)
    if filters.to is not None:
        found = found.filter(start__lt=filters.to)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.group is not None:
        found = found.filter(group_id=filters.group)
    return found.matching(filters.q or "").order_by("start", "pk")


@router.post(
    "/events",
    response={201: EventOut, **WRITE_ERRORS},
    summary="Publier un événement",
    url_name="event_list",
)
def event_create(request, payload: EventIn):
    event = events.event_create(
        actor=request.auth,
        title=payload.title,
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        description=payload.description,
        location=payload.location,
        online_url=payload.online_url,
        capacity=payload.capacity,
        is_public=payload.public,
        incubator=_incubator(payload.incubator),
        co_organisers=_members(payload.co_organisers),
        recurrence=payload.recurrence or "",
        initiative=_initiative(payload.initiative),
        group=_group(payload.group),
    )
    return Status(201, _events().get(pk=event.pk))


@router.get(
    "/events/{event_id}",
    response={200: EventOut, **READ_ERRORS},
    summary="Un événement",
    url_name="event_detail",
)
def event_detail(request, event_id: int):
    return get_object_or_404(_events(), pk=event_id)


@router.patch(
    "/events/{event_id}",
    response={200: EventOut, **WRITE_ERRORS},
    summary="Modifier un événement",
    url_name="event_detail",
)
def event_update(request, event_id: int, payload: EventPatch):
    event = get_object_or_404(Event.objects.prefetch_related("organisers"), pk=event_id)
    data = payload.model_dump(exclude_unset=True)
    whole_series = data.pop("whole_series", False)
    co_organisers = data.pop("co_organisers", None)
    if "public" in data:
        data["is_public"] = data.pop("public")
        if data["is_public"] is None:
            raise ValidationError({"public": [_("Indiquez true (public) ou false (membres).")]})
    if "incubator" in data:
        data["incubator"] = _incubator(data["incubator"])
    if "initiative" in data:
        data["initiative"] = _initiative(data["initiative"])
    if "group" in data:
        data["group"] = _group(data["group"])
    events.event_update(
        actor=request.auth,
        event=event,
        changes=data,
        co_organisers=_members(co_organisers) if co_organisers is not None else None,
        whole_series=whole_series,
    )
    return _events().get(pk=event.pk)


@router.post(
    "/events/{event_id}/rsvp",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="S’inscrire",
    url_name="event_rsvp",
)
def rsvp_register(request, event_id: int):
    """Une place si elle est libre, sinon la liste d’attente (avec la position)."""
    event = get_object_or_404(Event, pk=event_id)
    rsvp = registrations.rsvp_register(actor=request.auth, event=event)
    return {"status": rsvp.status, "position": rsvp.position}


@router.delete(
    "/events/{event_id}/rsvp",
    response={204: None, **WRITE_ERRORS},
    summary="Se désinscrire",
    url_name="event_rsvp",
)
def rsvp_cancel(request, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    registrations.rsvp_cancel(actor=request.auth, event=event)
    return Status(204, None)


@router.get(
    "/events/{event_id}/shifts",
    response={200: list[ShiftOut], **READ_ERRORS},
    summary="Les créneaux bénévoles",
)
def shift_list(request, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    return event.shifts.with_taken().with_signup_of(request.auth).prefetch_related("signups")


@router.post(
    "/shifts/{shift_id}/signup",
    response={201: SignupOut, **WRITE_ERRORS},
    summary="Prendre un créneau",
    url_name="shift_signup",
)
def shift_signup(request, shift_id: int):
    shift = get_object_or_404(Shift, pk=shift_id)
    return Status(201, shifts.shift_signup(actor=request.auth, shift=shift))


@router.delete(
    "/shifts/{shift_id}/signup",
    response={204: None, **WRITE_ERRORS},
    summary="Se retirer",
    url_name="shift_signup",
)
def shift_withdraw(request, shift_id: int):
    shift = get_object_or_404(Shift, pk=shift_id)
    shifts.shift_withdraw(actor=request.auth, shift=shift)
    return Status(204, None)
