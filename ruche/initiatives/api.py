"""Initiatives and needs over HTTP: the same forms validate input and the same services act,
so the API refuses what the pages refuse, with the same French messages."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ruche.core.api import (
    INPUT_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Pagination,
    choice_of,
)
from ruche.initiatives.enums import InitiativeKind, InitiativeStatus, LeadRole, NeedState, Scope
from ruche.initiatives.listing import (
    INITIATIVE_ORDERINGS,
    NEED_ORDERINGS,
    filtered_initiatives,
    filtered_needs,
    initiative_or_404,
    initiative_sort,
    need_or_404,
    need_sort,
)
from ruche.initiatives.models import (
    CallForHelp,
    Comment,
    Initiative,
    InitiativeLead,
    Need,
    NeedSupport,
    Support,
)
from ruche.initiatives.services import conversation, lifecycle, needs, participation
from ruche.members.enums import Domaine

router = Router(tags=["initiatives"])


class PersonOut(Schema):
    id: int
    display_name: str


class LeadOut(Schema):
    id: int
    display_name: str
    role: choice_of(LeadRole)

    # Resolvers rather than dotted aliases ("member.pk"): ninja reads an alias through a
    # template Variable parsed anew for every row, a resolver is a plain call.
    @staticmethod
    def resolve_id(link):
        return link.member.pk

    @staticmethod
    def resolve_display_name(link):
        return link.member.display_name


class RoleOut(Schema):
    id: int
    label: str
    count: int
    taken: int
    places_left: int
    skill: str


class InitiativeOut(Schema):
    id: int
    title: str
    kind: choice_of(InitiativeKind)
    status: choice_of(InitiativeStatus)
    status_reason: str
    summary: str
    description: str
    scope: choice_of(Scope)
    incubator: str | None = None
    startup: str | None = None
    url: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime
    support_count: int
    participant_count: int
    leads: list[LeadOut]
    roles: list[RoleOut]
    needs: list[int]

    @staticmethod
    def resolve_incubator(initiative):
        return initiative.incubator_slug

    @staticmethod
    def resolve_startup(initiative):
        return initiative.startup_slug

    @staticmethod
    def resolve_url(initiative):
        return initiative.get_absolute_url()

    @staticmethod
    def resolve_leads(initiative):
        return initiative.api_leads

    @staticmethod
    def resolve_roles(initiative):
        return initiative.api_roles

    @staticmethod
    def resolve_needs(initiative):
        return [need.pk for need in initiative.api_needs if not need.hidden]


class InitiativeIn(Schema):
    title: str = ""
    kind: choice_of(InitiativeKind) | None = None
    summary: str = ""
    description: str = ""
    scope: choice_of(Scope) = Scope.COMMUNITY.value
    incubator: str | None = Field(None, description="Identifiant de l’incubateur")
    startup: str | None = Field(None, description="Identifiant de la startup")
    needs: list[int] = Field(default_factory=list, description="Numéros des besoins")
    budget_amount: Decimal | None = None
    budget_purpose: str = ""


class InitiativePatch(Schema):
    title: str | None = None
    kind: choice_of(InitiativeKind) | None = None
    summary: str | None = None
    description: str | None = None
    scope: choice_of(Scope) | None = None
    incubator: str | None = None
    startup: str | None = None
    needs: list[int] | None = None
    status: choice_of(InitiativeStatus) | None = Field(
        None, description="Réservé aux porteur·ses et à l’équipe d’animation"
    )
    status_reason: str = ""


class InitiativeFilters(Schema):
    q: str | None = Field(None, description="Recherche plein texte, accents ignorés")
    kind: choice_of(InitiativeKind) | None = None
    status: choice_of(InitiativeStatus) | None = None
    looking_for_help: bool = Field(False, description="Seulement celles qui cherchent du monde")


class JoinIn(Schema):
    role: int | None = Field(
        None, description="Le rôle à prendre ; sans rôle, on rejoint en général"
    )


class ParticipationOut(Schema):
    initiative: int = Field(alias="initiative_id")
    role: int | None = Field(None, alias="role_id")
    joined_at: datetime.datetime


class SupportOut(Schema):
    id: int
    support_count: int


class CommentOut(Schema):
    id: int
    author: PersonOut | None
    body: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class CommentIn(Schema):
    body: str = ""


class NeedOut(Schema):
    id: int
    title: str
    description: str
    state: choice_of(NeedState)
    closed_reason: str
    incubator: str | None = Field(None, alias="incubator.slug")
    domaine: choice_of(Domaine, blank=True)
    url: str
    created_at: datetime.datetime
    support_count: int
    initiatives: list[int]
    anonymous: bool
    author: PersonOut | None = Field(
        None, description="Qui a exprimé le besoin ; null s’il ou elle a choisi l’anonymat"
    )

    @staticmethod
    def resolve_url(need):
        return need.get_absolute_url()

    @staticmethod
    def resolve_author(need):
        return need.shown_author

    @staticmethod
    def resolve_initiatives(need):
        return [initiative.pk for initiative in need.initiatives.all()]


class NeedIn(Schema):
    title: str = ""
    description: str = ""
    incubator: str | None = None
    domaine: choice_of(Domaine, blank=True) = ""
    anonymous: bool = Field(
        False, description="Les autres membres ne verront pas qui a exprimé le besoin"
    )


class NeedFilters(Schema):
    q: str | None = Field(None, description="Recherche plein texte, accents ignorés")
    state: choice_of(NeedState) | None = None


def _initiatives(queryset=None):
    """What InitiativeOut reads. The related rows come as plain lists (to_attr): cheaper than
    one related manager and queryset per initiative and relation."""
    queryset = queryset if queryset is not None else Initiative.objects.all()
    return (
        queryset.with_counts()
        .annotate(incubator_slug=F("incubator__slug"), startup_slug=F("startup__slug"))
        .prefetch_related(
            Prefetch(
                "lead_links",
                queryset=InitiativeLead.objects.select_related("member").only(
                    "initiative_id", "role", "member__display_name"
                ),
                to_attr="api_leads",
            ),
            Prefetch("roles", queryset=CallForHelp.objects.order_by("pk"), to_attr="api_roles"),
            Prefetch("needs", queryset=Need.objects.only("pk", "hidden"), to_attr="api_needs"),
        )
    )


@router.get(
    "/initiatives",
    response={200: list[InitiativeOut], 400: ErrorOut, **INPUT_ERRORS},
    summary="Chercher des initiatives",
    url_name="initiative_list",
)
@paginate(Pagination)
def initiative_list(request, filters: Query[InitiativeFilters]):
    data = filters.model_dump(exclude_none=True)
    initiatives = _initiatives(filtered_initiatives(Initiative.objects.visible(), data))
    return initiatives.order_by(*INITIATIVE_ORDERINGS[initiative_sort(data)])


@router.post(
    "/initiatives",
    response={201: InitiativeOut, 400: ErrorOut, **INPUT_ERRORS},
    summary="Proposer une initiative",
    url_name="initiative_list",
)
def initiative_create(request, payload: InitiativeIn):
    fields = payload.model_dump(exclude={"incubator", "startup", "needs", "kind"})
    links = lifecycle.initiative_links_find(
        incubator=payload.incubator, startup=payload.startup, needs=payload.needs
    )
    initiative = lifecycle.initiative_propose(
        actor=request.auth, **fields, kind=payload.kind or "", **links
    )
    return Status(201, _initiatives().get(pk=initiative.pk))


@router.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeOut, **READ_ERRORS},
    summary="Une initiative",
    url_name="initiative_detail",
)
def initiative_detail(request, initiative_id: int):
    return initiative_or_404(request.auth, initiative_id, _initiatives())


def _patch_fields(payload: InitiativePatch) -> tuple[dict, list | None]:
    fields = payload.model_dump(
        exclude_unset=True, exclude={"needs", "status", "status_reason", "incubator", "startup"}
    )
    sent = payload.model_fields_set
    if {"incubator", "startup"} & sent and "scope" not in sent:
        raise ValidationError(
            {"scope": [_("Précisez le périmètre (scope) avec l’incubateur ou la startup.")]}
        )
    given = {name: getattr(payload, name) for name in ("incubator", "startup", "needs")}
    links = lifecycle.initiative_links_find(
        **{name: value for name, value in given.items() if name in sent}
    )
    chosen = links.pop("needs", None)
    return {**fields, **links}, chosen


def _status_change(actor, initiative: Initiative, status: str, reason: str) -> None:
    """The service names the reason `reason`; API clients send it as `status_reason`."""
    try:
        lifecycle.initiative_status_change(
            actor=actor, initiative=initiative, status=status, reason=reason
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        errors = error.message_dict
        if "reason" in errors:
            errors["status_reason"] = errors.pop("reason")
        raise ValidationError(errors) from None


@router.patch(
    "/initiatives/{initiative_id}",
    response={200: InitiativeOut, **WRITE_ERRORS},
    summary="Modifier une initiative ou changer son statut",
    description="Réservé aux porteur·ses de l’initiative et à l’équipe d’animation.",
    url_name="initiative_detail",
)
def initiative_patch(request, initiative_id: int, payload: InitiativePatch):
    initiative = initiative_or_404(request.auth, initiative_id)
    fields, chosen = _patch_fields(payload)
    with transaction.atomic():
        if fields or chosen is not None:
            initiative = lifecycle.initiative_update(
                actor=request.auth, initiative=initiative, fields=fields, needs=chosen
            )
        if payload.status is not None:
            _status_change(request.auth, initiative, payload.status, payload.status_reason)
    return _initiatives().get(pk=initiative.pk)


@router.post(
    "/initiatives/{initiative_id}/join",
    response={201: ParticipationOut, **WRITE_ERRORS},
    summary="Rejoindre une initiative, dans un rôle ou en général",
)
def initiative_join(request, initiative_id: int, payload: JoinIn | None = None):
    initiative = initiative_or_404(request.auth, initiative_id)
    role = None
    if payload is not None and payload.role is not None:
        role = CallForHelp.objects.filter(pk=payload.role).first()
        if role is None:
            raise ValidationError({"role": [_("Rôle introuvable.")]})
    joined = participation.initiative_join(actor=request.auth, initiative=initiative, role=role)
    return Status(201, joined)


@router.post(
    "/initiatives/{initiative_id}/leave",
    response={204: None, **WRITE_ERRORS},
    summary="Quitter une initiative",
)
def initiative_leave(request, initiative_id: int):
    initiative = initiative_or_404(request.auth, initiative_id)
    participation.initiative_leave(actor=request.auth, initiative=initiative)
    return Status(204, None)


@router.post(
    "/initiatives/{initiative_id}/support",
    response={201: SupportOut, **WRITE_ERRORS},
    summary="Soutenir une initiative (« je soutiens »)",
)
def initiative_support(request, initiative_id: int):
    initiative = initiative_or_404(request.auth, initiative_id)
    conversation.initiative_support(actor=request.auth, initiative=initiative)
    count = Support.objects.filter(initiative=initiative).count()
    return Status(201, {"id": initiative.pk, "support_count": count})


@router.get(
    "/initiatives/{initiative_id}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    summary="Les commentaires d’une initiative",
    url_name="initiative_comments",
)
@paginate(Pagination)
def initiative_comments(request, initiative_id: int):
    initiative = initiative_or_404(request.auth, initiative_id)
    return Comment.objects.visible().filter(initiative=initiative).select_related("author")


@router.post(
    "/initiatives/{initiative_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Commenter une initiative",
    url_name="initiative_comments",
)
def initiative_comment(request, initiative_id: int, payload: CommentIn):
    initiative = initiative_or_404(request.auth, initiative_id)
    comment = conversation.comment_add(actor=request.auth, initiative=initiative, body=payload.body)
    return Status(201, comment)


def _needs(queryset=None):
    queryset = queryset if queryset is not None else Need.objects.all()
    return (
        queryset.with_counts()
        .select_related("incubator", "author")
        .prefetch_related(Prefetch("initiatives", queryset=Initiative.objects.visible().only("pk")))
    )


@router.get(
    "/needs",
    response={200: list[NeedOut], 400: ErrorOut, **INPUT_ERRORS},
    summary="Chercher des besoins",
    tags=["besoins"],
    url_name="need_list",
)
@paginate(Pagination)
def need_list(request, filters: Query[NeedFilters]):
    data = filters.model_dump(exclude_none=True)
    found = _needs(filtered_needs(Need.objects.visible(), data))
    return found.order_by(*NEED_ORDERINGS[need_sort(data)])


@router.post(
    "/needs",
    response={201: NeedOut, 400: ErrorOut, **INPUT_ERRORS},
    summary="Soulever un besoin",
    tags=["besoins"],
    url_name="need_list",
)
def need_create(request, payload: NeedIn):
    fields = payload.model_dump(exclude={"incubator"})
    links = lifecycle.initiative_links_find(incubator=payload.incubator)
    need = needs.need_raise(actor=request.auth, **fields, **links)
    return Status(201, _needs().get(pk=need.pk))


@router.post(
    "/needs/{need_id}/support",
    response={201: SupportOut, **WRITE_ERRORS},
    summary="Dire « moi aussi » pour un besoin",
    tags=["besoins"],
)
def need_support(request, need_id: int):
    need = need_or_404(request.auth, need_id)
    needs.need_support(actor=request.auth, need=need)
    return Status(
        201, {"id": need.pk, "support_count": NeedSupport.objects.filter(need=need).count()}
    )
