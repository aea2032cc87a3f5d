"""Django settings for Mue.

Everything a deployment changes comes from the environment; docs/deployment.md lists every variable
(``DATABASE_URL``, ``MUE_VAR_DIR``, ``MUE_DEBUG``, ``MUE_SECRET_KEY``, ``MUE_ALLOWED_HOSTS``,
``MUE_CSRF_TRUSTED_ORIGINS``, ``MUE_BEHIND_TLS_PROXY``, ``MUE_SSL_REDIRECT``, ``MUE_HSTS_*``,
``MUE_DB_CONN_MAX_AGE``, ``MUE_MAX_UPLOAD_MB``, ``MUE_STATIC_MANIFEST``, the input limits ``MUE_MAX_*``
and the accounts' below).
The defaults are safe for one person on one machine (``make run``): debug off, a secret key made
once per install, security headers on; a deployment behind a TLS proxy turns on what HTTPS allows.
"""

import os
import secrets
import sys
import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mue.core.inputs import limits_from_environment as _input_limits_from_environment

PACKAGE_DIR = Path(__file__).resolve().parent


def _user_data_dir() -> Path:
    """Where a user's applications keep their data on this platform (XDG on Linux and BSD)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / "Mue"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Mue"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "mue"


def data_dir() -> Path:
    """The instance's data directory (database, secret key, uploads), never taken from the current directory.

    ``MUE_VAR_DIR`` when set; else, for a source checkout (``make install``: the package is
    ``<checkout>/src/mue``), the checkout's ``var/``; else (an installed package) the user's data
    directory, e.g. ``~/.local/share/mue``. ``mue setup`` prints which one is used.
    """
    chosen = os.environ.get("MUE_VAR_DIR", "").strip()
    if chosen:
        return Path(chosen).expanduser().resolve()
    checkout = PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return _user_data_dir()


VAR_DIR = data_dir()


def _flag(name: str, default: bool = False) -> bool:
    """An on/off variable: 1/true/yes/on, 0/false/no/off; unset or empty gives the default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1 or 0")


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: a whole number is expected") from None


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Debug only when asked: with it on, error pages show code, settings and every URL pattern, and each
# request keeps all its SQL in memory.
DEBUG = _flag("MUE_DEBUG")


def _secret_key(var_dir: Path) -> str:
    """``MUE_SECRET_KEY``, else the key of this install, made on first start in ``var_dir/secret_key``.

    There is no fallback key in the code: a key known from the repository would let anyone forge
    sessions and password-reset links. The file is created by one process only (written aside, then
    hard-linked into place, which fails if another process got there first), readable by its owner only.
    """
    key = os.environ.get("MUE_SECRET_KEY", "").strip()
    if key:
        return key
    path = var_dir / "secret_key"
    for _attempt in range(50):
        try:
            key = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            _create_secret_key(path)
            continue
        except OSError as exc:
            raise ImproperlyConfigured(f"cannot read the secret key {path}: {exc}; set MUE_SECRET_KEY") from None
        if key:
            return key
        time.sleep(0.02)  # another process is writing it in place (file systems without hard links)
    raise ImproperlyConfigured(f"the secret key file {path} is empty; delete it or set MUE_SECRET_KEY")


def _create_secret_key(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50) + "\n")  # 67 characters, 300 bits
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(partial, path)  # atomic; FileExistsError when another process won the race
        except FileExistsError:
            pass
        except OSError:  # no hard links here: create in place, readers wait for the content
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="ascii") as out:
                    out.write(partial.read_text(encoding="ascii"))
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"cannot create the secret key in {path.parent}: {exc}; "
                                   "set MUE_VAR_DIR to a writable directory or MUE_SECRET_KEY") from None


SECRET_KEY = _secret_key(VAR_DIR)
SECRET_KEY_FILE = VAR_DIR / "secret_key"  # where _secret_key keeps it (checked by mue.core.checks)

