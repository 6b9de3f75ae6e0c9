from ninja.throttling import BaseThrottle

from ruche.core.ratelimit import client_ip, hit, retry_after


class RateLimit(BaseThrottle):
    """Per member (or per IP for what needs no token), shared by every process through the
    cache. Runs after authentication, so a member's tokens share one allowance."""

    def allow_request(self, request):
        member = getattr(request, "auth", None)
        key = f"member:{member.pk}" if member is not None else f"ip:{client_ip(request)}"
        allowed = hit("api", key)
        if not allowed:
            self.wait_seconds = retry_after("api")
        return allowed

    def wait(self):
        return getattr(self, "wait_seconds", None)
