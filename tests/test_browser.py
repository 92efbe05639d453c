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
ARTIFACTS = ROOT / "test-artifacts"
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


def test_seat_change_updates_the_recommendation_and_the_xlsx(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(server)
    page.get_by_test_id("stAppViewContainer").wait_for(state="attached", timeout=TIMEOUT_MS)
    wait_for_app_run(page)
    before = headline(page)
    # The bundled example: right-sizing Salesforce (8 unused seats, executives on Platform).
    assert before.startswith("Recommended: Right-size")
    ARTIFACTS.mkdir(exist_ok=True)
    # Streamlit scrolls inside its own container, so a full-page shot needs a tall viewport.
    page.set_viewport_size({"width": 1440, "height": 4200})
    wait_for_app_run(page)
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})

    open_page(page, "Profile")
    seats = page.get_by_label("Sales Cloud Enterprise user: seats")
    expect(seats).to_have_value("90", timeout=TIMEOUT_MS)
    seats.fill("0")
    # Leaving the field commits its value to the form before the submit button is pressed.
    seats.press("Tab")
    page.get_by_role("button", name="Apply seats").click()
    wait_for_app_run(page)
    # Applying a form reruns the script once more; expect() retries until the rerun is drawn.
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
