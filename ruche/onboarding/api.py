"""The way in, for API clients: my suggestions (and « pas pour moi »), my declared time, and
thanks."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ruche.core.api import (
    INPUT_ERRORS,
    MAX_OFFSET,
    WRITE_ERRORS,
    Pagination,
    choice_of,
)
from ruche.engagement.enums import SubjectType
from ruche.engagement.models import TimeDeclaration
from ruche.engagement.services import thanks_give, time_declare, time_delete
from ruche.members.models import Member
from ruche.onboarding import services
from ruche.onboarding.enums import SuggestionAction, SuggestionKind
from ruche.onboarding.suggestions import suggestions_for
from ruche.onboarding.timesheet import month_end, month_of

router = Router(tags=["s’engager"])


class SuggestionOut(Schema):
    key: str = Field(description="À passer à …/decline : role-12, shift-5, event-3…")
    kind: choice_of(SuggestionKind)
    title: str
    reason: str = Field(description="Pourquoi cette suggestion, en une phrase")
    url: str = Field(description="Chemin de la page de l’objet")
    action: choice_of(SuggestionAction) = Field(description="Ce que fait le bouton")
    action_label: str


@router.get(
    "/me/suggestions",
    response={200: list[SuggestionOut], **INPUT_ERRORS},
    summary="Mes suggestions",
    url_name="suggestion_list",
)
@paginate(Pagination)
def suggestion_list(request):
    """Les façons de participer qui me correspondent, la meilleure d’abord, chacune avec sa
    raison ; jamais ce que je fais déjà ni ce que j’ai écarté."""
    return [
        {**suggestion.__dict__, "action_label": suggestion.action_label}
        for suggestion in suggestions_for(request.auth)
    ]


@router.post(
    "/me/suggestions/{key}/decline",
    response={204: None, **WRITE_ERRORS},
    summary="Pas pour moi",
    url_name="suggestion_decline",
)
def suggestion_decline(request, key: str):
    """La suggestion ne me sera plus proposée."""
    services.suggestion_decline(actor=request.auth, key=key)
    return Status(204, None)


class TimeOut(Schema):
    id: int
    day: datetime.date
    minutes: int
    subject_type: choice_of(SubjectType, blank=True)
    subject_id: int | None
    what: str


class TimeIn(Schema):
    day: datetime.date
    minutes: int = Field(description="Plus de zéro ; 24 h au plus par jour, tout compris")
    what: str = ""
    subject_type: choice_of(SubjectType, blank=True) = ""
    subject_id: int | None = Field(None, ge=1, le=MAX_OFFSET)


class TimeQuery(Schema):
    month: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}$", description="AAAA-MM ; le mois en cours par défaut"
    )


@router.get(
    "/me/time",
    response={200: list[TimeOut], **INPUT_ERRORS},
    summary="Mon temps communauté",
    url_name="time_list",
)
@paginate(Pagination)
def time_list(request, filters: Query[TimeQuery]):
    """Mes déclarations d’un mois (règle des 10 %). Elles ne sont visibles que par moi."""
    first = month_of(filters.month)
    return TimeDeclaration.objects.filter(
        member=request.auth, day__gte=first, day__lte=month_end(first)
    )


@router.post(
    "/me/time",
    response={201: TimeOut, **WRITE_ERRORS},
    summary="Déclarer du temps",
    url_name="time_list",
)
def time_create(request, payload: TimeIn):
    declaration = time_declare(
        actor=request.auth,
        day=payload.day,
        minutes=payload.minutes,
        what=payload.what,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
    )
    return Status(201, declaration)


@router.delete(
    "/me/time/{declaration_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Supprimer une déclaration",
    url_name="time_detail",
)
def time_remove(request, declaration_id: int):
    get_object_or_404(TimeDeclaration, pk=declaration_id, member=request.auth)
    time_delete(actor=request.auth, declaration_id=declaration_id)
    return Status(204, None)


class ThanksIn(Schema):
    member: int = Field(description="Le membre remercié")
    subject_type: choice_of(SubjectType)
    subject_id: int = Field(ge=1, le=MAX_OFFSET)
    message: str = ""


class ThanksOut(Schema):
    id: int
    member: int
    subject_type: choice_of(SubjectType)
    subject_id: int
    message: str
    at: datetime.datetime


@router.post(
    "/thanks",
    response={201: ThanksOut, **WRITE_ERRORS},
    summary="Dire merci",
    url_name="thanks_create",
)
def thanks_create(request, payload: ThanksIn):
    """Pour une contribution précise du membre ; une fois par sujet, jamais à soi-même."""
    receiver = get_object_or_404(Member, pk=payload.member, is_active=True)
    thanks = thanks_give(
        actor=request.auth,
        receiver=receiver,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
        message=payload.message,
    )
    return Status(
        201,
        {
            "id": thanks.pk,
            "member": receiver.pk,
            "subject_type": thanks.subject_type,
            "subject_id": thanks.subject_id,
            "message": thanks.message,
            "at": thanks.at,
        },
    )
