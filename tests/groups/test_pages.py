import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ruche.groups.enums import MembershipPolicy, MembershipRole
from ruche.groups.models import Decision, JoinRequest, WorkingGroup
from ruche.initiatives.enums import InitiativeKind
from tests.events.factories import EventFactory
from tests.factories import MemberFactory
from tests.groups.factories import (
    DecisionFactory,
    MembershipFactory,
    ProposalFactory,
    WorkingGroupFactory,
)
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, member=None):
    member = member or MemberFactory()
    client.force_login(member)
    return member


def test_groups_are_in_the_main_navigation(client):
    _signed_in(client)
    assert reverse("groups:group-list") in client.get("/").content.decode()


def test_the_list_says_what_each_group_is_for_and_how_many_members(client):
    group = WorkingGroupFactory(description="Mieux accueillir les arrivant·es.")
    MembershipFactory(group=group)
    MembershipFactory(group=group, role=MembershipRole.OBSERVER)
    page = client.get(reverse("groups:group-list")).content.decode()
    assert "Mieux accueillir les arrivant·es." in page
    assert "1 membre" in page
    assert "pas de rencontre prévue" in page


def test_the_list_searches_name_and_mandate_and_filters(client):
    WorkingGroupFactory(name="Club des designers", kind="club")
    WorkingGroupFactory(name="Accueil", mandate="Un guide pour les designers arrivant·es.")
    WorkingGroupFactory(name="Données")
    page = client.get(reverse("groups:group-list"), {"q": "designers"}).content.decode()
    assert "2 groupes" in page
    page = client.get(reverse("groups:group-list"), {"q": "designers", "kind": "club"})
    assert "1 groupe" in page.content.decode()


def test_a_group_past_its_review_shows_a_review_badge_until_a_lead_confirms(client):
    lead = _signed_in(client)
    group = WorkingGroupFactory(lead=lead, review_on=timezone.localdate() - datetime.timedelta(1))
    assert (
        "à revoir" in client.get(reverse("groups:group-list"), {"to_review": "on"}).content.decode()
    )
    assert "Ce groupe est à revoir" in client.get(group.get_absolute_url()).content.decode()
    response = client.post(reverse("groups:group-review", args=[group.slug]), {})
    assert response.status_code == 302
    assert "Ce groupe est à revoir" not in client.get(group.get_absolute_url()).content.decode()


def test_the_animation_team_sees_groups_past_their_review(client):
    _signed_in(client, MemberFactory(transverse_role="Animation"))
    late = WorkingGroupFactory(review_on=timezone.localdate() - datetime.timedelta(days=3))
    WorkingGroupFactory(name="À jour")
    page = client.get(reverse("groups:group-review-list")).content.decode()
    assert late.name in page
    assert "À jour" not in page


def test_visitors_see_counts_and_members_see_names(client):
    group = WorkingGroupFactory(lead=MemberFactory(display_name="Camille Lead"))
    MembershipFactory(group=group, member=MemberFactory(display_name="Dominique Membre"))
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Dominique Membre" not in page
    assert "Camille Lead" not in page
    assert "2 membres" in page
    _signed_in(client)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Dominique Membre" in page
    assert "Camille Lead" in page


def test_a_member_creates_a_group_from_the_form(client):
    _signed_in(client)
    response = client.post(
        reverse("groups:group-create"),
        {"name": "Égalité", "kind": "group", "mandate": "Une charte.", "membership": "open"},
    )
    group = WorkingGroup.objects.get()
    assert response.url == group.get_absolute_url()


