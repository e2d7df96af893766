"""ExecGap settings, driven by environment variables (12-factor); the background work's and the
outreach's in modules of their own (`background`, `outreach`).

DATABASE_URL   default: a SQLite file beside manage.py (the embedded default)
REDIS_URL      absent: Celery runs tasks in-process, so the embedded default needs no broker
DJANGO_DEBUG   default: off; with it off, DJANGO_SECRET_KEY is required and start-up fails without it
"""

import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-execgap-development-only"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for the project's form renderer
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "simple_history",
    "axes",
    "django_ratelimit",
    "csp",
    "execgap",
    "resources",
    "objectives",
    "feedback",
    "accounts",
    "scoring",
    "scenarios",
    "alerts",
    "notifications",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp; Django has its own only from 6.0) and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "execgap.headers.PermissionsPolicyMiddleware",
    # A view that lost the database answers 503 "try again" (JSON under /api/), not 500.
    "execgap.outage.DatabaseUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "execgap.history.ChangeSetMiddleware",  # one request's revisions are one change set
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "execgap.urls"
WSGI_APPLICATION = "execgap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "execgap.web.navigation.navigation",
            ],
            # `day` and `ago` on every page: one way to show a date, a date not set and a time ago.
            "builtins": ["execgap.templatetags.when"],
        },
    },
]

# Every form in one layout: templates/forms/ (execgap.web.forms.FormRenderer).
FORM_RENDERER = "execgap.web.forms.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Redis (the cache, Celery's broker) and Celery's jobs: their own settings module.
from execgap.settings.background import *  # noqa: E402, F403
from execgap.settings.background import REDIS_URL  # noqa: E402 (read below)

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ExecGap <execgap@localhost>")
# How long an invitation link stays valid.
EXECGAP_INVITATION_EXPIRY_DAYS = env.int("EXECGAP_INVITATION_EXPIRY_DAYS", default=7)

# Sane bounds on the plan (refused on every way in, the field and the bound named): the most hours
# one task's effort (a Jira estimate, say) and one initiative's estimate may be.
EXECGAP_MAX_TASK_EFFORT_HOURS = env.int("EXECGAP_MAX_TASK_EFFORT_HOURS", default=2000)
EXECGAP_MAX_INITIATIVE_ESTIMATE_HOURS = env.int("EXECGAP_MAX_INITIATIVE_ESTIMATE_HOURS", default=20000)
# The largest request body read into memory (forms and the API's JSON; bigger answers 400), and the
# deepest JSON nesting the API reads (deeper answers 400 before it is parsed).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
EXECGAP_JSON_MAX_DEPTH = env.int("EXECGAP_JSON_MAX_DEPTH", default=32)

# Personal API tokens (`Authorization: Token <key>`), stored as digests; no expiry unless one is chosen.
KNOX_TOKEN_MODEL = "execgap.ApiToken"
# knox's own migrations create its default token table even when the model is swapped; ours is
# `execgap.ApiToken`, so knox needs no table at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": None,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "eg_",
}


def throttle_rate(variable: str, default: str) -> str | None:
    """A rate such as "60/min" (per second, min, hour or day) from the environment; "off": no limit."""
    rate = env.str(variable, default=default).strip().lower()
    if rate == "off":
        return None
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(f'{variable} must be a rate such as "60/min", or "off"; not {rate!r}.')
    return rate


