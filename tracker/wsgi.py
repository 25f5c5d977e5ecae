"""WSGI entry point (gunicorn -c python:tracker.gunicorn tracker.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from tracker.checks import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()
# The web process signs sessions and CSRF tokens: it never serves on the development key.
require_secret_key()
