"""WSGI entry point (gunicorn/granian: ``mue.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mue.settings")
application = get_wsgi_application()