ALLOWED_HOSTS = _list("MUE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Origins (scheme://host[:port]) allowed to POST besides the request's own host; needed when the proxy
# changes the host or port the browser sees, e.g. "https://mue.example.org".
CSRF_TRUSTED_ORIGINS = _list("MUE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # runserver with MUE_DEBUG=1 serves static files like production
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "axes",
    "mue.core",
    "mue.accounts",
    "mue.organization",
    "mue.vendors",
    "mue.infrastructure",
    "mue.dataflows",
    "mue.applications",
    "mue.services",
    "mue.skills",
    "mue.catalogue",
    "mue.documents",
    "mue.usage",
    "mue.costs",
    "mue.audit",
    "mue.graph",
    "mue.discovery",
    "mue.comments",
    "mue.interchange",
    "mue.jobs",
    "mue.dashboard",
    "mue.reports",
    "mue.gdpr",
    "mue.api",
    "mue.web",
]

MIDDLEWARE = [
    "mue.web.timing.ServerTimingMiddleware",  # Server-Timing: app and database time of each response
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also with debug off (make run, gunicorn)
    "mue.web.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mue.accounts.middleware.UserPreferencesMiddleware",  # the user's language and time zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "mue.web.context.navigation",
            ],
        },
    },
]


# -- database --------------------------------------------------------------------------------------
# Persistent connections (seconds; 0 closes after each request) save a connection set-up per request
# on PostgreSQL; the health check replaces a connection the server closed meanwhile.
DB_CONN_MAX_AGE = _number("MUE_DB_CONN_MAX_AGE", 0)


def _database_config() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'mue.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_MAX_AGE > 0)
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


# -- static files and uploads ----------------------------------------------------------------------
# WhiteNoise serves static files from the application (runserver does not once debug is off). With
# finders it reads them from the apps' static/ directories, so `make run` needs no collectstatic; a
# production install runs collectstatic and sets MUE_STATIC_MANIFEST=1 (compressed files with a hash
# in their names, cached for ever by browsers and proxies).
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not _flag("MUE_STATIC_MANIFEST")
if WHITENOISE_USE_FINDERS:  # WhiteNoise also serves STATIC_ROOT, and warns while no collectstatic made it
    try:
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only data directory: the secret key already said so, or it is in the environment
        pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if _flag("MUE_STATIC_MANIFEST")
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded files (spreadsheets, map files, documents): at most MUE_MAX_UPLOAD_MB each. Upload views
# compare with MUE_MAX_UPLOAD_BYTES to say so; mue.web.security.LimitedUploadHandler stops reading any
# file beyond it, so no view can forget. The proxy's limit (client_max_body_size) should match.
MUE_MAX_UPLOAD_MB = _number("MUE_MAX_UPLOAD_MB", 50)
MUE_MAX_UPLOAD_BYTES = MUE_MAX_UPLOAD_MB * 1024 * 1024
# Documents' files: the kinds a document may hold (office, PDF, text, images, archives), and, behind a
# proxy that serves MEDIA_ROOT as an internal location, its prefix (nginx: "/media/"): Mue then answers
# a permitted download with X-Accel-Redirect instead of sending the bytes itself (docs/deployment.md).
MUE_DOCUMENT_EXTENSIONS = frozenset(_list(
    "MUE_DOCUMENT_EXTENSIONS",
    "pdf,odt,ods,odp,odg,doc,docx,xls,xlsx,ppt,pptx,rtf,txt,md,csv,json,yaml,yml,xml,html,png,jpg,jpeg,gif,"
    "svg,webp,vsdx,drawio,zip,7z,eml,msg"))