# Trusted proxies in front of ExecGap that each append to X-Forwarded-For (README, "Behind a proxy").
# 0, the default: the header is ignored and the client is the peer of the connection, so that no client
# can choose its address; set 1 behind one TLS proxy, and so on.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON bounded in size and depth before it is parsed (a clear 400, never a RecursionError). The API
    # reads JSON only (another body is 415), so the schema offers each body as JSON alone and a generated
    # client works unedited; the task import declares its own (a multipart file, a CSV body).
    "DEFAULT_PARSER_CLASSES": ["execgap.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "execgap.api.pagination.StablePagination",
    "EXCEPTION_HANDLER": "execgap.api.exceptions.exception_handler",
    # Counted in Django's cache (Redis when REDIS_URL is set: shared by every process). Callers are
    # told apart by user, the anonymous by address: the address of the client as the proxies in front
    # report it (DJANGO_NUM_PROXIES of them: 1 behind the TLS proxy of production, 0 when serving
    # directly, so that a client cannot choose its address with X-Forwarded-For).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": throttle_rate("EXECGAP_THROTTLE_ANON", "60/min"),
        "user": throttle_rate("EXECGAP_THROTTLE_USER", "2000/min"),
        "auth_token": throttle_rate("EXECGAP_THROTTLE_AUTH_TOKEN", "10/min"),  # sign-ins for a token
    },
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ExecGap API",
    "DESCRIPTION": (
        "Strategy execution scores and the plan behind them. Request bodies are JSON. Scores (0 to 100) "
        "and their changes are rounded to 2 decimal places, every other fractional number to 10 "
        "significant digits. A score's band: healthy at 70 or more, watch from 50, critical below 50."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "execgap.api.schema.document_throttling",
    ],
    # Operation ids name the resource and the action (`teams_list`, `scores_history_list`): the
    # version and the organization's path are the same for every operation under /orgs/{org}/.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+/(orgs/\{org\}/(?=.))?",
    "ENUM_NAME_OVERRIDES": {
        "ScoreBandEnum": "scoring.api.numbers.ScoreBand",
        "AlertRuleKindEnum": "alerts.models.RuleKind",
        "NotificationKindEnum": "notifications.models.NotificationKind",
        "NotificationChannelEnum": "notifications.models.Channel",
        "WebhookKindEnum": "webhooks.models.WebhookKind",
        "WebhookFormatEnum": "webhooks.models.WebhookFormat",
    },
    # A request body is its own component (`TeamRequest`, `PatchedTeamRequest`) without the read-only
    # fields, so a client sends a new row without an id or a version, and a file as binary.
    "COMPONENT_SPLIT_REQUEST": True,
}

# Failed logins (django-axes): AXES_FAILURE_LIMIT failures lock out one username from one address, and
# also one username from any addresses (so that changing address does not dodge it: the account's
# owner hears of it by email, `accounts.lockout`), for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
# The client's address as the trusted proxies report it (else every client shares the proxy's).
AXES_CLIENT_IP_CALLABLE = "execgap.client_address.client_address"

# Sign-ups and password reset emails per client address (django-ratelimit, counted in the shared cache;
# beyond the rate the page answers 429). Format: "<count>/<s|m|h|d>".
EXECGAP_SIGNUP_RATE = env.str("EXECGAP_SIGNUP_RATE", default="10/h")
EXECGAP_PASSWORD_RESET_RATE = env.str("EXECGAP_PASSWORD_RESET_RATE", default="5/h")
RATELIMIT_IP_META_KEY = "execgap.client_address.client_address"
RATELIMIT_VIEW = "execgap.views.rate_limited"
# Django's own RedisCache increments atomically (django-ratelimit knows only django-redis's by name);
# without Redis the counts are per process, as everything cached is in development.
SILENCED_SYSTEM_CHECKS = [
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
    # SQLite keeps an index's key columns only: an index that includes more (for PostgreSQL's
    # index-only scans at scale) is still a plain index there.
    "models.W040",
]

# Production hardening: on whenever DEBUG is off (`manage.py check --deploy` stays clean).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from ExecGap itself only; no
# inline script (htmx and the pages' behaviour are static files); inline style attributes stay allowed
# (the server-drawn charts and tree indents set widths and depths with them); no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy: none of the browser features ExecGap has no use for.
EXECGAP_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# Alerts, notifications, email and webhooks: their own settings module.
from execgap.settings.outreach import *  # noqa: E402, F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Sign-ins, tokens and memberships (execgap.tokens, the account API), whatever the root level.
        "execgap.security": {"level": "INFO"},
    },
}
