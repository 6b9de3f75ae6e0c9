import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruche.engagement.models import TimeDeclaration
from ruche.engagement.services import record, thanks_give, time_declare
from ruche.groups.models import WorkingGroup
from ruche.members.enums import HistoryVisibility
from ruche.onboarding.models import ChatRoom
from tests.events.factories import EventFactory, ShiftFactory
from tests.factories import MemberFactory
from tests.groups.factories import WorkingGroupFactory
from tests.helpers import assert_constant_queries
from tests.initiatives.factories import InitiativeFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_sengager_says_what_engagement_is_and_leads_to_next_steps(member_client):
    shift = ShiftFactory(label="Préparer le café")
    ChatRoom.objects.create(name="Sujets", purpose="Un sujet", url="https://matrix.to/#/#s:x")
    ChatRoom.objects.create(
        name="Général", purpose="Tout", url="https://matrix.to/#/#g:x", is_general=True
    )

    page = member_client.get("/sengager/").text

    assert "Personne n’est obligé" in page
    assert "Premiers pas" in page
    assert "Préparer le café" in page
    assert "Pourquoi vous : personne n’a encore pris ce créneau" in page
    assert f'action="/sengager/suggestions/shift-{shift.pk}/agir/"' in page
    assert page.index("Général") < page.index("Sujets")


