"""A member's profile, and the startup and incubator pages that list their people."""

import pytest

from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import Competence
from tests.factories import (
    IncubatorFactory,
    MemberFactory,
    MissionFactory,
    OrganisationFactory,
    StartupFactory,
)
from tests.helpers import ANIMATION_TEAM, days_ago


@pytest.fixture
def incubator(db):
    return IncubatorFactory(
        slug="dinum",
        title="Incubateur de la DINUM",
        owner=OrganisationFactory(name="Direction interministérielle du numérique"),
        address="20 avenue de Ségur",
    )


@pytest.fixture
def cantine(incubator):
    return StartupFactory(
        slug="cantine-verte", name="Cantine Verte", incubator=incubator, pitch="Des repas durables."
    )


def test_a_profile_shows_who_the_member_is_and_where_they_work(member_client, cantine):
    ines = MemberFactory(
        display_name="Inès Bernard",
        domaine=Domaine.ANIMATION,
        role="Animatrice",
        transverse_role=ANIMATION_TEAM,
        mission__startups=[cantine],
        mission__status=MissionStatus.ADMIN,
        mission__employer="DINUM",
    )
    ines.competences.set([Competence.objects.create(name="Facilitation")])
    page = member_client.get(ines.get_absolute_url()).text
    assert "<h1>Inès Bernard</h1>" in page
    assert "Animation" in page  # domaine
    assert ANIMATION_TEAM in page  # transverse role
    assert f'<a href="{cantine.get_absolute_url()}">Cantine Verte</a>' in page
    assert "Incubateur de la DINUM" in page
    assert "DINUM, agent·e public·que" in page
    assert "Facilitation" in page
    assert "/membres/?competence=Facilitation" in page
    assert "Ancien·ne membre" not in page


def test_an_alumnus_profile_says_so_and_keeps_past_missions(member_client, cantine):
    alumnus = MemberFactory(display_name="Paul Durand", mission=False)
    MissionFactory(member=alumnus, start=days_ago(800), end=days_ago(30), startups=[cantine])
    page = member_client.get(alumnus.get_absolute_url()).text
    assert "Ancien·ne membre" in page
    assert "Cantine Verte" in page


def test_a_mission_without_status_reads_well(member_client, cantine):
    other = MemberFactory(mission__startups=[cantine], mission__status="", mission__employer="")
    page = member_client.get(other.get_absolute_url()).text
    assert ", ," not in page
    assert "— ," not in page


def test_a_bio_in_markdown_is_rendered_and_sanitised(member_client, db):
    other = MemberFactory(bio="**Bonjour** <script>alert(1)</script>")
    page = member_client.get(other.get_absolute_url()).text
    assert "<strong>Bonjour</strong>" in page
    assert "<script>alert(1)" not in page


def test_only_my_own_profile_offers_to_edit_it(member_client, member):
    assert "Modifier mon profil" in member_client.get(member.get_absolute_url()).text
    other = MemberFactory()
    assert "Modifier mon profil" not in member_client.get(other.get_absolute_url()).text


def test_an_unknown_member_is_not_found(member_client):
    assert member_client.get("/membres/999999/").status_code == 404


def test_a_startup_page_lists_its_team_and_its_alumni_apart(member_client, cantine):
    MemberFactory(display_name="Claire En-Poste", role="Développeuse", mission__startups=[cantine])
    alumnus = MemberFactory(display_name="Paul Parti", mission=False)
    MissionFactory(member=alumnus, start=days_ago(800), end=days_ago(30), startups=[cantine])
    MemberFactory(display_name="Hors Équipe")
    page = member_client.get("/startups/cantine-verte/").text
    team, alumni = page.split("Ancien·nes membres de l’équipe")
    assert "Claire En-Poste" in team
    assert "Développeuse" in team
    assert "Paul Parti" in alumni
    assert "Paul Parti" not in team
    assert "Hors Équipe" not in page
    assert "Des repas durables." in page
    assert 'href="/incubateurs/dinum/"' in page


@pytest.mark.parametrize(
    ("phase", "shown"),
    [
        ("abandon-investigation", "Phase : Arrêtée après l’investigation"),
        ("opere", "Phase : Opérée"),
        ("une-phase-nouvelle", "Phase : une-phase-nouvelle"),
    ],
)
def test_a_startup_page_names_its_phase_in_words(member_client, cantine, phase, shown):
    cantine.phase = phase
    cantine.save()

    assert shown in member_client.get("/startups/cantine-verte/").text


def test_an_empty_startup_says_nobody_is_on_it(member_client, cantine):
    page = member_client.get("/startups/cantine-verte/").text
    assert "Personne n’est en mission sur cette startup en ce moment." in page


def test_the_startup_list_searches_names_and_pitches(member_client, cantine):
    StartupFactory(name="Vélo Signal", pitch="Signaler les pistes cyclables abîmées.")
    assert "Vélo Signal" in member_client.get("/startups/", {"q": "cyclables"}).text
    response = member_client.get("/startups/", {"q": "cantine"})
    assert "Cantine Verte" in response.text
    assert "Vélo Signal" not in response.text
    empty = member_client.get("/startups/", {"q": "zzz"}).text
    assert "Aucune startup ne correspond à « zzz »" in empty


def test_an_incubator_page_lists_its_startups_and_members_in_mission(member_client, cantine):
    MemberFactory(display_name="Claire En-Poste", mission__startups=[cantine])
    alumnus = MemberFactory(display_name="Paul Parti", mission=False)
    MissionFactory(member=alumnus, start=days_ago(800), end=days_ago(30), startups=[cantine])
    MemberFactory(display_name="Ailleurs")
    page = member_client.get("/incubateurs/dinum/").text
    assert "Direction interministérielle du numérique" in page
    assert 'href="/startups/cantine-verte/"' in page
    assert "Claire En-Poste" in page
    assert "1 membre en mission" in page
    assert "Paul Parti" not in page
    assert "Ailleurs" not in page


def test_the_incubator_list_counts_startups(member_client, cantine):
    StartupFactory(incubator=cantine.incubator)
    IncubatorFactory(title="Fabrique vide")
    page = " ".join(member_client.get("/incubateurs/").text.split())
    assert "Incubateur de la DINUM</a> — 2 startups" in page
    assert "Fabrique vide</a> — 0 startup" in page


def test_directory_pages_link_to_each_other(member_client, db):
    for url in ("/membres/", "/startups/", "/incubateurs/"):
        page = member_client.get(url).text
        assert 'aria-current="page"' in page
        for target in ('href="/membres/"', 'href="/startups/"', 'href="/incubateurs/"'):
            assert target in page


def test_detail_pages_have_a_breadcrumb_back_to_their_list(member_client, cantine, member):
    for url, parent in (
        (member.get_absolute_url(), "/membres/"),
        (cantine.get_absolute_url(), "/startups/"),
        (cantine.incubator.get_absolute_url(), "/incubateurs/"),
    ):
        page = member_client.get(url).text
        assert 'class="fr-breadcrumb"' in page
        assert f'<a class="fr-breadcrumb__link" href="{parent}">' in page
