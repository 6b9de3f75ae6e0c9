"""The NinjaAPI object. Each app keeps its routes in its own api.py; they are mounted here."""

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

from ruche.api.auth import ApiTokenAuth
from ruche.api.errors import readable
from ruche.api.throttling import RateLimit
from ruche.events.api import router as events_router
from ruche.health.api import router as health_router
from ruche.initiatives.api import router as initiatives_router
from ruche.members.api import router as members_router

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
    detail = exc.message
    if isinstance(exc.__cause__, ValueError):
        # Ninja's own answer to a body that is not JSON is an English sentence.
        detail = _("Le corps de la requête n’est pas du JSON valide.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


api.add_router("", members_router)
api.add_router("", initiatives_router)
api.add_router("", events_router)
api.add_router("", health_router)


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
PathView._not_allowed = _json_not_allowed


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
