import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from ruche.core.api import ACCESS_ERRORS, INPUT_ERRORS, READ_ERRORS, Pagination, choice_of
from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import Incubator, Member, Startup

router = Router(tags=["membres"])


class IncubatorOut(Schema):
    id: str = Field(alias="slug")
    title: str
    website: str
    contact: str
    address: str


class StartupOut(Schema):
    id: str = Field(alias="slug")
    name: str
    pitch: str
    link: str
    repository: str
    phase: str
    incubator: str | None = Field(None, alias="incubator.slug")


class MissionOut(Schema):
    start: datetime.date
    end: datetime.date | None
    status: choice_of(MissionStatus, blank=True)
    employer: str
    startups: list[str]

    @staticmethod
    def resolve_startups(mission):
        return [startup.slug for startup in mission.startups.all()]


class MemberOut(Schema):
    id: int
    betagouv_id: str | None
    display_name: str
    domaine: choice_of(Domaine, blank=True)
    role: str
    bio: str
    github: str
    competences: list[str]
    interests: list[str]
    languages: list[str]
    transverse_role: str
    is_alumnus: bool
    missions: list[MissionOut]

    @staticmethod
    def resolve_competences(member):
        return [competence.name for competence in member.competences.all()]

    @staticmethod
    def resolve_is_alumnus(member):
        return member.is_alumnus()

    @staticmethod
    def resolve_missions(member):
        return list(member.missions.all())


class MeOut(MemberOut):
    email: str
    is_animation_team: bool
    is_staff: bool


class MemberFilters(FilterSchema):
    q: str | None = Field(None, description="Nom ou identifiant beta.gouv, accents ignorés")
    domaine: choice_of(Domaine) | None = None
    startup: str | None = Field(None, description="Identifiant ou nom de startup")
    incubator: str | None = Field(None, description="Identifiant d’incubateur")
    competence: str | None = None
    status: Literal["active", "alumni"] | None = Field(None, description="active ou alumni")


def _members():
    return Member.objects.filter(is_active=True).prefetch_related("competences").with_missions()


@router.get("/me", response={200: MeOut, **ACCESS_ERRORS}, summary="Le membre authentifié")
def me(request):
    return get_object_or_404(_members(), pk=request.auth.pk)


@router.get(
    "/members", response={200: list[MemberOut], **INPUT_ERRORS}, summary="Chercher des membres"
)
@paginate(Pagination)
def member_list(request, filters: Query[MemberFilters]):
    data = filters.model_dump(exclude_none=True)
    return _members().matching(**data).order_by("display_name", "pk")


@router.get("/members/{member_id}", response={200: MemberOut, **READ_ERRORS}, summary="Un membre")
def member_detail(request, member_id: int):
    return get_object_or_404(_members(), pk=member_id)


@router.get(
    "/startups",
    response={200: list[StartupOut], **INPUT_ERRORS},
    summary="Les startups",
    tags=["startups"],
)
@paginate(Pagination)
def startup_list(request, q: str | None = None, incubator: str | None = None):
    startups = Startup.objects.select_related("incubator").order_by("name")
    if q:
        startups = startups.filter(name__icontains=q)
    if incubator:
        startups = startups.filter(incubator__slug=incubator)
    return startups


@router.get(
    "/incubators",
    response={200: list[IncubatorOut], **INPUT_ERRORS},
    summary="Les incubateurs",
    tags=["startups"],
)
@paginate(Pagination)
def incubator_list(request):
    return Incubator.objects.order_by("title")
