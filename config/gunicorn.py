"""gunicorn's settings for Ruche's web process: `make serve` and the Procfile's `web`.

Sync workers (one request at a time each, one database connection each); the address comes
from the command line (`make serve`) or, on a PaaS, from PORT (gunicorn's own default).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
worker_class = "sync"
# Past four, a small machine's workers only queue on the database and each other.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 4))
timeout = 30
graceful_timeout = 20
# Ruche logs each request itself (ruche.core.middleware.RequestLogMiddleware), without the
# raw address: gunicorn's access log would print sign-in and calendar tokens.
accesslog = None
# Whether a request came over HTTPS is Django's call alone (SECURE_PROXY_SSL_HEADER, opt-in):
# gunicorn would otherwise believe X-Forwarded-Proto from any local address.
secure_scheme_headers: dict[str, str] = {}
# gunicornc's socket would sit at one path per user, shared by every instance on the machine.
control_socket_disable = True


def on_starting(server):
    """Before the workers start: collect the static files if they are missing or stale."""
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), "collectstatic_if_needed"], cwd=ROOT, check=True
    )
