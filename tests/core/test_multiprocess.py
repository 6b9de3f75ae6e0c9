"""Ruche as it runs in production, several processes on one database: two web processes
(gunicorn) take a rush of RSVPs while two workers deliver a batch of e-mails; a worker killed
in the middle of the batch loses nothing, and web processes killed in the middle of requests
leave no half-written rows."""

import contextlib
import os
import re
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ruche.accounts.links import sign_in_link_send
from ruche.accounts.services import api_token_create
from ruche.engagement.models import Contribution
from ruche.events.enums import RsvpStatus
from ruche.events.models import Rsvp
from ruche.notifications.enums import DeliveryStatus
from ruche.notifications.models import Delivery
from tests.core.helpers import DATABASE_TASKS
from tests.core.test_stuck_tasks import SILENCE, _messages_in, _worker
from tests.events.factories import EventFactory
from tests.factories import MemberFactory, StartupFactory
from tests.servers import gunicorn, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PLACES, RUSH, LETTERS = 50, 200, 120
DEADLINE = 60


def _rush(
    base: str, event, secrets: list[str], answered=None, dropped=None
) -> list[tuple[int, object]]:
    """Every member POSTs their RSVP at the same instant; (status, body) of each answer.
    `answered` and `dropped` (threading.Events), when given, are set each time an answer comes
    back and each time a connection is lost."""
    url = f"{base}/api/v1/events/{event.pk}/rsvp"
    start_line = threading.Barrier(len(secrets), timeout=DEADLINE)

    def rsvp(secret):
        request = urllib.request.Request(
            url, method="POST", data=b"", headers={"Authorization": f"Bearer {secret}"}
        )
        start_line.wait()
        try:
            with urllib.request.urlopen(request, timeout=DEADLINE) as response:
                status, body = response.status, response.read()
            if answered is not None:
                answered.set()
            return status, body
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:  # a killed process drops its connections
            if dropped is not None:
                dropped.set()
            return None, str(error)

    with ThreadPoolExecutor(max_workers=len(secrets)) as pool:
        return list(pool.map(rsvp, secrets, timeout=DEADLINE * 2))


def _members_with_tokens(count: int):
    startup = StartupFactory()
    members = MemberFactory.create_batch(count, mission__startups=[startup])
    return members, [api_token_create(actor=m, member=m, name="rush")[1] for m in members]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="several writers at once: PostgreSQL")
def test_two_web_processes_and_two_workers_share_the_work_and_a_killed_worker_loses_nothing(
    settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    event = EventFactory(capacity=PLACES, title="Apéro très demandé")
    _members, secrets = _members_with_tokens(RUSH)
    readers = MemberFactory.create_batch(LETTERS)
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {"RUCHE_TEST_EMAIL_URL": f"file://{outbox}"}
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    workers = [_worker(log, "--interval", "0.1", **env) for log in logs]
    try:
        # The batch is queued once both workers run: on a loaded machine, one may take seconds
        # longer than the other to start, and find the batch already done.
        wait_for(
            lambda: all(re.search(r"Worker \w+ started", log.read_text()) for log in logs),
            DEADLINE,
            "both workers to start",
        )
        for reader in readers:  # queued for the workers: one e-mail each
            sign_in_link_send(email=reader.email)
        with gunicorn(tmp_path / "web.log", workers=2) as base:
            began = time.monotonic()
            answers = _rush(base, event, secrets)
            rush_seconds = time.monotonic() - began
        # Part of the batch out: the first worker dies without a word (no clean-up at all).
        wait_for(
            lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() >= 10,
            DEADLINE,
            "the first e-mails",
        )
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        wait_for(
            lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == LETTERS,
            DEADLINE + SILENCE,
            "the other worker to finish the batch",
        )
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()

    assert [status for status, _body in answers] == [200] * RUSH, rush_seconds
    rsvps = Rsvp.objects.filter(event=event)
    assert rsvps.filter(status=RsvpStatus.CONFIRMED).count() == PLACES
    assert rsvps.filter(status=RsvpStatus.WAITLISTED).count() == RUSH - PLACES
    # Both workers took tasks; every e-mail left exactly once.
    assert len({w for task in DBTaskResult.objects.all() for w in task.worker_ids}) >= 2
    messages = _messages_in(outbox)
    recipients = sorted(str(message["To"]) for message in messages)
    assert set(recipients) == {reader.email for reader in readers}
    # Exactly once, except the one e-mail a worker may have handed to the mail server in the
    # instant between sending and recording it when it was SIGKILLed: no mail protocol lets
    # that one be known as sent, so the other worker sends it again (at least once, never
    # lost), as the same message: one Message-ID per reader, which receiving systems keep once.
    assert len(recipients) - LETTERS <= 1, recipients
    ids = {(str(message["To"]), str(message["Message-ID"])) for message in messages}
    assert len(ids) == LETTERS


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file is what is checked")
def test_web_processes_killed_in_the_middle_of_requests_leave_no_half_written_rows(tmp_path):
    event = EventFactory(capacity=PLACES, title="Apéro très demandé")
    members, secrets = _members_with_tokens(RUSH // 2)
    log = tmp_path / "web.log"
    with gunicorn(log, workers=2, preload=True) as base:
        booted = re.compile(r"Booting worker with pid: (\d+)")
        pids = wait_for(
            lambda: (found := booted.findall(log.read_text())) and len(found) >= 2 and found,
            DEADLINE,
            "both web processes",
        )
        # Once the rush is under way (an answer is back), every web process is killed, and
        # again at the next answer (gunicorn starts new ones), until one was killed with a
        # request in hand (a client lost its connection). Once is not enough on a loaded
        # machine: the process that just answered is between two requests, and the other one
        # may not have been given the processor yet.
        answered, dropped, over = threading.Event(), threading.Event(), threading.Event()
        killed = set()

        def kill():
            while not (dropped.is_set() or over.is_set()):
                if not answered.wait(timeout=1):
                    continue
                answered.clear()
                for pid in set(booted.findall(log.read_text())) - killed:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)
                    killed.add(pid)

        killer = threading.Thread(target=kill)
        killer.start()
        try:
            answers = _rush(base, event, secrets, answered, dropped)
        finally:
            over.set()
            killer.join()
        assert set(pids[:2]) <= killed

    database = connection.settings_dict["NAME"]
    with contextlib.closing(sqlite3.connect(database)) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # Each RSVP was written with its place in the queue and, when confirmed, its ledger row,
    # in one transaction, or not at all.
    rsvps = Rsvp.objects.filter(event=event)
    event.refresh_from_db()
    assert event.queue_counter == rsvps.count()
    registered = set(rsvps.values_list("member_id", flat=True))
    confirmed = set(rsvps.filter(status=RsvpStatus.CONFIRMED).values_list("member_id", flat=True))
    recorded = set(
        Contribution.objects.filter(subject_type="event", subject_id=event.pk).values_list(
            "member_id", flat=True
        )
    )
    assert confirmed == recorded
    dropped = [body for status, body in answers if status is None]
    assert dropped, "the process was killed after the rush: nothing was in the middle"
    answered = {m.pk for m, (status, _b) in zip(members, answers, strict=True) if status == 200}
    assert answered <= registered
    assert len(registered) <= len(members)
