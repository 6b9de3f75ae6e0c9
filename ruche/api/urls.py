"""The NinjaAPI object. Each app keeps its routes in its own api.py; they are mounted here."""

import json
import logging
import math

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import PathView
from ninja.parser import Parser

from ruche.api.auth import ApiTokenAuth
from ruche.api.errors import readable
from ruche.api.throttling import RateLimit
from ruche.events.api import router as events_router
from ruche.groups.api import router as groups_router
from ruche.health.api import router as health_router
from ruche.initiatives.api import router as initiatives_router
from ruche.members.api import router as members_router
from ruche.onboarding.api import router as onboarding_router

logger = logging.getLogger(__name__)


def _nul_errors(value, loc: tuple) -> list[dict]:
    """A 422 error for each string (key or value) of `value` holding a NUL character: no
    database stores one, and PostgreSQL fails on it."""
    if isinstance(value, str):
        return (
            [{"type": "string_nul", "loc": loc, "msg": "NUL character"}] if "\x00" in value else []
        )
    if isinstance(value, dict):
        errors = []
        for key, item in value.items():
            errors += _nul_errors(key, (*loc, key)) + _nul_errors(item, (*loc, key))
        return errors
    if isinstance(value, list):
        return [
            error for index, item in enumerate(value) for error in _nul_errors(item, (*loc, index))
        ]
    return []


class RucheParser(Parser):
    """Bodies are JSON objects (Ninja's schemas read attributes, so a bare string or number
    would pass as an object whose fields all take their default); no text holds NUL."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NinjaValidationError(
                [{"type": "body_type", "loc": ("body",), "msg": "A JSON object is expected"}]
            )
        errors = _nul_errors(data, ("body",))
        if errors:
            raise NinjaValidationError(errors)
        return data

    def parse_querydict(self, data, list_fields, request):
        errors = [
            error
            for key, values in data.lists()
            for value in values
            for error in _nul_errors(value, ("query", key)) + _nul_errors(key, ("query", key))
        ]
        if errors:
            raise NinjaValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Ruche API",
    version="1",
    description=(
        "L’API de Ruche, la plateforme d’engagement de la communauté beta.gouv. Authentification "
        "par jeton personnel (`Authorization: Bearer …`). Les listes renvoient "
        '`{"items": [...], "count": N}`, paginées par `limit` et `offset` ; les erreurs '
        '`{"detail": ...}`.'
    ),
    auth=ApiTokenAuth(),
    parser=RucheParser(),
    throttle=[RateLimit()],
    urls_namespace="api",
    docs_decorator=csp_override(
        {
            "default-src": [CSP.SELF],
            "script-src": [CSP.SELF],
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
            "img-src": [CSP.SELF, "data:"],
            "frame-ancestors": [CSP.NONE],
        }
    ),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("Action non autorisée.")}, status=403
    )


@api.exception_handler(Http404)
def object_not_found(request, exc):
    return api.create_response(request, {"detail": _("Introuvable.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Authentification requise : en-tête « Authorization: Bearer <jeton> ».")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(NinjaValidationError)
def malformed(request, exc):
    return api.create_response(request, {"detail": readable(exc.errors)}, status=422)


@api.exception_handler(Throttled)
def throttled(request, exc):
    seconds = math.ceil(exc.wait or 60)
    response = api.create_response(
        request,
        {
            "detail": _("Trop de requêtes en peu de temps : réessayez dans %(seconds)s secondes.")
            % {"seconds": seconds}
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc.__cause__, NinjaValidationError):
        # Ninja wraps what the parser refuses (a body that is not an object, a NUL character).
        return malformed(request, exc.__cause__)
    detail = exc.message
    if isinstance(exc.__cause__, ValueError):
        # Ninja's own answer to a body that is not JSON is an English sentence.
        detail = _("Le corps de la requête n’est pas du JSON valide.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request, exc):
    """A bug answers in the API's shape too; the traceback goes to the logs (and Sentry)."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request,
        {"detail": _("Erreur inattendue de notre côté : réessayez dans quelques minutes.")},
        status=500,
    )


api.add_router("", members_router)
api.add_router("", initiatives_router)
api.add_router("", events_router)
api.add_router("", groups_router)
api.add_router("", health_router)
api.add_router("", onboarding_router)


def _json_not_allowed(path_view):
    """Ninja answers an unsupported method with a plain-text 405; API clients expect JSON."""
    allowed = ", ".join(sorted({m for op in path_view.operations for m in op.methods}))
    response = JsonResponse(
        {"detail": _("Méthode non autorisée ici : %(allowed)s.") % {"allowed": allowed}},
        status=405,
    )
    response["Allow"] = allowed
    return response


# Ninja has no hook for this answer; its version is pinned, and tests/api checks the result.
# (mypy refuses assigning to a method: replacing this one is the point.)
PathView._not_allowed = _json_not_allowed  # type: ignore[method-assign]


def _public(patterns):
    """The API authenticates with tokens itself; the site-wide sign-in redirect must not apply."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


urls, app_name, namespace = api.urls
api_urls = (_public(urls), app_name, namespace)
