"""The live server keeps concurrent requests apart on SQLite's one in-memory test connection."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import requests

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_browsers_logging_in_and_out_at_once_all_succeed(live_server, reader, settings):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    login = f"{live_server.url}/api-auth/login/?next=/reports/"

    def log_in_and_out(_: int) -> list[int]:
        statuses = []
        with requests.Session() as browser:
            for _ in range(5):
                form = browser.get(login, timeout=20)
                index = browser.post(
                    login,
                    data={
                        "username": reader.username,
                        "password": "pw-" + reader.username,
                        "csrfmiddlewaretoken": CSRF_TOKEN.search(form.text).group(1),
                    },
                    timeout=20,
                )
                logged_out = browser.post(
                    f"{live_server.url}/api-auth/logout/",
                    data={"csrfmiddlewaretoken": CSRF_TOKEN.search(index.text).group(1)},
                    timeout=20,
                )
                statuses += [index.status_code, logged_out.status_code]
                assert 'id="reports"' in index.text
        return statuses

    with ThreadPoolExecutor(6) as pool:
        statuses = [status for run in pool.map(log_in_and_out, range(6)) for status in run]

    assert statuses == [200] * 60
