"""Capacity holds under real concurrency: several gunicorn processes on the test database, and
200 members registering at the same instant for 50 places through the HTTP API; cancellations
at the same instant promote the waiting list in order; a slot never takes more volunteers than
it has places."""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from ruche.accounts.services import api_token_create
from ruche.events.enums import RsvpStatus
from ruche.events.models import Rsvp, ShiftSignup
from ruche.events.services.registrations import rsvp_register
from tests.events.factories import EventFactory, ShiftFactory
from tests.factories import MemberFactory, StartupFactory
from tests.servers import gunicorn

PLACES = 50
MEMBERS = 200
WORKERS = 4
DEADLINE = 60  # seconds, for the whole burst


@pytest.fixture
def servers(tmp_path):
    """Several gunicorn sync workers (separate processes) serving the test database."""
    with gunicorn(tmp_path / "gunicorn.log", workers=WORKERS) as base:
        yield base


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_rsvps_for_50_places_hold_the_capacity(servers):
    event = EventFactory(capacity=PLACES, title="Apéro très demandé")
    startup = StartupFactory()
    members = MemberFactory.create_batch(MEMBERS, mission__startups=[startup])
    secrets = [api_token_create(actor=member, member=member, name="rush")[1] for member in members]
    url = f"{servers}/api/v1/events/{event.pk}/rsvp"
    start_line = threading.Barrier(MEMBERS, timeout=DEADLINE)

    def rsvp(index: int):
        request = urllib.request.Request(
            url,
            method="POST",
            data=b"",
            headers={"Authorization": f"Bearer {secrets[index]}"},
        )
        start_line.wait()
        try:
            with urllib.request.urlopen(request, timeout=DEADLINE) as response:
                return index, response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return index, error.code, error.read().decode()[:500]

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        results = list(pool.map(rsvp, range(MEMBERS), timeout=DEADLINE * 2))
    elapsed = time.monotonic() - began

    errors = [(i, status, body) for i, status, body in results if status != 200]
    assert not errors, f"{len(errors)} requests failed, e.g. {errors[:3]}"
    answers = {members[i].pk: body for i, _status, body in results}
    confirmed = [pk for pk, body in answers.items() if body["status"] == "confirmed"]
    waitlisted = [pk for pk, body in answers.items() if body["status"] == "waitlisted"]
    assert len(confirmed) == PLACES
    assert len(waitlisted) == MEMBERS - PLACES
    assert all(answers[pk]["position"] is None for pk in confirmed)
    assert sorted(answers[pk]["position"] for pk in waitlisted) == list(range(1, 151))

    # The database agrees: 50 places taken, and the waiting list in order of arrival, each
    # member at the position they were told.
    rsvps = list(Rsvp.objects.filter(event=event).order_by("queue_number"))
    assert [r.status for r in rsvps] == [RsvpStatus.CONFIRMED] * 50 + [RsvpStatus.WAITLISTED] * 150
    queue = [r.member_id for r in rsvps if r.status == RsvpStatus.WAITLISTED]
    assert [answers[pk]["position"] for pk in queue] == list(range(1, 151))
    assert elapsed < DEADLINE, f"the burst took {elapsed:.1f} s"
    print(f"\n{MEMBERS} RSVPs through {WORKERS} gunicorn workers in {elapsed:.2f} s")


def _burst(url_for, secrets, method="POST"):
    """Fires one request per secret at the same instant; returns (index, status, body)."""
    start_line = threading.Barrier(len(secrets), timeout=DEADLINE)

    def send(index: int):
        request = urllib.request.Request(
            url_for(index),
            method=method,
            data=b"" if method == "POST" else None,
            headers={"Authorization": f"Bearer {secrets[index]}"},
        )
        start_line.wait()
        try:
            with urllib.request.urlopen(request, timeout=DEADLINE) as response:
                body = response.read()
                return index, response.status, json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            return index, error.code, json.loads(error.read())

    with ThreadPoolExecutor(max_workers=len(secrets)) as pool:
        return list(pool.map(send, range(len(secrets)), timeout=DEADLINE * 2))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_promote_the_waiting_list_in_order_and_slots_hold(servers):
    event = EventFactory(capacity=10, title="Apéro plein")
    startup = StartupFactory()
    members = MemberFactory.create_batch(30, mission__startups=[startup])
    secrets = [api_token_create(actor=m, member=m, name="rush")[1] for m in members]
    for member in members:  # in order: 10 places, then 20 waiting
        rsvp_register(actor=member, event=event)

    # The ten with a place all cancel at once: the first ten waiting are promoted, in order.
    results = _burst(lambda i: f"{servers}/api/v1/events/{event.pk}/rsvp", secrets[:10], "DELETE")
    assert [status for _i, status, _body in results] == [204] * 10
    rsvps = list(Rsvp.objects.filter(event=event).order_by("queue_number"))
    statuses = [r.status for r in rsvps]
    assert statuses == ["cancelled"] * 10 + ["confirmed"] * 10 + ["waitlisted"] * 10
    assert [r.position for r in rsvps[20:]] == list(range(1, 11))

    # Twenty members go for a 3-person slot at once: three get it, the others are told why.
    shift = ShiftFactory(event=event, capacity=3)
    results = _burst(lambda i: f"{servers}/api/v1/shifts/{shift.pk}/signup", secrets[10:])
    statuses = sorted(status for _i, status, _body in results)
    assert statuses == [201] * 3 + [400] * 17
    refusals = {body["detail"]["__all__"][0] for _i, status, body in results if status == 400}
    assert refusals == {"Ce créneau est complet. Merci quand même !"}
    assert ShiftSignup.objects.filter(shift=shift).count() == 3
