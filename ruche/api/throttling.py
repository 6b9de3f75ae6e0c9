from django.conf import settings
from ninja.throttling import BaseThrottle

from ruche.core.ratelimit import client_ip, hit


class RateLimit(BaseThrottle):
    """Per-token (or per-IP when anonymous) limit, shared by every process through the cache."""

    def allow_request(self, request):
        header = request.headers.get("Authorization", "")
        key = header.removeprefix("Bearer ").strip() or client_ip(request)
        allowed = hit("api", key)
        if not allowed:
            self.wait_seconds = settings.RATE_LIMITS["api"][1]
        return allowed

    def wait(self):
        return getattr(self, "wait_seconds", None)
