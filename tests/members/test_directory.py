import re

import pytest

from ruche.members.enums import Domaine
from ruche.members.models import Competence, Member
from tests.factories import IncubatorFactory, MemberFactory, MissionFactory, StartupFactory
from tests.helpers import days_ago

CARD_TITLE = re.compile(r'<h3 class="fr-card__title">\s*<a href="[^"]+">([^<]+)</a>')


def listed(response) -> list[str]:
    assert response.status_code == 200
    return CARD_TITLE.findall(response.text)


@pytest.fixture
def directory(db):
    incubator = IncubatorFactory(slug="dinum", title="Incubateur de la DINUM")
    cantine = StartupFactory(slug="cantine-verte", name="Cantine Verte", incubator=incubator)
    velo = StartupFactory(slug="velo-signal", name="Vélo Signal")
    django = Competence.objects.create(name="Django")
    eloise = MemberFactory(
        display_name="Éloïse Bérenger", domaine=Domaine.DESIGN, mission__startups=[cantine]
    )
    eloise.competences.add(django)
    marc = MemberFactory(display_name="Marc Dupont", mission__startups=[velo])
    alumna = MemberFactory(display_name="Zoé Ancienne", mission=False)
    MissionFactory(member=alumna, start=days_ago(800), end=days_ago(30), startups=[cantine])
    return {"eloise": eloise, "marc": marc, "alumna": alumna}


def test_the_directory_lists_members_in_alphabetical_order_accents_aside(member_client, db):
    startup = StartupFactory()
    for name in ("Zoé Zola", "Élodie Martin", "Denis Roy", "fanny Lune", "Emma Petit"):
        MemberFactory(display_name=name, domaine=Domaine.DATA, mission__startups=[startup])
    names = listed(member_client.get("/membres/", {"domaine": "data"}))
    assert names == ["Denis Roy", "Élodie Martin", "Emma Petit", "fanny Lune", "Zoé Zola"]


@pytest.mark.parametrize("query", ["eloise", "BERENGER", "Éloïse bérenger", "eloi"])
def test_a_name_search_ignores_accents_and_case(member_client, directory, query):
    assert listed(member_client.get("/membres/", {"q": query})) == ["Éloïse Bérenger"]


def test_members_are_found_by_startup_name_or_id(member_client, directory):
    by_slug = listed(member_client.get("/membres/", {"startup": "velo-signal"}))
    assert by_slug == ["Marc Dupont"]
    by_name = listed(member_client.get("/membres/", {"startup": "cantine"}))
    assert by_name == ["Éloïse Bérenger", "Zoé Ancienne"]


def test_members_are_found_by_incubator(member_client, directory):
    assert listed(member_client.get("/membres/", {"incubator": "dinum"})) == [
        "Éloïse Bérenger",
        "Zoé Ancienne",
    ]


def test_the_incubator_filter_offers_every_incubator(member_client, directory):
    response = member_client.get("/membres/")
    assert '<option value="dinum">Incubateur de la DINUM</option>' in response.text


def test_members_are_found_by_domaine(member_client, directory):
    assert listed(member_client.get("/membres/", {"domaine": "design"})) == ["Éloïse Bérenger"]


def test_members_are_found_by_competence_whatever_its_case(member_client, directory):
    assert listed(member_client.get("/membres/", {"competence": "django"})) == ["Éloïse Bérenger"]


def test_active_members_and_alumni_are_told_apart(member_client, directory):
    active = listed(member_client.get("/membres/", {"status": "active"}))
    alumni = listed(member_client.get("/membres/", {"status": "alumni"}))
    assert "Marc Dupont" in active
    assert "Zoé Ancienne" not in active
    assert alumni == ["Zoé Ancienne"]
    assert "Ancien·ne membre" in member_client.get("/membres/", {"status": "alumni"}).text


def test_filters_combine(member_client, directory):
    both = listed(member_client.get("/membres/", {"startup": "cantine", "status": "active"}))
    assert both == ["Éloïse Bérenger"]


def test_closed_accounts_are_not_listed(member_client, directory):
    directory["marc"].is_active = False
    directory["marc"].save()
    assert "Marc Dupont" not in listed(member_client.get("/membres/"))


def test_no_match_says_what_to_do(member_client, directory):
    response = member_client.get("/membres/", {"q": "personne de ce nom"})
    assert listed(response) == []
    assert "0 membre" in response.text
    assert "Essayez un autre nom ou retirez un filtre" in response.text


def test_an_unknown_filter_value_is_ignored_rather_than_an_error(member_client, directory):
    everyone = listed(member_client.get("/membres/"))
    response = member_client.get("/membres/", {"domaine": "astronaute", "status": "x"})
    assert listed(response) == everyone
    assert "Éloïse Bérenger" in everyone


def test_pagination_keeps_the_filters(member_client, db):
    startup = StartupFactory()
    for index in range(30):
        MemberFactory(
            display_name=f"Designer {index:02}", domaine=Domaine.DESIGN, mission__startups=[startup]
        )
    MemberFactory(display_name="Développeuse", domaine=Domaine.DEVELOPPEMENT)
    first = member_client.get("/membres/", {"domaine": "design"})
    assert len(listed(first)) == 24
    assert "30 membres" in first.text
    assert 'href="?domaine=design&amp;page=2"' in first.text
    second = listed(member_client.get("/membres/", {"domaine": "design", "page": 2}))
    assert second == [f"Designer {index:02}" for index in range(24, 30)]


def test_a_page_number_out_of_range_shows_the_last_page(member_client, directory):
    assert listed(member_client.get("/membres/", {"page": 99})) != []


def test_the_name_search_follows_each_write_at_once(member_client):
    """The trigram index (ruche/members/trigrams.py) follows inserts, renames and deletions;
    words shorter than a trigram and words with quotes are found too."""
    someone = MemberFactory(display_name="Zébulon Quartz", role='Dév "front"')

    def found(q: str) -> bool:
        return someone.get_absolute_url() in member_client.get("/membres/", {"q": q}).text

    for query in ("zebulon", "quartz", "ze", '"front"'):
        assert found(query), query
    someone.display_name = "Ophélie Quartz"
    someone.save()
    assert found("ophelie")
    assert not found("zebulon")
    Member.objects.filter(pk=someone.pk).update(search_text="tout autre texte")
    assert found("autre")
    assert not found("ophelie")
