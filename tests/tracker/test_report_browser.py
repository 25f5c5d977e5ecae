"""The auditor's page in a real headless Chromium (Debian's chromium + chromium-driver)."""

from __future__ import annotations

import pytest

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tests.tracker.browsers import BROWSER_MARKS
from tracker.models import Actual

pytestmark = BROWSER_MARKS


@pytest.fixture
def report_data(transactional_db, catalogue, shaoxing, reader, settings):
    # The live server speaks plain HTTP; secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    entered = seeds.enter_seed(seeds.SHAOXING)
    actual = fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", title="绍兴市2017年科技工作总结",
                                  text="2017年,全社会研发经费125亿元,增长10.6%。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    return entered, actual


def test_auditor_reads_scorecard_charts_and_quotes(browser, live_server, report_data, reader):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    entered, actual = report_data
    target = entered[("target", "rd_expenditure", "level", "2017")]
    wait = WebDriverWait(browser, 20)

    # Not logged in: the page sends the browser to the login form, which comes back.
    browser.get(f"{live_server.url}/reports/330600/2017/?as_of=2018-06-01")
    wait.until(ec.presence_of_element_located((By.NAME, "username")))
    browser.find_element(By.NAME, "username").send_keys(reader.username)
    browser.find_element(By.NAME, "password").send_keys("pw-" + reader.username)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait.until(ec.presence_of_element_located((By.ID, "scorecard")))

    rows = browser.find_elements(By.CSS_SELECTOR, "#scorecard tbody tr")
    assert len(rows) == 17
    row = browser.find_element(By.ID, f"target-{target.id}")
    assert row.get_attribute("data-status") == "missed"
    assert "98.43%" in row.text  # 125亿 / 127亿
    ratio = row.find_element(By.CSS_SELECTOR, "a.attainment-ratio")
    assert ratio.get_attribute("data-value") == "0.9843"
    assert row.find_element(By.CSS_SELECTOR, "a.actual-value").text == "125亿元"

    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 4  # attainment, growth gap, ranking, trajectory
    assert charts[0].find_elements(By.CSS_SELECTOR, "rect")
    assert charts[1].find_elements(By.CSS_SELECTOR, "rect")

    # Clicking the actual's number reaches its quote, highlighted in the report text.
    row.find_element(By.CSS_SELECTOR, "a.actual-value").click()
    wait.until(ec.presence_of_element_located((By.ID, "quote")))
    assert browser.current_url.endswith(f"/reports/quote/actual/{actual.id}/")
    assert browser.find_element(By.CSS_SELECTOR, "#quote mark").text == "全社会研发经费125亿元"
    assert "绍兴市2017年科技工作总结" in browser.page_source
