"""The API documentation in a real headless Chromium: it renders and stays on this host."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="Chromium is not installed (apt-get install -y chromium chromium-driver)",
    ),
]


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(flag)
    # The DevTools network events: every request the page makes, and which were blocked.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _requests_that_left(browser, host: str) -> list[str]:
    """URLs the page asked another host for and that the browser did not block."""
    asked: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            asked[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    return [
        url
        for request_id, url in asked.items()
        if urlparse(url).scheme in ("http", "https")
        and urlparse(url).hostname != host
        and request_id not in blocked
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/api/v1/redoc/", "redoc h1, #redoc-container h1"), ("/api/v1/docs/", ".swagger-ui .title")],
)
def test_api_docs_render_and_load_nothing_from_another_host(browser, live_server, path, rendered):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + path)
    title = WebDriverWait(browser, 30).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, rendered))
    )
    # ReDoc asks for its maker's logo once the sidebar is drawn.
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )

    assert "Target-versus-actual tracker API" in title.text
    assert _requests_that_left(browser, urlparse(live_server.url).hostname) == []


@pytest.mark.django_db(transaction=True)
def test_the_browser_finds_the_favicon(browser, live_server):
    browser.get(live_server.url + "/favicon.ico")

    width = browser.execute_script("return document.images[0] && document.images[0].naturalWidth")
    assert width == 32
