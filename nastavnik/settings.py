"""Settings for development, tests and the demo (`make run`, `make test`).

Production settings live in `nastavnik/settings_production.py` and refuse to start
without their secrets. Every value that differs between machines comes from the
environment; with nothing set, the project brings its own PostgreSQL (pgserver under
`.data/`) and a broker that needs no server (Kombu's filesystem transport).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NASTAVNIK_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)

# Tenants are reached by host name: `<code>.<NASTAVNIK_BASE_DOMAIN>`; the base domain itself
# is the public host (landing page, platform administration).
BASE_DOMAIN = os.environ.get("NASTAVNIK_BASE_DOMAIN", "localhost")
PUBLIC_HOSTS = env_list("NASTAVNIK_PUBLIC_HOSTS", [BASE_DOMAIN, "127.0.0.1"])
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1", "testserver"])

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "analytics",
    "regional",
    "municipal",
    "fixtures",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "guardian",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
]
# Content types and permissions stay in the public schema only, so guardian's grants inside a
# tenant schema point at the same content type ids as auth's permissions. `regional` and
# `municipal` hold what crosses organizations (published templates, bank entries…), so they
# live in the public schema; each organization's own data is in `institutional`.
TENANT_APPS = [
    "institutional",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Organization"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_TEMPLATE_SCHEMA = "tenant_template"
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "nastavnik.urls_public"
ROOT_URLCONF = "nastavnik.urls_public"
# The URLconf each level of organization is served with (see nastavnik.middleware).
TENANT_URLCONFS = {
    "region": "nastavnik.urls_region",
    "municipality": "nastavnik.urls_municipality",
    "organization": "nastavnik.urls_organization",
}
# Paths on a tenant host that need no membership of that organization: signing in, recovering a
# password, and the organization's public section «Наставничество» (what people consented to
# publish). Everything else answers "not found" to non-members.
TENANT_OPEN_PATH_PREFIXES = (
    "/nastavnichestvo/",
    "/accounts/login/",
    "/accounts/password-reset/",
    "/accounts/reset/",
    "/accounts/handoff/",
    "/api/v1/auth/token/",
    "/static/",
    "/favicon.ico",
)

MIDDLEWARE = [
    "nastavnik.middleware.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nastavnik.middleware.AuditActorMiddleware",
    "nastavnik.middleware.MembershipRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nastavnik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nastavnik.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "nastavnik.wsgi.application"
ASGI_APPLICATION = "nastavnik.asgi.application"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from nastavnik import localdb

    url = localdb.ensure_database()
    os.environ["DATABASE_URL"] = url  # child processes (worker, beat) reuse it
    return url


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# One test database per test process, so two test runs on one machine never drop each other's.
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
    "NASTAVNIK_TEST_DATABASE", f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
)
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
# guardian's grants live in each tenant schema (institutional), without database constraints into
# public tables; guardian's own default tables in the public schema stay empty.
GUARDIAN_USER_OBJ_PERMS_MODEL = "institutional.UserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "institutional.GroupObjectPermission"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Lock-out: this many failed sign-ins for one e-mail within the window lock it for the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("NASTAVNIK_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("NASTAVNIK_LOGIN_LOCKOUT_MINUTES", "15"))
HANDOFF_MAX_AGE_SECONDS = 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("NASTAVNIK_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from the npm registry (package-lock.json) at install time.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    BASE_DIR / "nastavnik" / "static",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("NASTAVNIK_MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded files (signed scans, documents) are kept per organization: MEDIA_ROOT/<schema>/…,
# and never served directly: each area serves its files through a view that checks access.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# SMTP when EMAIL_HOST is set; otherwise letters are written as files to .data/mail/ (offline development).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").strip().lower() in ("1", "true", "yes", "on")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "false").strip().lower() in ("1", "true", "yes", "on")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Наставник <no-reply@nastavnik.localhost>")
# Scheme of the absolute links in e-mails (the host is the organization's primary domain).
PLATFORM_URL_SCHEME = os.environ.get("PLATFORM_URL_SCHEME", "http")
# Port of the links in e-mails when the platform is not behind a proxy on 80/443 (`make run` sets it).
PLATFORM_URL_PORT = os.environ.get("PLATFORM_URL_PORT", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["nastavnik.api.permissions.IsTenantMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Наставник API",
    "DESCRIPTION": "API платформы системы наставничества педагогических работников. "
    "Все запросы выполняются в контексте организации, определяемой именем хоста.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["nastavnik.api.permissions.IsTenantMember"],
    # Several models have fields named `status` or `kind` with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "StaffStatusEnum": "institutional.models.staff.Staff.Status",
        "RegulationStatusEnum": "institutional.models.regulation.RegulationVersion.Status",
        "RoadmapStatusEnum": "institutional.models.roadmap.Roadmap.Status",
        "RoadmapActivityStatusEnum": "institutional.models.roadmap.RoadmapActivity.Status",
        "MenteeEntryStatusEnum": "institutional.models.banks.MenteeEntry.Status",
        "ConsentStatusEnum": "institutional.models.consents.Consent.Status",
        "ConsentKindEnum": "institutional.models.consents.ConsentKind",
        "QuestionnaireKindEnum": "institutional.models.questionnaires.QuestionnaireKind",
        "TemplateKindEnum": "regional.models.DocumentTemplate.Kind",
        "OrganizationLevelEnum": "tenants.models.Level",
        "OrganizationKindEnum": "tenants.models.OrganizationKind",
        "RoleEnum": "tenants.models.Role",
        "PairEndReasonEnum": "institutional.models.pairs.EndReason",
        "ReplacementReasonEnum": "institutional.models.pairs.ReplacementReason",
        "MenteeLeftReasonEnum": "institutional.models.banks.MenteeEntry.LeftReason",
        "PairStatusEnum": "institutional.models.pairs.Pair.Status",
        "OrderKindEnum": "institutional.models.pairs.Order.Kind",
        "ProgramStatusEnum": "institutional.models.programs.Program.Status",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise a filesystem transport under .data/.
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = Path(os.environ.get("NASTAVNIK_BROKER_DIR", DATA_DIR / "broker"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    for sub in ("queue", "processed", "results", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # Kombu's filesystem transport with whole-message writes (nastavnik/broker.py says why).
    CELERY_BROKER_TRANSPORT = "nastavnik.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The folder is polled; the default (1 s) takes at most one message a second.
        "polling_interval": 0.1,
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Recomputes every organization's published counts (the read model), in case a refresh was lost.
    "projections-reconcile": {
        "task": "analytics.reconcile_all",
        "schedule": crontab(hour=5, minute=0),
    },
    # The day's point of every KPI trend (region, municipalities, organizations), after the reconciliation.
    "kpi-snapshots": {
        "task": "analytics.take_snapshots_all",
        "schedule": crontab(hour=5, minute=40),
    },
    # Reminds curators whose list of teachers who need mentoring is over a year old (once a year).
    "staff-list-review-remind-all": {
        "task": "institutional.staff_list_review_remind_all",
        "schedule": crontab(hour=7, minute=0),
    },
    # Approved pairs become active on their start date.
    "pairs-activate-due": {
        "task": "institutional.pairs_activate_due_all",
        "schedule": crontab(hour=0, minute=30),
    },
    # Reminders of deadlines (3 days before, overdue, escalation to the director after 7 days).
    "deadline-reminders": {
        "task": "institutional.deadline_reminders_all",
        "schedule": crontab(hour=6, minute=30),
    },
    # One e-mail per person with the notifications not e-mailed yet.
    "daily-digest": {
        "task": "institutional.daily_digest_all",
        "schedule": crontab(hour=7, minute=30),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NASTAVNIK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}

# tenants.AuditEvent (public schema) and institutional.AuditEvent (each tenant schema) share the
# table name `audit_event` on purpose: the one trigger function writes to the table of the schema
# where the change happened. They never meet in one schema.
SILENCED_SYSTEM_CHECKS = ["models.W035"]
