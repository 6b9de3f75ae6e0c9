import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import empty

from ruche.core.logs import current_request_id, path_template

request_logger = logging.getLogger("ruche.request")
# An id from the proxy in front is kept (its logs and ours then match) if it cannot smuggle
# anything into a log line or a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    """One log line per request: its id (also sent back as X-Request-ID), method, route,
    status, duration and the member's id when signed in. First in MIDDLEWARE, so that the
    duration covers the others."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        # An attribute of Ruche's own on the request, unknown to the HttpRequest type.
        request.id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = path_template(request)
            member_id = _member_id(request)
            request_logger.info(
                "%s %s %s %.1f ms%s",
                request.method,
                path,
                response.status_code,
                duration_ms,
                f" member={member_id}" if member_id else "",
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "member_id": member_id,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


def _member_id(request: HttpRequest) -> int | None:
    """The signed-in member, without loading one just for the log: the session is read only
    if the page itself needed it. API calls are signed in by token."""
    token_member = getattr(request, "auth", None)
    token_pk: int | None = getattr(token_member, "pk", None)
    if token_pk is not None:
        return token_pk
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class CspNonceAliasMiddleware:
    """django-dsfr's base template reads the nonce as `request.csp_nonce` (the django-csp
    name); Django's own CSP middleware keeps it elsewhere. Expose it under that name too, so
    the design system's scripts carry the nonce. The template tests the nonce's truth, which a
    lazy nonce only has once generated: hand it the generated value (the policy header uses it
    on every response anyway)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Django's CSP middleware sets it; the HttpRequest type does not declare it.
        request.csp_nonce = str(get_nonce(request))  # type: ignore[attr-defined]
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages are in French, Ruche's language, unless the member chose English in the footer
    (the language cookie): a browser set to English is common among French speakers and must
    not switch the interface on its own. API clients still choose with Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class RefuseNulMiddleware:
    """A NUL character in a page's query string (`/startups/?q=%00`) is a 400 on every page, so
    no search box has to think of it: PostgreSQL fails on it in any query. The API refuses it
    itself, in its own error shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """What depends on who asks is never kept by a shared cache (a proxy, a CDN): pages that read
    a signed-in member's session and API answers to a token get `private, no-store` unless the
    view said otherwise. Public feeds, which read no session, keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and self._personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
            return True
        session = getattr(request, "session", None)
        # Reading whether the member is signed in loads the session: only once the view has.
        return bool(session is not None and session.accessed and request.user.is_authenticated)
