"""The OpenAPI schema is valid, warning-free and committed; the API docs work offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
REGENERATE = (
    "python manage.py spectacular --lang en --file docs/openapi.yaml --validate --fail-on-warn"
)
URL = re.compile(r"""https?://[^\s"'<>)]+""")


@pytest.fixture(scope="module")
def generated_schema(tmp_path_factory) -> dict:
    """The schema as `spectacular --validate --fail-on-warn` writes it now."""
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    reset_generator_stats()  # warnings of earlier generations in this process are not ours
    # Raises (and the warnings are printed above pytest's report) on any warning or error.
    # In English, as `make schema` writes it: the committed schema does not follow the language.
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_schema_generates_without_warnings_and_validates(generated_schema):
    assert generated_schema["openapi"].startswith("3.")
    assert generated_schema["info"]["title"] == settings.SPECTACULAR_SETTINGS["TITLE"]


def test_schema_lists_every_v1_endpoint(generated_schema):
    paths = set(generated_schema["paths"])
    expected = {
        "/api/v1/health/",
        "/api/v1/jurisdictions/",
        "/api/v1/jurisdictions/{id}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/",
        "/api/v1/targets/",
        "/api/v1/targets/{id}/",
        "/api/v1/targets/{id}/history/",
        "/api/v1/actuals/",
        "/api/v1/actuals/{id}/",
        "/api/v1/actuals/{id}/history/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
    }
    assert expected <= paths


def test_schema_describes_token_authentication(generated_schema):
    schemes = generated_schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["tokenAuth"]["name"] == "Authorization"


def test_committed_schema_matches_the_code(generated_schema):
    committed = yaml.safe_load(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert committed == generated_schema, (
        "docs/openapi.yaml is out of date with the API code; regenerate it with "
        f"`{REGENERATE}` and commit the result"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_page_renders_and_loads_nothing_from_another_host(client, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    foreign = [u for u in URL.findall(html) if urlparse(u).hostname != "testserver"]
    assert foreign == [], f"{path} references external hosts (must work offline): {foreign}"
    assert "/api/v1/schema/" in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_scripts_are_served_from_the_sidecar(client, path):
    html = client.get(path).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts
    for src in scripts:
        assert src.startswith((settings.STATIC_URL, "/" + settings.STATIC_URL))
        relative = src.split(settings.STATIC_URL, 1)[1]
        assert finders.find(relative), f"{src} is not in any static directory"


@pytest.mark.django_db
def test_schema_endpoint_serves_the_same_paths(client, generated_schema):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    assert set(served["paths"]) == set(generated_schema["paths"])


def test_two_generations_are_byte_identical_to_the_committed_schema(tmp_path):
    # Separate processes with different hash seeds: nothing may depend on set or dict order.
    outputs = []
    for seed in ("1", "2"):
        path = tmp_path / f"openapi-{seed}.yaml"
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_ALLOW_INSECURE_KEY": "true"}
        subprocess.run(
            [sys.executable, "manage.py", "spectacular", "--lang", "en", "--file", str(path)],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        outputs.append(path.read_bytes())

    assert outputs[0] == outputs[1]
    assert outputs[0] == COMMITTED_SCHEMA.read_bytes(), f"regenerate with `{REGENERATE}`"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_pages_tell_the_browser_to_load_from_this_host_only(client, path):
    policy = client.get(path)["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    # ReDoc's sidebar asks for a logo from cdn.redoc.ly: images from this host only.
    assert directives["img-src"] == "'self' data:"
    assert "http" not in policy


@pytest.mark.django_db
def test_swagger_ui_fetches_no_validator_badge(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert '"validatorUrl": null' in html


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
