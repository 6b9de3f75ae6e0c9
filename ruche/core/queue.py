"""The task queue's view of its workers: which tasks are stuck under a worker that died (killed,
out of memory, machine lost) and taking them back so that another worker runs them again.

django_tasks_db marks a task RUNNING when a worker claims it and never looks back: a worker
killed mid-task leaves it RUNNING forever. Each worker writes a heartbeat (WorkerHeartbeat) from
a thread of its own; a RUNNING task whose worker has been silent for WORKER_SILENCE_SECONDS is
put back in the queue. Tasks are written to be safe to run twice (notification delivery claims
its row), so running one again sends nothing twice."""

import datetime
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task that took its worker down this many times is given up rather than run forever.
MAX_CLAIMS = 5


def silence_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_SILENCE_SECONDS)


def stuck_tasks(now: datetime.datetime | None = None) -> list[DBTaskResult[Any, Any]]:
    """RUNNING tasks whose worker has not been heard of for longer than the silence limit."""
    now = now or timezone.now()
    since = now - silence_limit()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )
    return [
        task
        for task in DBTaskResult.objects.running().filter(started_at__lt=since)
        if not task.worker_ids or task.worker_ids[-1] not in alive
    ]


def heartbeat(worker_id: str) -> None:
    """Says that the worker `worker_id` is alive, now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
    )


def take_back_stuck_tasks() -> int:
    """Puts the stuck tasks back in the queue (or fails those that were claimed MAX_CLAIMS
    times); returns how many were taken back. The conditional update on `started_at` lets one
    worker only take each task back."""
    taken = 0
    for task in stuck_tasks():
        running = DBTaskResult.objects.filter(
            pk=task.pk, status="RUNNING", started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_CLAIMS:
            running.update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="ruche.core.queue.WorkerLost",
                traceback=f"Its worker stopped while running it, {len(task.worker_ids)} times.",
            )
            logger.error("Task %s (%s) gave up: its workers kept dying", task.pk, task.task_path)
            continue
        if running.update(status="READY", started_at=None):
            taken += 1
            logger.warning(
                "Task %s (%s) taken back from silent worker %s",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    return taken
