import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.groups import services
from ruche.groups.enums import (
    CONSENT_OPTIONS,
    GroupStatus,
    JoinOutcome,
    JoinRequestStatus,
    MembershipPolicy,
    MembershipRole,
)
from ruche.groups.models import Answer, Decision, JoinRequest, Membership, WorkingGroup
from ruche.initiatives.enums import InitiativeKind, LeadRole
from ruche.initiatives.models import InitiativeLead
from ruche.notifications.models import Notification
from ruche.notifications.services import preferences_update
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, ProposalFactory, WorkingGroupFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _acts(group, kind=None):
    rows = Contribution.objects.filter(subject_type=SubjectType.GROUP, subject_id=group.pk)
    return rows.filter(kind=kind) if kind else rows


def _create(actor=None, **fields):
    values = {"name": "Égalité femmes-hommes", "mandate": "Proposer une charte."} | fields
    return services.group_create(actor=actor or MemberFactory(), **values)


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else caught.value


# Creating and editing.


def test_a_member_creates_a_group_and_leads_it():
    founder = MemberFactory()
    group = _create(founder, kind="club", membership=MembershipPolicy.ON_REQUEST)
    assert group.slug == "egalite-femmes-hommes"
    assert group.is_led_by(founder)
    assert 364 <= (group.review_on - TODAY()).days <= 366
    assert _acts(group, ContributionKind.LED).get().member == founder


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Donnez un nom"),
        ({"mandate": ""}, "mandate", "mandat"),
        ({"name": "A\x00B"}, "name", "une seule ligne"),
        ({"pad_url": "javascript:alert(1)"}, "pad_url", "https://"),
        ({"chat_url": "http://exemple.fr"}, "chat_url", "https://"),
        ({"documents_url": "data:text/html,x"}, "documents_url", "https://"),
        ({"review_on": datetime.date(2020, 1, 1)}, "review_on", "futur"),
    ],
)
def test_bad_group_fields_are_refused_with_a_clear_message(fields, field, words):
    errors = _refusal(lambda: _create(**fields))
    assert words in errors[field][0]
    assert not WorkingGroup.objects.exists()
    assert not Contribution.objects.exists()


def test_a_name_is_taken_whatever_its_case():
    _create(name="Club des designers")
    errors = _refusal(lambda: _create(name="club des DESIGNERS"))
    assert "déjà" in errors["name"][0]
    assert WorkingGroup.objects.count() == 1


def test_a_matrix_to_link_is_a_chat_room():
    group = _create(chat_url="https://matrix.to/#/#egalite:agent.tchap.gouv.fr")
    assert group.chat_url.startswith("https://matrix.to/")


def test_a_group_does_not_take_the_address_of_a_page():
    assert _create(name="Créer").slug == "creer-2"


def test_leads_edit_the_group_and_others_may_not():
    lead = MemberFactory()
    group = _create(lead)
    services.group_update(actor=lead, group=group, mandate="Un mandat neuf.", status="paused")
    group.refresh_from_db()
    assert (group.mandate, group.status) == ("Un mandat neuf.", GroupStatus.PAUSED)
    with pytest.raises(PermissionDenied):
        services.group_update(actor=MemberFactory(), group=group, name="Autre")


def test_an_initiative_of_kind_working_group_becomes_a_group():
    lead, co_lead = MemberFactory(), MemberFactory()
    need = NeedFactory()
    initiative = InitiativeFactory(
        lead=lead, kind=InitiativeKind.WORKING_GROUP, title="Accueil des arrivant·es", needs=[need]
    )
    InitiativeLead.objects.create(initiative=initiative, member=co_lead, role=LeadRole.CO_LEAD)
    group = services.group_create_from_initiative(actor=lead, initiative=initiative)
    assert group.name == "Accueil des arrivant·es"
    assert group.description == initiative.summary
    assert group.mandate == initiative.description
    assert group.initiative == initiative
    assert list(group.initiatives.all()) == [initiative]
    assert list(group.needs.all()) == [need]
    assert group.is_led_by(lead)
    assert group.is_led_by(co_lead)
    assert initiative.working_group == group
    assert "déjà" in str(
        _refusal(lambda: services.group_create_from_initiative(actor=lead, initiative=initiative))
    )


