"""« Mes données »: a member downloads everything Ruche holds about them, or deletes their
account; what they leave behind keeps the community's figures as they were."""

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from ruche.accounts import personal_data, services
from ruche.accounts.models import ApiToken, DataExport
from ruche.accounts.oidc import ProConnectBackend
from ruche.engagement.enums import SubjectType
from ruche.engagement.models import Contribution, Thanks, TimeDeclaration
from ruche.engagement.services import thanks_give, time_declare
from ruche.events.models import Rsvp
from ruche.events.services.registrations import rsvp_register
from ruche.groups import services as groups
from ruche.groups.enums import MembershipPolicy, MembershipRole
from ruche.groups.models import Answer, Decision, JoinRequest, Proposal
from ruche.health import services as health
from ruche.health.periods import Period
from ruche.health.segments import SegmentKey
from ruche.initiatives.models import Comment, Initiative
from ruche.initiatives.services.conversation import comment_add, initiative_support
from ruche.initiatives.services.participation import initiative_join
from ruche.members.models import PLACEHOLDER_EMAIL, ErasedMember, Member
from ruche.notifications.models import Notification
from ruche.onboarding.models import Decline, FirstStepsDismissal
from ruche.onboarding.services import first_steps_dismiss, suggestion_decline
from tests.core.helpers import rows_containing
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, ProposalFactory, WorkingGroupFactory
from tests.initiatives.factories import InitiativeFactory, NeedFactory, RoleFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "betagouv"
MY_DATA = "/compte/donnees/"


@pytest.fixture
def active_member(django_capture_on_commit_callbacks):
    """A member who did a bit of everything, through the services (so the ledger has rows)."""
    member = MemberFactory(betagouv_id="camille.dupuis", email="camille.dupuis@beta.gouv.fr")
    initiative = InitiativeFactory(title="Un café des nouveaux")
    role = RoleFactory(initiative=initiative, label="Accueil")
    with django_capture_on_commit_callbacks(execute=True):
        initiative_join(actor=member, initiative=role.initiative, role=role)
        initiative_support(actor=member, initiative=initiative)
        comment_add(actor=member, initiative=initiative, body="Je peux apporter le café.")
        rsvp_register(actor=member, event=EventFactory(title="Apéro de rentrée"))
    InitiativeFactory(lead=member, title="Une initiative de Camille")
    NeedFactory(author=member, title="Trouver une salle")
    services.api_token_create(actor=member, member=member, name="Mon script")
    Notification.objects.create(member=member, kind="test", subject="Bienvenue", url="/")
    _in_groups_and_thanks(member, initiative, django_capture_on_commit_callbacks)
    return member


