import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from ruche.core.models import WorkerHeartbeat
from ruche.notifications.tasks import deliver_message
from tests.core.helpers import DATABASE_TASKS


def test_healthz_answers_without_signing_in(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["queue"]["ok"] is True
    assert body["queue"]["pending"] == 0
    assert body["queue"]["worker_running"] is False
    assert body["queue"]["worker_last_seen_seconds"] is None


def test_healthz_counts_pending_tasks_and_their_age(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    for pk in range(3):
        deliver_message.enqueue(pk)

    queue = client.get("/healthz").json()["queue"]

    assert queue["pending"] == 3
    assert queue["oldest_pending_seconds"] is not None
    assert 0 <= queue["oldest_pending_seconds"] < 60


def test_healthz_tells_whether_a_worker_was_seen_lately(client, db):
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="ruche-1", pid=42, seen_at=timezone.now()
    )
    queue = client.get("/healthz").json()["queue"]
    assert queue["worker_running"] is True
    assert queue["worker_last_seen_seconds"] < 5

    beat.seen_at = timezone.now() - datetime.timedelta(minutes=10)
    beat.save()
    queue = client.get("/healthz").json()["queue"]
    assert queue["worker_running"] is False
    assert 590 <= queue["worker_last_seen_seconds"] <= 610


def test_a_silent_worker_does_not_make_the_site_unhealthy(client, db):
    """Load balancers use /healthz: web pages still work without a worker."""
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, seen_at=timezone.now() - datetime.timedelta(hours=1)
    )

    assert client.get("/healthz").status_code == 200


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    unreachable = mock.MagicMock()
    unreachable.cursor.side_effect = OperationalError("connection refused")

    with mock.patch("ruche.core.views.connection", unreachable):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["queue"]["ok"] is False
    assert "connection refused" not in response.text


def test_healthz_is_503_not_a_crash_when_the_queue_cannot_be_read(client, db):
    with mock.patch("ruche.core.views.queue_status", side_effect=OperationalError("no such table")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["queue"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_reads(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