def test_only_a_working_group_initiative_and_only_its_leads_make_a_group():
    initiative = InitiativeFactory(kind=InitiativeKind.EVENT)
    assert "groupe de travail" in str(
        _refusal(
            lambda: services.group_create_from_initiative(
                actor=initiative.proposer, initiative=initiative
            )
        )
    )
    with pytest.raises(PermissionDenied):
        services.group_create_from_initiative(
            actor=MemberFactory(),
            initiative=InitiativeFactory(kind=InitiativeKind.WORKING_GROUP),
        )


# Membership.


def test_joining_an_open_group_makes_a_member_and_a_ledger_row():
    group, member = WorkingGroupFactory(lead=MemberFactory()), MemberFactory()
    assert services.group_join(actor=member, group=group) == JoinOutcome.MEMBER
    assert group.role_of(member) == MembershipRole.MEMBER
    assert _acts(group, ContributionKind.JOINED).get().member == member
    assert "déjà" in str(_refusal(lambda: services.group_join(actor=member, group=group)))


def test_asking_to_join_a_group_on_request_tells_the_leads_who_accept():
    lead, member = MemberFactory(), MemberFactory()
    group = WorkingGroupFactory(lead=lead, membership=MembershipPolicy.ON_REQUEST)
    outcome = services.group_join(actor=member, group=group, message="Je suis designer.")
    assert outcome == JoinOutcome.REQUESTED
    assert group.role_of(member) is None
    told = Notification.objects.get(member=lead, kind="groups.join_requested")
    assert "demande à rejoindre" in told.subject
    request = JoinRequest.objects.get()
    services.join_request_answer(actor=lead, join_request=request, accept=True, message="Bienvenue")
    assert group.role_of(member) == MembershipRole.MEMBER
    answer = Notification.objects.get(member=member, kind="groups.join_accepted")
    assert answer.context["message"] == "Bienvenue"
    assert _acts(group, ContributionKind.JOINED).get().member == member
    assert "déjà reçu" in str(
        _refusal(
            lambda: services.join_request_answer(actor=lead, join_request=request, accept=False)
        )
    )


def test_a_refused_member_receives_the_leads_message():
    lead, member = MemberFactory(), MemberFactory()
    group = WorkingGroupFactory(lead=lead, membership=MembershipPolicy.ON_REQUEST)
    services.group_join(actor=member, group=group)
    services.join_request_answer(
        actor=lead, join_request=JoinRequest.objects.get(), accept=False, message="Complet."
    )
    assert JoinRequest.objects.get().status == JoinRequestStatus.REFUSED
    assert (
        Notification.objects.get(member=member, kind="groups.join_refused").context["message"]
        == "Complet."
    )
    assert group.role_of(member) is None


def test_only_leads_answer_requests():
    group = WorkingGroupFactory(lead=MemberFactory(), membership=MembershipPolicy.ON_REQUEST)
    services.group_join(actor=MemberFactory(), group=group)
    with pytest.raises(PermissionDenied):
        services.join_request_answer(
            actor=MemberFactory(), join_request=JoinRequest.objects.get(), accept=True
        )


def test_a_closed_group_takes_nobody():
    group = WorkingGroupFactory(status=GroupStatus.CLOSED, archived_at=timezone.now())
    assert "clos" in str(_refusal(lambda: services.group_join(actor=MemberFactory(), group=group)))
    assert not Membership.objects.exists()


def test_observing_is_no_commitment_and_leaves_no_ledger_row():
    group, member = WorkingGroupFactory(), MemberFactory()
    services.group_observe(actor=member, group=group)
    assert group.role_of(member) == MembershipRole.OBSERVER
    assert not group.is_member(member)
    assert not _acts(group).exists()
    services.group_join(actor=member, group=group)
    assert group.role_of(member) == MembershipRole.MEMBER


def test_the_last_lead_cannot_leave_until_another_leads():
    lead = MemberFactory()
    group = _create(lead)
    message = str(_refusal(lambda: services.group_leave(actor=lead, group=group)))
    assert "dernière personne" in message
    assert group.is_led_by(lead)
    co_lead = MemberFactory()
    services.group_add_lead(actor=lead, group=group, member=co_lead)
    assert _acts(group, ContributionKind.CO_LED).get().member == co_lead
    services.group_leave(actor=lead, group=group)
    assert group.role_of(lead) is None
    assert group.is_led_by(co_lead)


