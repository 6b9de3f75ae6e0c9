"""Fixed-window rate limits kept in the shared cache, so they hold across processes."""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; it appends the client address last.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(name: str, key: str) -> bool:
    """Counts one attempt for `key` under the limit `name` (settings.RATE_LIMITS); returns
    False once the limit for the current window is exceeded."""
    limit, window = settings.RATE_LIMITS[name]
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{name}:{bucket}:{digest}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def retry_after(name: str) -> int:
    """Seconds until the current window of the limit `name` ends (for Retry-After)."""
    _limit, window = settings.RATE_LIMITS[name]
    return max(1, math.ceil(window - time.time() % window))
