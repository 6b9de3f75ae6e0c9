"""Working groups over HTTP: the same services act and refuse, with the same French messages."""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ruche.core.api import (
    INPUT_ERRORS,
    MAX_OFFSET,
    READ_ERRORS,
    WRITE_ERRORS,
    Pagination,
    choice_of,
)
from ruche.groups import services
from ruche.groups.enums import GroupKind, GroupStatus, JoinOutcome, MembershipPolicy, MembershipRole
from ruche.groups.listing import filtered_groups
from ruche.groups.models import Answer, Decision, Membership, Proposal, WorkingGroup
from ruche.initiatives.models import Initiative, Need
from ruche.members.models import Incubator

router = Router(tags=["groups"])
# A row number the database can hold (a larger one is malformed, not a failed query).
RowId = Annotated[int, Field(ge=1, le=MAX_OFFSET)]


class GroupLeadOut(Schema):
    id: int = Field(alias="member.pk")
    display_name: str = Field(alias="member.display_name")


class GroupOut(Schema):
    id: int
    name: str
    slug: str
    kind: choice_of(GroupKind)
    status: choice_of(GroupStatus)
    membership: choice_of(MembershipPolicy)
    description: str
    mandate: str
    closing_note: str
    pad_url: str
    documents_url: str
    chat_url: str
    review_on: datetime.date
    to_review: bool
    incubator: str | None = Field(None, alias="incubator.slug")
    initiative: int | None = Field(
        None, alias="initiative_id", description="L’initiative d’origine"
    )
    needs: list[int]
    initiatives: list[int]
    member_count: int
    observer_count: int
    leads: list[GroupLeadOut]
    my_role: choice_of(MembershipRole) | None = Field(
        None, description="Votre place dans le groupe ; null si vous n’en faites pas partie"
    )
    url: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_url(group):
        return group.get_absolute_url()

    @staticmethod
    def resolve_to_review(group):
        return group.needs_review()

    @staticmethod
    def resolve_needs(group):
        return [need.pk for need in group.needs.all()]

    @staticmethod
    def resolve_initiatives(group):
        return [initiative.pk for initiative in group.initiatives.all()]

    @staticmethod
    def resolve_member_count(group):
        return sum(1 for m in group.memberships.all() if m.role != MembershipRole.OBSERVER)

    @staticmethod
    def resolve_observer_count(group):
        return sum(1 for m in group.memberships.all() if m.role == MembershipRole.OBSERVER)

    @staticmethod
    def resolve_leads(group):
        return [m for m in group.memberships.all() if m.role == MembershipRole.LEAD]

    @staticmethod
    def resolve_my_role(group, context):
        return group.role_of(context["request"].auth)


class GroupIn(Schema):
    name: str = ""
    kind: choice_of(GroupKind) = GroupKind.GROUP.value
    description: str = ""
    mandate: str = ""
    membership: choice_of(MembershipPolicy) = MembershipPolicy.OPEN.value
    pad_url: str = ""
    documents_url: str = ""
    chat_url: str = ""
    review_on: datetime.date | None = Field(None, description="Par défaut, dans un an")
    incubator: str | None = Field(
        None, description="Identifiant de l’incubateur ; null : toute la communauté"
    )
    needs: list[RowId] = Field(default_factory=list, description="Numéros des besoins liés")
    initiatives: list[RowId] = Field(
        default_factory=list, description="Numéros des initiatives liées"
    )


class GroupPatch(Schema):
    name: str | None = None
    kind: choice_of(GroupKind) | None = None
    description: str | None = None
    mandate: str | None = None
    status: Literal["active", "paused"] | None = Field(
        None, description="Pour clore un groupe, utilisez la page du groupe (une note est demandée)"
    )
    membership: choice_of(MembershipPolicy) | None = None
    pad_url: str | None = None
    documents_url: str | None = None
    chat_url: str | None = None
    review_on: datetime.date | None = None
    incubator: str | None = None
    needs: list[RowId] | None = None
    initiatives: list[RowId] | None = None


class GroupFilters(Schema):
    q: str | None = Field(None, description="Mots du nom, du résumé ou du mandat")
    kind: choice_of(GroupKind) | None = None
    status: choice_of(GroupStatus) | None = None
    mine: bool = Field(False, description="Seulement les groupes dont vous faites partie")


class GroupJoinIn(Schema):
    message: str = Field(
        default="", description="Pour un groupe sur demande : votre mot aux animateur·rices"
    )
    observe: bool = Field(
        default=False, description="Suivre le groupe en observateur·rice, sans s’engager"
    )


