"""Security settings: debug off, a per-install secret key, headers, HTTPS behind a proxy, static files, uploads.

Settings are read once per process, so what depends on the environment runs in a fresh Python with
the environment given (:func:`run_django`); the rest uses the suite's client.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings
from django.views import defaults

from mue.web.security import upload_too_large

ROOT = Path(__file__).resolve().parents[2]


def clean_environment() -> dict[str, str]:
    """This process's environment without Mue's variables, the database, or what the browser tests set."""
    dropped = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    return {k: v for k, v in os.environ.items() if not k.startswith("MUE_") and k not in dropped}


def run_django(tmp_path: Path, code: str, **env: str) -> dict:
    """Run ``code`` after ``django.setup()`` in a new process with only ``env`` of Mue's variables.

    The code assigns ``result``; it comes back through JSON.
    """
    environment = clean_environment()
    environment.update({"DJANGO_SETTINGS_MODULE": "mue.settings", "MUE_VAR_DIR": str(tmp_path / "var")}, **env)
    script = "import json, django\ndjango.setup()\nresult = None\n" + textwrap.dedent(code) + \
             "\nprint('RESULT=' + json.dumps(result))\n"
    done = subprocess.run([sys.executable, "-c", script], env=environment, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT="))
    return json.loads(line.removeprefix("RESULT="))


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = clean_environment()
    environment.update({"MUE_VAR_DIR": str(tmp_path / "var")}, **env)
    return subprocess.run([sys.executable, "-m", "mue.manage", *args], env=environment, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


SETTINGS = "from django.conf import settings\n"


def test_debug_is_off_unless_asked(tmp_path):
    code = SETTINGS + "result = settings.DEBUG"
    assert run_django(tmp_path, code) is False
    assert run_django(tmp_path, code, MUE_DEBUG="0") is False
    assert run_django(tmp_path, code, MUE_DEBUG="1") is True


PAGES = """
from django.test import Client
client = Client(headers={"host": "localhost", "accept-language": "en"})
missing = client.get("/no-such-page/")
css = client.get("/static/vendor/tabler/css/tabler.min.css")
result = {
    "debug": settings.DEBUG,
    "status": missing.status_code,
    "body": missing.content.decode(),
    "static_status": css.status_code,
    "static_type": css.get("Content-Type", ""),
    "static_size": len(b"".join(css.streaming_content)) if css.streaming else len(css.content),
}
"""


def test_with_default_settings_404_lists_no_url_patterns_and_static_files_are_served(tmp_path):
    page = run_django(tmp_path, SETTINGS + PAGES)
    assert page["debug"] is False and page["status"] == 404
    assert "URLconf" not in page["body"] and "URL patterns" not in page["body"] and "admin/" not in page["body"]
    assert "This page does not exist" in page["body"]  # ours, in the product's look
    # Static files without debug and without collectstatic (make run): WhiteNoise reads the apps' files.
    assert page["static_status"] == 200 and page["static_type"].startswith("text/css")
    assert page["static_size"] > 100_000


def test_secret_key_is_made_once_per_install_and_kept_private(tmp_path):
    var = tmp_path / "var" / "deeper"  # the directory does not exist yet
    code = SETTINGS + "result = settings.SECRET_KEY"
    first = run_django(tmp_path, code, MUE_VAR_DIR=str(var))
    assert len(first) >= 50
    key_file = var / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) & 0o077 == 0  # not readable by group or others
    assert run_django(tmp_path, code, MUE_VAR_DIR=str(var)) == first  # reused
    assert run_django(tmp_path, code, MUE_VAR_DIR=str(tmp_path / "other")) != first  # per install
    assert run_django(tmp_path, code, MUE_VAR_DIR=str(var), MUE_SECRET_KEY="k" * 60) == "k" * 60


def test_processes_starting_together_agree_on_one_key(tmp_path):
    var = tmp_path / "shared"
    environment = clean_environment()
    environment.update(DJANGO_SETTINGS_MODULE="mue.settings", MUE_VAR_DIR=str(var))
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    processes = [subprocess.Popen([sys.executable, "-c", script], env=environment, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(8)]
    keys = set()
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        keys.add(out.strip())
    assert keys == {(var / "secret_key").read_text().strip()}
    assert not [p.name for p in var.iterdir() if p.name.startswith(".secret_key")]  # no partial file left


def test_no_secret_key_in_the_code():
    source = (ROOT / "src/mue/settings.py").read_text()
    assert not re.search(r"SECRET_KEY\s*=\s*os\.environ\.get\([^)]*,", source)
    assert "insecure" not in source.lower()


def _documented_environment() -> dict[str, str]:
    """The production environment file of docs/deployment.md (the block after "/etc/mue/env")."""
    text = (ROOT / "docs/deployment.md").read_text()
    block = re.search(r"`/etc/mue/env`:\s*\n\s*```sh\n(.*?)```", text, re.S)
    assert block, "docs/deployment.md shows the environment file"
    pairs = dict(line.split("=", 1) for line in block.group(1).splitlines() if re.match(r"[A-Z_]+=", line))
    assert pairs.get("MUE_BEHIND_TLS_PROXY") == "1"
    return pairs


# The deploy warnings that remain by choice, documented in docs/deployment.md: HSTS for sub-domains and
# the browsers' preload list bind other sites of the domain for months; each install opts in.
REMAINING = {"security.W005", "security.W021"}


def test_check_deploy_with_the_documented_environment(tmp_path):
    env = _documented_environment()
    env.pop("DATABASE_URL", None)  # the check does not need the database; a local SQLite file
    env["MUE_VAR_DIR"] = str(tmp_path / "var")
    done = manage(tmp_path, "check", "--deploy", **env)
    assert done.returncode == 0, done.stderr
    found = set(re.findall(r"\((\S+\.[A-Z]\d{3})\)", done.stderr + done.stdout))
    assert found == REMAINING, done.stderr
    both = manage(tmp_path, "check", "--deploy", **env, MUE_HSTS_INCLUDE_SUBDOMAINS="1", MUE_HSTS_PRELOAD="1")
    assert "System check identified no issues" in both.stdout, both.stderr


def test_check_deploy_refuses_a_known_key(tmp_path):
    env = {**_documented_environment(), "MUE_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    done = manage(tmp_path, "check", "--deploy", **env,
                  MUE_SECRET_KEY="mue-insecure-development-key-change-me-in-production")
    assert "mue.W001" in done.stderr
    short = manage(tmp_path, "check", "--deploy", **env, MUE_SECRET_KEY="short")
    assert "security.W009" in short.stderr


def test_check_deploy_warns_of_a_readable_key_file(tmp_path):
    var = tmp_path / "var"
    run_django(tmp_path, SETTINGS + "result = 1", MUE_VAR_DIR=str(var))
    (var / "secret_key").chmod(0o644)
    done = manage(tmp_path, "check", "--deploy", MUE_VAR_DIR=str(var))
    assert "mue.W002" in done.stderr


def test_behind_a_tls_proxy(tmp_path):
    code = SETTINGS + """
