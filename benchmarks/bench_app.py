"""Server-side timing of the Streamlit app (a script, not a test).

Prints the cold start to the first rendered page and the median time of a rerun after a widget
change (20 runs), both measured with ``streamlit.testing.v1.AppTest``. Targets: cold start under
5 s, rerun under 300 ms.

Run: ``.venv/bin/python benchmarks/bench_app.py``
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"
RERUNS = 20
COLD_START_TARGET_S = 5.0
RERUN_TARGET_MS = 300.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP), default_timeout=60)
    cold = timed(app.run)
    assert not app.exception, app.exception

    # A widget change on the compare page: each rerun picks another downgrade option, so the
    # page redraws its cards and charts (the analysis itself comes from st.cache_data).
    options = app.selectbox(key="compare_downgrade").options
    reruns = []
    for index in range(RERUNS):
        app.selectbox(key="compare_downgrade").set_value(options[index % len(options)])
        reruns.append(timed(app.run) * 1000)
        assert not app.exception, app.exception

    # A profile edit: every other run changes a seat count, so the analysis is recomputed.
    app.switch_page("app_pages/profile.py").run()
    seats = next(w for w in app.number_input if w.label.endswith(": seats"))
    edits = []
    for index in range(RERUNS):
        widget = next(w for w in app.number_input if w.label == seats.label)
        widget.set_value(seats.value + 1 + index)
        next(b for b in app.button if b.label == "Apply seats").click()
        edits.append(timed(app.run) * 1000)
        assert not app.exception, app.exception

    rerun = statistics.median(reruns)
    edit = statistics.median(edits)
    print(f"cold start to first render: {cold:.2f} s (target < {COLD_START_TARGET_S:.0f} s)")
    print(
        f"rerun after a widget change (median of {RERUNS}): {rerun:.0f} ms "
        f"(target < {RERUN_TARGET_MS:.0f} ms)"
    )
    print(f"profile edit with a new analysis (median of {RERUNS}): {edit:.0f} ms")


if __name__ == "__main__":
    main()
