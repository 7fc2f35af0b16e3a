"""Django settings for Boardpack. The database comes from `DATABASE_URL` (see `databases`);
`BOARDPACK_SECRET_KEY` must be set wherever the app is served to users."""

from __future__ import annotations

import os

from .databases import database

DEBUG = os.environ.get("BOARDPACK_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("BOARDPACK_SECRET_KEY", "boardpack-insecure-development-key")
ALLOWED_HOSTS = [h for h in os.environ.get("BOARDPACK_ALLOWED_HOSTS", "localhost").split(",") if h]

INSTALLED_APPS = [
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

DATABASES = {"default": database(os.environ.get("DATABASE_URL"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