db = settings.DATABASES["default"]
result = [getattr(settings, "SECURE_PROXY_SSL_HEADER", None), settings.SESSION_COOKIE_SECURE,
          settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT,
          settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS, db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"],
          settings.MUE_MAX_UPLOAD_BYTES]
"""
    assert run_django(tmp_path, code) == [None, False, False, 0, False, ["127.0.0.1", "localhost", "[::1]"], [],
                                          0, False, 50 * 1024 * 1024]
    assert run_django(tmp_path, code, MUE_BEHIND_TLS_PROXY="1", MUE_SSL_REDIRECT="1",
                      MUE_ALLOWED_HOSTS="mue.example.org", MUE_CSRF_TRUSTED_ORIGINS="https://mue.example.org",
                      MUE_DB_CONN_MAX_AGE="60", MUE_MAX_UPLOAD_MB="10") == [
        ["HTTP_X_FORWARDED_PROTO", "https"], True, True, 31_536_000, True, ["mue.example.org"],
        ["https://mue.example.org"], 60, True, 10 * 1024 * 1024]
    assert run_django(tmp_path, SETTINGS + "result = settings.SECURE_HSTS_SECONDS",
                      MUE_BEHIND_TLS_PROXY="1", MUE_HSTS_SECONDS="3600") == 3600


@pytest.mark.django_db
def test_security_headers_on_a_page():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    policy = dict((d.split()[0], d.split()[1:]) for d in response["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == ["'self'"] and "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style():
    """What the CSP forbids must not be in our pages: every <script> has a src, no style= or on…= attributes."""
    html = Client().get("/accounts/login/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html)


@pytest.mark.django_db
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=31_536_000,
                   SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_https_through_the_proxy_gets_hsts_and_secure_cookies():
    response = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response.cookies["csrftoken"]["secure"] is True


@pytest.mark.django_db
def test_htmx_posts_with_the_token_of_the_page_and_an_expired_form_is_explained():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.cookies["csrftoken"]["httponly"] is True  # the token comes from the page, not the cookie
    # htmx sends the page's token as X-CSRFToken (hx-headers on <body>)
    with_header = client.post("/accounts/login/", {"username": "nobody", "password": "x"},
                              headers={"x-csrftoken": token})
    assert with_header.status_code == 200  # the form's own answer (wrong password), not a CSRF refusal
    expired = Client(enforce_csrf_checks=True, headers={"accept-language": "en"}).post(
        "/accounts/login/", {"username": "nobody", "password": "x"})
    assert expired.status_code == 403
    assert "The form has expired" in expired.content.decode()
    assert "CSRF" not in expired.content.decode()


@pytest.mark.django_db
def test_error_pages_in_the_product_look():
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser
    request.user = AnonymousUser()
    for view, status, words in [(defaults.page_not_found, 404, "This page does not exist"),
                                (defaults.permission_denied, 403, "You are not allowed to do this"),
                                (defaults.bad_request, 400, "The request could not be read")]:
        response = view(request, exception=Exception("x"))
        body = response.content.decode()
        assert response.status_code == status and words in body and "tabler.min.css" in body
        assert "Go to my workspaces" in body
    # 500: rendered without a request context (no context processors, no url tags that could fail)
    response = defaults.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on the server" in body and "tabler.min.css" in body


@override_settings(MUE_MAX_UPLOAD_BYTES=1000)
def test_uploads_past_the_limit_are_refused_for_every_view():
    small = RequestFactory().post("/x/", {"name": "n", "file": SimpleUploadedFile("a.csv", b"a" * 500)})
    assert "file" in small.FILES and not upload_too_large(small)
    big = RequestFactory().post("/x/", {"name": "n", "file": SimpleUploadedFile("a.csv", b"a" * 5000)})
    assert "file" not in big.FILES and upload_too_large(big)
    assert big.POST["name"] == "n"  # fields before the file (the CSRF token first) are kept


def test_bulk_edit_of_1000_rows_fits_the_form_limits():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= 1000 + 100
    body = "&".join(f"pk={n}" for n in range(1, 1001)) + "&csrfmiddlewaretoken=" + "x" * 64
    request = RequestFactory().post("/x/", body, content_type="application/x-www-form-urlencoded")
    assert len(request.POST.getlist("pk")) == 1000
