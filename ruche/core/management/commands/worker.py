import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from ruche.core import queue
from ruche.core.periodic import run_due_jobs

logger = logging.getLogger("ruche.worker")


class _QuietRounds(logging.Filter):
    """Each round drains the queue in batch mode, and the library announces every start and
    end of a batch; keep its task lines, drop those two (one pair a second otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("Starting worker", "No more tasks"))


class Worker(QueueWorker):
    """Runs queued tasks (django.tasks, database backend) and the periodic jobs apps register.

    Each round takes back the tasks of workers that died, runs due periodic jobs, then drains
    the queue in the library's batch mode, which claims tasks safely across several workers, and
    sleeps. A thread writes the heartbeat meanwhile, so a long task never makes a live worker
    look dead."""

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
        self._stop_beating = threading.Event()

    def heartbeat(self) -> None:
        queue.heartbeat(self.worker_id)

    def _keep_beating(self) -> None:
        try:
            while not self._stop_beating.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    self.heartbeat()
                except Exception:
                    logger.exception("Worker %s could not write its heartbeat", self.worker_id)
        finally:
            connection.close()

    def run(self) -> None:
        logging.getLogger("django_tasks_db").addFilter(_QuietRounds())
        logger.info("Worker %s started", self.worker_id)
        self.heartbeat()
        if not self.once:
            threading.Thread(target=self._keep_beating, name="heartbeat", daemon=True).start()
        try:
            while self.running:
                close_old_connections()
                queue.take_back_stuck_tasks()
                run_due_jobs()
                super().run()
                if self.once:
                    break
                time.sleep(self.interval)
        finally:
            self._stop_beating.set()


class Command(BaseCommand):
    help = "Runs background tasks and periodic jobs until stopped (Ctrl+C)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between rounds.")
        parser.add_argument(
            "--once", action="store_true", help="Run what is due and queued, then exit."
        )

    def handle(self, *, interval: float, once: bool, **options: Any) -> None:
        worker = Worker(interval=interval, once=once)
        worker.configure_signals()
        worker.run()
