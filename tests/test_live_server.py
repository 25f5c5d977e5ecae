"""The live server keeps concurrent requests apart on SQLite's one in-memory test connection."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_browsers_logging_in_and_out_at_once_all_succeed(live_server, reader, settings):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    login = f"{live_server.url}/api-auth/login/?next=/reports/"

    def log_in_and_out(_: int) -> list[int]:
        statuses = []
        browser = build_opener(HTTPCookieProcessor(CookieJar()))  # a session of its own
        for _ in range(5):
            with browser.open(login, timeout=20) as form:
                token = CSRF_TOKEN.search(form.read().decode()).group(1)
            credentials = {"username": reader.username, "password": "pw-" + reader.username}
            body = urlencode({**credentials, "csrfmiddlewaretoken": token}).encode()
            with browser.open(login, data=body, timeout=20) as index:
                page = index.read().decode()
                statuses.append(index.status)
            assert 'id="reports"' in page
            body = urlencode({"csrfmiddlewaretoken": CSRF_TOKEN.search(page).group(1)}).encode()
            with browser.open(f"{live_server.url}/api-auth/logout/", data=body, timeout=20) as out:
                statuses.append(out.status)
        return statuses

    with ThreadPoolExecutor(6) as pool:
        statuses = [status for run in pool.map(log_in_and_out, range(6)) for status in run]

    assert statuses == [200] * 60
