"""Two tabs sending the same member's answer at the same instant keep one answer: the unique
constraint (proposal, member) and the lock on the proposal decide, not Python."""

import pytest
from django.core.exceptions import ValidationError

from ruche.engagement.enums import ContributionKind
from ruche.engagement.models import Contribution
from ruche.groups.models import Answer
from ruche.groups.services import group_join, proposal_answer
from tests.factories import MemberFactory
from tests.groups.factories import MembershipFactory, ProposalFactory, WorkingGroupFactory
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def _race(callables):
    def outcome(call):
        try:
            call()
        except ValidationError as error:
            return " ".join(error.messages)
        return "ok"

    return run_at_once([lambda call=call: outcome(call) for call in callables])


def test_answering_twice_at_once_keeps_one_answer():
    proposal = ProposalFactory()
    member = MembershipFactory(group=proposal.group).member
    options = ["d’accord", "objection bloquante", "je m’abstiens", "d’accord"]
    outcomes = _race(
        [
            lambda option=option: proposal_answer(actor=member, proposal=proposal, option=option)
            for option in options
        ]
    )
    assert outcomes == ["ok"] * len(options)
    assert Answer.objects.filter(proposal=proposal, member=member).count() == 1
    assert Contribution.objects.filter(member=member, kind=ContributionKind.DECIDED).count() == 1


def test_joining_twice_at_once_joins_once():
    group = WorkingGroupFactory()
    member = MemberFactory()
    outcomes = _race([lambda: group_join(actor=member, group=group) for _ in range(3)])
    assert outcomes.count("ok") == 1
    assert all("déjà" in outcome for outcome in outcomes if outcome != "ok")
    assert group.memberships.filter(member=member).count() == 1
    assert Contribution.objects.filter(member=member, kind=ContributionKind.JOINED).count() == 1
