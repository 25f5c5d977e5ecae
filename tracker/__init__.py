"""The target-versus-actual tracker: project configuration and the core domain app."""

from tracker.celery import app as celery_app

__all__ = ["celery_app"]
