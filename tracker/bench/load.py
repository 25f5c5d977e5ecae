"""A load run: gunicorn serving a bench database, driven by concurrent clients on loopback."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connections

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(db: dict) -> str:
    """The URL of the bench database, for the gunicorn workers' environment."""
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def _wait_until_up(port: int, *, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until a worker answers (the master listens before any worker has booted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health/")
            connection.getresponse().read()
            connection.close()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f}s")


def drive(*, port: int, path: str, token: str, requests: int, clients: int, seconds: float):
    """Send up to `requests` GETs from `clients` threads within `seconds`; latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Authorization": f"Token {token}"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = exc.__class__.__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(str(status))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - start


def run_load(
    *,
    token: str,
    as_of,
    workers: int,
    clients: int,
    requests: int,
    seconds: float,
) -> dict:
    """Serve the bench database with gunicorn, load the attainment page, stop gunicorn."""
    db = connections["default"].settings_dict
    connections.close_all()  # a SQLite file must not stay locked by this process
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "API_THROTTLE_USER": "1000000/min",
        "DJANGO_DEBUG": "false",
        # The server runs production settings; a throw-away key unless one is configured.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:tracker.gunicorn",
        "tracker.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_until_up(port, process=process)
        path = f"/api/v1/attainment/?as_of={as_of:%Y-%m-%d}"
        # Warm every worker (imports, first connection) before timing.
        drive(port=port, path=path, token=token, requests=workers * 2, clients=workers, seconds=30)
        latencies, errors, elapsed = drive(
            port=port, path=path, token=token, requests=requests, clients=clients, seconds=seconds
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return {
        "workers": workers,
        "clients": clients,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "requests_per_s": round((len(latencies) + len(errors)) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else 0.0,
        "p99_ms": round(p99 * 1000, 1),
        "seconds": round(elapsed, 1),
    }