def _in_groups_and_thanks(member, initiative, django_capture_on_commit_callbacks):
    """Camille also takes part in working groups, thanks and is thanked, declares time and
    tidies the way in."""
    colleague = MemberFactory(display_name="Dominique Martin")
    open_group = WorkingGroupFactory(name="Accueil", lead=member)
    asked = WorkingGroupFactory(
        name="Budget", membership=MembershipPolicy.ON_REQUEST, lead=colleague
    )
    with django_capture_on_commit_callbacks(execute=True):
        groups.group_join(actor=colleague, group=open_group)
        groups.group_join(actor=member, group=asked, message="Je connais bien les devis.")
        proposal = groups.proposal_open(
            actor=member,
            group=open_group,
            question="Adopte-t-on le guide d’accueil ?",
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        groups.proposal_answer(
            actor=member, proposal=proposal, option=proposal.options[0], reason="Il est prêt."
        )
        groups.proposal_answer(actor=colleague, proposal=proposal, option=proposal.options[0])
        groups.decision_record(actor=member, group=open_group, title="Un binôme par arrivée")
        comment_add(actor=colleague, initiative=initiative, body="Je fais les badges.")
        thanks_give(
            actor=member,
            receiver=colleague,
            subject_type=SubjectType.INITIATIVE,
            subject_id=initiative.pk,
            message="Merci pour les badges !",
        )
        thanks_give(
            actor=colleague,
            receiver=member,
            subject_type=SubjectType.INITIATIVE,
            subject_id=initiative.pk,
            message="Merci pour le café !",
        )
    time_declare(actor=member, day=timezone.localdate(), minutes=90, what="Accueil du jeudi")
    suggestion_decline(actor=member, key=f"initiative-{initiative.pk}")
    first_steps_dismiss(actor=member)


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_my_data_is_reached_from_my_account(active_member):
    page = signed_in(active_member).get("/compte/").text

    assert f'href="{MY_DATA}"' in page


def test_a_member_downloads_everything_about_them_at_once(active_member):
    response = signed_in(active_member).post(MY_DATA + "export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["members"]["email"] == "camille.dupuis@beta.gouv.fr"
    assert data["members"]["missions"]
    assert [c["body"] for c in data["initiatives"]["comments"]] == ["Je peux apporter le café."]
    assert data["initiatives"]["participations"][0]["role__label"] == "Accueil"
    assert [i["title"] for i in data["initiatives"]["initiatives_proposed"]] == [
        "Une initiative de Camille"
    ]
    assert [n["title"] for n in data["initiatives"]["needs"]] == ["Trouver une salle"]
    assert [r["event__title"] for r in data["events"]["rsvps"]] == ["Apéro de rentrée"]
    assert {c["kind"] for c in data["engagement"]} >= {"joined", "supported", "commented"}
    assert "Bienvenue" in [n["subject"] for n in data["notifications"]["notifications"]]
    assert data["groups"]["memberships"][0]["role"] == MembershipRole.LEAD
    assert [r["message"] for r in data["groups"]["join_requests"]] == ["Je connais bien les devis."]
    assert [p["question"] for p in data["groups"]["proposals"]] == [
        "Adopte-t-on le guide d’accueil ?"
    ]
    assert [a["reason"] for a in data["groups"]["answers"]] == ["Il est prêt."]
    assert [d["title"] for d in data["groups"]["decisions_recorded"]] == ["Un binôme par arrivée"]
    assert [t["message"] for t in data["thanks"]["given"]] == ["Merci pour les badges !"]
    assert [t["message"] for t in data["thanks"]["received"]] == ["Merci pour le café !"]
    assert [(t["minutes"], t["what"]) for t in data["declared_time"]] == [(90, "Accueil du jeudi")]
    assert len(data["onboarding"]["declined_suggestions"]) == 1
    assert data["onboarding"]["first_steps_dismissed_at"]
    assert data["members"]["history_visibility"] == active_member.history_visibility
    assert {"contact_email", "chat_handle"} <= data["members"].keys()
    assert [t["name"] for t in data["account"]["api_tokens"]] == ["Mon script"]


def test_the_export_holds_no_secret(active_member):
    token = ApiToken.objects.get(member=active_member)

    text = signed_in(active_member).post(MY_DATA + "export/").content.decode()

    assert token.token_hash not in text
    assert "token_hash" not in text
    assert "password" not in text


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_a_large_export_is_prepared_by_the_worker_and_emailed_as_a_link(
    active_member, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "DIRECT_EXPORT_MAX_ROWS", 1)
    client = signed_in(active_member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MY_DATA + "export/", follow=True)

    assert "lien pour le télécharger" in response.text
    [message] = [m for m in mail.outbox if m.to == [active_member.email]]
    path = next(word for word in message.body.split() if "/compte/donnees/" in word)
    path = path[path.index("/compte/") :]
    download = client.get(path)
    assert download.status_code == 200
    assert json.loads(download.content)["members"]["display_name"] == active_member.display_name
    assert signed_in(MemberFactory()).get(path).status_code == 403
    secret = path.rstrip("/").rsplit("/", 1)[1]
    assert secret not in str(DataExport.objects.values_list())


def test_the_emailed_link_stops_working_after_24_hours(active_member):
    export = DataExport.objects.create(member=active_member, content={"a": 1})
    notification = Notification(member=active_member, context={"export": export.pk})
    context, _attachments = personal_data.data_export_mint(notification)
    client = signed_in(active_member)
    assert client.get(context["url"]).status_code == 200

    DataExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(context["url"], follow=True)

    assert "expiré" in response.text
    assert personal_data.data_exports_purge() == 1
    assert not DataExport.objects.exists()


def _health_figures():
    today = timezone.localdate()
    span = Period.span(today - datetime.timedelta(days=30), today)
    return health.read(span, SegmentKey.parse("all")).figures


def test_a_wrong_address_deletes_nothing(active_member):
    response = signed_in(active_member).post("/compte/supprimer/", {"confirmation": "oops@x.fr"})

    assert response.status_code == 400
    assert "Tapez exactement votre adresse" in response.text
    assert Member.objects.filter(pk=active_member.pk).exists()


def test_deleting_my_account_erases_me_and_keeps_the_figures(active_member):
    figures_before = _health_figures()
    ledger_before = sorted(
        Contribution.objects.values_list("kind", "subject_id", "at", "domaine", "startup_id")
    )
    client = signed_in(active_member)
    other_session = signed_in(active_member)
    email, pk = active_member.email, active_member.pk

    response = client.post("/compte/supprimer/", {"confirmation": email.upper()}, follow=True)

    assert "Votre compte est supprimé" in response.text
    assert not Member.objects.filter(pk=pk).exists()
    assert not rows_containing(email)
    assert not rows_containing("camille.dupuis")
    assert all(s.get_decoded().get("_auth_user_id") != str(pk) for s in Session.objects.all())
    assert other_session.get("/compte/").status_code == 302
    assert _health_figures() == figures_before
    ledger_after = sorted(
        Contribution.objects.values_list("kind", "subject_id", "at", "domaine", "startup_id")
    )
    assert ledger_after == ledger_before
    placeholder = Member.objects.get(email=PLACEHOLDER_EMAIL)
    colleague = Member.objects.get(display_name="Dominique Martin")
    assert set(Contribution.objects.values_list("member", flat=True)) == {
        placeholder.pk,
        colleague.pk,
    }
    assert not placeholder.is_active


def test_public_writing_stays_signed_ancien_membre(active_member):
    initiative = Initiative.objects.get(title="Un café des nouveaux")
    personal_data.member_erase(active_member)

    comment = Comment.objects.get(body="Je peux apporter le café.")
    assert comment.author.email == PLACEHOLDER_EMAIL
    page = signed_in(MemberFactory()).get(initiative.get_absolute_url()).text
    assert "Ancien membre" in page
    assert Initiative.objects.get(title="Une initiative de Camille").proposer == comment.author
    assert Rsvp.objects.filter(member=comment.author).count() == 1


def test_group_writing_and_thanks_given_stay_signed_ancien_membre(active_member):
    personal_data.member_erase(active_member)

    placeholder = Member.objects.get(email=PLACEHOLDER_EMAIL)
    proposal = Proposal.objects.get(question="Adopte-t-on le guide d’accueil ?")
    assert proposal.author == placeholder
    assert Answer.objects.get(reason="Il est prêt.").member == placeholder
    assert proposal.answers.count() == 2
    assert Decision.objects.get(title="Un binôme par arrivée").recorded_by == placeholder
    assert Thanks.objects.get(message="Merci pour les badges !").giver == placeholder
    assert not Thanks.objects.filter(message="Merci pour le café !").exists()
    assert not JoinRequest.objects.exists()
    assert not TimeDeclaration.objects.exists()
    assert not Decline.objects.exists()
    assert not FirstStepsDismissal.objects.exists()


def test_two_erased_members_who_answered_the_same_proposal_share_one_answer():
    proposal = ProposalFactory()
    first, second = MemberFactory(), MemberFactory()
    for member in (first, second):
        MembershipFactory(group=proposal.group, member=member)
        groups.proposal_answer(actor=member, proposal=proposal, option=proposal.options[0])

    personal_data.member_erase(first)
    personal_data.member_erase(second)

    assert list(proposal.answers.values_list("member__email", flat=True)) == [PLACEHOLDER_EMAIL]


def test_two_erased_members_share_the_placeholder_without_breaking_a_constraint():
    event = EventFactory(title="Apéro")
    first, second = MemberFactory(), MemberFactory()
    for member in (first, second):
        rsvp_register(actor=member, event=event)

    personal_data.member_erase(first)
    personal_data.member_erase(second)

    assert Member.objects.filter(email=PLACEHOLDER_EMAIL).count() == 1
    assert Rsvp.objects.filter(event=event).count() == 1


def test_a_deleted_member_cannot_sign_in(active_member, client, django_capture_on_commit_callbacks):
    email = active_member.email
    personal_data.member_erase(active_member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/connexion/", {"email": email})
    backend = ProConnectBackend.__new__(ProConnectBackend)

    assert mail.outbox == []
    assert not backend.filter_users_by_claims({"email": email}).exists()


def test_the_placeholder_cannot_sign_in_nor_be_found(active_member, client):
    personal_data.member_erase(active_member)
    mail.outbox.clear()

    client.post("/connexion/", {"email": PLACEHOLDER_EMAIL})
    directory = signed_in(MemberFactory()).get("/membres/?q=ancien").text

    assert mail.outbox == []
    assert "Ancien membre" not in directory


def _import(source) -> str:
    out = io.StringIO()
    call_command("import_betagouv", str(source), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_importer_never_brings_a_deleted_member_back(tmp_path):
    source = tmp_path / "betagouv"
    shutil.copytree(FIXTURES, source)
    _import(source)
    jean = Member.objects.get(betagouv_id="jean.dupont")

    personal_data.member_erase(jean)
    output = _import(source)

    assert not Member.objects.filter(betagouv_id="jean.dupont").exists()
    assert not rows_containing("jean.dupont")
    assert ErasedMember.objects.count() == 1
    assert "members: 0 created" in output


def test_imported_members_gone_upstream_who_never_signed_in_are_purged_after_retention():
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=731)
    forgotten = MemberFactory(betagouv_id="parti.depuis", upstream_missing_since=long_ago)
    signed_in_once = MemberFactory(
        betagouv_id="venu.une.fois", upstream_missing_since=long_ago, last_login=long_ago
    )
    recent = MemberFactory(
        betagouv_id="parti.recemment", upstream_missing_since=now - datetime.timedelta(days=10)
    )
    still_there = MemberFactory(betagouv_id="toujours.la")

    assert personal_data.inactive_members_purge(now=now) == 1

    remaining = set(Member.objects.values_list("pk", flat=True))
    assert forgotten.pk not in remaining
    assert {signed_in_once.pk, recent.pk, still_there.pk} <= remaining
    assert ErasedMember.objects.count() == 1


@override_settings(INACTIVE_MEMBER_RETENTION_DAYS=5)
def test_the_retention_period_is_a_setting():
    MemberFactory(
        betagouv_id="parti", upstream_missing_since=timezone.now() - datetime.timedelta(days=6)
    )

    assert personal_data.inactive_members_purge() == 1
