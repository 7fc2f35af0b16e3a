"""Django settings for Boardpack. The database comes from `DATABASE_URL` (see `databases`);
`BOARDPACK_SECRET_KEY` must be set wherever the app is served to users, and
`BOARDPACK_SECURE=1` wherever it is served over HTTPS (secure cookies, HSTS)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from csp.constants import NONE, SELF

from .databases import database

HERE = Path(__file__).resolve().parent
DEBUG = os.environ.get("BOARDPACK_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("BOARDPACK_SECRET_KEY", "boardpack-insecure-development-key")
ALLOWED_HOSTS = [
    h for h in os.environ.get("BOARDPACK_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "boardpack.web.records",
    "axes",  # failed sign-ins, counted in the database
    "ninja",  # its Swagger page, with the assets the package carries (no CDN)
]
MIDDLEWARE = [
    "boardpack.web.failures.RequestIds",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "boardpack.web.access.Permissions",
]
ROOT_URLCONF = "boardpack.web.urls"

TEMPLATES = [
    {  # Boardpack's pages: Jinja2, as the packs are
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "boardpack.web.pages.jinja.environment",
            "autoescape": True,
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "boardpack.web.pages.jinja.boardpack_context",
            ],
        },
    },
    {  # Django's admin, for administrators
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"))}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
#: Failed sign-ins allowed for one user name, or from one address, before further tries are
#: refused for `LOGIN_COOLOFF_MINUTES` (counted in the database by django-axes).
LOGIN_ATTEMPTS = int(os.environ.get("BOARDPACK_LOGIN_ATTEMPTS", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("BOARDPACK_LOGIN_COOLOFF_MINUTES", "10"))
AXES_FAILURE_LIMIT = LOGIN_ATTEMPTS
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each alone: spraying names, or one name
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the real user gets in after the wait
AXES_LOCKOUT_CALLABLE = "boardpack.web.pages.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "boardpack.web.pages.signin.client_address"
AXES_VERBOSE = False

#: Behind an HTTPS proxy (nginx, a load balancer): secure cookies, HSTS, and the scheme the
#: proxy says the browser used (`X-Forwarded-Proto: https`).
SECURE = os.environ.get("BOARDPACK_SECURE", "") == "1"
#: The proxies in front of the app, whose X-Forwarded-For names the browser's address.
PROXY_COUNT = int(os.environ.get("BOARDPACK_PROXY_COUNT", "1" if SECURE else "0"))
SESSION_ENGINE = "boardpack.web.sessions"  # Django's database sessions, read in plain SQL
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = int(os.environ.get("BOARDPACK_HSTS_SECONDS", "31536000")) if SECURE else 0
#: The addresses forms may be posted from, as the browser names them
#: (`https://boardpack.council.gov.uk`): `BOARDPACK_TRUSTED_ORIGINS`, else https:// and each
#: allowed host when `BOARDPACK_SECURE` is set.
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get(
        "BOARDPACK_TRUSTED_ORIGINS",
        ",".join(f"https://{h}" for h in ALLOWED_HOSTS if SECURE and h != "*"),
    ).split(",")
    if o.strip()
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_SAMESITE = "Lax"
#: A form that fails the CSRF check gets a page in the app's layout saying to open it again.
CSRF_FAILURE_VIEW = "boardpack.web.pages.refusals.csrf_failure"
X_FRAME_OPTIONS = "DENY"
#: Content-Security-Policy on every response (pages, published packs, the API's docs): scripts,
#: styles, fonts and images from Boardpack itself only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
#: Where the API docs' Swagger assets are served from (`pages.assets`).
STATIC_URL = "/static/"

EMAIL_BACKEND = os.environ.get(
    "BOARDPACK_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("BOARDPACK_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BOARDPACK_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BOARDPACK_FROM_EMAIL", "boardpack@localhost")
#: The address the app is reached at, for links in e-mails.
#: The organisation the pages serve, by code, when the database holds several (empty: the only
#: one). Users act for the organisations of their memberships, or every one without any.
BOARDPACK_ORGANISATION = os.environ.get("BOARDPACK_ORGANISATION", "")
SITE_URL = os.environ.get("BOARDPACK_SITE_URL", "http://localhost:8000")

#: Every server error and refusal is logged to standard error with its request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "boardpack.web.failures.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [request %(request_id)s] %(message)s"}
    },
    "handlers": {
        "errors": {
            "class": "logging.StreamHandler",
            "level": "WARNING",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "loggers": {
        "django.request": {"handlers": ["errors"], "level": "ERROR", "propagate": False},
        "boardpack.web.errors": {"handlers": ["errors"], "level": "WARNING", "propagate": False},
    },
}
