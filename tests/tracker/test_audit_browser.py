"""What an auditor and an admin read, in a real headless Chromium: the index of reports, the
report page of the demo's real outcomes, a quote page after a correction, and the admin's
review queue.

With SCREENSHOT_DIR set, each page is also saved there as PNG (docs/screenshots/ holds the
ones described in docs/screenshots.md)."""

from __future__ import annotations

import os
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from tests.tracker.browsers import BROWSER_MARKS
from tracker.models import Actual, ReviewState
from tracker.services import fact_update

REPORTS = Path(django_settings.BASE_DIR) / "seeds" / "reports"
WUHAN_REPORT = REPORTS / "004_c096fae1138b346c.txt"
SHAOXING_REPORT = REPORTS / "001_7684d66659798cfa.txt"
CORRECTION_REASON = "示例更正(测试数据):按年报口径修订"

pytestmark = BROWSER_MARKS


def _screenshot(driver, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def demo(transactional_db, catalogue, wuhan, shaoxing, editor, settings):
    """As `make demo` leaves it for Wuhan (targets, real outcomes), one outcome corrected by
    an editor, and a Shaoxing report's facts waiting for review."""
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    quiet = {"stdout": StringIO()}
    call_command("evaluations_rebuild", **quiet)
    call_command("ingest", str(WUHAN_REPORT), "--accept", **quiet)
    call_command("load_outcomes", **quiet)
    call_command("ingest", str(SHAOXING_REPORT), **quiet)  # left proposed
    contracts = Actual.objects.get(indicator__code="tech_contract_value", jurisdiction=wuhan)
    corrected = fact_update(
        fact=contracts,
        user=editor,
        data={"value": Decimal("34300000000")},
        reason=CORRECTION_REASON,
    )
    return corrected


def _log_in(browser, wait, url: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    browser.get(url)
    wait.until(ec.presence_of_element_located((By.NAME, "username")))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("pw-" + username)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()


def test_auditor_reads_outcomes_and_a_correction_and_an_admin_accepts_a_fact(
    browser,
    live_server,
    demo,
    reader,
    admin_user,
    editor,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    corrected = demo
    wait = WebDriverWait(browser, 20)
    browser.set_window_size(1280, 1150)

    # The index of reports: the jurisdictions with targets, each year a link.
    _log_in(browser, wait, f"{live_server.url}/reports/", reader.username)
    wait.until(ec.presence_of_element_located((By.ID, "reports")))
    wuhan = browser.find_element(By.ID, "jurisdiction-420100")
    assert "武汉市" in wuhan.text
    _screenshot(browser, "audit-reports-index")

    # The report page: Wuhan's 2014 targets judged on the published outcomes.
    wuhan.find_element(By.LINK_TEXT, "2014").click()
    wait.until(ec.presence_of_element_located((By.ID, "scorecard")))
    assert browser.current_url.split("?")[0].endswith("/reports/420100/2014/")
    statuses = [
        row.get_attribute("data-status")
        for row in browser.find_elements(By.CSS_SELECTOR, "#scorecard tbody tr")
    ]
    assert statuses.count("met") == 4
    assert statuses.count("missed") == 3
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert charts[0].find_elements(By.CSS_SELECTOR, "rect")
    _screenshot(browser, "report-wuhan-2014")

    # The quote page of the corrected figure: the source's words, then what changed.
    browser.get(f"{live_server.url}/reports/quote/actual/{corrected.id}/")
    wait.until(ec.presence_of_element_located((By.ID, "correction")))
    quote = browser.find_element(By.CSS_SELECTOR, "#quote mark").text
    assert "342.89" in quote
    assert browser.find_element(By.ID, "original-value").text == "342.89亿元"
    assert browser.find_element(By.ID, "current-value").text == "343亿元"
    assert "343亿元" in browser.find_element(By.ID, "fact-value").text
    change = browser.find_element(By.CSS_SELECTOR, "#changes tr.change").text
    assert "342.89亿元 → 343亿元" in change
    assert editor.username in change and CORRECTION_REASON in change
    assert (
        browser.find_element(By.ID, "source-url")
        .get_attribute("href")
        .startswith("http://kjj.wuhan.gov.cn/")
    )
    _screenshot(browser, "quote-after-correction")

    # The admin's review queue: each value beside its quote; one click accepts.
    browser.delete_all_cookies()
    _log_in(browser, wait, f"{live_server.url}/admin/tracker/actual/review/", admin_user.username)
    wait.until(ec.presence_of_element_located((By.ID, "review-queue")))
    first = browser.find_element(By.CSS_SELECTOR, "#review-queue tr.proposed")
    fact_id = int(first.get_attribute("id").removeprefix("fact-"))
    fact = Actual.objects.get(pk=fact_id)
    assert first.find_element(By.CSS_SELECTOR, "td.figure").text == fact.figure
    assert first.find_element(By.CSS_SELECTOR, "blockquote mark").text == fact.quote
    proposed = len(browser.find_elements(By.CSS_SELECTOR, "#review-queue tr.proposed"))
    _screenshot(browser, "admin-review-queue")

    first.find_element(By.CSS_SELECTOR, "button.accept").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))
    message = browser.find_element(By.CSS_SELECTOR, ".messagelist .success").text
    assert f"{fact_id} accepted" in message
    remaining = browser.find_elements(By.CSS_SELECTOR, "#review-queue tr.proposed")
    assert len(remaining) == proposed - 1
    fact.refresh_from_db()
    assert fact.review_state == ReviewState.ACCEPTED
    assert fact.reviewed_by == admin_user
