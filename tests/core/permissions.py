from tests.permissions import Case

CASES = [
    Case("core:home", anonymous=200, member=200, admin=200),
    Case("core:search", query="q=apéro", anonymous=302, member=200, admin=200),
    Case("core:search", query="q=%00", anonymous=400, member=400, admin=400),
    Case("core:healthz", anonymous=200, member=200, admin=200),
    # Open to everyone, like /healthz; 503 here because no worker runs during the test.
    Case("core:readyz", anonymous=503, member=503, admin=503),
    Case("core:favicon", anonymous=301, member=301, admin=301),
    Case("core:accessibility", anonymous=200, member=200, admin=200),
    Case("core:legal-notice", anonymous=200, member=200, admin=200),
    Case("core:privacy", anonymous=200, member=200, admin=200),
    # Django's admin: staff only; others are sent to its own sign-in page.
    Case("admin:index", anonymous=302, member=302, admin=200),
]

# The API's own pages (ruche/api/urls.py); each app's routes are covered by that app's cases.
CASES += [
    Case("api:openapi-json", anonymous=200, member=200, admin=200),
    Case("api:openapi-view", anonymous=200, member=200, admin=200),
    Case("api:api-root", anonymous=404, member=404, admin=404),
]
