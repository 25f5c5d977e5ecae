"""Celery and the ingest pipeline."""

from tracker.settings.base import TIME_ZONE
from tracker.settings.environment import env

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker the tasks run in the calling process, so a newcomer needs no server.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
# Eager tasks never reach a broker; an in-memory one keeps Celery from guessing a server.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
# Beat's schedules (the day's turn of the evaluations) are in the tracker's time zone.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that publishes a task must not hang on a broker that is down or hung: it gives
# up within CELERY_BROKER_TIMEOUT seconds in all (the document stays queued and
# `requeue_documents` hands it over later). A paused Redis accepts connections and never
# answers: a publish then waits up to three times (the pooled connection, then the one retry's
# new connection and its first command), each at most a third of the budget.
BROKER_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=2.0)
BROKER_ATTEMPT_TIMEOUT = BROKER_TIMEOUT / 3
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_ATTEMPT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    # One retry: a pooled connection that a restarted Redis closed is replaced.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker died is redelivered after this many seconds.
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers look for such tasks this often; by default kombu looks only every ~100 s.
    "unacked_restore_interval": min(10, max(1, _VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": BROKER_ATTEMPT_TIMEOUT,
    # Without it, a publish to a broker that hangs, or vanished without closing the socket,
    # waits forever. Workers wait for tasks by the event loop, not by this timeout.
    "socket_timeout": BROKER_ATTEMPT_TIMEOUT,
}
# Documents still `processing` this long after their last change lost their task (the
# worker and the broker's copy of the message are gone); `requeue_documents` queues them again.
INGEST_REQUEUE_STALE_MINUTES = env.int("INGEST_REQUEUE_STALE_MINUTES", default=30)

INGEST_MAX_UPLOAD_BYTES = env.int("INGEST_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Facts extracted with at least this confidence (0..1) are accepted without review;
# unset, every extracted fact waits for review in admin.
INGEST_AUTO_ACCEPT_CONFIDENCE = env.float("INGEST_AUTO_ACCEPT_CONFIDENCE", default=None)
DATA_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_UPLOAD_BYTES + 1024 * 1024
# Files of a multipart request are counted as they arrive; past INGEST_MAX_UPLOAD_BYTES the
# upload is stopped before the rest is stored (ingest/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "ingest.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
