"""List pages run the same number of queries whatever the number of rows."""

import itertools

import pytest

from ruche.members.enums import Domaine
from ruche.members.models import Competence
from tests.factories import IncubatorFactory, MemberFactory, MissionFactory, StartupFactory
from tests.helpers import ANIMATION_TEAM, assert_constant_queries, days_ago

counter = itertools.count()


def _member(startups, competences, *, alumnus=False):
    number = next(counter)
    member = MemberFactory(
        display_name=f"Membre {number:04}",
        domaine=list(Domaine)[number % len(Domaine)],
        transverse_role=ANIMATION_TEAM if number % 7 == 0 else "",
        mission=False,
    )
    MissionFactory(
        member=member,
        start=days_ago(500),
        end=days_ago(10) if alumnus else None,
        startups=startups,
    )
    member.competences.set(competences)
    return member


@pytest.fixture
def competences(db):
    return [Competence.objects.create(name=name) for name in ("Django", "Design", "Data")]


def test_the_member_directory(member_client, competences):
    def add(count):
        for _ in range(count):
            incubator = IncubatorFactory()
            startups = [StartupFactory(incubator=incubator), StartupFactory(incubator=incubator)]
            _member(startups, competences[:2], alumnus=next(counter) % 5 == 0)

    assert_constant_queries(member_client, "/membres/", add)


def test_the_member_directory_filtered(member_client, competences):
    incubator = IncubatorFactory(slug="dinum")

    def add(count):
        for _ in range(count):
            _member([StartupFactory(incubator=incubator)], competences)

    assert_constant_queries(
        member_client, "/membres/?incubator=dinum&competence=django&status=active&q=membre", add
    )


def test_the_startup_list(member_client):
    def add(count):
        for _ in range(count):
            StartupFactory(incubator=IncubatorFactory())

    assert_constant_queries(member_client, "/startups/", add)


def test_the_incubator_list(member_client):
    def add(count):
        for _ in range(count):
            StartupFactory(incubator=IncubatorFactory())

    assert_constant_queries(member_client, "/incubateurs/", add)


def test_an_incubator_page(member_client, competences):
    incubator = IncubatorFactory(slug="dinum")

    def add(count):
        for _ in range(count):
            startup = StartupFactory(incubator=incubator)
            _member([startup, StartupFactory()], competences)

    assert_constant_queries(member_client, "/incubateurs/dinum/", add)


def test_a_startup_page(member_client, competences):
    startup = StartupFactory(slug="cantine")

    def add(count):
        for _ in range(count):
            _member([startup], competences, alumnus=next(counter) % 2 == 0)

    assert_constant_queries(member_client, "/startups/cantine/", add)


def test_a_member_profile(member_client, competences):
    """A profile lists missions, startups and competences: as many as the member has."""
    member = _member([StartupFactory()], competences)

    def add(count):
        for _ in range(count):
            MissionFactory(member=member, startups=[StartupFactory(), StartupFactory()])
            member.competences.add(Competence.objects.create(name=f"Compétence {next(counter)}"))
            member.previous_startups.add(StartupFactory())

    assert_constant_queries(member_client, member.get_absolute_url(), add, few=3, many=30)


def test_the_check_catches_an_n_plus_one(member_client, competences, monkeypatch):
    from ruche.members.models import MemberQuerySet

    monkeypatch.setattr(MemberQuerySet, "with_missions", lambda queryset: queryset)

    def add(count):
        for _ in range(count):
            _member([StartupFactory()], competences)

    with pytest.raises(AssertionError, match=r"runs \d+ queries with 10 rows but \d+ with 30"):
        assert_constant_queries(member_client, "/membres/", add, many=30)
