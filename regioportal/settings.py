"""Settings for Regioportal, read from the environment.

Development (DEBUG on, the default) runs on embedded defaults: a SQLite file and a
filesystem Celery broker under ``var/``. Set ``DATABASE_URL`` / ``REDIS_URL`` to use
PostgreSQL and Redis. With DEBUG off the settings refuse to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REGIOPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string in production "
            "(or set DEBUG=true for development)."
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the host names the portal is served on, "
        "comma separated, e.g. ALLOWED_HOSTS=regioportal.provinciegroningen.nl."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_tables2",
    "regioportal",
    "programmes",
    "participants",
    "subsidies",
    "reports",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "regioportal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regioportal.middleware.DutchUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "regioportal.middleware.SessionTimeoutMiddleware",
    "regioportal.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regioportal.urls"
WSGI_APPLICATION = "regioportal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "regioportal.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'regioportal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        # Off by default (Django's default): a check costs a round trip on every request.
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", default=False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", default=False
):
    # Server-side parameter binding with prepared statements: a prepared statement is planned
    # once per connection. Off by default, as in Django: with server-side binding a query with
    # a parameter both in SELECT and in GROUP BY fails (Django ticket #34255; the subsidy and
    # factsheet figures group by such expressions), and `make bench` measured no clear gain
    # (README, Performance). Never behind a transaction-pooling PgBouncer.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt while the username or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# Login throttling (django-axes). Failures are counted per username and, separately, per
# client address: a locked username cannot be tried from another address, and an address
# that tries many usernames is stopped too. The lockout ends after the cool-off; a
# successful login resets the count. See README.md, "Inloggen en tweestapsverificatie".
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_address"
AXES_USERNAME_CALLABLE = "accounts.network.attempted_username"
# Our own audit log records logins; Axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
# Axes' admin pages are English only; a lockout ends by itself after the cool-off, and
# `manage.py axes_reset_username NAME` lifts one earlier.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Number of reverse proxies in front of the portal that append to X-Forwarded-For. 0 (the
# default) takes the address of the connection and ignores the header, which anyone can set.
REVERSE_PROXY_COUNT = int(os.environ.get("REVERSE_PROXY_COUNT", "0"))

# Sessions end after this much inactivity, and in any case SESSION_COOKIE_AGE after login.
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))

# Two-factor authentication (TOTP app plus recovery codes, django-otp). Required for every
# role unless turned off; `make run`'s demo turns it off.
REQUIRE_2FA = env_bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Regioportal"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    # Private media (uploads, rendered PDFs) live outside the static root and have no
    # public URL: they are served only through permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
PRIVATE_MEDIA_ROOT = Path(STORAGES["default"]["OPTIONS"]["location"])
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security headers. The CSP allows only our own origin: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions are read on every request: keep them in the cache (Redis), backed by the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport, which
# needs no server (for `make run` on a fresh machine).
REDIS_URL = os.environ.get("REDIS_URL", "")


def next_redis_database(url):
    """The URL of the Redis database after ``url``'s: the cache's, so that ``cache.clear()``
    (or an evicted key) can never drop a queued Celery task."""
    path = urlsplit(url).path.strip("/") or "0"
    if not path.isdigit() or int(path) >= 15:
        raise ImproperlyConfigured(
            f"REDIS_URL must name a Redis database from 0 to 14 (the cache uses the next one), "
            f"not {url!r}; or set CACHE_URL."
        )
    return urlunsplit(urlsplit(url)._replace(path=f"/{int(path) + 1}"))


# The broker and the results live in REDIS_URL's database, the cache (and with it the cached
# sessions) in the next one, or in CACHE_URL when set.
CACHE_URL = os.environ.get("CACHE_URL", "")
if REDIS_URL and not CACHE_URL:
    CACHE_URL = next_redis_database(REDIS_URL)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # An unacknowledged message (acks_late) goes back to the queue when its worker has not
    # acknowledged it within this time: it must exceed the longest task's hard time limit
    # (reports.services.BATCH_TIME_LIMIT), or a running task would be delivered twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("in", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # The exchange tables (celery, pdf) under var/ too, not in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'results'}"
# The cache is shared between web and worker processes (the worker heartbeat, task progress).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Without this, Celery's Django fixup closes the database connection before and after every
# task, so that every task opened a new PostgreSQL connection and the server started a new
# backend for it: 5 ms of every factsheet in the pdf worker (claim_job measured at 8.3 ms
# with a connection per task, 4.3 ms without). A pool process now keeps its connection for
# up to this many tasks, and Django's own rules (CONN_MAX_AGE, CONN_HEALTH_CHECKS) close it
# before a task as before a request (regioportal.celery).
CELERY_DB_REUSE_MAX = 100
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
# Task modules outside the autodiscovered <app>.tasks.
CELERY_IMPORTS = ["participants.tasks_retention"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "regioportal.tasks.heartbeat", "schedule": 60.0},
    # AVG retention (PARTICIPANT_RETENTION_DAYS below), at night when nobody is entering data.
    "anonymise-expired-participants": {
        "task": "participants.tasks_retention.anonymise_expired_participants",
        "schedule": crontab(hour=3, minute=0),
    },
    "purge-expired-audit-entries": {
        "task": "regioportal.tasks.purge_expired_audit_entries",
        "schedule": crontab(hour=3, minute=30),
    },
    # Before the anonymisation above: an enrolment closed here starts its retention period.
    "close-inactive-enrolments": {
        "task": "participants.tasks_retention.close_inactive_enrolments",
        "schedule": crontab(hour=2, minute=30),
    },
    # PDF jobs whose worker died (reports.services.sweep_stuck_jobs).
    "sweep-stuck-renderings": {
        "task": "reports.tasks.sweep_stuck_renderings",
        "schedule": 5 * 60.0,
    },
}
# PDFs render on a queue of their own, so that a long batch never delays a participant
# import; `celery worker -Q celery,pdf` (bin/run) consumes both. A pdf-only worker in
# production: `celery worker -Q pdf --max-tasks-per-child 50`. WeasyPrint's caches grow with
# every document, so worker processes are recycled after this many tasks.
CELERY_TASK_ROUTES = {
    "reports.tasks.render_factsheet_task": {"queue": "pdf"},
    "reports.tasks.render_factsheet_batch_task": {"queue": "pdf"},
    "subsidies.tasks.render_decision_letter": {"queue": "pdf"},
}
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50

# AVG: participants whose enrolment ended longer ago than this are anonymised.
PARTICIPANT_RETENTION_DAYS = int(os.environ.get("PARTICIPANT_RETENTION_DAYS", str(2 * 365)))
# Open enrolments without any activity (no progress entry, no change) for this long are
# closed as "gestopt" every night, so that the retention period above applies to them.
ENROLMENT_INACTIVE_DAYS = int(os.environ.get("ENROLMENT_INACTIVE_DAYS", "365"))
# The audit log's own retention: entries about participant data and logins older than this are
# deleted every night (five years, as NEN 7513 advises for logs of access to personal data).
# Entries about applications belong to the subsidy file and are kept.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(5 * 365 + 1)))

# Subsidy applications: the largest attachment accepted (its type is checked by content,
# subsidies.files), and the EU de-minimis ceiling per undertaking over three rolling years
# (Regulation (EU) 2023/2831: € 300.000 since 2024); subsidies.de_minimis warns before a
# grant would pass it.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
DE_MINIMIS_CEILING = Decimal(os.environ.get("DE_MINIMIS_CEILING", "300000"))

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_PAGE_RANGE = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