def test_the_last_lead_may_leave_a_closed_group():
    lead = MemberFactory()
    group = _create(lead)
    services.group_close(actor=lead, group=group, note="Mission accomplie.")
    services.group_leave(actor=lead, group=group)
    assert not Membership.objects.exists()


def test_closing_needs_a_note():
    lead = MemberFactory()
    group = _create(lead)
    assert (
        "pourquoi"
        in _refusal(lambda: services.group_close(actor=lead, group=group, note=""))["note"][0]
    )
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE


# Review.


def test_a_group_past_its_review_date_is_to_review_until_a_lead_confirms():
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead, review_on=TODAY() - datetime.timedelta(days=1))
    assert list(WorkingGroup.objects.to_review()) == [group]
    assert group.needs_review()
    services.group_review_confirm(actor=lead, group=group)
    assert group.review_on > TODAY() + datetime.timedelta(days=360)
    assert not WorkingGroup.objects.to_review().exists()


def test_leads_are_told_once_when_the_review_date_is_near():
    lead = MemberFactory()
    WorkingGroupFactory(lead=lead, review_on=TODAY() + datetime.timedelta(days=20))
    WorkingGroupFactory(lead=MemberFactory(), review_on=TODAY() + datetime.timedelta(days=90))
    assert services.reviews_remind() == 1
    assert services.reviews_remind() == 0
    assert Notification.objects.get(kind="groups.review_near").member == lead


# Proposals and decisions.


def _group_with_members(n=3):
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead)
    members = [MembershipFactory(group=group).member for _ in range(n)]
    return group, lead, members


def test_a_member_opens_a_consent_round_and_the_members_are_told():
    group, _lead, members = _group_with_members()
    preferences_update(actor=members[1], modes={"groups": "email"})
    proposal = services.proposal_open(
        actor=members[0], group=group, question="Adopte-t-on la charte ?",
        closes_on=TODAY() + datetime.timedelta(days=7),
    )  # fmt: skip
    assert proposal.options == CONSENT_OPTIONS
    told = set(
        Notification.objects.filter(kind="groups.new_proposal").values_list("member", flat=True)
    )
    # Group news waits for the digest by default: only who asked hears of it right away.
    assert told == {members[1].pk}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"question": ""}, "question", "question"),
        ({"closes_on": datetime.date(2020, 1, 1)}, "closes_on", "passée"),
        ({"closes_on": None}, "closes_on", "date"),
        ({"options": ["oui"]}, "options", "deux options"),
    ],
)
def test_bad_proposals_are_refused(fields, field, words):
    group, lead, _members = _group_with_members(0)
    values = {"question": "On y va ?", "closes_on": TODAY()} | fields
    errors = _refusal(lambda: services.proposal_open(actor=lead, group=group, **values))
    assert words in errors[field][0]
    assert not group.proposals.exists()


def test_observers_neither_propose_nor_answer():
    group = WorkingGroupFactory()
    observer = MembershipFactory(group=group, role=MembershipRole.OBSERVER).member
    with pytest.raises(PermissionDenied):
        services.proposal_open(actor=observer, group=group, question="?", closes_on=TODAY())
    with pytest.raises(PermissionDenied):
        services.proposal_answer(
            actor=observer, proposal=ProposalFactory(group=group), option="d’accord"
        )


def test_a_member_answers_once_and_may_change_until_it_closes():
    group, _lead, members = _group_with_members(1)
    proposal = ProposalFactory(group=group)
    services.proposal_answer(actor=members[0], proposal=proposal, option="d’accord")
    services.proposal_answer(
        actor=members[0], proposal=proposal, option="objection bloquante", reason="Trop tôt."
    )
    answer = Answer.objects.get()
    assert (answer.option, answer.reason) == ("objection bloquante", "Trop tôt.")
    assert answer.changed_at is not None
    assert _acts(group, ContributionKind.DECIDED).count() == 1
    assert (
        "options proposées"
        in _refusal(
            lambda: services.proposal_answer(
                actor=members[0], proposal=proposal, option="peut-être"
            )
        )["option"][0]
    )


