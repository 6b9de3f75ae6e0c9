import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = [
    "DEBUG", "DEMO_MODE", "SECRET_KEY", "BASE_URL", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL",
    "REDIS_URL", "SENTRY_DSN", "SECURE_SSL_REDIRECT", "DEFAULT_FROM_EMAIL", "LOG_FORMAT",
    "SECURE_PROXY_SSL_HEADER", "DATABASE_POOL_SIZE", "STATIC_ROOT",
]  # fmt: skip


@pytest.fixture
def load_settings(monkeypatch):
    """config/settings.py executed afresh with exactly the given variables set. Settings read
    the environment once, at import: this is how a test sees another environment's."""

    def load(**env):
        for name in CONFIG_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "config" / "settings.py"))

    return load


@pytest.fixture
def cache_table(settings):
    """The cache table `migrate` creates for production settings, which cache in the database
    (the test settings cache in memory, so the test database has none)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ruche_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ruche_cache")
