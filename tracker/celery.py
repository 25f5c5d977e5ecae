"""Celery application; eager (in-process) unless CELERY_BROKER_URL names a broker."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, run by `celery -A tracker beat` (one beat process per deployment).
REQUEUE_EVERY_SECONDS = 5 * 60
EVALUATIONS_CHECK_SECONDS = 5 * 60
app.conf.beat_schedule = {
    "requeue-documents": {
        # Documents stored while the broker was down, or lost with a worker, are handed to
        # the queue again; see docs/operations.md.
        "task": "ingest.tasks.requeue_documents",
        "schedule": REQUEUE_EVERY_SECONDS,
        # A tick that waited longer than the interval is superseded by the next one.
        "options": {"expires": REQUEUE_EVERY_SECONDS},
    },
    "evaluations-day-turn": {
        # Year-to-date pro-rating, projections and whether a period is over depend on the
        # day: at midnight (CELERY_TIMEZONE, the tracker's time zone) every target is
        # evaluated again as of the new day.
        "task": "tracker.attainment.tasks.evaluations_rebuild_stale",
        "schedule": crontab(minute=0, hour=0),
    },
    "webhooks-redeliver": {
        # Deliveries stored while the broker was down, or lost with a worker, are queued
        # again (see docs/operations.md#webhooks).
        "task": "tracker.webhooks.tasks.webhooks_redeliver",
        "schedule": REQUEUE_EVERY_SECONDS,
        "options": {"expires": REQUEUE_EVERY_SECONDS},
    },
    "evaluations-check": {
        # Rules changed by a deployment (settings.ATTAINMENT), or a missed midnight: the
        # stored rows are rebuilt within minutes; a no-op while they are current.
        "task": "tracker.attainment.tasks.evaluations_rebuild_stale",
        "schedule": EVALUATIONS_CHECK_SECONDS,
        "options": {"expires": EVALUATIONS_CHECK_SECONDS},
    },
}
