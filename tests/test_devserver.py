"""The development server `make demo` starts, as a newcomer uses it with the README alone."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

# Ports this suite may use for servers it starts.
PORTS = range(8110, 8120)
# Shaoxing's 2017 report.
SEED_REPORT = Path(settings.BASE_DIR) / "seeds" / "reports" / "001_7684d66659798cfa.txt"
README = Path(settings.BASE_DIR) / "README.md"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _environment(database: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "TEST_CELERY_"))
    }
    clean.update(
        {
            "DJANGO_ALLOW_INSECURE_KEY": "true",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{database}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return clean


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class DevServer:
    """A running `manage.py runserver` and the demo users' tokens."""

    def __init__(self, base: str, tokens: dict[str, str], log: Path):
        self.base = base
        self.tokens = tokens
        self.log = log

    def request(
        self,
        path: str,
        *,
        user: str = "editor",
        data: bytes | None = None,
        content_type: str | None = None,
        method: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Token {self.tokens[user]}")
        request.add_header("Accept-Language", "en")
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def devserver(tmp_path_factory):
    """`setup_demo --no-ingest` on a fresh SQLite file, then `runserver` as `make demo` runs it."""
    folder = tmp_path_factory.mktemp("devserver")
    env = _environment(folder / "db.sqlite3")
    setup = _manage("setup_demo", "--no-ingest", env=env)
    assert setup.returncode == 0, setup.stderr
    tokens = dict(re.findall(r"^\s+(\w+)\s+token (\w+)$", setup.stdout, re.MULTILINE))
    ingest = _manage("ingest", str(SEED_REPORT), "--accept", env=env)
    assert ingest.returncode == 0, ingest.stderr
    port = _free_port()
    log = folder / "runserver.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/health/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("runserver did not start:\n" + log.read_text())
                time.sleep(0.3)
        yield DevServer(base, tokens, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _unique(text: str) -> str:
    # Each test posts a text of its own: the same text twice answers 200, not 202.
    return f"{text}\n（编号 {uuid.uuid4().hex}）\n"


def _gbk_encodable(line: str) -> bool:
    try:
        line.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _multipart(name: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _assert_accepted(server: DevServer, status: int, headers: dict[str, str], body: bytes):
    assert status == 202, body.decode(errors="replace")[:2000] + server.log.read_text()[-3000:]
    document = json.loads(body)
    assert headers["Location"] == document["url"]
    assert document["url"].startswith(server.base + "/api/v1/documents/")


def test_posting_report_text_as_json_answers_202_with_the_documents_location(devserver):
    text = _unique(SEED_REPORT.read_text(encoding="utf-8"))
    payload = json.dumps({"text": text, "jurisdiction": "330600"}).encode()

    status, headers, body = devserver.request(
        "/api/v1/documents/", data=payload, content_type="application/json"
    )

    _assert_accepted(devserver, status, headers, body)


def test_uploading_an_html_report_answers_202(devserver):
    text = _unique(SEED_REPORT.read_text(encoding="utf-8"))
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    markup = f"<html><head><title>报告</title></head><body>{paragraphs}</body></html>"
    body, content_type = _multipart("report.html", markup.encode("utf-8"), "text/html")

    status, headers, answer = devserver.request(
        "/api/v1/documents/", data=body, content_type=content_type
    )

    _assert_accepted(devserver, status, headers, answer)


def test_uploading_a_gbk_report_answers_202(devserver):
    # The seed report's lines that GBK can encode (it has no bullet "•").
    lines = SEED_REPORT.read_text(encoding="utf-8").splitlines()
    text = _unique("\n".join(line for line in lines if _gbk_encodable(line)))
    body, content_type = _multipart("report.txt", text.encode("gbk"), "text/plain")

    status, headers, answer = devserver.request(
        "/api/v1/documents/", data=body, content_type=content_type
    )

    _assert_accepted(devserver, status, headers, answer)
    assert json.loads(answer)["text"].startswith(text[:20])


def _readme_curl_example() -> str:
    """The README's shell example that queries the API with curl."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return next(block for block in blocks if block.lstrip().startswith("curl"))


@pytest.mark.skipif(not Path("/usr/bin/curl").exists(), reason="needs curl")
def test_the_readmes_curl_example_lists_shaoxings_targets(devserver):
    command = _readme_curl_example().replace("<token>", devserver.tokens["auditor"])
    command = command.replace("http://127.0.0.1:8000", devserver.base)

    result = subprocess.run(
        ["bash", "-c", command.strip() + " --silent --show-error --fail"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    targets = json.loads(result.stdout)
    assert targets["count"] > 0
    assert {t["jurisdiction"]["name_zh"] for t in targets["results"]} == {"绍兴市"}


def test_a_raw_chinese_query_is_what_the_readme_warns_against(devserver):
    # Why the README percent-encodes: the development server refuses raw UTF-8 in the URL.
    with socket.create_connection(("127.0.0.1", int(devserver.base.rsplit(":", 1)[1]))) as conn:
        conn.sendall("GET /api/v1/targets/?jurisdiction=绍兴市 HTTP/1.0\r\n\r\n".encode())
        answer = conn.recv(200).decode("latin-1")

    assert answer.split()[1] == "400"
