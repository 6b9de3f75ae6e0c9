"""Production configuration. Settings read the environment once, at import: each production
case runs in a subprocess with that environment, or loads config/settings.py afresh."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import mailers
from django.db.utils import ConnectionHandler, OperationalError

from config.env import mailer_from_url
from tests.helpers import run_probe

ROOT = Path(__file__).resolve().parents[2]
HOST = "ruche.example.gouv.fr"


def production_env(tmp_path, **overrides):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BASE_URL": f"https://{HOST}",
        "ALLOWED_HOSTS": HOST,
        "EMAIL_URL": "smtp://ruche:mot%20de%20passe@smtp.example.gouv.fr:587?tls=1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None}


def manage(tmp_path, *args, **overrides):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_checks_pass_with_production_settings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_allowed_host_defaults_to_the_one_of_base_url(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", ALLOWED_HOSTS=None)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checks_flag_a_missing_mail_server(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", EMAIL_URL=None)

    assert result.returncode != 0
    assert "development-only email backend" in result.stderr


def test_demo_mode_is_refused_without_debug(tmp_path):
    result = manage(tmp_path, "check", DEMO_MODE="1")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEMO_MODE" in result.stderr
    assert "refused when DEBUG is off" in result.stderr


def test_a_missing_secret_key_is_refused_without_debug(tmp_path):
    result = manage(tmp_path, "check", SECRET_KEY=None)

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_is_refused(load_settings):
    with pytest.raises(ImproperlyConfigured, match="DEBUG='oui'"):
        load_settings(DEBUG="oui")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("deploy")
    return run_probe("tests/core/deploy_probe.py", production_env(tmp_path))


def test_plain_http_is_redirected_to_https(probe):
    assert probe["debug"] is False
    assert probe["http_page"] == {"status": 301, "location": f"https://{HOST}/membres/?q=x"}


def test_the_health_probes_are_answered_over_plain_http(probe):
    assert probe["http_healthz"] == {"status": 200, "location": None}
    assert probe["https_healthz"] == 200
    # Not ready (no worker runs in the probe), but answered rather than redirected.
    assert probe["http_readyz"] == {"status": 503, "location": None}


def test_https_pages_carry_hsts_and_the_security_headers(probe):
    page = probe["https_page"]

    assert page["status"] == 200
    assert page["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self' 'nonce-" in page["csp"]
    assert "frame-ancestors 'none'" in page["csp"]
    assert page["frame"] == "DENY"
    assert page["nosniff"] == "nosniff"
    assert page["referrer"] == "same-origin"


def test_cookies_are_secure_and_httponly(probe):
    assert probe["https_page"]["csrf_cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }
    assert probe["sign_in"]["status"] == 302
    assert probe["sign_in"]["location"] == "/connexion/envoye/"
    assert probe["sign_in"]["session_cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
    }


def test_forms_need_the_csrf_token(probe):
    assert probe["post_without_csrf"] == 403


def test_an_unknown_host_is_refused(probe):
    assert probe["other_host"] == 400


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://ruche:s3cr%40t@smtp.example.org:2525",
            {"host": "smtp.example.org", "port": 2525, "username": "ruche",
             "password": "s3cr@t", "use_tls": False, "use_ssl": False},
        ),
        (
            "smtp://smtp.example.org",
            {"host": "smtp.example.org", "port": 25, "username": "", "password": "",
             "use_tls": False, "use_ssl": False},
        ),
        (
            "smtp://u:p@smtp.example.org?tls=1",
            {"host": "smtp.example.org", "port": 587, "use_tls": True, "use_ssl": False},
        ),
        (
            "smtp://u:p@smtp.example.org:2587?tls=true",
            {"port": 2587, "use_tls": True, "use_ssl": False},
        ),
        (
            "submission://u:p@smtp.example.org",
            {"port": 587, "use_tls": True, "use_ssl": False},
        ),
        (
            "smtps://u:p@smtp.example.org",
            {"host": "smtp.example.org", "port": 465, "use_tls": False, "use_ssl": True},
        ),
        (
            "smtp://u:p@smtp.example.org?ssl=1",
            {"port": 465, "use_tls": False, "use_ssl": True},
        ),
    ],
)  # fmt: skip
def test_smtp_email_urls_configure_the_smtp_backend(settings, url, expected):
    config = mailer_from_url(url)
    settings.MAILERS = {"default": config}

    backend = mailers["default"]

    assert type(backend).__module__ == "django.core.mail.backends.smtp"
    for name, value in expected.items():
        assert getattr(backend, name) == value, name
    assert backend.timeout == 20


@pytest.mark.parametrize(
    ("url", "module"),
    [
        ("console://", "ruche.core.mail"),
        ("locmem://", "django.core.mail.backends.locmem"),
        ("dummy://", "django.core.mail.backends.dummy"),
        ("CONSOLE://", "ruche.core.mail"),
    ],
)
def test_development_email_urls(settings, url, module):
    settings.MAILERS = {"default": mailer_from_url(url)}

    assert type(mailers["default"]).__module__ == module


def test_a_file_email_url_writes_to_its_directory(settings, tmp_path):
    settings.MAILERS = {"default": mailer_from_url(f"file://{tmp_path}/mails")}

    assert mailers["default"].file_path == str(tmp_path / "mails")


@pytest.mark.parametrize("url", ["http://smtp.example.org", "sendmail://", "smtp2://x"])
def test_an_unknown_email_url_scheme_is_refused_clearly(url):
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_URL scheme .* is not supported"):
        mailer_from_url(url)


def test_email_is_printed_to_the_console_by_default(load_settings):
    loaded = load_settings(DEBUG="1")

    assert loaded["MAILERS"]["default"]["BACKEND"] == "ruche.core.mail.ConsoleBackend"


def test_postgresql_connections_come_from_a_bounded_health_checked_pool(load_settings):
    loaded = load_settings(DEBUG="1", DATABASE_URL="postgres://ruche:pw@db.example:5432/ruche")

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.example", 5432, "ruche")
    assert database["OPTIONS"]["pool"]["max_size"] == 4
    assert database["CONN_MAX_AGE"] == 0  # a request gives its connection back to the pool
    assert database["CONN_HEALTH_CHECKS"] is True


def test_the_pool_size_is_configurable_and_at_least_one(load_settings):
    url = "postgres://ruche:pw@db.example:5432/ruche?sslmode=require"

    loaded = load_settings(DEBUG="1", DATABASE_URL=url, DATABASE_POOL_SIZE="2")

    options = loaded["DATABASES"]["default"]["OPTIONS"]
    assert options["pool"]["max_size"] == 2
    assert options["sslmode"] == "require"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_SIZE must be at least 1"):
        load_settings(DEBUG="1", DATABASE_URL=url, DATABASE_POOL_SIZE="0")


def test_sqlite_is_the_default_database(load_settings):
    loaded = load_settings(DEBUG="1")

    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert str(database["NAME"]).endswith("var/ruche.sqlite3")


@pytest.fixture
def sqlite_connections(load_settings, tmp_path, django_db_blocker):
    """Two connections to one SQLite file, configured as settings.py configures them (not the
    test database: these are standalone connections)."""
    loaded = load_settings(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    handler = ConnectionHandler({"default": loaded["DATABASES"]["default"]})
    impatient = dict(loaded["DATABASES"]["default"])
    impatient["OPTIONS"] = {
        **impatient["OPTIONS"],
        "timeout": 0.1,
        "init_command": impatient["OPTIONS"]["init_command"].replace(
            "busy_timeout=20000", "busy_timeout=100"
        ),
    }
    handler_b = ConnectionHandler({"default": impatient})
    first, second = handler["default"], handler_b["default"]
    with django_db_blocker.unblock():
        first.ensure_connection()
        second.ensure_connection()
        yield first, second
        first.close()
        second.close()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_connections):
    connection, _other = sqlite_connections

    with connection.cursor() as cursor:
        pragmas = {}
        for pragma in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous"):
            cursor.execute(f"PRAGMA {pragma}")
            pragmas[pragma] = cursor.fetchone()[0]

    assert pragmas == {
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL: safe with WAL, and much faster than FULL
    }


def test_sqlite_transactions_take_the_write_lock_when_they_begin(sqlite_connections):
    """IMMEDIATE: a second writer waits at BEGIN (and, past the timeout, fails there) rather
    than failing half-way when its read turns into a write."""
    first, second = sqlite_connections
    assert first.transaction_mode == "IMMEDIATE"

    # What transaction.atomic() does on SQLite when it opens a transaction.
    first._start_transaction_under_autocommit()
    try:
        with pytest.raises(OperationalError, match="locked"):
            second._start_transaction_under_autocommit()
    finally:
        first.connection.rollback()


def test_production_settings_derive_from_base_url(load_settings):
    loaded = load_settings(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), BASE_URL=f"https://{HOST}"
    )

    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == [HOST]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == [f"https://{HOST}"]
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    static_storage = loaded["STORAGES"]["staticfiles"]["BACKEND"]
    assert static_storage.endswith("CompressedManifestStaticFilesStorage")
    assert loaded["STATIC_ROOT"] == ROOT / "staticfiles"


def test_static_files_can_be_collected_elsewhere(load_settings, tmp_path):
    loaded = load_settings(DEBUG="1", STATIC_ROOT=str(tmp_path / "static"))

    assert loaded["STATIC_ROOT"] == tmp_path / "static"


def test_the_proxy_header_for_https_is_trusted_only_when_named(load_settings):
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}

    assert "SECURE_PROXY_SSL_HEADER" not in load_settings(**production)
    named = load_settings(**production, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert named["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    other = load_settings(**production, SECURE_PROXY_SSL_HEADER="x-scheme")
    assert other["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_SCHEME", "https")
    with pytest.raises(ImproperlyConfigured, match="expected a header name"):
        load_settings(**production, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https")


def test_without_it_a_client_claiming_https_is_still_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None

    response = client.get("/connexion/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/connexion/"
