from django.db import models


class WorkerHeartbeat(models.Model):
    """Last sign of life of each worker process, for /healthz and /readyz."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicJobState(models.Model):
    """When each periodic job may next run. Workers claim a run with a conditional update on
    `next_run_at`, so with several workers each run happens once."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class RateLimitCounter(models.Model):
    """Requests counted in one window of one rate limit, for one key, when the cache is not
    Redis. One atomic upsert per request counts (ruche.core.ratelimit), so concurrent requests
    in several processes never undercount."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
