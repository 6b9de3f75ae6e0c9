"""The search across Ruche (/recherche/, the header's search bar): one page, a few results of
each kind the apps register, the most relevant first, each kind with a link to its full list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruche.core.registry import registry
from tests.events.factories import EventFactory, in_days
from tests.factories import MemberFactory
from tests.helpers import assert_constant_queries
from tests.initiatives.factories import InitiativeFactory, NeedFactory
from tests.initiatives.html import fragment, text_of

pytestmark = pytest.mark.django_db


def section(page: str, kind: str) -> str:
    return text_of(fragment(page, f"resultats-{kind}"))


def group(page: str, kind: str) -> str:
    """The whole block of one kind (heading, hits, « more » link)."""
    start = page.index(f'aria-labelledby="resultats-{kind}"')
    return page[start : page.index("</section>", start)]


def test_every_kind_registers_its_results_in_order():
    assert [provider.name for provider in registry.search] == [
        "initiatives",
        "needs",
        "events",
        "groups",
        "members",
    ]


def test_one_search_finds_initiatives_needs_events_and_members_by_kind(member_client):
    InitiativeFactory(title="Apéro de rentrée à Lyon")
    NeedFactory(title="Trop peu d’apéros en région")
    EventFactory(title="Apéro de la communauté", start=in_days(5))
    MemberFactory(display_name="Élodie Apérot", role="Sommelière")
    InitiativeFactory(title="Atelier vélo")

    page = member_client.get("/recherche/", {"q": "apéro"}).text

    assert "Apéro de rentrée à Lyon" in group(page, "initiatives")
    assert "Trop peu d’apéros en région" in group(page, "needs")
    assert "Apéro de la communauté" in group(page, "events")
    assert "Élodie Apérot" in group(page, "members")
    assert "Sommelière" in group(page, "members")
    assert "Atelier vélo" not in page
    assert "4 résultats pour « apéro »" in text_of(page)


def test_each_kind_shows_five_and_links_to_its_full_list(member_client):
    for number in range(7):
        InitiativeFactory(title=f"Atelier accessibilité {number}")
    NeedFactory(title="Accessibilité des formulaires")

    page = member_client.get("/recherche/", {"q": "accessibilité"}).text

    initiatives = group(page, "initiatives")
    assert initiatives.count("Atelier accessibilité") == 5
    assert 'href="/initiatives/?q=accessibilit%C3%A9"' in initiatives
    assert "Voir les 7 résultats" in initiatives
    assert "Voir les" not in group(page, "needs")  # one need: all of it is shown
    full = member_client.get("/initiatives/?q=accessibilit%C3%A9").text
    assert "7 initiatives pour « accessibilité »" in text_of(full)


def test_each_full_list_takes_the_words(member_client):
    EventFactory(title="Café du mardi", start=in_days(2))
    EventFactory(title="Balade à vélo", start=in_days(3))
    MemberFactory(display_name="Camille Laurent")
    NeedFactory(title="Pas de café le matin")

    agenda = member_client.get("/evenements/", {"q": "café"}).text
    assert "Café du mardi" in agenda
    assert "Balade à vélo" not in agenda
    assert "Camille Laurent" in member_client.get("/membres/", {"q": "camille"}).text
    assert "Pas de café le matin" in member_client.get("/besoins/", {"q": "cafe"}).text


def test_what_a_member_may_not_see_is_not_found(member_client):
    InitiativeFactory(title="Tandem caché", hidden=True)
    NeedFactory(title="Tandem masqué", hidden=True)
    EventFactory(title="Tandem d’hier", start=in_days(-3))
    MemberFactory(display_name="Tandem Fermé", is_active=False)

    page = member_client.get("/recherche/", {"q": "tandem"}).text

    assert "0 résultat pour « tandem »" in text_of(page)
    assert "Rien de ce côté." in page


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("apéro\x00", 400, ""),
        ("a" * 201, 400, "Votre recherche est trop longue : 200 caractères au plus"),
        ("'\"%_*:()", 200, "0 résultat"),
        ("   ", 200, "quelques mots suffisent"),
    ],
)
def test_bad_input_answers_a_clear_page_never_an_error(member_client, query, status, message):
    InitiativeFactory(title="Apéro")
    MemberFactory(display_name="Zoé Durand")

    response = member_client.get("/recherche/", {"q": query})

    assert response.status_code == status
    assert message in text_of(response.text)
    assert "Apéro</a>" not in response.text


def test_signed_out_visitors_are_asked_to_sign_in_and_get_no_search_bar(client):
    response = client.get("/recherche/", {"q": "apéro"})
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")
    assert 'id="recherche-entete"' not in client.get("/").text


def test_every_page_has_the_search_bar_for_members(member_client):
    header = member_client.get("/membres/").text.split("</header>")[0]
    assert 'action="/recherche/"' in header
    assert 'aria-controls="modal-search"' in header


def test_the_search_runs_the_same_queries_for_10_or_200_of_each_kind(member_client):
    def add(count):
        for number in range(count):
            InitiativeFactory(title=f"Café {number}")
            NeedFactory(title=f"Pas de café {number}")
            EventFactory(title=f"Café {number}", start=in_days(number % 30 + 1))
            MemberFactory(display_name=f"Cafédji {number}")

    queries = assert_constant_queries(member_client, "/recherche/?q=caf%C3%A9", add)
    with CaptureQueriesContext(connection) as page_alone:
        member_client.get("/recherche/")
    # Two per kind at most: its hits and their count (members' count comes with their hits).
    assert queries <= len(page_alone) + 2 * len(registry.search)


def test_the_members_total_counts_every_match_not_only_those_shown(member_client):
    for number in range(7):
        MemberFactory(display_name=f"Cafédji {number}")
    MemberFactory(display_name="Cafédji parti", is_active=False)

    page = member_client.get("/recherche/", {"q": "cafedji"}).text

    members = group(page, "members")
    assert members.count("Cafédji") == 5
    assert "Voir les 7 résultats" in members
    assert "Voir les" not in group(member_client.get("/recherche/", {"q": "zzz"}).text, "members")
