from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def page_not_found(request, exception):
    """API clients get the API's error shape even for paths no route matches."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Introuvable.")}, status=404)
    return defaults.page_not_found(request, exception)