class GroupJoinOut(Schema):
    status: choice_of(JoinOutcome)


class DecisionOut(Schema):
    id: int
    title: str
    rationale: str
    decided_on: datetime.date
    proposal: int | None = Field(None, alias="proposal_id")
    counts: dict[str, int]
    url: str

    @staticmethod
    def resolve_url(decision):
        return decision.get_absolute_url()


class DecisionIn(Schema):
    title: str = ""
    rationale: str = ""
    decided_on: datetime.date | None = Field(None, description="Par défaut, aujourd’hui")


class AnswerOut(Schema):
    member: int = Field(alias="member.pk")
    display_name: str = Field(alias="member.display_name")
    option: str
    reason: str
    answered_at: datetime.datetime
    changed_at: datetime.datetime | None


class ProposalOut(Schema):
    id: int
    group: int = Field(alias="group_id")
    question: str
    context: str
    options: list[str]
    closes_on: datetime.date
    is_open: bool
    counts: dict[str, int]
    answers: list[AnswerOut]
    decision: int | None
    url: str

    @staticmethod
    def resolve_is_open(proposal):
        return proposal.is_open()

    @staticmethod
    def resolve_counts(proposal):
        return services.answer_counts(proposal)

    @staticmethod
    def resolve_answers(proposal):
        return list(proposal.answers.all())

    @staticmethod
    def resolve_decision(proposal):
        decision = getattr(proposal, "_decision", None)
        return decision.pk if decision else None

    @staticmethod
    def resolve_url(proposal):
        return proposal.get_absolute_url()


class ProposalIn(Schema):
    question: str = ""
    context: str = ""
    options: list[str] = Field(
        default_factory=list,
        description="Vide : un tour de consentement (d’accord, je m’abstiens, pas d’accord, "
        "objection bloquante)",
    )
    closes_on: datetime.date | None = None


class AnswerIn(Schema):
    option: str = Field("", description="L’une des options de la proposition")
    reason: str = ""


def _groups(queryset=None):
    queryset = queryset if queryset is not None else WorkingGroup.objects.all()
    return queryset.select_related("incubator").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("member")),
        Prefetch("needs", queryset=Need.objects.filter(hidden=False).only("pk")),
        Prefetch("initiatives", queryset=Initiative.objects.filter(hidden=False).only("pk")),
    )


def _group(group_id: int) -> WorkingGroup:
    return get_object_or_404(_groups(), pk=group_id)


def _proposals(queryset):
    return queryset.select_related("group").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("member"))
    )


def _with_decisions(proposals: list) -> list:
    decisions = dict(
        Decision.objects.filter(proposal__in=proposals).values_list("proposal_id", "pk")
    )
    for proposal in proposals:
        pk = decisions.get(proposal.pk)
        proposal._decision = Decision(pk=pk) if pk else None
    return proposals


