"""WSGI entry point (gunicorn/granian: ``mue.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
application = get_wsgi_application()

from mue.web.worker import freeze_what_is_loaded  # noqa: E402 - needs the settings loaded

freeze_what_is_loaded()
