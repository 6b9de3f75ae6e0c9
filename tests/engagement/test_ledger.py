import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.engagement.services import ContributionBatch, member_context, record
from tests.factories import MemberFactory, MissionFactory, StartupFactory

pytestmark = pytest.mark.django_db

CONTEXT_FIELDS = (
    "startup_id", "incubator_id", "domaine", "is_transverse_role", "is_newcomer", "is_alumnus",
)  # fmt: skip


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_a_contribution_keeps_the_members_startup_and_incubator_at_that_moment():
    startup = StartupFactory()
    member = MemberFactory(mission=False, transverse_role="Équipe d’animation")
    MissionFactory(member=member, start=days_ago(400), startups=[startup])

    row = record(member=member, kind="supported", subject_type="initiative", subject_id=7)

    assert row.startup == startup
    assert row.incubator == startup.incubator
    assert row.domaine == member.domaine
    assert row.is_transverse_role is True
    assert row.is_alumnus is False


def test_moving_to_another_startup_later_does_not_rewrite_the_past():
    old, new = StartupFactory(), StartupFactory()
    member = MemberFactory(mission=False)
    mission = MissionFactory(member=member, start=days_ago(400), startups=[old])
    first = record(member=member, kind="joined", subject_type="initiative", subject_id=1)

    mission.end = days_ago(1)
    mission.save()
    MissionFactory(member=member, start=days_ago(0), startups=[new])
    second = record(member=member, kind="joined", subject_type="initiative", subject_id=2)

    first.refresh_from_db()
    assert first.startup == old
    assert second.startup == new


def test_a_member_is_a_newcomer_until_ninety_days_after_their_first_mission_or_first_act():
    recent = MemberFactory(mission=False)
    MissionFactory(member=recent, start=days_ago(20))
    veteran = MemberFactory(mission=False)
    MissionFactory(member=veteran, start=days_ago(800))

    assert record(member=recent, kind="supported", subject_type="need", subject_id=1).is_newcomer
    assert record(member=recent, kind="supported", subject_type="need", subject_id=2).is_newcomer
    # A long-standing member is a newcomer to engagement for their very first act only.
    assert record(member=veteran, kind="supported", subject_type="need", subject_id=1).is_newcomer
    assert not record(
        member=veteran, kind="supported", subject_type="need", subject_id=2
    ).is_newcomer


def test_an_alumnus_acting_is_recorded_as_such():
    member = MemberFactory(mission=False)
    MissionFactory(member=member, start=days_ago(900), end=days_ago(100))

    row = record(member=member, kind="registered", subject_type="event", subject_id=3)

    assert row.is_alumnus is True
    assert row.startup is None


def test_undoing_an_act_appends_a_negative_row_and_changes_nothing_before():
    member = MemberFactory()
    done = record(member=member, kind="joined", subject_type="initiative", subject_id=5)
    undone = record(
        member=member, kind="joined", subject_type="initiative", subject_id=5, undo=True
    )

    done.refresh_from_db()
    assert (done.weight, undone.weight) == (1, -1)
    assert sum(Contribution.objects.filter(subject_id=5).values_list("weight", flat=True)) == 0


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError, match="ranked"):
        record(member=MemberFactory(), kind="ranked", subject_type="initiative", subject_id=1)


def test_the_database_refuses_weights_other_than_plus_or_minus_one():
    row = record(member=MemberFactory(), kind="joined", subject_type="initiative", subject_id=1)
    with pytest.raises(IntegrityError):
        Contribution.objects.filter(pk=row.pk).update(weight=5)


def test_a_batch_writes_the_same_context_as_record_would():
    startup = StartupFactory()
    member = MemberFactory(mission=False)
    MissionFactory(member=member, start=days_ago(60), end=days_ago(10), startups=[startup])
    moments = [timezone.now() - datetime.timedelta(days=d) for d in (50, 30, 5)]

    batch = ContributionBatch([member.pk])
    for at in moments:
        batch.add(member.pk, ContributionKind.JOINED, SubjectType.INITIATIVE, 1, at)
    assert batch.write() == 3

    for row in Contribution.objects.order_by("at"):
        expected = member_context(member, row.at)
        assert row.startup == expected["startup"]
        assert [getattr(row, f) for f in CONTEXT_FIELDS[2:]] == [
            expected[f] for f in CONTEXT_FIELDS[2:]
        ]
    rows = list(Contribution.objects.order_by("at"))
    assert rows[0].is_newcomer
    assert rows[0].startup == startup
    assert rows[2].is_alumnus
    assert rows[2].startup is None
