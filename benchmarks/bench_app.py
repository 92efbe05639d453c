"""Timing of the Streamlit app, server side and in a real browser (a script, not a test).

Prints, as medians of repeated runs:

- the cold start to the first rendered page (AppTest);
- per page, the server-side rerun after a widget change (AppTest; target under 100 ms);
- a profile edit that needs a new analysis, server side (AppTest);
- in Debian's chromium driven by Playwright against ``streamlit run``: the time from leaving an
  edited horizon field to the sidebar showing the recommendation of the new horizon ("… over N
  months", from the new analysis; target under 400 ms), and to the whole page redrawn. Skipped
  with a note when chromium or Playwright is missing.

The targets are wall-clock times. Each line also gives the CPU time behind it (of the process
for AppTest, of the ``streamlit run`` server for the browser), which other work on a shared
machine does not inflate as much.

Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
RERUNS = 20
BROWSER_EDITS = 15
COLD_START_TARGET_S = 5.0
RERUN_TARGET_MS = 100.0
BROWSER_TARGET_MS = 400.0
TIMEOUT_MS = 30_000
SEATS = "Sales Cloud Enterprise user: seats"
#: The first horizon the browser edits enter; each edit enters the next, so none is cached.
FIRST_HORIZON = 13
#: True once the sidebar's recommendation is that of the horizon given as the argument.
SIDEBAR_SAYS = "text => document.querySelector('[data-testid=stSidebar]').innerText.includes(text)"


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU milliseconds of ``action()`` (CPU of this process, all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall and median CPU milliseconds."""
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def app_on(page: str | None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    if page is not None:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def alternate(values: list) -> Callable[[int], object]:
    return lambda index: values[index % len(values)]


def widget_changes() -> dict[str, tuple[str | None, Callable[[AppTest, int], None]]]:
    """Per page: where it is, and a widget change that does not need a new analysis."""

    def start_page(app: AppTest, index: int) -> None:
        if not app.number_input:
            next(b for b in app.button if b.label == "Start from your contract").click().run()
        next(w for w in app.number_input if w.label == "Seats paid for").set_value(index + 1)

    def compare(app: AppTest, index: int) -> None:
        box = app.selectbox(key="compare_downgrade")
        box.set_value(alternate(box.options)(index))

    def profile(app: AppTest, index: int) -> None:
        # A contract preset only changes the profile when applied: the page is redrawn as is.
        box = next(b for b in app.selectbox if b.label.startswith("Contract presets"))
        box.set_value(alternate(box.options)(index))

    def sensitivity(app: AppTest, index: int) -> None:
        app.number_input[0].set_value(alternate([2_000, 3_000])(index))

    def exit_plan(app: AppTest, index: int) -> None:
        box = app.selectbox(key="exit_plan_option")
        box.set_value(alternate(box.options)(index))

    def catalog(app: AppTest, index: int) -> None:
        next(t for t in app.toggle if t.label == "Full seats only").set_value(index % 2 == 0)

    def export(app: AppTest, index: int) -> None:
        # No widget of its own besides downloads: the sidebar's undo is disabled, so a plain
        # rerun is what any interaction costs.
        return None

    return {
        "Start": (None, start_page),
        "Compare": ("app_pages/compare.py", compare),
        "Profile": ("app_pages/profile.py", profile),
        "Sensitivity": ("app_pages/sensitivity.py", sensitivity),
        "Contract & exit plan": ("app_pages/exit_plan.py", exit_plan),
        "Catalog": ("app_pages/catalog.py", catalog),
        "Export": ("app_pages/export.py", export),
    }


def server_side() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    cold, _ = timed(lambda: app_on(None))
    print(f"cold start to first render: {cold / 1000:.2f} s (target < {COLD_START_TARGET_S:.0f} s)")
    print(f"server-side rerun after a widget change, median of {RERUNS} (wall, CPU):")
    for title, (page, change) in widget_changes().items():
        app = app_on(page)
        reruns = []
        for index in range(RERUNS):
            change(app, index)
            reruns.append(timed(app.run))
            assert not app.exception, app.exception
        wall, cpu = medians(reruns)
        verdict = "ok" if wall < RERUN_TARGET_MS else "OVER"
        print(
            f"  {title:<22} {wall:6.1f} ms  CPU {cpu:5.1f} ms  "
            f"({verdict}, target < {RERUN_TARGET_MS:.0f} ms)"
        )

    # A seat edit: each value is new, so each run analyses a new profile.
    app = app_on("app_pages/profile.py")
    edits = []
    for index in range(RERUNS):
        next(w for w in app.number_input if w.label == SEATS).set_value(91 + index)
        edits.append(timed(app.run))
        assert not app.exception, app.exception
    wall, cpu = medians(edits)
    print(f"profile edit with a new analysis, server side: {wall:.0f} ms, CPU {cpu:.0f} ms")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server() -> Iterator[tuple[str, int]]:
    """``streamlit run app.py`` on a free port, until its health check answers ok: its address
    and process id."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.25)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for_app_run(page) -> None:
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )


def in_browser() -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: skipped (playwright is not installed)")
        return
    if not CHROMIUM.exists():
        print(f"browser: skipped ({CHROMIUM} is missing)")
        return
    with streamlit_server() as (url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(url)
        page.get_by_role("button", name="Explore the example").click()
        wait_for_app_run(page)
        page.get_by_test_id("stSidebarNav").get_by_text("Profile", exact=True).click()
        wait_for_app_run(page)
        page.get_by_test_id("stMain").get_by_text("Organisation", exact=True).click()
        wait_for_app_run(page)
        horizon = page.get_by_label("Horizon (months)", exact=True)
        shown, redrawn, server_cpu = [], [], []
        for index in range(BROWSER_EDITS):
            # A new horizon each time: each edit is a new analysis, not a cached one.
            months = FIRST_HORIZON + index
            horizon.fill(str(months))
            cpu = process_cpu_seconds(pid)
            start = time.perf_counter()
            horizon.press("Tab")
            page.wait_for_function(SIDEBAR_SAYS, arg=f" over {months} months", timeout=TIMEOUT_MS)
            shown.append((time.perf_counter() - start) * 1000)
            wait_for_app_run(page)
            redrawn.append((time.perf_counter() - start) * 1000)
            server_cpu.append((process_cpu_seconds(pid) - cpu) * 1000)
        browser.close()
    median = statistics.median(shown)
    verdict = "ok" if median < BROWSER_TARGET_MS else "OVER"
    print(
        f"browser, edit to updated recommendation (median of {BROWSER_EDITS}): {median:.0f} ms "
        f"({verdict}, target < {BROWSER_TARGET_MS:.0f} ms); to the page redrawn "
        f"{statistics.median(redrawn):.0f} ms; server CPU per edit "
        f"{statistics.median(server_cpu):.0f} ms"
    )


def main() -> None:
    server_side()
    in_browser()


if __name__ == "__main__":
    main()
