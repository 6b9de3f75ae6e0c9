"""Fixed-window rate limits shared by every process: counted with one atomic operation, in Redis
when it is the cache, otherwise in a table of the database."""

import datetime
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from ruche.core.models import RateLimitCounter


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request. Each trusted proxy in front of Ruche
    (TRUSTED_PROXY_COUNT) appends the address it received the request from to
    X-Forwarded-For, so the client is that many entries from the end; what comes before was
    written by the client itself and proves nothing. Without proxies, the socket's address."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if len(entries) >= proxies:
            return str(entries[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def _count_in_redis(cache: RedisCache, key: str, window: int) -> int:
    key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(key, write=True)
    pipeline = client.pipeline()  # MULTI … EXEC: the key never lives without its expiry
    pipeline.incr(key)
    pipeline.expire(key, window + 5)
    count, _expiry_set = pipeline.execute()
    return int(count)


def _count_in_database(key: str, window: int) -> int:
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    expires_at = timezone.now() + datetime.timedelta(seconds=window + 5)
    # One statement that both SQLite and PostgreSQL run atomically: a read then a write (the
    # database cache's incr) lets concurrent requests through uncounted. The table name is our
    # model's and the values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires_at") VALUES (%s, 1, %s) '  # noqa: S608  # nosec B608
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 '
            'RETURNING "count"',
            [key, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        return int(cursor.fetchone()[0])


def hit(name: str, key: str) -> bool:
    """Counts one attempt for `key` under the limit `name` (settings.RATE_LIMITS); returns
    False once the limit for the current window is exceeded."""
    limit, window = settings.RATE_LIMITS[name]
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    counter_key = f"ratelimit:{name}:{bucket}:{digest}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        count = _count_in_redis(cache, counter_key, window)
    else:
        count = _count_in_database(counter_key, window)
    return count <= limit


def retry_after(name: str) -> int:
    """Seconds until the current window of the limit `name` ends (for Retry-After)."""
    _limit, window = settings.RATE_LIMITS[name]
    return max(1, math.ceil(window - time.time() % window))


def counters_purge() -> int:
    """Periodic: forgets the counts of windows that are over."""
    deleted, _details = RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
