"""Who may open the health dashboard, its exports, the alert settings and the API route: every
member reads the figures; only the animation team changes the alert settings (an admin is, for
these pages, an ordinary member)."""

from tests.permissions import Case

API = {"api": True, "anonymous": 401}

CASES = [
    Case("health:dashboard", anonymous=302, member=200, admin=200),
    Case(
        "health:dashboard",
        query="period=custom&from=2026-01-01&to=2026-02-15&segment=domaine:design",
        anonymous=302,
        member=200,
        admin=200,
    ),
    Case("health:export-csv", anonymous=302, member=200, admin=200),
    Case("health:export-json", query="period=year", anonymous=302, member=200, admin=200),
    Case("health:alert-settings", anonymous=302, member=403, animator=200, admin=403),
    Case(
        "health:alert-settings",
        method="post",
        data=lambda w: {"transverse_threshold": "35"},
        anonymous=302,
        member=403,
        animator=302,
        admin=403,
    ),
    Case("api:health_metrics", member=200, admin=200, **API),
    Case(
        "api:health_metrics",
        query="from=2026-01-01&to=2026-03-31&segment=seniority:5a%2B",
        member=200,
        admin=200,
        **API,
    ),
]
