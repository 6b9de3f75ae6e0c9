"""/readyz tells a load balancer or a deployment whether this instance can take traffic: the
database answers, every migration is applied, a worker was seen in the last two minutes.
/healthz stays a liveness probe (tests/core/test_healthz.py)."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ruche.core.models import WorkerHeartbeat


@pytest.fixture
def worker_seen(db):
    return WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="ruche-1", pid=42, seen_at=timezone.now()
    )


def test_an_instance_with_its_database_migrations_and_a_worker_is_ready(client, worker_seen):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert "no-cache" in response["Cache-Control"]


def test_it_is_not_ready_without_a_worker(client, db):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "no_worker",
        "detail": "No worker seen in the last 2 minutes.",
    }


def test_a_worker_silent_for_more_than_two_minutes_does_not_count(client, worker_seen):
    worker_seen.seen_at = timezone.now() - datetime.timedelta(minutes=2, seconds=5)
    worker_seen.save()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["reason"] == "no_worker"


def test_it_is_not_ready_while_a_migration_is_not_applied(client, worker_seen):
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("core")
    MigrationRecorder(connection).record_unapplied(*latest)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["reason"] == "migrations_pending"
    assert body["detail"].startswith(f"1 migration(s) to apply: core.{latest[1]}")


def test_it_is_not_ready_when_the_database_does_not_answer(client, worker_seen):
    unreachable = mock.MagicMock()
    unreachable.cursor.side_effect = OperationalError("connection refused")

    with mock.patch("ruche.core.health.connection", unreachable):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database_unavailable",
        "detail": "The database does not answer (OperationalError).",
    }
    assert "connection refused" not in response.text


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_readyz_only_reads(client, db, method):
    assert getattr(client, method)("/readyz").status_code == 405
