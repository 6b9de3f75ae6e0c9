"""Settings for the test suite: the development configuration from the environment, plus what
makes tests fast and strict. Production settings are checked in a subprocess
(tests/core/test_deploy.py)."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ["DEMO_MODE"] = "0"
# A worker a test starts (tests/core/test_stuck_tasks.py) may be given a real mail server.
os.environ["EMAIL_URL"] = os.environ.get("RUCHE_TEST_EMAIL_URL", "locmem://")
for name in (
    "REDIS_URL",
    "OIDC_RP_CLIENT_ID",
    "SENTRY_DSN",
    "ALLOWED_HOSTS",
    "CHAT_WEBHOOK_URL",
    "MATRIX_HOMESERVER_URL",
    "MATRIX_ACCESS_TOKEN",
    "MATRIX_ROOM_ID",
):
    os.environ.pop(name, None)

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

# Tasks run at once, in the process that enqueues them; tests/conftest.py fails a test whose
# task failed.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Workers a test starts beat and give up on each other within seconds, not minutes.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("RUCHE_TEST_WORKER_HEARTBEAT_SECONDS", 15))
WORKER_SILENCE_SECONDS = float(os.environ.get("RUCHE_TEST_WORKER_SILENCE_SECONDS", 120))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("RUCHE_TEST_REDIS_URL"):
    # A server a test starts (tests/servers.py) on Redis, under keys of that test only.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["RUCHE_TEST_REDIS_URL"],
            "KEY_PREFIX": os.environ["RUCHE_TEST_CACHE_PREFIX"],
        }
    }
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# pytest-django turns DEBUG off, and WhiteNoise would then index every static file (about 1,800
# with the DSFR) each time a test client is made: 0.4 s per test. Looked up on request instead.
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory, so that tests can start real server processes (gunicorn) on
    # the same test database. The process id keeps concurrent runs apart; pytest-xdist also
    # appends its worker id.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405 — a fresh clone has no var/ yet
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# One line per request would bury what a failing test printed; tests/core/test_request_log.py
# turns it back on where it is the subject.
LOGGING["loggers"]["ruche.request"] = {"level": "WARNING"}  # noqa: F405
