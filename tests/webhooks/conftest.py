"""The webhook receiver of the tests: a real HTTP server on a free loopback port."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest


@pytest.fixture
def receiver():
    """An HTTP server on a free loopback port that records what it is sent.

    `codes` lists the status codes of the next answers (then 200).
    """
    received: list[SimpleNamespace] = []
    codes: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(
                SimpleNamespace(path=self.path, headers=dict(self.headers.items()), body=body)
            )
            self.send_response(codes.pop(0) if codes else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(
        url=f"http://127.0.0.1:{server.server_port}/hooks/tracker", received=received, codes=codes
    )
    server.shutdown()
    server.server_close()
