import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from ruche.core.forms import SearchForm
from ruche.core.health import queue_status, readiness_problem
from ruche.core.registry import build_sections, registry

logger = logging.getLogger(__name__)


@require_safe
@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    shown = [section for section in registry.home if section.public != signed_in]
    return render(request, "core/home.html", {"sections": build_sections(shown, request)})


SEARCH_HITS = 5


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """One search across Ruche: a few results of each kind the apps register, each with a link
    to its full list."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups = []
    if query:
        for provider in registry.search:
            results = provider.search(request, query, SEARCH_HITS)
            groups.append({"name": provider.name, "label": provider.label, "results": results})
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "total": sum(group["results"].total for group in groups),
    }
    return render(request, "core/search.html", context, status=400 if form.errors else 200)


@require_safe
@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_safe
@login_not_required
def legal_notice(request: HttpRequest) -> HttpResponse:
    legal = {
        "publisher": settings.LEGAL_PUBLISHER,
        "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
        "director": settings.LEGAL_DIRECTOR,
        "host_name": settings.LEGAL_HOST_NAME,
        "host_address": settings.LEGAL_HOST_ADDRESS,
    }
    return render(request, "core/legal_notice.html", {"legal": legal})


@require_safe
@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    context = {"retention_days": settings.INACTIVE_MEMBER_RETENTION_DAYS}
    return render(request, "core/privacy.html", context)


@never_cache
@require_safe
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as error:
        checks["database"] = {"ok": False, "error": error.__class__.__name__}
    try:
        checks["queue"] = queue_status() if checks["database"]["ok"] else {"ok": False}
    except Exception as error:
        # A probe answers; a half-migrated database must not turn it into a 500 page.
        checks["queue"] = {"ok": False, "error": error.__class__.__name__}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@never_cache
@require_safe
@login_not_required
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness, for a load balancer or a deployment: 200 once this instance can serve
    (unlike /healthz, which only says the process is alive)."""
    problem = readiness_problem()
    if problem is None:
        return JsonResponse({"status": "ready"})
    reason, detail = problem
    return JsonResponse({"status": "unavailable", "reason": reason, "detail": detail}, status=503)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout, or plain if even that fails: the layout names
    its stylesheets through the static files manifest, missing until collectstatic ran."""
    try:
        return defaults.server_error(request)
    except Exception:
        logger.exception("The error page could not render its layout; sent without it.")
        return HttpResponseServerError(loader.render_to_string("500_plain.html"))


@require_safe
@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)
