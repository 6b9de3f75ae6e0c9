"""The last place of a role goes to exactly one member, however many ask at the same time:
the database decides (a conditional UPDATE … WHERE taken < count), not Python."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from ruche.initiatives import services
from ruche.initiatives.models import CallForHelp, Participation
from tests.factories import MemberFactory
from tests.initiatives.factories import RoleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(callables):
    barrier = threading.Barrier(len(callables))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcome = "ok"
        except ValidationError as error:
            outcome = " ".join(error.messages)
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in callables]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_members_joining_together_never_overfill_a_role():
    role = RoleFactory(count=3)
    members = [MemberFactory() for _ in range(8)]
    outcomes = _race(
        [
            lambda m=m: services.initiative_join(actor=m, initiative=role.initiative, role=role)
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
            lambda: services.initiative_join(actor=member, initiative=role.initiative, role=role)
            for _ in range(4)
        ]
    )
    assert outcomes.count("ok") == 1
    assert Participation.objects.filter(member=member).count() == 1
    assert CallForHelp.objects.get().taken == 1