MUE_MEDIA_ACCEL_REDIRECT = os.environ.get("MUE_MEDIA_ACCEL_REDIRECT", "")
FILE_UPLOAD_HANDLERS = [
    "mue.web.security.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files go to a temporary file, not to memory
# A request body other than files (forms, JSON): bulk edits post up to 1,000 selected rows with their
# fields, well under 10 MB and 5,000 fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# What one input (map, spreadsheet, column mapping, log) may cost before it is trusted, whichever way
# it comes (command line, upload page, API): see mue.core.inputs and docs/import.md. Unset variables
# keep the defaults of mue.core.inputs.Limits.
MUE_INPUT_LIMITS = _input_limits_from_environment()


# -- API -------------------------------------------------------------------------------------------
# Requests per token (or signed-in user) and period, e.g. "600/m", "20000/h"; empty turns it off. Counted
# for the whole instance on this machine, whatever the number of workers (mue.api.ratelimit).
MUE_API_RATE_LIMIT = os.environ.get("MUE_API_RATE_LIMIT", "1200/m").strip() or None


# -- HTTPS, cookies and headers --------------------------------------------------------------------
# Behind a proxy that terminates TLS (nginx, Caddy) and sets X-Forwarded-Proto: requests count as
# HTTPS, cookies are sent over HTTPS only, browsers are told to use HTTPS (HSTS). The application
# server must then be reachable through the proxy only, since it trusts the header.
BEHIND_TLS_PROXY = _flag("MUE_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("MUE_SSL_REDIRECT")  # usually the proxy redirects http:// itself
SESSION_COOKIE_SECURE = BEHIND_TLS_PROXY
CSRF_COOKIE_SECURE = BEHIND_TLS_PROXY
# HSTS: one year once TLS is declared (browsers then refuse plain HTTP and certificate errors for that
# long: lower MUE_HSTS_SECONDS, e.g. 3600, while trying a new set-up). Sub-domains and the browsers'
# preload list are opt-in: they bind other sites of the domain, and leaving the list takes months.
SECURE_HSTS_SECONDS = _number("MUE_HSTS_SECONDS", 31_536_000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("MUE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("MUE_HSTS_PRELOAD")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches htmx from the page (hx-headers on <body> renders {{ csrf_token }}), never from
# the cookie, so no script needs to read the cookie: HttpOnly costs nothing.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "mue.web.security.csrf_failure"  # "the form expired", in the product's look

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy, in the shape of Django 6.0's SECURE_CSP (served by mue.web.security until
# Mue moves to Django 6). No inline script or style anywhere: scripts and styles are static files.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # Tabler's CSS draws its icons as data: SVG
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # failed logins throttled (django-axes)
    "mue.accounts.backends.UsernameOrEmailBackend",  # a ModelBackend that also takes the email
]

# Accounts
# Email: the console by default (messages printed by the server); a deployment sets MUE_EMAIL_BACKEND
# to "django.core.mail.backends.smtp.EmailBackend" and the MUE_EMAIL_* below.
EMAIL_BACKEND = os.environ.get("MUE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("MUE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MUE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MUE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MUE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("MUE_EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("MUE_EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("MUE_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("MUE_DEFAULT_FROM_EMAIL", "Mue <mue@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link is valid one day

# Failed logins (django-axes): 5 failures for one identifier from one address lock that pair out for
# 15 minutes; a successful login resets the count. The lock-out page is ours (translated, status 429).
AXES_FAILURE_LIMIT = int(os.environ.get("MUE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("MUE_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours, as axes reads floats
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "mue.accounts.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "mue.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Jobs (audits, discovery runs): "subprocess" runs each in a detached `mue job run <id>` process started
# by the page (nothing else to install); "inline" runs it in the requesting process (tests, scripts).
MUE_JOBS_RUNNER = os.environ.get("MUE_JOBS_RUNNER", "subprocess").strip() or "subprocess"
# The import page hands larger previews and imports to a job (mue.interchange.jobs).
MUE_IMPORT_JOB_ROWS = int(os.environ.get("MUE_IMPORT_JOB_ROWS", "2000"))
MUE_IMPORT_JOB_BYTES = int(os.environ.get("MUE_IMPORT_JOB_BYTES", str(512 * 1024)))
if MUE_JOBS_RUNNER not in ("subprocess", "inline"):
    raise ImproperlyConfigured(f"MUE_JOBS_RUNNER={MUE_JOBS_RUNNER!r}: use subprocess or inline")
# Directories whose files site administrators may have discovery read on the server (empty: any file).
MUE_DISCOVERY_LOG_DIRS = _list("MUE_DISCOVERY_LOG_DIRS")
