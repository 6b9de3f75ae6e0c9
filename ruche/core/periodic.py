import datetime
import logging
import traceback
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruche.core.models import PeriodicJobState
from ruche.core.registry import PeriodicJob, registry

logger = logging.getLogger(__name__)

# Finished tasks keep their arguments (e-mail addresses among them): forget them after a week.
TASK_RESULTS_KEPT = datetime.timedelta(days=7)


def claim(job: PeriodicJob, now: datetime.datetime) -> bool:
    """True if this process won the right to run `job` now."""
    if not PeriodicJobState.objects.filter(name=job.name).exists():
        try:
            with transaction.atomic():
                PeriodicJobState.objects.create(name=job.name, next_run_at=now)
        except IntegrityError:
            pass  # another worker created it first
    next_run = now + datetime.timedelta(seconds=job.every_seconds)
    won = PeriodicJobState.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=next_run, last_started_at=now
    )
    return won == 1


def run_due_jobs() -> list[str]:
    """Runs every registered job that is due; returns the names of those it ran."""
    ran = []
    for job in registry.periodic:
        now = timezone.now()
        if not claim(job, now):
            continue
        error = ""
        try:
            job.run()
        except Exception:
            error = traceback.format_exc()
            logger.exception("Periodic job %s failed", job.name)
        PeriodicJobState.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        ran.append(job.name)
    return ran


def prune_task_results() -> int:
    """Periodic: deletes the queue's finished tasks older than TASK_RESULTS_KEPT."""
    cutoff = timezone.now() - TASK_RESULTS_KEPT
    deleted, _details = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def clear_expired_sessions() -> None:
    """Periodic: Django keeps the rows of expired sessions until someone deletes them."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
