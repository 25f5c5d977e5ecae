"""Throttles that keep counting when the shared cache (Redis) is down or hung.

DRF's throttles keep their counters in the default cache; when that is a Redis that stopped
answering, every request failed with the cache's error. These count in the process's own
memory instead while the shared cache is unavailable (each web process then counts on its
own, as with the default local cache), log a warning once per outage, and try the shared
cache again every `THROTTLE_SHARED_CACHE_RETRY_SECONDS`. The health endpoint reports it.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)

# The per-process cache the throttles count in while the shared one is unavailable.
LOCAL_CACHE = "throttle_local"
# What a cache backend raises when its server is down, refuses, or does not answer in time.
CACHE_ERRORS = (RedisError, OSError)


class SharedCacheOutage:
    """Whether the shared cache failed recently, so requests skip it instead of waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self.error = ""
        self.error_class = ""

    def skip(self) -> bool:
        """True while the last failure is more recent than the retry interval."""
        with self._lock:
            if self._failed_at is None:
                return False
            retry = settings.THROTTLE_SHARED_CACHE_RETRY_SECONDS
            return time.monotonic() - self._failed_at < retry

    def failed(self, error: Exception) -> None:
        """Note a failure; the first of an outage is logged."""
        with self._lock:
            first = self._failed_at is None
            self._failed_at = time.monotonic()
            self.error = f"{error.__class__.__name__}: {error}"
            self.error_class = error.__class__.__name__
        if first:
            logger.warning(
                "shared cache unavailable (%s): throttling counts in each process's memory "
                "until it is back",
                self.error,
            )

    def answered(self) -> None:
        """Note that the shared cache answered; the end of an outage is logged."""
        with self._lock:
            ended = self._failed_at is not None
            self._failed_at = None
            self.error = self.error_class = ""
        if ended:
            logger.warning("shared cache is back: throttling counts in it again")

    @property
    def active(self) -> bool:
        """Whether the last use of the shared cache failed."""
        with self._lock:
            return self._failed_at is not None


outage = SharedCacheOutage()


class SharedCounters:
    """The shared cache as a throttle uses it (get, set), noting each time it answered."""

    def __init__(self) -> None:
        self.cache = caches["default"]

    def get(self, key: str, default=None):
        value = self.cache.get(key, default)
        outage.answered()
        return value

    def set(self, key: str, value, timeout=None) -> None:
        self.cache.set(key, value, timeout)
        outage.answered()


class DegradingThrottleMixin:
    """Count in the shared cache; in this process's memory while the shared one fails."""

    def allow_request(self, request, view) -> bool:
        if not outage.skip():
            self.cache = SharedCounters()
            try:
                return super().allow_request(request, view)
            except CACHE_ERRORS as error:
                outage.failed(error)
        self.cache = caches[LOCAL_CACHE]
        return super().allow_request(request, view)


class AnonRateThrottle(DegradingThrottleMixin, throttling.AnonRateThrottle):
    """Requests without a token, per address."""


class UserRateThrottle(DegradingThrottleMixin, throttling.UserRateThrottle):
    """Requests with a token, per user."""


class ScopedRateThrottle(DegradingThrottleMixin, throttling.ScopedRateThrottle):
    """Requests to views naming a throttle scope (password attempts)."""


def shared_cache_status() -> str:
    """ "ok", "local" (no shared cache configured) or "error: …" for the health endpoint."""
    cache = caches["default"]
    if cache.__class__.__module__.startswith("django.core.cache.backends.locmem"):
        return "local"
    if outage.skip():
        # It failed moments ago: say so without waiting for it to time out again.
        return f"error: {outage.error_class}"
    try:
        cache.get("health-probe")
    except CACHE_ERRORS as error:
        outage.failed(error)
        return f"error: {error.__class__.__name__}"
    outage.answered()
    return "ok"
