import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from ruche.core.registry import registry
from ruche.demo import groups as groups_demo
from ruche.demo.context import DemoContext
from ruche.engagement.models import Contribution
from ruche.events.enums import EventKind
from ruche.events.models import Event, EventSeries, Rsvp
from ruche.groups.enums import MembershipRole
from ruche.groups.models import Answer, Decision, Membership, Proposal, WorkingGroup
from ruche.members.models import Member
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    shrink(monkeypatch, members_per_scale=80, startups_per_scale=12)
    seeders = [s for s in registry.demo if s.name in ("members", "groups", "events")]
    monkeypatch.setattr(registry, "demo", seeders)
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_the_demo_has_groups_with_leads_and_members_in_the_ledger(seeded):
    assert "groups: 4 groups" in seeded
    for group in WorkingGroup.objects.all():
        memberships = Membership.objects.filter(group=group)
        assert memberships.filter(role=MembershipRole.LEAD).exists()
        assert memberships.filter(role=MembershipRole.MEMBER).count() >= 5
        in_ledger = Contribution.objects.filter(subject_type="group", subject_id=group.pk)
        # Observers follow without committing: no ledger row for them.
        assert (
            in_ledger.filter(kind__in=["led", "joined"]).count()
            == memberships.exclude(role=MembershipRole.OBSERVER).count()
        )
        assert memberships.filter(role=MembershipRole.OBSERVER).exists()
        assert group.mandate
        decided = in_ledger.filter(kind="decided").count()
        assert (
            decided
            == group.decisions.count() + Answer.objects.filter(proposal__group=group).count()
        )
    persona = Member.objects.get(betagouv_id="sacha.moreau")  # the "member" persona
    assert WorkingGroup.objects.of_member(persona).count() >= 2


def test_the_demo_has_one_group_to_review_decisions_over_two_years_and_an_open_round(seeded):
    assert [g.slug for g in WorkingGroup.objects.to_review()] == ["incubateurs"]
    dates = sorted(Decision.objects.values_list("decided_on", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    assert Decision.objects.values("group").distinct().count() == 4
    [proposal] = Proposal.objects.open()
    assert proposal.is_consent_round
    answers = proposal.answers.all()
    assert answers.count() >= 3
    objection = answers.get(option="objection bloquante")
    assert objection.reason


def test_each_group_meets_every_two_weeks_with_its_own_members(seeded):
    for group in WorkingGroup.objects.all():
        [series] = EventSeries.objects.filter(occurrences__group=group).distinct()
        assert " sur deux jusqu’au " in series.describe()
        meetings = Event.objects.filter(series=series)
        assert set(meetings.values_list("kind", flat=True)) == {EventKind.GROUP_MEETING}
        assert meetings.count() > 20
        outsiders = Rsvp.objects.filter(event__in=meetings).exclude(
            member__group_memberships__group=group
        )
        assert not outsiders.exists()
    assert Event.objects.filter(group__isnull=False, is_public=True).exists()
    assert Event.objects.filter(group__isnull=False, is_public=False).exists()


def test_a_community_too_small_gets_no_groups_and_says_so():
    said = []
    context = DemoContext(
        rng=random.Random(1), scale=1, now=timezone.now(), member_ids=[1, 2, 3], log=said.append
    )
    groups_demo.seed(context)
    assert said == ["groups: fewer than 10 members, nothing seeded"]
    assert not WorkingGroup.objects.exists()
    assert context.member_pool("x", minimum=3) == [1, 2, 3]
