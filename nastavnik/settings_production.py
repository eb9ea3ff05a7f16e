"""Production settings (`DJANGO_SETTINGS_MODULE=nastavnik.settings_production`).

Refuses to start without its secrets. The environment is checked BEFORE the base settings are
imported: with DATABASE_URL unset, `nastavnik.settings` would start a private PostgreSQL under
`.data/`, which must never happen on a production host. Operators' documentation: deploy/README.md.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REQUIRED_ENVIRONMENT = ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "NASTAVNIK_BASE_DOMAIN")
# The fallback key of nastavnik/settings.py; tests/test_deploy.py checks the two stay equal.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 (rejected, never used)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
HOSTNAME_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)
HINT = " See deploy/.env.example and deploy/README.md."


def _refuse(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Production settings refuse to start: {message}{HINT}")


def _check_environment() -> str:
    """Validate the required variables; return the normalized base domain."""
    missing = [name for name in REQUIRED_ENVIRONMENT if not os.environ.get(name, "").strip()]
    if missing:
        names = ", ".join(missing)
        noun = "variable" if len(missing) == 1 else "variables"
        raise _refuse(f"environment {noun} {names} not set.")

    secret_key = os.environ["DJANGO_SECRET_KEY"]
    if secret_key == DEVELOPMENT_SECRET_KEY or secret_key.startswith("django-insecure"):
        raise _refuse("DJANGO_SECRET_KEY is the development default; generate a new random key.")
    if len(secret_key) < SECRET_KEY_MIN_LENGTH:
        raise _refuse(
            f"DJANGO_SECRET_KEY is {len(secret_key)} characters long; at least {SECRET_KEY_MIN_LENGTH} are required."
        )
    if len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise _refuse("DJANGO_SECRET_KEY is not random (too few distinct characters).")

    database_scheme = urlsplit(os.environ["DATABASE_URL"]).scheme
    if database_scheme not in {"postgres", "postgresql", "pgsql"}:
        raise _refuse(f"DATABASE_URL must be a postgresql:// URL, not {database_scheme or 'a bare string'}.")
    redis_scheme = urlsplit(os.environ["REDIS_URL"]).scheme
    if redis_scheme not in {"redis", "rediss"}:
        raise _refuse(f"REDIS_URL must be a redis:// or rediss:// URL, not {redis_scheme or 'a bare string'}.")

    domain = os.environ["NASTAVNIK_BASE_DOMAIN"].strip().strip(".").lower()
    if not HOSTNAME_PATTERN.match(domain):
        raise _refuse(
            f"NASTAVNIK_BASE_DOMAIN={os.environ['NASTAVNIK_BASE_DOMAIN']!r} is not a host name "
            "(expected e.g. nastavnik.example.ru, without scheme, port or path)."
        )
    os.environ["NASTAVNIK_BASE_DOMAIN"] = domain  # the base settings read the normalized value
    return domain


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise _refuse(f"{name}={value!r} is not an integer.") from None


_BASE_DOMAIN = _check_environment()

from nastavnik.settings import *  # noqa: E402, F403
from nastavnik.settings import DATABASES, env_bool  # noqa: E402

DEBUG = False
WHITENOISE_AUTOREFRESH = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# Hosts: the base domain is the public host; every organization is `<code>.<base domain>`.
BASE_DOMAIN = _BASE_DOMAIN
PUBLIC_HOSTS = [BASE_DOMAIN]
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]

# TLS ends at the proxy (deploy/nginx/nastavnik.conf), which sets X-Forwarded-Proto. Only the proxy
# can reach the web container, so the header cannot be forged by a client.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = _env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every organization lives on a subdomain
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

DATABASES["default"]["CONN_MAX_AGE"] = _env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files are collected into the image at build time (deploy/Dockerfile) and served by
# WhiteNoise from STATIC_ROOT with hashed names; finders are for development only.
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},  # media per organization
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise _refuse("EMAIL_USE_TLS and EMAIL_USE_SSL are both on; choose one (TLS for port 587, SSL for 465).")
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", f"Наставник <no-reply@{BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# HSTS preload is an opt-in (DJANGO_SECURE_HSTS_PRELOAD): once a domain is on the browsers' preload
# list it cannot quickly leave it, so the decision belongs to the operator, not to a default.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
