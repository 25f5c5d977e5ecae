"""The index of reports and a report page in a real headless Chromium, in Chinese and English.

Chromium asks for English (Accept-Language en-US); the page's language links switch to
Chinese, and every link of the page keeps the language. With SCREENSHOT_DIR set, the pages
are saved there as PNG."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tracker import attainment_seed_data as seeds
from tests.tracker.attainment_support import document, fact
from tests.tracker.browsers import BROWSER_MARKS
from tracker.models import Actual, Target

pytestmark = BROWSER_MARKS


def _screenshot(driver, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def reports(transactional_db, catalogue, shaoxing, reader, settings):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    entered = seeds.enter_seed(seeds.SHAOXING)
    seeds.enter_seed(seeds.HARBIN)
    fact(
        Actual, jurisdiction=shaoxing, indicator="rd_expenditure", value="12500000000",
        when="2017", doc=document("2018-02-01", title="绍兴市2017年科技工作总结",
                                  text="2017年,全社会研发经费125亿元,增长10.6%。"),
        quote="全社会研发经费125亿元",
    )  # fmt: skip
    fact(Target, jurisdiction=shaoxing, indicator="rd_expenditure", value="1.4e10", when="2018")
    return entered


def test_auditor_finds_a_report_and_reads_it_in_english_and_chinese(
    browser, live_server, reports, reader
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.set_window_size(1280, 900)
    target = reports[("target", "rd_expenditure", "level", "2017")]

    # The index asks for a login first, then lists the jurisdictions with their years.
    browser.get(f"{live_server.url}/reports/")
    wait.until(ec.presence_of_element_located((By.NAME, "username")))
    browser.find_element(By.NAME, "username").send_keys(reader.username)
    browser.find_element(By.NAME, "password").send_keys("pw-" + reader.username)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait.until(ec.presence_of_element_located((By.ID, "reports")))
    assert browser.find_element(By.ID, "jurisdiction-230100")
    assert "Signed in as auditor" in browser.find_element(By.ID, "user").text
    _screenshot(browser, "reports-index")

    # A search narrows the list; its year link opens the report.
    browser.find_element(By.ID, "q").send_keys("绍兴")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.search [type=submit]").click()
    wait.until(ec.staleness_of(page))
    rows = browser.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    assert [row.get_attribute("id") for row in rows] == ["jurisdiction-330600"]
    rows[0].find_element(By.LINK_TEXT, "2017").click()
    wait.until(ec.presence_of_element_located((By.ID, "scorecard")))

    row = browser.find_element(By.ID, f"target-{target.id}")
    assert row.get_attribute("data-status") == "missed"
    assert row.find_element(By.CSS_SELECTOR, "td.status").text == "missed"
    assert row.find_element(By.CSS_SELECTOR, "a.gap").text == "short by 2亿元"
    assert row.find_element(By.CSS_SELECTOR, "a.target-value").text == "> 127亿元"
    exports = browser.find_element(By.ID, "exports")
    assert (
        exports.find_element(By.ID, "export-xlsx")
        .get_attribute("href")
        .endswith("/api/v1/attainment/export.xlsx?jurisdiction=330600&year=2017")
    )

    # The language link: the same page in Chinese.
    browser.find_element(By.CSS_SELECTOR, "#languages a[lang=zh-hans]").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h2"), "目标完成表"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    row = browser.find_element(By.ID, f"target-{target.id}")
    assert row.get_attribute("data-status") == "missed"
    assert row.find_element(By.CSS_SELECTOR, "td.status").text == "未达标"
    assert row.find_element(By.CSS_SELECTOR, "a.gap").text == "差 2亿元"
    assert row.find_element(By.CSS_SELECTOR, "a.target-value").text == "超过127亿元"
    assert "当前用户：auditor" in browser.find_element(By.ID, "user").text
    _screenshot(browser, "report-shaoxing-2017-zh")

    # The next year's report and the index stay in Chinese.
    browser.find_element(By.ID, "next-year").click()
    wait.until(ec.url_contains("/reports/330600/2018/"))
    assert browser.find_element(By.TAG_NAME, "h2").text == "目标完成表"
    browser.find_element(By.ID, "index-link").click()
    wait.until(ec.presence_of_element_located((By.ID, "reports")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "审计报告"

    # Logging out ends the session: the index asks for a login again.
    browser.find_element(By.ID, "logout").click()
    wait.until(ec.presence_of_element_located((By.NAME, "username")))
    browser.get(f"{live_server.url}/reports/")
    wait.until(ec.presence_of_element_located((By.NAME, "username")))
