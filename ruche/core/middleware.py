from django.middleware.csp import get_nonce


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
