"""gunicorn's settings for the web process: `gunicorn -c python:tracker.gunicorn tracker.wsgi`.

Command-line options (--bind, --workers) still apply; this file adds what the interpreter
of a long-running web worker should do differently from a short script's.
"""

from __future__ import annotations

import gc

# A sync worker that answers nothing for `timeout` seconds is killed, even in the middle
# of a streamed export (which reports no progress to the arbiter while it sends): the
# largest export must fit, or it is cut with a 200 already sent (see docs/api.md#exports).
timeout = 300
# On a restart (SIGHUP, a deploy), a worker finishes the response it is sending for this long.
graceful_timeout = 60
# A client behind a proxy reuses its connection for a few seconds instead of a new one each.
keepalive = 5

# A page request allocates tens of thousands of objects. At Python's default of a young
# collection per 700 allocations, each request ran dozens of collections, and every few
# requests a full one scanned everything loaded at start (see docs/performance.md).
YOUNG_COLLECTION_THRESHOLD = 10_000


def post_worker_init(worker) -> None:
    """Keep what the worker loaded at start out of collections; collect young objects less often."""
    from django.urls import get_resolver

    # Import every view now (Django would on the first request), so that they are frozen too.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
