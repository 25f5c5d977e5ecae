"""Real Celery workers for tests: separate `celery worker` processes on a test's own queue.

A worker is a separate process, so it must see what the test commits: that needs a server
database (PostgreSQL) rather than SQLite's in-memory test database, and a real broker
(TEST_CELERY_BROKER_URL). Without them the tests skip, or fail under REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tracker.celery import app as celery_app

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "")
# Nothing listens on port 1: connecting is refused at once, like a broker that is down.
UNREACHABLE_BROKER_URL = "redis://127.0.0.1:1/0"
ROOT = Path(settings.BASE_DIR)
LOGS = ROOT / ".pytest_cache"
_CONF_KEYS = ("broker_url", "task_always_eager", "task_default_queue")


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when CI says the services must be there."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def wait_for(
    predicate: Callable[[], bool], *, timeout: float = 60.0, what: str = "condition"
) -> None:
    """Poll until the predicate holds, or fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def reset_connections() -> None:
    """Forget cached broker connections and routes so a new configuration takes effect."""
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@contextlib.contextmanager
def celery_configured(**conf) -> Iterator[None]:
    """Publish tasks from this process with the given Celery settings, restored afterwards."""
    saved = {key: celery_app.conf[key] for key in _CONF_KEYS}
    celery_app.conf.update(conf)
    reset_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_connections()


def broker_unreachable() -> contextlib.AbstractContextManager[None]:
    """Publish to a broker that refuses connections, as when Redis is down."""
    return celery_configured(broker_url=UNREACHABLE_BROKER_URL, task_always_eager=False)


class Workers:
    """Worker processes consuming one queue of the test's broker, against the test database."""

    def __init__(self, *, broker_url: str, database_url: str) -> None:
        self.broker_url = broker_url
        self.database_url = database_url
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.processes: list[subprocess.Popen] = []

    def start(
        self, *, pool: str = "solo", concurrency: int = 1, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        """Start one `celery worker` process; `env` adds settings (e.g. a visibility timeout)."""
        name = f"w{len(self.processes)}-{self.queue}@%h"
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **(env or {}),
        }
        LOGS.mkdir(exist_ok=True)
        with open(LOGS / f"worker-{name.split('@')[0]}.log", "w") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tracker",
                    "worker",
                    f"--pool={pool}",
                    f"--concurrency={concurrency}",
                    "-Q",
                    self.queue,
                    "-n",
                    name,
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=info",
                ],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL a worker, as when its machine dies: no chance to acknowledge or requeue."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        """Stop every worker (warm shutdown, then kill), and drop the queue's leftovers."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(Exception), celery_app.connection_for_write() as conn:
            conn.default_channel.client.delete(
                self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
            )


def start_workers() -> Iterator[Workers]:
    """Fixture body: check the services, point task publishing at the test queue, clean up."""
    if connection.vendor != "postgresql":
        unavailable("the real-worker test needs DATABASE_URL pointing at PostgreSQL")
    if not BROKER_URL:
        unavailable("TEST_CELERY_BROKER_URL is not set")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    workers = Workers(broker_url=BROKER_URL, database_url=database_url)
    with celery_configured(
        broker_url=BROKER_URL, task_always_eager=False, task_default_queue=workers.queue
    ):
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=3)
        except Exception as exc:  # the broker is not there
            unavailable(f"broker {BROKER_URL} unreachable: {exc}")
        try:
            yield workers
        finally:
            workers.stop_all()