def test_taking_a_slot_from_sengager_ticks_the_first_step(client):
    member = MemberFactory(mission__start=timezone.localdate() - datetime.timedelta(days=20))
    client.force_login(member)
    member_client = client
    shift = ShiftFactory()

    response = member_client.post(
        f"/sengager/suggestions/shift-{shift.pk}/agir/", {"next": "/sengager/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/sengager/"
    assert shift.signups.filter(member=member).exists()
    page = response.text
    step = page[page.index("Premiers pas") :]
    assert "fait</span>\n          Prendre un créneau bénévole" in step


def test_pas_pour_moi_removes_the_suggestion(member_client):
    shift = ShiftFactory(label="Ranger la salle")

    member_client.post(f"/sengager/suggestions/shift-{shift.pk}/pas-pour-moi/")

    assert "Ranger la salle" not in member_client.get("/sengager/").text


def test_the_first_steps_block_can_be_put_away_from_the_home_page(member_client):
    assert "Premiers pas" in member_client.get("/").text

    member_client.post("/sengager/premiers-pas/ranger/", {"next": "/"})

    assert "Premiers pas" not in member_client.get("/").text


def test_sengager_runs_as_many_queries_in_a_larger_community(member_client):
    def add(count):
        for _i in range(count):
            ShiftFactory(event=EventFactory(capacity=10))

    assert_constant_queries(member_client, "/sengager/", add, few=3, many=30)


def test_a_member_thanks_another_and_it_shows_on_the_profile(client, member):
    organiser = MemberFactory(display_name="Awa Diallo")
    event = EventFactory(title="Apéro de rentrée")
    record(member=organiser, kind="organised", subject_type="event", subject_id=event.pk)
    client.force_login(member)

    form = client.get(organiser.get_absolute_url()).text
    assert "Dire merci à Awa Diallo" in form
    response = client.post(
        f"/membres/{organiser.pk}/merci/",
        {"subject": f"event-{event.pk}", "message": "Quelle soirée !"},
        follow=True,
    )

    page = response.text
    assert "Merci transmis à Awa Diallo." in page
    thanks = page[page.index('id="mercis"') :]
    assert "Apéro de rentrée" in thanks
    assert "Quelle soirée !" in thanks


def test_history_by_year_and_hidden_when_the_member_keeps_it_to_themselves(client, member):
    other = MemberFactory(display_name="Louis Martin")
    event = EventFactory(title="Café des nouveaux")
    record(member=other, kind="organised", subject_type="event", subject_id=event.pk)
    thanks_give(actor=member, receiver=other, subject_type="event", subject_id=event.pk)
    client.force_login(member)

    page = client.get(other.get_absolute_url()).text
    assert f'<h3 class="fr-h6">{timezone.now().year}</h3>' in page
    assert "Café des nouveaux" in page

    other.history_visibility = HistoryVisibility.ONLY_ME
    other.save()
    page = client.get(other.get_absolute_url()).text
    assert "Café des nouveaux" not in page
    assert "garde son historique" in page
    assert "Mercis reçus" in page
    assert "garde pour lui ou elle les mercis" in page

    client.force_login(other)
    assert "Café des nouveaux" in client.get(other.get_absolute_url()).text


def test_contact_ways_show_on_an_event_page_to_members_only(client, member):
    organiser = MemberFactory(chat_handle="@awa:agent.tchap.gouv.fr")
    event = EventFactory(created_by=organiser)

    assert "@awa:agent.tchap.gouv.fr" not in client.get(event.get_absolute_url()).text
    client.force_login(member)
    page = client.get(event.get_absolute_url()).text
    assert "Qui contacter" in page
    assert "@awa:agent.tchap.gouv.fr" in page


def test_a_member_declares_three_hours_and_downloads_the_month(member_client, member):
    today = timezone.localdate()

    response = member_client.post(
        "/compte/temps/",
        {"day": today.isoformat(), "hours": 3, "minutes": 0, "what": "Atelier accessibilité"},
        follow=True,
    )

    assert "C’est noté : 3 h." in response.text
    assert "Total du mois : <strong>3 h</strong> sur 15 h 24 (19 %)" in response.text
    export = member_client.get(f"/compte/temps/export.csv?mois={today:%Y-%m}")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][:3] == [today.isoformat(), "180", "3.00"]
    assert rows[1][5] == "Atelier accessibilité"
    assert rows[-1][:2] == ["total", "180"]
    statement = member_client.get(f"/compte/temps/releve/?mois={today:%Y-%m}").text
    assert "Atelier accessibilité" in statement
    assert "pour 15 h 24 permises" in statement


def test_the_time_form_says_what_is_wrong(member_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = member_client.post(
        "/compte/temps/", {"day": tomorrow.isoformat(), "hours": 0, "minutes": 0, "what": "x"}
    )

    assert response.status_code == 400
    assert "plus de zéro minute" in response.text
    assert not TimeDeclaration.objects.exists()


def test_the_animation_team_sees_only_aggregates_over_five_members(client, animator):
    today = timezone.localdate()
    for _i in range(4):
        time_declare(actor=MemberFactory(), day=today, minutes=120, what="Secret de Polichinelle")
    client.force_login(animator)

    page = client.get("/compte/temps/").text
    assert "Moins de cinq membres" in page
    assert "Secret de Polichinelle" not in page

    time_declare(actor=MemberFactory(), day=today, minutes=60, what="Autre")
    page = client.get("/compte/temps/").text
    assert "<td>5</td>" in page
    assert "<td>9 h</td>" in page
    assert "Secret de Polichinelle" not in page


def test_an_ordinary_member_sees_no_community_figures(member_client):
    assert "Dans toute la communauté" not in member_client.get("/compte/temps/").text


def test_joining_a_club_from_sengager_ticks_the_first_step(client):
    from ruche.groups.enums import GroupKind
    from ruche.groups.models import Membership, WorkingGroup
    from ruche.members.enums import Domaine

    member = MemberFactory(
        domaine=Domaine.DESIGN,
        mission__start=timezone.localdate() - datetime.timedelta(days=20),
    )
    club = WorkingGroup.objects.create(name="Club design", slug="club-design", kind=GroupKind.CLUB)
    Membership.objects.create(group=club, member=MemberFactory(domaine=Domaine.DESIGN))
    client.force_login(member)
    assert "un club de votre domaine" in client.get("/sengager/").text

    response = client.post(
        f"/sengager/suggestions/group-{club.pk}/agir/", {"next": "/sengager/"}, follow=True
    )

    assert "Bienvenue dans le groupe !" in response.text
    page = response.text
    step = page[page.index("Premiers pas") :]
    assert "fait</span>\n          Suivre un club de votre domaine" in step


def test_the_animation_team_keeps_the_chat_rooms(client, animator, member):
    client.force_login(animator)
    response = client.post(
        "/sengager/salons/",
        {"name": "Général", "purpose": "Tout", "url": "https://matrix.to/#/#g:x", "position": 0},
        follow=True,
    )
    assert "Salon ajouté." in response.text
    refused = client.post(
        "/sengager/salons/",
        {"name": "Pirate", "purpose": "x", "url": "javascript:alert(1)", "position": 0},
    )
    assert refused.status_code == 400
    assert "Donnez un lien https" in refused.text or "Saisissez une URL valide" in refused.text

    client.force_login(member)
    assert (
        client.post(
            "/sengager/salons/",
            {"name": "X", "purpose": "x", "url": "https://matrix.to/#/#x:x.fr", "position": 0},
        ).status_code
        == 403
    )
    assert list(ChatRoom.objects.values_list("name", flat=True)) == ["Général"]


def _profile_queries(client, member) -> tuple[int, str]:
    client.get(member.get_absolute_url())  # warms per-process caches (content types…)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(member.get_absolute_url()).text
    return len(queries), page


def test_a_profile_runs_the_same_queries_whatever_the_member_did(client, member):
    """One query describes every subject of the page, whichever types the member touched."""
    quiet = MemberFactory(display_name="Membre discret")
    busy = MemberFactory(display_name="Membre engagé")
    subjects = {
        "initiative": InitiativeFactory(title="Potager partagé").pk,
        "need": NeedFactory(title="Besoin de relecteurs").pk,
        "event": EventFactory(title="Apéro de rentrée").pk,
        "shift": ShiftFactory(label="Accueil", event__title="Forum").pk,
        "group": WorkingGroupFactory(name="Groupe accessibilité").pk,
    }
    hidden = InitiativeFactory(title="Initiative masquée", hidden=True)
    record(member=busy, kind="joined", subject_type="initiative", subject_id=hidden.pk)
    giver = MemberFactory(display_name="Awa Diallo")
    for subject_type, subject_id in subjects.items():
        record(member=busy, kind="joined", subject_type=subject_type, subject_id=subject_id)
        if subject_type != "group":
            thanks_give(
                actor=giver, receiver=busy, subject_type=subject_type, subject_id=subject_id
            )
    client.force_login(member)

    quiet_count, _page = _profile_queries(client, quiet)
    busy_count, page = _profile_queries(client, busy)

    assert busy_count == quiet_count
    history = page[page.index('id="engagement"') :]
    thanks = page[page.index('id="mercis"') : page.index('id="engagement"')]
    for title in ("Potager partagé", "Besoin de relecteurs", "Apéro de rentrée"):
        assert title in history
        assert title in thanks
    assert "Accueil — Forum" in history
    assert "Accueil — Forum" in thanks
    assert "Groupe accessibilité" in history
    group = WorkingGroup.objects.get(pk=subjects["group"])
    assert f'href="{group.get_absolute_url()}"' in history
    assert page.count("<option value=") == len(subjects)
    assert "Initiative masquée" not in page
