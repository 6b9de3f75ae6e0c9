import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from ruche.core.registry import registry

# The footer's outside links: beta.gouv.fr, then the State sites the DSFR footer always lists.
GOUV_LINKS = (
    ("beta.gouv.fr", "https://beta.gouv.fr"),
    ("info.gouv.fr", "https://www.info.gouv.fr"),
    ("service-public.fr", "https://www.service-public.fr"),
    ("legifrance.gouv.fr", "https://www.legifrance.gouv.fr"),
    ("data.gouv.fr", "https://www.data.gouv.fr"),
)


@functools.cache
def _url(urlconf: str, script_prefix: str, url_name: str) -> str:
    """A menu entry's URL, reversed once per process (and URL configuration) rather than on
    every page."""
    return reverse(url_name, urlconf=urlconf)


def site(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    signed_in = request.user.is_authenticated
    nav = []
    animation_team = getattr(request.user, "is_animation_team", False)
    urlconf, prefix = get_urlconf(settings.ROOT_URLCONF), get_script_prefix()
    for item in registry.nav:
        if (item.members_only and not signed_in) or (
            item.animation_team_only and not animation_team
        ):
            continue
        url = _url(urlconf, prefix, item.url_name)
        current = (
            path == url if url == "/" else any(path.startswith(p) for p in (url, *item.prefixes))
        )
        nav.append({"label": item.label, "url": url, "current": current})
    return {
        # What the cached menu of the header (core/_header.html) depends on, with the language.
        "NAV_KEY": " ".join(f"{entry['url']}{'*' if entry['current'] else ''}" for entry in nav),
        "SITE_NAME": "Ruche",
        "SITE_TAGLINE": _("La vie de la communauté beta.gouv, portée par ses membres"),
        "NAV_ITEMS": nav,
        "GOUV_LINKS": GOUV_LINKS,
        "DEMO_MODE": settings.DEMO_MODE,
        "OIDC_ENABLED": settings.OIDC_ENABLED,
        "skiplinks": [
            {"link": "#content", "label": _("Contenu")},
            {"link": "#fr-navigation", "label": _("Menu")},
            {"link": "#footer", "label": _("Pied de page")},
        ],
    }
