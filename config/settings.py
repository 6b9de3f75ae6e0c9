"""Ruche settings. Everything that varies between machines comes from the environment
(see README.md, « Configuration », for each variable and its default)."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", False)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured(
        "DEMO_MODE lets anyone sign in as a demo persona: it is refused when DEBUG is off."
    )

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-ruche-never-use-in-production-0123456789abcdef"  # noqa: S105
# Former keys, still accepted while a new SECRET_KEY rolls out: signed links and sessions they
# made stay valid, and chat channel secrets encrypted with them can still be read.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else (_base.hostname or "")
)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]
MEMBER_EMAIL_DOMAIN = env_str("MEMBER_EMAIL_DOMAIN", "beta.gouv.fr")
# The 10 % rule: hours a month a member may give to community work (10 % of 154 h).
try:
    COMMUNITY_TIME_MONTHLY_HOURS = float(env_str("COMMUNITY_TIME_MONTHLY_HOURS", "15.4"))
except ValueError:
    raise ImproperlyConfigured(
        "COMMUNITY_TIME_MONTHLY_HOURS: expected a number of hours."
    ) from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before django.forms, so the design system's radio and checkbox widget templates win.
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_htmx",
    "ninja",
    "mozilla_django_oidc",
    "django_tasks_db",
    "ruche.core",
    "ruche.members",
    "ruche.accounts",
    "ruche.engagement",
    "ruche.notifications",
    "ruche.initiatives",
    "ruche.groups",
    "ruche.events",
    "ruche.health",
    "ruche.onboarding",
    "ruche.api",
    "ruche.demo",
]

MIDDLEWARE = [
    "ruche.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ruche.core.middleware.PrivateCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ruche.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in member unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ruche.core.middleware.CspNonceAliasMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: its 400 page is rendered with everything the others put on the request.
    "ruche.core.middleware.RefuseNulMiddleware",
]

# Pages are compressed here unless a reverse proxy in front already does it
# (COMPRESS_RESPONSES=0). The CSRF token is masked anew in each response and no page carries
# another secret, so compression does not expose one (BREACH).
COMPRESS_RESPONSES = env_bool("COMPRESS_RESPONSES", True)
if COMPRESS_RESPONSES:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
        "django.middleware.gzip.GZipMiddleware",
    )

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ruche.core.context_processors.site",
                "ruche.notifications.context_processors.unread",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: the embedded SQLite file unless DATABASE_URL says otherwise.
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
    # timeout instead of failing with "database is locked" when a read upgrades to a write.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
    ),
}
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 4)
if DATABASE_POOL_SIZE < 1:
    raise ImproperlyConfigured("DATABASE_POOL_SIZE must be at least 1.")
if DATABASE_URL:
    default_db = dj_database_url.parse(DATABASE_URL, conn_health_checks=True)
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has no var/ yet
    default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "var" / "ruche.sqlite3"),
    }
if default_db["ENGINE"] == "django.db.backends.sqlite3":
    default_db["CONN_MAX_AGE"] = 0
    default_db["OPTIONS"] = {**SQLITE_OPTIONS, **default_db.get("OPTIONS", {})}
elif default_db["ENGINE"] == "django.db.backends.postgresql":
    # One pool per process caps its connections whatever serves Ruche: a threaded server
    # (runserver) would otherwise open one per thread, and exhaust PostgreSQL under load. A
    # request borrows a connection and gives it back when it ends (hence CONN_MAX_AGE 0); a
    # sync gunicorn worker or a `worker` process only ever needs one.
    default_db["CONN_MAX_AGE"] = 0
    default_db["OPTIONS"] = {
        **default_db.get("OPTIONS", {}),
        "pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 30},
    }
DATABASES = {"default": default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Shared by every process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ruche_cache",
        }
    }

# Template fragments rendered once per process and language, then reused: the header and footer
# around their live parts (they only change with the code and its translations, i.e. at a
# deployment, which restarts every process) and the event cards, keyed by everything they show.
# Nothing another process needs lives there.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ruche-template-fragments",
    # Event cards (events/_event_card.html) are keyed by what they show: room for many.
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
if DEBUG:
    # While templates are being edited, each page shows them as they are now.
    CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each worker writes a heartbeat this often, from a thread of its own (so a long task does not
# silence it); a worker silent for longer is taken for dead and its running tasks are run again.
WORKER_HEARTBEAT_SECONDS = 15
WORKER_SILENCE_SECONDS = 120

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
MAGIC_LINK_MAX_AGE_SECONDS = 15 * 60
# Imported members gone from beta.gouv's data this long, who never signed in, are erased.
INACTIVE_MEMBER_RETENTION_DAYS = env_int("INACTIVE_MEMBER_RETENTION_DAYS", 730)

OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email given_name usual_name")
    OIDC_USE_NONCE = True
    OIDC_CREATE_USER = False
    OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
    required = [
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
        # The provider's public keys, to check the signature of its tokens.
        required.append("OIDC_OP_JWKS_ENDPOINT")
    missing = [name for name in required if not globals()[name]]
    if missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so ProConnect sign-in also needs: {', '.join(missing)}."
        )
    AUTHENTICATION_BACKENDS.append("ruche.accounts.oidc.ProConnectBackend")
    LOGIN_REDIRECT_URL_FAILURE = "/connexion/?proconnect=echec"

MAILERS = {"default": mailer_from_url(env_str("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ruche <ne-pas-repondre@ruche.beta.gouv.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The legal notice (/mentions-legales/): who publishes Ruche, who answers for it, who hosts it.
LEGAL_PUBLISHER = env_str("LEGAL_PUBLISHER", "Direction interministérielle du numérique (DINUM)")
LEGAL_PUBLISHER_ADDRESS = env_str("LEGAL_PUBLISHER_ADDRESS", "20 avenue de Ségur, 75007 Paris")
LEGAL_DIRECTOR = env_str(
    "LEGAL_DIRECTOR", "Stéphanie Schaer, directrice interministérielle du numérique"
)
LEGAL_HOST_NAME = env_str("LEGAL_HOST_NAME", "Scalingo SAS")
LEGAL_HOST_ADDRESS = env_str("LEGAL_HOST_ADDRESS", "15 avenue du Rhin, 67100 Strasbourg")

CHAT_WEBHOOK_URL = env_str("CHAT_WEBHOOK_URL")
MATRIX_HOMESERVER_URL = env_str("MATRIX_HOMESERVER_URL")
MATRIX_ACCESS_TOKEN = env_str("MATRIX_ACCESS_TOKEN")
MATRIX_ROOM_ID = env_str("MATRIX_ROOM_ID")
# Seconds a chat server has to answer before the delivery is tried again later.
NOTIFICATIONS_HTTP_TIMEOUT = 10

LANGUAGE_CODE = "fr"
# French is the source language. English is offered once its catalogue is translated and
# compiled (make messages, then commit the .po and the .mo): until then an English page would be
# French text announced as English to screen readers.
LANGUAGES = [("fr", _("Français"))]
if (BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo").exists():
    LANGUAGES.append(("en", _("English")))
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365  # a member's choice of English lasts
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The DSFR core and the components and icons Ruche uses, in one sheet (ruche/core/dsfr_css.py).
    "ruche.core.finders.DsfrBundleFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Manifest storage rewrites the DSFR stylesheet, so its published checksums no longer match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
DSFR_MARK_OPTIONAL_FIELDS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers, cookies and transport.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the language choice: keep it out of their reach like the other cookies.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# How many reverse proxies (load balancer, nginx…) stand in front of Ruche, each appending the
# address it received the request from to X-Forwarded-For: the client's address, for the
# per-address limits, is that many entries from the end. 0: the socket's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Behind a reverse proxy that ends TLS, the header by which it says the client used HTTPS
# (e.g. X-Forwarded-Proto). Trusted only when set: a client reaching Ruche directly could
# send it too.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER").strip()
if _proxy_ssl_header:
    if not re.fullmatch(r"[A-Za-z0-9-]+", _proxy_ssl_header):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={_proxy_ssl_header!r}: expected a header name such as "
            "X-Forwarded-Proto."
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )

RATE_LIMITS = {
    # name: (requests, seconds)
    "login-address": (5, 15 * 60),
    # Generous: a whole room on one venue's Wi-Fi may sign in together; mail bombing of one
    # address is capped by login-address.
    "login-ip": (60, 15 * 60),
    "api": (env_int("API_RATE_LIMIT_PER_MINUTE", 300), 60),
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

# One line per request (ruche.core.middleware.RequestLogMiddleware), as JSON for a log
# search tool in production, plain text on a developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: expected json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ruche.core.logs.JsonFormatter"},
    },
    "filters": {
        "request": {"()": "ruche.core.logs.RequestContextFilter"},
        "raised_only": {"()": "ruche.core.logs.RaisedOnly"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django gives its logger a handler of its own in DEBUG: every line would print twice.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # Ruche's own request line has every status, without the raw address (which may
        # carry a sign-in or calendar token); what raised an exception is still reported.
        "django.request": {"level": "ERROR", "filters": ["raised_only"]},
        # The development server's own line repeats ours with the raw address.
        "django.server": {"level": "CRITICAL"},
    },
}

SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0)
