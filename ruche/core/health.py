import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.core.models import WorkerHeartbeat
from ruche.core.queue import silence_limit, stuck_tasks


def queue_status() -> dict:
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
