"""Benchmark: every report format of the bundled example (``reports.REPORT_FORMATS``).

Run with ``python benchmarks/bench_reports.py``. Target: each report in under 3 s, end to end
(analysis, 2,000-sample rank stability as ``crm-analyzer compare`` runs it, and the report),
the PDF negotiation pack included (``--formats pdf``: its three matplotlib charts and the
fpdf2 layout). Every run starts from a fresh analysis, so no cached table is shared between
runs; one warm-up run per format first loads the modules it needs (matplotlib and fpdf2 for the
PDF are imported on first use), so the timings are of the work, not of Python's imports.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import analyzer
from analyzer import reports

TARGET_SECONDS = 3.0


def timed_run(render: Callable, samples: int) -> tuple[float, float, int]:
    """Seconds for the whole run and for the report alone, and the document's size in bytes."""
    catalog = analyzer.load_catalog()
    profile = analyzer.load_profile(catalog=catalog)
    start = time.perf_counter()
    result = analyzer.analyze(profile, catalog, samples=samples)
    report_start = time.perf_counter()
    document = render(result)
    end = time.perf_counter()
    size = len(document if isinstance(document, bytes) else document.encode("utf-8"))
    return end - start, end - report_start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--formats", nargs="+", choices=reports.REPORT_FORMATS)
    args = parser.parse_args()
    for name in args.formats or reports.REPORT_FORMATS:
        render = partial(reports.render_report, report_format=name)
        timed_run(render, 0)
        runs = [timed_run(render, args.samples) for _ in range(args.runs)]
        total = statistics.median(r[0] for r in runs)
        report = statistics.median(r[1] for r in runs)
        verdict = "OK" if total < TARGET_SECONDS else "SLOW"
        print(
            f"{name:>4}: median {total:.2f} s end to end, {report:.2f} s for the report alone "
            f"({args.runs} runs, {runs[0][2] / 1e6:.1f} MB) target < {TARGET_SECONDS:.0f} s: "
            f"{verdict}"
        )


if __name__ == "__main__":
    main()