def test_a_closed_proposal_takes_no_answer():
    group, _lead, members = _group_with_members(1)
    proposal = ProposalFactory(group=group, closes_on=TODAY() - datetime.timedelta(days=1))
    message = str(
        _refusal(
            lambda: services.proposal_answer(actor=members[0], proposal=proposal, option="d’accord")
        )
    )
    assert "close" in message
    assert not Answer.objects.exists()


def test_the_lead_closes_a_proposal_with_an_outcome_into_the_decision_log():
    group, lead, members = _group_with_members(3)
    proposal = ProposalFactory(group=group)
    for member, option in zip(
        members, ["d’accord", "d’accord", "objection bloquante"], strict=True
    ):
        services.proposal_answer(actor=member, proposal=proposal, option=option)
    with pytest.raises(PermissionDenied):
        services.proposal_close(actor=members[0], proposal=proposal, outcome="Adoptée")
    decision = services.proposal_close(
        actor=lead,
        proposal=proposal,
        outcome="Charte adoptée, amendée",
        rationale="L’objection est levée.",
    )
    assert decision.counts == {
        "d’accord": 2, "je m’abstiens": 0, "pas d’accord": 0, "objection bloquante": 1,
    }  # fmt: skip
    assert decision.proposal == proposal
    assert decision.decided_on == TODAY()
    assert _acts(group, ContributionKind.DECIDED).filter(member=lead).count() == 1
    assert "close" in str(
        _refusal(
            lambda: services.proposal_answer(actor=members[0], proposal=proposal, option="d’accord")
        )
    )
    assert "déjà close" in str(
        _refusal(lambda: services.proposal_close(actor=lead, proposal=proposal, outcome="x"))
    )


def test_a_lead_records_a_decision_taken_in_a_meeting():
    group, lead, members = _group_with_members(1)
    decision = services.decision_record(
        actor=lead, group=group, title="On se voit le premier mardi du mois.",
        decided_on=TODAY() - datetime.timedelta(days=3),
    )  # fmt: skip
    assert list(group.decisions.all()) == [decision]
    assert _acts(group, ContributionKind.DECIDED).get().member == lead
    assert (
        "Écrivez"
        in _refusal(lambda: services.decision_record(actor=lead, group=group, title=" "))["title"][
            0
        ]
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=members[0], group=group, title="Moi aussi")
    assert Decision.objects.count() == 1


def test_members_who_have_not_answered_are_reminded_the_day_before_once():
    group, lead, members = _group_with_members(2)
    proposal = ProposalFactory(group=group, closes_on=TODAY() + datetime.timedelta(days=1))
    services.proposal_answer(actor=members[0], proposal=proposal, option="d’accord")
    assert services.proposals_remind() == 2  # the lead and the member who has not answered
    assert services.proposals_remind() == 0
    reminded = set(
        Notification.objects.filter(kind="groups.proposal_closing").values_list("member", flat=True)
    )
    assert reminded == {lead.pk, members[1].pk}


# Health reads the ledger.


def test_group_acts_count_in_the_health_figures_and_leaving_ends_them():
    from ruche.health.gather import period_acts, teams

    def group_teams(lo, hi):
        _acts, about_subjects = period_acts(lo, hi)
        return [t for t in teams(about_subjects, hi) if t.subject_type == SubjectType.GROUP]

    lead, member = MemberFactory(), MemberFactory()
    group = _create(lead)
    services.group_join(actor=member, group=group)
    services.group_add_lead(actor=lead, group=group, member=member)
    services.decision_record(actor=lead, group=group, title="On se voit le mardi.")
    lo, hi = timezone.now() - datetime.timedelta(days=1), timezone.now() + datetime.timedelta(1)
    [team] = group_teams(lo, hi)
    assert team.subject_id == group.pk
    assert {p.member_id for p in team.participants} == {lead.pk, member.pk}
    services.group_leave(actor=member, group=group)
    [team] = group_teams(lo, timezone.now() + datetime.timedelta(1))
    assert {p.member_id for p in team.participants} == {lead.pk}
