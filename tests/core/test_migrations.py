"""Every model change ships with its migration."""

from io import StringIO

from django.core.management import call_command


def test_no_missing_migrations(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits non-zero when a migration is missing
        raise AssertionError(f"missing migrations: {out.getvalue()}") from exc
