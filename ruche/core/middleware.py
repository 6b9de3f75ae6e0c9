from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.csp import get_nonce
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class CspNonceAliasMiddleware:
    """django-dsfr's base template reads the nonce as `request.csp_nonce` (the django-csp
    name); Django's own CSP middleware keeps it elsewhere. Expose it under that name too, so
    the design system's scripts carry the nonce. The template tests the nonce's truth, which a
    lazy nonce only has once generated: hand it the generated value (the policy header uses it
    on every response anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = str(get_nonce(request))
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages are in French, Ruche's language, unless the member chose English in the footer
    (the language cookie): a browser set to English is common among French speakers and must
    not switch the interface on its own. API clients still choose with Accept-Language."""

    def process_request(self, request):
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and self._personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _personal(request) -> bool:
        if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
            return True
        session = getattr(request, "session", None)
        # Reading whether the member is signed in loads the session: only once the view has.
        return bool(session is not None and session.accessed and request.user.is_authenticated)
