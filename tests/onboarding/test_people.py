"""Engaged colleagues on the home page: who is shown, in which order, and who never is."""

import datetime

import pytest
from django.utils import timezone

from ruche.engagement.services import record
from ruche.members.enums import HistoryVisibility
from ruche.onboarding.people import engaged_colleagues
from tests.factories import MemberFactory, MissionFactory, StartupFactory

pytestmark = pytest.mark.django_db


def colleague(startup, *, acted_days_ago=1, **fields):
    person = MemberFactory(mission=False, **fields)
    MissionFactory(member=person, startups=[startup])
    at = timezone.now() - datetime.timedelta(days=acted_days_ago)
    record(member=person, kind="organised", subject_type="event", subject_id=1, at=at)
    return person


def test_engaged_colleagues_are_the_startup_first_then_the_incubator_latest_first():
    startup = StartupFactory()
    neighbour_startup = StartupFactory(incubator=startup.incubator)
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    record(member=member, kind="organised", subject_type="event", subject_id=1)
    same = colleague(startup, acted_days_ago=5)
    recent_neighbour = colleague(neighbour_startup, acted_days_ago=1)
    older_neighbour = colleague(neighbour_startup, acted_days_ago=9)
    colleague(StartupFactory())  # another incubator
    colleague(startup, acted_days_ago=400)  # too long ago
    undone = colleague(startup)
    record(member=undone, kind="organised", subject_type="event", subject_id=1, undo=True)

    people = engaged_colleagues(member)["colleagues"]

    assert people == [same, recent_neighbour, older_neighbour]
    assert [person.same_startup for person in people] == [True, False, False]


def test_a_colleague_who_keeps_their_history_or_left_is_not_shown():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, startups=[startup])
    shown = colleague(startup, acted_days_ago=3)
    colleague(startup, history_visibility=HistoryVisibility.ONLY_ME)
    colleague(startup, is_active=False)

    assert engaged_colleagues(member)["colleagues"] == [shown]
