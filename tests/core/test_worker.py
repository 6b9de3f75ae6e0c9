import datetime
import threading

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.accounts.tasks import send_sign_in_link
from ruche.core.models import PeriodicJobState, WorkerHeartbeat
from ruche.core.periodic import claim, clear_expired_sessions, prune_task_results, run_due_jobs
from ruche.core.registry import PeriodicJob, registry
from ruche.notifications import registry as notification_registry
from ruche.notifications.enums import DeliveryStatus
from ruche.notifications.models import Delivery
from ruche.notifications.registry import NotificationKind, register
from ruche.notifications.services import notify
from tests.core.helpers import DATABASE_TASKS, run_worker_once
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counting_job():
    """A periodic job that counts its runs, registered for the test only."""
    runs = []
    job = PeriodicJob(name="tests.counting", run=lambda: runs.append(1), every_seconds=3600)
    registry.add_periodic_job(job)
    yield job, runs
    registry.periodic.remove(job)


@pytest.fixture
def failing_job():
    def run():
        raise RuntimeError("the job broke")

    job = PeriodicJob(name="tests.failing", run=run, every_seconds=3600)
    registry.periodic.insert(0, job)
    yield job
    registry.periodic.remove(job)


def test_the_worker_runs_queued_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    notification = _plain_notification(MemberFactory())
    assert DBTaskResult.objects.get().status == "READY"
    assert mail.outbox == []

    run_worker_once()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert notification.deliveries.get().status == DeliveryStatus.SENT


@pytest.fixture(autouse=True)
def _plain_kind():
    """A kind that is stored and e-mailed through the queue, for these tests only."""
    register(
        NotificationKind(
            name="tests.worker",
            subject="Test",
            email_template="accounts/email/sign_in_link.txt",
            category="initiatives",
        )
    )
    yield
    notification_registry._kinds.pop("tests.worker")


def _plain_notification(member):
    return notify(member, "tests.worker", {"url": "/", "minutes": 15})


def test_the_worker_runs_due_periodic_jobs_once(settings, counting_job):
    settings.TASKS = DATABASE_TASKS
    _job, runs = counting_job

    run_worker_once()
    run_worker_once()

    assert runs == [1]
    names = set(PeriodicJobState.objects.values_list("name", flat=True))
    assert names == {job.name for job in registry.periodic}
    state = PeriodicJobState.objects.get(name="tests.counting")
    assert state.last_finished_at is not None
    assert state.next_run_at > timezone.now() + datetime.timedelta(minutes=59)


def test_a_job_runs_again_when_it_is_due(settings, counting_job):
    settings.TASKS = DATABASE_TASKS
    _job, runs = counting_job
    run_worker_once()

    PeriodicJobState.objects.filter(name="tests.counting").update(
        next_run_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    run_worker_once()

    assert runs == [1, 1]


def test_a_failing_job_is_recorded_and_the_others_still_run(settings, counting_job, failing_job):
    settings.TASKS = DATABASE_TASKS
    _job, runs = counting_job

    run_worker_once()

    assert runs == [1]
    failed = PeriodicJobState.objects.get(name="tests.failing")
    assert "RuntimeError: the job broke" in failed.last_error
    assert PeriodicJobState.objects.get(name="tests.counting").last_error == ""


def test_the_worker_writes_a_heartbeat(settings):
    settings.TASKS = DATABASE_TASKS

    run_worker_once()

    (beat,) = WorkerHeartbeat.objects.all()
    assert beat.pid > 0
    assert beat.hostname
    assert timezone.now() - beat.seen_at < datetime.timedelta(seconds=30)


def test_a_job_claimed_by_one_worker_is_not_run_by_another(counting_job):
    job, _runs = counting_job
    now = timezone.now()

    assert claim(job, now) is True
    assert claim(job, now) is False
    assert claim(job, now + datetime.timedelta(minutes=59)) is False
    assert claim(job, now + datetime.timedelta(hours=1)) is True


def test_two_workers_claiming_together_run_a_job_once(counting_job):
    job, _runs = counting_job
    now = timezone.now()
    claim(job, now - datetime.timedelta(hours=2))  # the state row exists, the job is due
    barrier = threading.Barrier(4)
    won = []

    def worker():
        barrier.wait()
        try:
            won.append(claim(job, now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(won) == [False, False, False, True]


def test_run_due_jobs_skips_what_another_worker_just_ran(counting_job):
    job, runs = counting_job
    claim(job, timezone.now())  # another worker took this round

    ran = run_due_jobs()

    assert "tests.counting" not in ran
    assert runs == []


def test_notifications_retry_and_the_purges_are_registered():
    names = {job.name for job in registry.periodic}

    assert {
        "notifications.retry",
        "accounts.purge_magic_links",
        "core.prune_task_results",
        "core.clear_expired_sessions",
    } <= names


def test_expired_sessions_are_deleted(client):
    member = MemberFactory()
    client.force_login(member)
    other = Client()
    other.force_login(MemberFactory())
    Session.objects.filter(session_key=other.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
    assert client.get("/compte/").status_code == 200


def test_finished_tasks_are_forgotten_after_a_week(settings):
    """Finished tasks keep their arguments, e-mail addresses among them."""
    settings.TASKS = DATABASE_TASKS
    for email in ("ancienne@beta.gouv.fr", "recente@beta.gouv.fr"):
        send_sign_in_link.enqueue(email, "")
    run_worker_once()
    send_sign_in_link.enqueue("en.attente@beta.gouv.fr", "")
    DBTaskResult.objects.filter(args_kwargs__args__0="ancienne@beta.gouv.fr").update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )

    assert prune_task_results() == 1

    remaining = sorted(r.args_kwargs["args"][0] for r in DBTaskResult.objects.all())
    assert remaining == ["en.attente@beta.gouv.fr", "recente@beta.gouv.fr"]


def test_the_worker_sends_a_notification_left_pending(settings):
    """A notification whose task was lost (crash before enqueue) is sent by the worker's
    periodic retry."""
    settings.TASKS = DATABASE_TASKS
    member = MemberFactory()
    notification = _plain_notification(member)
    DBTaskResult.objects.all().delete()
    Delivery.objects.filter(notification=notification).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    run_worker_once()

    assert notification.deliveries.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
