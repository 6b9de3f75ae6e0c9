"""Run by tests/core/test_deploy.py in a subprocess with the production environment (DEBUG=0,
HTTPS behind a proxy). Migrates the throw-away database named by DATABASE_URL, makes a few
requests as a browser would and prints what it saw as JSON."""

import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

HOST = "ruche.example.gouv.fr"
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def cookie(response, name):
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    results = {"debug": settings.DEBUG}
    client = Client(HTTP_HOST=HOST)

    plain = client.get("/membres/?q=x")
    results["http_page"] = {"status": plain.status_code, "location": plain.get("Location")}
    probe = client.get("/healthz")
    results["http_healthz"] = {"status": probe.status_code, "location": probe.get("Location")}
    results["https_healthz"] = client.get("/healthz", **HTTPS).status_code
    ready = client.get("/readyz")
    results["http_readyz"] = {"status": ready.status_code, "location": ready.get("Location")}

    page = client.get("/connexion/", **HTTPS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    results["https_page"] = {
        "status": page.status_code,
        "hsts": page.get("Strict-Transport-Security"),
        "csp": page.get("Content-Security-Policy"),
        "frame": page.get("X-Frame-Options"),
        "nosniff": page.get("X-Content-Type-Options"),
        "referrer": page.get("Referrer-Policy"),
        "csrf_cookie": cookie(page, settings.CSRF_COOKIE_NAME),
    }
    sign_in = client.post(
        "/connexion/",
        {"email": "personne@beta.gouv.fr", "csrfmiddlewaretoken": token},
        HTTP_REFERER=f"https://{HOST}/connexion/",
        **HTTPS,
    )
    results["sign_in"] = {
        "status": sign_in.status_code,
        "location": sign_in.get("Location"),
        "session_cookie": cookie(sign_in, settings.SESSION_COOKIE_NAME),
    }
    forged = Client(HTTP_HOST=HOST, enforce_csrf_checks=True).post(
        "/connexion/", {"email": "x@beta.gouv.fr"}, **HTTPS
    )
    results["post_without_csrf"] = forged.status_code
    results["other_host"] = Client(HTTP_HOST="evil.example").get("/healthz", **HTTPS).status_code
    print(json.dumps(results))


if __name__ == "__main__":
    # Collecting static files (the manifest storage of production) is a deployment step, not
    # what this probe checks: pages render with plain static storage here.
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        main()
