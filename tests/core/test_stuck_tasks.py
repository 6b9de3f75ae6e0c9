"""A worker killed in the middle of a task (SIGKILL: no clean-up of any kind) leaves the task
« RUNNING »: the queue status shows it stuck, another worker takes it back once the dead one's
heartbeat is silent, and the work is done exactly once."""

import datetime
import email
import email.policy
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.accounts.links import sign_in_link_send
from ruche.accounts.models import MagicLink
from ruche.core.models import WorkerHeartbeat
from ruche.core.queue import MAX_CLAIMS, stuck_tasks, take_back_stuck_tasks
from ruche.notifications.enums import DeliveryStatus
from ruche.notifications.models import Delivery
from ruche.notifications.tasks import deliver_message
from tests.core.helpers import DATABASE_TASKS, MAGIC_LINK
from tests.factories import MemberFactory
from tests.servers import server_env

SILENCE = 4  # seconds, for the workers of this test


def _worker(log, *args: str, **env: str) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker", *args],
            cwd=server_env()["PYTHONPATH"],
            env=server_env(
                RUCHE_TEST_WORKER_HEARTBEAT_SECONDS="1",
                RUCHE_TEST_WORKER_SILENCE_SECONDS=str(SILENCE),
                **env,
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _messages_in(directory) -> list[email.message.EmailMessage]:
    """What Django's file backend wrote, one message between each line of dashes."""
    messages = []
    for path in sorted(directory.iterdir()):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(
                    email.message_from_string(chunk.strip(), policy=email.policy.default)
                )
    return messages


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_is_finished_by_another_exactly_once(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    member = MemberFactory()
    # A mail server that accepts the connection and never answers: the first worker hangs
    # there, in the middle of sending the sign-in e-mail, until it is killed.
    silent_server = socket.create_server(("127.0.0.1", 0))
    silent_server.settimeout(60)
    port = silent_server.getsockname()[1]
    sign_in_link_send(email=member.email, next_url="/membres/")
    (task,) = DBTaskResult.objects.all()

    first = _worker(
        tmp_path / "first.log", "--interval", "0.2", RUCHE_TEST_EMAIL_URL=f"smtp://127.0.0.1:{port}"
    )
    try:
        connection, _address = silent_server.accept()
        task.refresh_from_db()
        assert task.status == "RUNNING"
        assert Delivery.objects.get().status == DeliveryStatus.SENDING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
        silent_server.close()
    connection.close()

    # Still « RUNNING » for the queue; stuck once the dead worker's heartbeat is old enough.
    task.refresh_from_db()
    assert task.status == "RUNNING"
    time.sleep(SILENCE + 1)
    settings.WORKER_SILENCE_SECONDS = SILENCE
    assert [stuck.pk for stuck in stuck_tasks()] == [task.pk]
    assert Client().get("/healthz").json()["queue"]["stuck"] == 1

    outbox = tmp_path / "mail"
    outbox.mkdir()
    log = tmp_path / "second.log"
    second = _worker(log, "--once", "--interval", "0", RUCHE_TEST_EMAIL_URL=f"file://{outbox}")
    assert second.wait(timeout=120) == 0, log.read_text()
    output = log.read_text()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", output
    assert len(task.worker_ids) == 2
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    (message,) = _messages_in(outbox)
    assert message["To"] == member.email
    # The dead worker minted a link that never left; the e-mail carries the second one.
    assert MagicLink.objects.count() == 2
    path = MAGIC_LINK.search(message.get_body().get_content()).group(1)
    assert Client().post(path)["Location"] == "/membres/"
    assert Client().get("/healthz").json()["queue"]["stuck"] == 0


def _running(worker_ids: list[str], minutes_ago: float) -> DBTaskResult:
    deliver_message.enqueue(1)
    task = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING",
        worker_ids=worker_ids,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    return task


@pytest.mark.django_db
def test_a_task_under_a_live_worker_is_left_running(settings):
    settings.TASKS = DATABASE_TASKS
    WorkerHeartbeat.objects.create(worker_id="vivant", hostname="h", pid=1, seen_at=timezone.now())
    task = _running(["vivant"], minutes_ago=30)

    assert stuck_tasks() == []
    assert take_back_stuck_tasks() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


@pytest.mark.django_db
def test_a_task_under_a_silent_worker_is_taken_back_once(settings):
    settings.TASKS = DATABASE_TASKS
    WorkerHeartbeat.objects.create(
        worker_id="parti", hostname="h", pid=1, seen_at=timezone.now() - datetime.timedelta(hours=1)
    )
    task = _running(["parti"], minutes_ago=30)

    assert take_back_stuck_tasks() == 1
    assert take_back_stuck_tasks() == 0
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)


@pytest.mark.django_db
def test_a_task_that_keeps_killing_its_workers_is_given_up(settings):
    settings.TASKS = DATABASE_TASKS
    task = _running([f"mort-{n}" for n in range(MAX_CLAIMS)], minutes_ago=30)

    assert take_back_stuck_tasks() == 0
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "stopped while running it" in task.traceback