def _links(payload: GroupIn | GroupPatch, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The incubator, needs and initiatives a payload names, or an error for each unknown one."""
    found: dict[str, Any] = {}
    sent = payload.model_fields_set
    if "incubator" in sent or isinstance(payload, GroupIn):
        slug = payload.incubator
        found["incubator"] = Incubator.objects.filter(slug=slug).first() if slug else None
        if slug and found["incubator"] is None:
            errors["incubator"] = [_("Incubateur inconnu.")]
    for name, model, message in (
        ("needs", Need, _("Besoin introuvable (n° %(id)s).")),
        ("initiatives", Initiative, _("Initiative introuvable (n° %(id)s).")),
    ):
        ids = getattr(payload, name)
        if ids is None:
            continue
        chosen = list(model.objects.filter(pk__in=ids, hidden=False))
        missing = set(ids) - {item.pk for item in chosen}
        if missing:
            errors[name] = [message % {"id": pk} for pk in sorted(missing)]
        found[name] = chosen
    return found


@router.get(
    "/groups",
    response={200: list[GroupOut], **INPUT_ERRORS},
    summary="Chercher des groupes de travail et clubs",
    url_name="group_list",
)
@paginate(Pagination)
def group_list(request, filters: Query[GroupFilters]):
    data = filters.model_dump(exclude_none=True)
    return _groups(filtered_groups(WorkingGroup.objects.all(), data, request.auth)).order_by(
        "name", "pk"
    )


@router.post(
    "/groups",
    response={201: GroupOut, **WRITE_ERRORS},
    summary="Créer un groupe (vous l’animez)",
    url_name="group_list",
)
def group_create(request, payload: GroupIn):
    errors: dict[str, list[str]] = {}
    links = _links(payload, errors)
    if errors:
        raise ValidationError(errors)
    fields = payload.model_dump(exclude={"incubator", "needs", "initiatives"})
    group = services.group_create(actor=request.auth, **fields, **links)
    return Status(201, _group(group.pk))


@router.get(
    "/groups/{group_id}",
    response={200: GroupOut, **READ_ERRORS},
    summary="Un groupe",
    url_name="group_detail",
)
def group_detail(request, group_id: int):
    return _group(group_id)


@router.patch(
    "/groups/{group_id}",
    response={200: GroupOut, **WRITE_ERRORS},
    summary="Modifier un groupe (ses animateur·rices)",
    url_name="group_detail",
)
def group_update(request, group_id: int, payload: GroupPatch):
    group = _group(group_id)
    errors: dict[str, list[str]] = {}
    links = _links(payload, errors)
    if errors:
        raise ValidationError(errors)
    fields = payload.model_dump(exclude_unset=True, exclude={"incubator", "needs", "initiatives"})
    services.group_update(actor=request.auth, group=group, **fields, **links)
    return _group(group_id)


@router.post(
    "/groups/{group_id}/join",
    response={200: GroupJoinOut, **WRITE_ERRORS},
    summary="Rejoindre un groupe, demander à le rejoindre, ou le suivre en observateur·rice",
    url_name="group_join",
)
def group_join(request, group_id: int, payload: GroupJoinIn | None = None):
    group = _group(group_id)
    payload = payload or GroupJoinIn()
    if payload.observe:
        services.group_observe(actor=request.auth, group=group)
        return {"status": JoinOutcome.OBSERVER.value}
    outcome = services.group_join(actor=request.auth, group=group, message=payload.message)
    return {"status": str(outcome)}


@router.post(
    "/groups/{group_id}/leave",
    response={204: None, **WRITE_ERRORS},
    summary="Quitter un groupe",
    url_name="group_leave",
)
def group_leave(request, group_id: int):
    services.group_leave(actor=request.auth, group=_group(group_id))
    return Status(204, None)


@router.get(
    "/groups/{group_id}/decisions",
    response={200: list[DecisionOut], **READ_ERRORS},
    summary="Le journal des décisions d’un groupe, les plus récentes d’abord",
    url_name="group_decisions",
)
@paginate(Pagination)
def decision_list(request, group_id: int):
    return get_object_or_404(WorkingGroup, pk=group_id).decisions.all()


@router.post(
    "/groups/{group_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    summary="Inscrire au journal une décision prise ailleurs (animateur·rices)",
    url_name="group_decisions",
)
def decision_create(request, group_id: int, payload: DecisionIn):
    decision = services.decision_record(
        actor=request.auth, group=_group(group_id), **payload.model_dump()
    )
    return Status(201, decision)


@router.get(
    "/groups/{group_id}/proposals",
    response={200: list[ProposalOut], **READ_ERRORS},
    summary="Les propositions d’un groupe, les plus récentes d’abord",
    url_name="group_proposals",
)
@paginate(Pagination)
def proposal_list(request, group_id: int):
    group = get_object_or_404(WorkingGroup, pk=group_id)
    return _with_decisions(list(_proposals(group.proposals.all())))


@router.post(
    "/groups/{group_id}/proposals",
    response={201: ProposalOut, **WRITE_ERRORS},
    summary="Ouvrir une proposition dans un groupe (ses membres)",
    url_name="group_proposals",
)
def proposal_create(request, group_id: int, payload: ProposalIn):
    proposal = services.proposal_open(
        actor=request.auth, group=_group(group_id), **payload.model_dump()
    )
    return Status(201, _with_decisions([_proposals(Proposal.objects).get(pk=proposal.pk)])[0])


@router.post(
    "/proposals/{proposal_id}/answer",
    response={200: ProposalOut, **WRITE_ERRORS},
    summary="Répondre à une proposition, ou changer sa réponse tant qu’elle est ouverte",
    url_name="proposal_answer",
)
def proposal_answer(request, proposal_id: int, payload: AnswerIn):
    proposal = get_object_or_404(Proposal.objects.select_related("group"), pk=proposal_id)
    services.proposal_answer(actor=request.auth, proposal=proposal, **payload.model_dump())
    return _with_decisions([_proposals(Proposal.objects).get(pk=proposal.pk)])[0]
