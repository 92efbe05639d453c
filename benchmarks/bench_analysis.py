"""Benchmark: a full analysis, warm, of the bundled example, a 10x catalog and 200 roles.

Run with ``python benchmarks/bench_analysis.py``. Targets (issue 16): ``analyze()`` of the
bundled example, stability summary included, under 50 ms; with the catalog copied 10 times
under 0.5 s; with 200 roles under 0.5 s. Prints medians of CPU time (``time.process_time``:
single-threaded work, which the wall clock of a shared machine inflates).

``analyze()`` is timed alone: the catalog and profile are loaded once, as the app and a batch
hold them (loading the catalog is cached by another change; its time is printed beside).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from scaled import copied_catalog, many_roles, median_seconds

import analyzer
from analyzer.catalog import Catalog
from analyzer.profile import Profile

TARGETS = {"bundled example": 0.050, "catalog x10": 0.5, "200 roles": 0.5}
"""Case -> seconds its median must stay under."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    catalog = analyzer.load_catalog()
    profile = analyzer.load_profile(catalog=catalog)

    def larger_catalog() -> tuple[Profile, Catalog]:
        larger = copied_catalog(catalog, 10)
        return analyzer.load_profile(catalog=larger), larger

    # Each case is built just before it is timed and let go after: a process holds the
    # catalog and profile it analyses, not the other cases' (a larger heap makes every
    # garbage collection during an analysis slower).
    cases: dict[str, tuple[Callable[[], tuple[Profile, Catalog]], int]] = {
        "bundled example": (lambda: (profile, catalog), args.runs),
        "catalog x10": (larger_catalog, max(3, args.runs // 3)),
        "200 roles": (lambda: (many_roles(profile, 200), catalog), max(3, args.runs // 3)),
    }
    missed = False
    for name, (build, runs) in cases.items():
        case_profile, case_catalog = build()
        seconds = median_seconds(
            lambda p=case_profile, c=case_catalog: analyzer.analyze(p, c), runs
        )
        target = TARGETS[name]
        verdict = "OK" if seconds < target else "MISSED"
        missed |= seconds >= target
        print(
            f"{name:>16}: analyze() median {seconds * 1e3:7.1f} ms "
            f"({runs} runs; target < {target * 1e3:.0f} ms: {verdict})"
        )
    loading = median_seconds(lambda: analyzer.load_catalog(), 3)
    print(f"{'':>16}  load_catalog() of the bundled catalog: median {loading * 1e3:.0f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
