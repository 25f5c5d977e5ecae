"""Production settings: `check --deploy` is clean, a missing secret key stops the process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tracker.gunicorn import YOUNG_COLLECTION_THRESHOLD
from tracker.settings import MISSING_SECRET_KEY

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only the given DJANGO_* variables."""
    return _python("manage.py", *args, env=env)


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python in a fresh process with only the given DJANGO_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    # The environment wins over a developer's .env file, so say "no" to the development key.
    clean.update({"DJANGO_ALLOW_INSECURE_KEY": "false", **env})
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _secret_key() -> str:
    return secrets.token_urlsafe(64)


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": _secret_key()},
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_names_what_a_bare_production_environment_lacks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": _secret_key()},
    )

    assert result.returncode != 0
    for check in ("security.W004", "security.W008"):  # HSTS, HTTPS redirect
        assert check in result.stderr


def test_without_a_secret_key_and_debug_off_the_web_process_refuses_to_start():
    # The WSGI module gunicorn (and runserver) imports.
    result = _python("-c", "import tracker.wsgi", env={"DJANGO_DEBUG": "false"})

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {MISSING_SECRET_KEY}"


def test_check_deploy_reports_a_missing_secret_key():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV})

    assert result.returncode != 0
    assert "tracker.E001" in result.stderr
    assert MISSING_SECRET_KEY in result.stderr


def test_offline_commands_need_no_secret_key(tmp_path):
    # Extraction signs nothing: it must run anywhere, with no configuration at all.
    report = tmp_path / "report.txt"
    text = "绍兴市2017年科技工作总结\n全年授权发明专利2200件，增长20%。"
    report.write_text(text, encoding="utf-8")

    result = _manage("extract", str(report), env={"DJANGO_DEBUG": "false"})

    assert result.returncode == 0, result.stderr
    assert "2200" in result.stdout


@pytest.mark.parametrize("flag", ["DJANGO_DEBUG", "DJANGO_ALLOW_INSECURE_KEY"])
def test_development_flags_allow_the_development_key(flag):
    result = _manage("check", env={flag: "true"})

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/api/v1/health/", secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_gunicorn_worker_keeps_what_it_loaded_at_start_out_of_garbage_collections():
    # What gunicorn does with `-c python:tracker.gunicorn`: load the application, then call
    # the config's hook once the worker is up.
    probe = (
        "import gc, sys, tracker.wsgi, tracker.gunicorn; "
        "tracker.gunicorn.post_worker_init(None); "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], 'tracker.api.views' in sys.modules)"
    )
    result = _python("-c", probe, env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": _secret_key()})

    assert result.returncode == 0, result.stderr
    frozen, threshold, views_loaded = result.stdout.split()
    # Everything imported at start (Django, the views the URL conf names) is frozen; a
    # collection of young objects runs per YOUNG_COLLECTION_THRESHOLD allocations, not 700.
    assert int(frozen) > 100_000
    assert int(threshold) == YOUNG_COLLECTION_THRESHOLD
    assert views_loaded == "True"


def test_the_gunicorn_config_loads_with_timeouts_that_fit_streamed_exports():
    # gunicorn reads the file as it would to serve (`--print-config` stops before serving).
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "python:tracker.gunicorn",
            "--print-config",
            "tracker.wsgi",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": _secret_key()},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    config = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    # A worker silent for `timeout` seconds is killed: the largest export must fit in it.
    assert config["timeout"] == "300"
    assert config["graceful_timeout"] == "60"
    assert config["keepalive"] == "5"
    assert config["post_worker_init"] == "<post_worker_init()>"
