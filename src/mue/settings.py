"""Django settings for Mue.

Everything a deployment changes comes from the environment: ``DATABASE_URL`` (SQLite file under
``var/`` by default, PostgreSQL with ``postgres://...``), ``MUE_SECRET_KEY``, ``MUE_DEBUG``,
``MUE_ALLOWED_HOSTS`` and ``MUE_VAR_DIR``.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MUE_VAR_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("MUE_SECRET_KEY", "mue-insecure-development-key-change-me-in-production")
DEBUG = os.environ.get("MUE_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("MUE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mue.core",
    "mue.organization",
    "mue.vendors",
    "mue.infrastructure",
    "mue.dataflows",
    "mue.applications",
    "mue.services",
    "mue.documents",
    "mue.usage",
    "mue.audit",
    "mue.graph",
    "mue.discovery",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mue.core.middleware.ChangeContextMiddleware",
]

ROOT_URLCONF = "mue.urls"
WSGI_APPLICATION = "mue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_config() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'mue.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL + NORMAL sync: readers never block the writer; IMMEDIATE transactions and a busy
        # timeout instead of "database is locked" errors under concurrent writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

LOGIN_URL = "admin:login"

