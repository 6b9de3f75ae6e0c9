import datetime
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.core.models import WorkerHeartbeat
from ruche.core.queue import silence_limit, stuck_tasks


def queue_status() -> dict[str, Any]:
    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    last_seen = (
        WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    )
    failed = DBTaskResult.objects.filter(
        status="FAILED", finished_at__gte=now - datetime.timedelta(days=1)
    ).count()
    return {
        "ok": True,
        "pending": ready.count(),
        "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "failed_last_24h": failed,
        "worker_last_seen_seconds": int((now - last_seen).total_seconds()) if last_seen else None,
        "worker_running": bool(last_seen and now - last_seen < silence_limit()),
        # Running under a worker that died: the next worker round runs them again.
        "stuck": len(stuck_tasks(now)),
    }


def readiness_problem() -> tuple[str, str] | None:
    """Why this instance should not receive traffic yet, as (reason, detail), or None when
    it is ready: the database answers, every migration is applied and a worker was seen
    lately (without one, sign-in links and notifications would wait)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return "database_unavailable", f"The database does not answer ({type(error).__name__})."
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return "database_unavailable", f"The database does not answer ({type(error).__name__})."
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:3])
        more = f" and {len(pending) - 3} more" if len(pending) > 3 else ""
        return "migrations_pending", f"{len(pending)} migration(s) to apply: {names}{more}."
    last_seen = (
        WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    )
    if last_seen is None or timezone.now() - last_seen >= silence_limit():
        minutes = int(silence_limit().total_seconds() // 60)
        return "no_worker", f"No worker seen in the last {minutes} minutes."
    return None
