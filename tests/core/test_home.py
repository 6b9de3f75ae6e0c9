"""The home page (SCREENS.md « Accueil »): core composes the sections other apps register."""

import re

import pytest

from tests.events.factories import EventFactory, ShiftFactory, in_days


def headings(page: str, level: int) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", text).strip()
        for text in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page, re.S)
    ]


def main_of(page: str) -> str:
    return page.split('<main id="content"', 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_a_visitor_learns_what_ruche_is_and_sees_the_public_agenda(client):
    EventFactory(title="Apéro ouvert à tous", start=in_days(3))
    EventFactory(title="Réunion entre membres", start=in_days(4), is_public=False)
    EventFactory(title="Apéro de l’an dernier", start=in_days(-300))

    main = main_of(client.get("/").text)

    assert headings(main, 1) == ["Ruche, la vie de la communauté beta.gouv"]
    assert "proposez, lancez-vous ou rejoignez ce qui se fait déjà" in main
    assert 'href="/connexion/"' in main
    assert "Prochains événements publics" in headings(main, 2)
    assert "Apéro ouvert à tous" in main
    assert "Réunion entre membres" not in main
    assert "Apéro de l’an dernier" not in main
    assert "Proposer une initiative" not in main


def test_a_member_gets_the_primary_action_then_the_sections_in_order(member_client, member):
    main = main_of(member_client.get("/").text)

    assert headings(main, 1) == [f"Bonjour {member.get_short_name()}"]
    before_sections = main.split("<h2", 1)[0]
    assert "Proposer une initiative" in before_sections
    # A member with no contribution yet is a newcomer: « Premiers pas » come first.
    assert headings(main, 2) == [
        "Premiers pas",
        "À venir",
        "On a besoin de vous",
        "Ça bouge",
        "Mes engagements",
        "À qui demander",
    ]
    assert "Prochains événements publics" not in main


def test_a_section_with_nothing_to_show_is_left_out(member_client):
    main = main_of(member_client.get("/").text)
    assert "Coups de main cette semaine" not in main

    ShiftFactory(event=EventFactory(start=in_days(2)), label="Préparer le café")
    main = main_of(member_client.get("/").text)

    assert headings(main, 2).index("Coups de main cette semaine") == 3
    assert "Préparer le café" in main


@pytest.mark.django_db
def test_the_animation_team_finds_what_waits_for_it_first_and_in_the_menu(client, animator):
    from ruche.initiatives.models import BudgetRequest
    from ruche.initiatives.services.moderation import report_create
    from tests.factories import MemberFactory
    from tests.initiatives.factories import InitiativeFactory, NeedFactory

    client.force_login(animator)
    calm = main_of(client.get("/").text)
    assert headings(calm, 2)[0] == "Pour l’équipe d’animation"
    assert "Rien n’attend l’équipe d’animation" in calm

    reporter = MemberFactory()
    for target in (InitiativeFactory(), NeedFactory()):
        kind = "initiative" if hasattr(target, "kind") else "need"
        report_create(actor=reporter, target_type=kind, target=target, reason="Pub.")
    initiative = InitiativeFactory()
    BudgetRequest.objects.create(
        initiative=initiative, amount=50, purpose="Café.", requested_by=initiative.proposer
    )
    page = client.get("/").text
    main = main_of(page)
    assert "2 signalements à examiner" in main
    assert "1 demande de budget à décider" in main
    assert 'href="/moderation/#signalements"' in main
    assert 'href="/moderation/#budgets"' in main
    nav = page.split('id="fr-navigation"', 1)[1].split("</nav>", 1)[0]
    assert '<a class="fr-nav__link" href="/moderation/"' in nav
    moderation = client.get("/moderation/").text
    assert 'id="signalements"' in moderation
    assert 'id="budgets"' in moderation


@pytest.mark.django_db
def test_other_members_get_neither_the_block_nor_the_menu_entry(member_client):
    page = member_client.get("/").text
    assert "Pour l’équipe d’animation" not in page
    assert 'href="/moderation/"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("staff", "shown"), [(True, True), (False, False)])
def test_the_admin_link_is_in_the_header_for_staff_only(client, staff, shown):
    from tests.factories import MemberFactory

    client.force_login(MemberFactory(is_staff=staff))
    header = client.get("/membres/").text.split("</header>", 1)[0]
    assert ('href="/admin/"' in header) is shown
    assert ("Administration" in header) is shown
