"""Benchmark: every report format (``reports.REPORT_FORMATS``), bundled catalog and 10x catalog.

Run with ``python benchmarks/bench_reports.py``. Target (issue 16): each report in under 3 s,
end to end (analysis with the 2,000-sample rank stability as ``crm-analyzer compare`` runs it,
and the report, the PDF negotiation pack included), also with the catalog copied 10 times. One
warm-up run per format first loads the modules it needs (matplotlib and fpdf2 for the PDF), so
the timings are of the work, not of Python's imports. Every run starts from a fresh
analysis, so no cached table is shared between runs. Medians of CPU time
(``time.process_time``), which a shared machine's wall clock inflates.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

from scaled import copied_catalog

import analyzer
from analyzer import reports

TARGET_SECONDS = 3.0


def timed_run(render: Callable, catalog, samples: int) -> tuple[float, float, int]:
    """Seconds for the whole run and for the report alone, and the document's size in bytes."""
    profile = analyzer.load_profile(catalog=catalog)
    start = time.process_time()
    result = analyzer.analyze(profile, catalog, samples=samples)
    report_start = time.process_time()
    document = render(result)
    end = time.process_time()
    size = len(document if isinstance(document, bytes) else document.encode("utf-8"))
    return end - start, end - report_start, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--formats", nargs="+", choices=reports.REPORT_FORMATS)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    bundled = analyzer.load_catalog()
    missed = False
    for copies in args.copies:
        catalog = copied_catalog(bundled, copies)
        for name in args.formats or reports.REPORT_FORMATS:
            render = partial(reports.render_report, report_format=name)
            timed_run(render, catalog, 0)
            runs = [timed_run(render, catalog, args.samples) for _ in range(args.runs)]
            total = statistics.median(r[0] for r in runs)
            report = statistics.median(r[1] for r in runs)
            verdict = "OK" if total < TARGET_SECONDS else "MISSED"
            missed |= total >= TARGET_SECONDS
            print(
                f"catalog x{copies:<2} {name:>4}: median {total:.2f} s end to end, "
                f"{report:.2f} s for the report alone ({args.runs} runs, "
                f"{runs[0][2] / 1e6:.1f} MB) target < {TARGET_SECONDS:.0f} s: {verdict}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
