"""Fixtures of the tracker tests: a headless Chromium for the browser tests."""

from __future__ import annotations

import pytest

from tests.tracker.browsers import CHROMEDRIVER, CHROMIUM, HEADLESS_FLAGS


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
