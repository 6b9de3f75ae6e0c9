import logging
import os
import socket
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from ruche.core.models import WorkerHeartbeat
from ruche.core.periodic import run_due_jobs

logger = logging.getLogger("ruche.worker")
HEARTBEAT_EVERY = 15


class _QuietRounds(logging.Filter):
    """Each round drains the queue in batch mode, and the library announces every start and
    end of a batch; keep its task lines, drop those two (one pair a second otherwise)."""

    def filter(self, record):
        message = record.getMessage()
        return not message.startswith(("Starting worker", "No more tasks"))


class Worker(QueueWorker):
    """Runs queued tasks (django.tasks, database backend) and the periodic jobs apps register.

    Each round drains the queue in the library's batch mode, which claims tasks safely across
    several workers, then runs due periodic jobs and sleeps."""

    def __init__(self, *, interval: float, once: bool):
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        self.once = once
        self._last_heartbeat: float | None = None

    def heartbeat(self) -> None:
        last = self._last_heartbeat
        if last is not None and time.monotonic() - last < HEARTBEAT_EVERY:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "seen_at": timezone.now(),
            },
        )
        self._last_heartbeat = time.monotonic()

    def run(self) -> None:
        logging.getLogger("django_tasks_db").addFilter(_QuietRounds())
        logger.info("Worker %s started", self.worker_id)
        while self.running:
            close_old_connections()
            self.heartbeat()
            run_due_jobs()
            super().run()
            if self.once:
                break
            time.sleep(self.interval)


class Command(BaseCommand):
    help = "Runs background tasks and periodic jobs until stopped (Ctrl+C)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between rounds.")
        parser.add_argument(
            "--once", action="store_true", help="Run what is due and queued, then exit."
        )

    def handle(self, *, interval, once, **options):
        worker = Worker(interval=interval, once=once)
        worker.configure_signals()
        worker.run()
