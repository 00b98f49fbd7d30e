"""The platform's one settings module, driven by the environment (STYLE.md §11).

Variables (all optional unless said otherwise):

``HAZEGUARD_DEBUG``            development mode (default off).
``HAZEGUARD_SECRET_KEY``       required unless ``HAZEGUARD_DEBUG`` is on.
``HAZEGUARD_ALLOWED_HOSTS``    comma-separated host names (default ``127.0.0.1,localhost``).
``HAZEGUARD_DATA_DIR``         SQLite database and collected static files (default ``./var``).
``DATABASE_URL``               a PostgreSQL (or other) URL; SQLite in the data directory when unset.
``HAZEGUARD_SECURE_COOKIES``   session/CSRF cookies only over HTTPS (default: on unless debug).
``HAZEGUARD_LOGIN_MAX_FAILURES`` failed sign-ins per user name + address before a lock (default 5).
``HAZEGUARD_LOGIN_LOCK_MINUTES`` how long that lock lasts [min] (default 15).
``HAZEGUARD_CSRF_TRUSTED_ORIGINS`` comma-separated origins (``https://haze.example.gov.cn``).
``HAZEGUARD_TLS_PROXY``        behind a proxy that ends TLS and sets ``X-Forwarded-Proto`` (off).
``HAZEGUARD_HSTS_SECONDS``     Strict-Transport-Security max-age [s] (default 0: not sent).
``HAZEGUARD_HSTS_SUBDOMAINS`` / ``HAZEGUARD_HSTS_PRELOAD``  its includeSubDomains / preload (off).
``HAZEGUARD_SSL_REDIRECT``     redirect plain HTTP to HTTPS (off; on in production).
``HAZEGUARD_TWO_FACTOR``       second factor required for the command and administrators (on).
``HAZEGUARD_IDLE_MINUTES_STAFF`` idle minutes before a staff session ends (default 30).
``HAZEGUARD_IDLE_MINUTES``      the same for everyone else (enterprise contacts; default 120).
``HAZEGUARD_AUDIT_RETENTION_DAYS`` audit records kept in the database [days] (default and minimum
                               180, GB/T 22239-2019's six months); older ones go to archive files.
``HAZEGUARD_BACKUP_DIR``       scheduled backups (default ``<data dir>/backups``).
``HAZEGUARD_BACKUP_HOURS``     hours between scheduled backups (default 24).
``HAZEGUARD_BACKUP_KEEP``      how many scheduled backups are kept (default 14).
``HAZEGUARD_CONSULTATION_TIME`` the daily consultation's China time (HH:MM, default 15:00); the
                               worker makes the model's forecast before it (docs/forecast.md).
``HAZEGUARD_MODEL_FORECAST_LEAD_MINUTES`` how long before that time [min] (default 60).
``HAZEGUARD_AUDIT_ARCHIVE_DIR`` where those files go (default ``<data dir>/audit-archive``).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from hazeguard.vocabulary import CHINA_ZONE_NAME
from hazeguard_platform.env import env_bool, env_int, env_list, env_str, env_time

PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("HAZEGUARD_DEBUG", default=False)
# Without a key in production sessions and reset tokens would be forgeable: refuse to start.
SECRET_KEY = env_str(
    "HAZEGUARD_SECRET_KEY", default="insecure-development-key-only" if DEBUG else None
)
ALLOWED_HOSTS = env_list("HAZEGUARD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
DATA_DIR = Path(env_str("HAZEGUARD_DATA_DIR", default="var")).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "hazeguard_platform.audit",
    "hazeguard_platform.accounts",
    "hazeguard_platform.jurisdictions",
    "hazeguard_platform.forecasts",
    "hazeguard_platform.warnings",
    # platform-web: public pages + CAP feed, staff pages, REST API (API tokens)
    "hazeguard_platform.public",
    "hazeguard_platform.web",
    "hazeguard_platform.api",
    "hazeguard_platform.notices",
    "hazeguard_platform.enterprises",
    "hazeguard_platform.supervision",
    "hazeguard_platform.operations",
    "hazeguard_platform.summaries",
    "hazeguard_platform.evaluation",
    "hazeguard_platform.meters",
    "hazeguard_platform.monitoring",
    "hazeguard_platform.response",
    "hazeguard_platform.subscriptions",
]

MIDDLEWARE = [
    "hazeguard_platform.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hazeguard_platform.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hazeguard_platform.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the form: an upload the disk cannot hold gets 507.
    "hazeguard_platform.middleware.StorageFullMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hazeguard_platform.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: it sees the views' exceptions (a database outage becomes a 503 page).
    "hazeguard_platform.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "hazeguard_platform.urls"
WSGI_APPLICATION = "hazeguard_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hazeguard_platform.web.context_processors.menu",
            ],
            # The staff pages' words for the core's codes, shared by every app below web.
            "libraries": {"staff_words": "hazeguard_platform.staff_words"},
        },
    },
]

# SQLite by default, PostgreSQL by one variable (STYLE.md §11).
if env_str("DATABASE_URL", default=""):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hazeguard.sqlite3"),
            "OPTIONS": {
                # WAL lets the worker read while the web process writes; IMMEDIATE takes the write
                # lock at the start of each transaction, so two writers queue (busy timeout) instead
                # of failing on a lock upgrade half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: the django.tasks API on the database queue, worked by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTHENTICATION_BACKENDS = ["hazeguard_platform.accounts.backends.ThrottledModelBackend"]
LOGIN_MAX_FAILURES = env_int("HAZEGUARD_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("HAZEGUARD_LOGIN_LOCK_MINUTES", 15, minimum=1)
# Sign-in policy (docs/security.md): a second factor for the command and administrators, idle
# sessions ended (30 min for staff by default), the TOTP issuer shown in the app.
TWO_FACTOR_REQUIRED = env_bool("HAZEGUARD_TWO_FACTOR", default=True)
SESSION_IDLE_MINUTES_STAFF = env_int("HAZEGUARD_IDLE_MINUTES_STAFF", 30, minimum=1)
SESSION_IDLE_MINUTES = env_int("HAZEGUARD_IDLE_MINUTES", 120, minimum=1)
OTP_TOTP_ISSUER = "HazeGuard"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Security from Django itself (STYLE.md §15).
SECURE_COOKIES = env_bool("HAZEGUARD_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("HAZEGUARD_CSRF_TRUSTED_ORIGINS", [])
if env_bool("HAZEGUARD_TLS_PROXY", default=False):
    # Trusted only when the proxy overwrites the header: otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("HAZEGUARD_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HAZEGUARD_HSTS_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("HAZEGUARD_HSTS_PRELOAD", default=False)
# Plain HTTP answered with a redirect to HTTPS (off by default: the demo serves plain HTTP).
SECURE_SSL_REDIRECT = env_bool("HAZEGUARD_SSL_REDIRECT", default=False)
# Django 6.0 names this setting and ships the middleware; on 5.2 ours reads the same shape.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The audit log (docs/security.md): six months at least in the database, then archive files.
AUDIT_RETENTION_DAYS = env_int("HAZEGUARD_AUDIT_RETENTION_DAYS", 180, minimum=180)
AUDIT_ARCHIVE_DIR = Path(
    env_str("HAZEGUARD_AUDIT_ARCHIVE_DIR", default=str(DATA_DIR / "audit-archive"))
).resolve()

# Scheduled backups (manage.py housekeeping, started by `hazeguard serve`): docs/backup.md.
BACKUP_DIR = Path(env_str("HAZEGUARD_BACKUP_DIR", default=str(DATA_DIR / "backups"))).resolve()
BACKUP_HOURS = env_int("HAZEGUARD_BACKUP_HOURS", 24, minimum=1)
BACKUP_KEEP = env_int("HAZEGUARD_BACKUP_KEEP", 14, minimum=1)

# The model's daily forecast (forecasts/model_runs.py: queued by manage.py housekeeping, made by
# the task worker).
CONSULTATION_TIME = env_time("HAZEGUARD_CONSULTATION_TIME", "15:00")
MODEL_FORECAST_LEAD_MINUTES = env_int("HAZEGUARD_MODEL_FORECAST_LEAD_MINUTES", 60)
# Boosting iterations of each quantile model (the core's default; fewer fit faster, less well).
MODEL_FORECAST_ITERATIONS = env_int("HAZEGUARD_MODEL_FORECAST_ITERATIONS", 60, minimum=5)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = CHINA_ZONE_NAME  # the core vocabulary's name of China's time zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO" if DEBUG else "WARNING"},
}
