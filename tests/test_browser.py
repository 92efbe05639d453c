"""The app in a real browser: Debian's chromium driven by Playwright against ``streamlit run``.

Waits follow streamlit's own ``e2e_playwright/conftest.py``: the server's ``/_stcore/health``
before the first page, and the app's ``notRunning`` script state after every interaction.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().decode() == "ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``streamlit run app.py`` on a free port, up until its health check answers ok."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("streamlit") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"streamlit did not start; see {log.name}")
        time.sleep(0.25)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_for_app_run(page) -> None:
    """Until the websocket is up and the script run triggered by the last action has ended."""
    page.wait_for_timeout(200)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=TIMEOUT_MS)


def open_page(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_app_run(page)


def headline(page) -> str:
    return page.get_by_role("heading", name="Recommended:").inner_text()


def new_session(browser, server, viewport=None):
    """A fresh browser page on the app's start page, loaded and idle."""
    page = browser.new_page(viewport=viewport or {"width": 1440, "height": 1000})
    page.goto(server)
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached", timeout=TIMEOUT_MS)
    wait_for_app_run(page)
    return page


def commit(page, label: str, value: str) -> None:
    """Type ``value`` into the field labelled ``label`` and leave it, which applies it."""
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")
    wait_for_app_run(page)


def enter_date(page, label: str, day: str) -> None:
    """Type ``day`` (YYYY-MM-DD) into the date field labelled ``label``, segment by segment."""
    field = page.get_by_label(label, exact=True)
    field.locator("[role='spinbutton']").first.click()
    page.keyboard.type(day.replace("-", ""))
    page.keyboard.press("Escape")
    # Leaving the field commits it.
    page.get_by_role("heading").first.click()
    wait_for_app_run(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (typed, as the list is virtual)."""
    page.get_by_label(label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).click()
    wait_for_app_run(page)


def test_seat_change_updates_the_recommendation_and_the_xlsx(server, browser, tmp_path):
    page = new_session(browser, server)
    page.get_by_role("button", name="Explore the example").click()
    wait_for_app_run(page)
    before = headline(page)
    # The bundled example: right-sizing Salesforce (8 unused seats, executives on Platform).
    assert before.startswith("Recommended: Right-size")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its own container, so a full-page shot needs a tall viewport.
    page.set_viewport_size({"width": 1440, "height": 4200})
    wait_for_app_run(page)
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})

    open_page(page, "Profile")
    seats = page.get_by_label("Sales Cloud Enterprise user: seats")
    expect(seats).to_have_value("90", timeout=TIMEOUT_MS)
    # Leaving the field applies it: no Apply button to forget.
    commit(page, "Sales Cloud Enterprise user: seats", "0")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        "Recommended: Stay", timeout=TIMEOUT_MS
    )

    open_page(page, "Compare")
    after = headline(page)
    assert after != before
    assert after.startswith("Recommended: Stay")

    open_page(page, "Export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel workbook (XLSX)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.suffix == ".xlsx"
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(path)["Summary"].values}
    assert summary["Recommendation"] == after.removeprefix("Recommended: ")
    page.close()


def test_guided_start_from_nothing_to_a_recommendation_with_a_deadline_banner(server, browser):
    page = new_session(browser, server)
    page.get_by_role("button", name="Start from your contract").click()
    wait_for_app_run(page)
    commit(page, "Organisation", "Globex")
    choose(page, "Current CRM and edition", "Salesforce Sales Cloud and Service Cloud · Enterprise")
    commit(page, "Seats paid for", "120")
    enter_date(page, "Current term ends on (last day)", "2027-06-30")
    commit(page, "Notice (days before the end)", "60")
    enter_date(page, "Analysis start (deadlines are counted from this date)", "2027-04-10")
    commit(page, "Sales reps: seats", "80")
    commit(page, "Support agents: seats", "30")
    page.get_by_role("button", name="Show my recommendation").click()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Recommended:")).to_be_visible(timeout=TIMEOUT_MS)
    # Deadline 2027-06-30 minus 60 days = 2027-05-01: 21 days after 2027-04-10.
    banner = page.get_by_test_id("stMain").get_by_text("Notice deadline in 21 days (2027-05-01)")
    expect(banner).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Globex", timeout=TIMEOUT_MS)

    # A phone: the sidebar is collapsed after navigating, cards stack, charts fit the width.
    page.set_viewport_size(PHONE)
    wait_for_app_run(page)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNav").get_by_text("Contract & exit plan", exact=True).click()
    wait_for_app_run(page)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute(
        "data-collapsed", "true", timeout=TIMEOUT_MS
    )
    expect(page.get_by_test_id("stMain").get_by_text("Notice deadline in 21 days")).to_be_visible()
    for chart in page.locator(".stPlotlyChart").all():
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its own container: a tall phone shows the whole page.
    page.set_viewport_size({"width": PHONE["width"], "height": 3000})
    wait_for_app_run(page)
    page.screenshot(path=str(ARTIFACTS / "phone-exit-plan.png"), full_page=True)
    page.close()
