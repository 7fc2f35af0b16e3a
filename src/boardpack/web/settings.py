"""Django settings for Boardpack. The database comes from `DATABASE_URL` (see `databases`);
`BOARDPACK_SECRET_KEY` must be set wherever the app is served to users, and
`BOARDPACK_SECURE=1` wherever it is served over HTTPS (secure cookies, HSTS)."""

from __future__ import annotations

import os
from pathlib import Path

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
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
#: Failed sign-ins allowed per account and address within `LOGIN_WINDOW_SECONDS`.
LOGIN_ATTEMPTS = int(os.environ.get("BOARDPACK_LOGIN_ATTEMPTS", "5"))
LOGIN_WINDOW_SECONDS = 15 * 60

SECURE = os.environ.get("BOARDPACK_SECURE", "") == "1"
SESSION_ENGINE = "boardpack.web.sessions"  # Django's database sessions, read in plain SQL
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "BOARDPACK_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("BOARDPACK_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BOARDPACK_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BOARDPACK_FROM_EMAIL", "boardpack@localhost")
#: The address the app is reached at, for links in e-mails.
SITE_URL = os.environ.get("BOARDPACK_SITE_URL", "http://localhost:8000")