def test_the_form_says_what_is_wrong_and_saves_nothing(client):
    _signed_in(client)
    WorkingGroupFactory(name="Égalité")
    response = client.post(
        reverse("groups:group-create"),
        {
            "name": "égalité",
            "kind": "group",
            "mandate": "",
            "membership": "open",
            "chat_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "s’appelle déjà" in page
    assert "mandat" in page
    assert "https://" in page
    assert WorkingGroup.objects.count() == 1


def test_the_initiative_page_offers_to_create_the_group(client):
    lead = _signed_in(client)
    initiative = InitiativeFactory(lead=lead, kind=InitiativeKind.WORKING_GROUP)
    url = reverse("groups:group-from-initiative", args=[initiative.pk])
    assert url in client.get(initiative.get_absolute_url()).content.decode()
    response = client.post(url)
    group = WorkingGroup.objects.get()
    assert response.url == group.get_absolute_url()
    assert group.get_absolute_url() in client.get(initiative.get_absolute_url()).content.decode()


def test_a_lead_accepts_a_request_from_the_group_page(client):
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead, membership=MembershipPolicy.ON_REQUEST)
    asking = _signed_in(client)
    client.post(reverse("groups:group-join", args=[group.slug]), {"message": "Bonjour !"})
    assert group.role_of(asking) is None
    _signed_in(client, lead)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Bonjour !" in page
    request = JoinRequest.objects.get()
    client.post(
        reverse("groups:join-request-answer", args=[group.slug, request.pk]),
        {"action": "accepter", "message": "Bienvenue"},
    )
    assert group.role_of(asking) == MembershipRole.MEMBER


def test_a_proposal_is_answered_and_closed_into_the_log_and_its_feed(client):
    lead = MemberFactory()
    group = WorkingGroupFactory(lead=lead)
    member = MembershipFactory(group=group).member
    _signed_in(client, member)
    response = client.post(
        reverse("groups:proposal-create", args=[group.slug]),
        {"question": "On adopte la charte ?", "closes_on": timezone.localdate().isoformat()},
    )
    proposal = group.proposals.get()
    assert response.url == proposal.get_absolute_url()
    client.post(
        proposal.get_absolute_url(), {"option": "objection bloquante", "reason": "Trop tôt"}
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Trop tôt" in page
    assert member.display_name in page
    _signed_in(client, lead)
    client.post(
        reverse("groups:proposal-close", args=[group.slug, proposal.pk]),
        {"outcome": "Charte adoptée après amendement"},
    )
    decision = Decision.objects.get()
    assert decision.counts["objection bloquante"] == 1
    assert (
        "Charte adoptée après amendement" in client.get(group.get_absolute_url()).content.decode()
    )
    feed = client.get(reverse("groups:decision-feed", args=[group.slug])).content.decode()
    assert "Charte adoptée après amendement" in feed
    assert "objection bloquante : 1" in feed


def test_a_past_closing_date_is_refused_on_the_form(client):
    group = WorkingGroupFactory()
    _signed_in(client, MembershipFactory(group=group).member)
    response = client.post(
        reverse("groups:proposal-create", args=[group.slug]),
        {"question": "Trop tard ?", "closes_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "passée" in response.content.decode()
    assert not group.proposals.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_and_the_group_page_cost_the_same_for_10_or_200_groups_and_decisions(client):
    member = _signed_in(client)
    group = WorkingGroupFactory(lead=member)
    ProposalFactory(group=group)

    def fill(n):
        for _ in range(n):
            other = WorkingGroupFactory(lead=MemberFactory())
            MembershipFactory(group=other)
            DecisionFactory(group=group)

    urls = [
        reverse("groups:group-list"),
        group.get_absolute_url(),
        reverse("groups:decision-feed", args=[group.slug]),
    ]
    fill(10)
    few = [_queries(client, url) for url in urls]
    fill(190)
    assert [_queries(client, url) for url in urls] == few


def test_a_kept_group_card_shows_what_changed_since(client):
    """The cards are kept once rendered (groups/_group_card.html): each change to what a card
    shows must show on the next visit."""
    url = reverse("groups:group-list")
    group = WorkingGroupFactory(name="Accueil", description="Mieux accueillir.")
    MembershipFactory(group=group)
    first = client.get(url).content.decode()
    assert "1 membre" in first
    assert "pas de rencontre prévue" in first

    MembershipFactory(group=group)
    assert "2 membres" in client.get(url).content.decode()
    WorkingGroup.objects.filter(pk=group.pk).update(name="Bienvenue", description="Autrement.")
    page = client.get(url).content.decode()
    assert "Bienvenue" in page
    assert "Autrement." in page
    assert "Mieux accueillir." not in page
    EventFactory(group=group, start=timezone.now() + datetime.timedelta(days=3))
    assert "prochaine rencontre le" in client.get(url).content.decode()
    WorkingGroup.objects.filter(pk=group.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "à revoir" in client.get(url).content.decode()
