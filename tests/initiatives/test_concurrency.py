"""The last place of a role goes to exactly one member, however many ask at the same time:
the database decides (a conditional UPDATE … WHERE taken < count), not Python."""

import pytest
from django.core.exceptions import ValidationError

from ruche.initiatives.models import CallForHelp, Participation
from ruche.initiatives.services.participation import initiative_join
from tests.factories import MemberFactory
from tests.helpers import run_at_once
from tests.initiatives.factories import RoleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(callables):
    """What each call ended with, all run at once: "ok" or the refusal's message."""

    def outcome(call):
        try:
            call()
        except ValidationError as error:
            return " ".join(error.messages)
        return "ok"

    return run_at_once([lambda call=call: outcome(call) for call in callables])


def test_members_joining_together_never_overfill_a_role():
    role = RoleFactory(count=3)
    members = [MemberFactory() for _ in range(8)]
    outcomes = _race(
        [
            lambda m=m: initiative_join(actor=m, initiative=role.initiative, role=role)
            for m in members
        ]
    )
    assert outcomes.count("ok") == 3
    assert all("complet" in outcome for outcome in outcomes if outcome != "ok")
    role.refresh_from_db()
    assert role.taken == 3
    assert Participation.objects.filter(role=role).count() == 3


def test_a_double_submission_joins_once():
    role = RoleFactory(count=5)
    member = MemberFactory()
    outcomes = _race(
        [
            lambda: initiative_join(actor=member, initiative=role.initiative, role=role)
            for _ in range(4)
        ]
    )
    assert outcomes.count("ok") == 1
    assert Participation.objects.filter(member=member).count() == 1
    assert CallForHelp.objects.get().taken == 1
