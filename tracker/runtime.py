"""Settings of the long-running web process that Django leaves to the interpreter."""

from __future__ import annotations

import gc

from django.urls import get_resolver

# A page request allocates ~100,000 objects (rows, their fields, serialized data). At
# Python's default of a young-generation collection per 700 allocations that is ~150
# collections a request, and every few requests a full one that scans all ~300,000 objects
# loaded at start: 0.2-0.3 s, the slowest requests of a load run.
YOUNG_COLLECTION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Leave what is loaded at start out of collections and collect young objects less often."""
    # Import every view now (Django would on the first request), so that they are frozen too.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
