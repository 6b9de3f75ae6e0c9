from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from ruche.core import views as core_views


def page_not_found(request, exception):
    """API clients get the API's error shape even for paths no route matches."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """A failure outside the API's own handlers (a middleware) still answers JSON there."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Erreur inattendue de notre côté : réessayez dans quelques minutes.")},
            status=500,
        )
    return core_views.server_error(request)


def bad_request(request, exception):
    """The API's shape under /api/. Pages get 400.html, which needs nothing from the request
    (the request may have been refused before the middleware that sign members in ran)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Requête invalide.")}, status=400)
    # Without the request, like the 500 page: context processors would need a signed-in member.
    return HttpResponseBadRequest(loader.render_to_string("400.html"))
