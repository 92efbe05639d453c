"""Benchmark: analyze() time for profiles with many one-seat roles.

Run with ``python benchmarks/bench_roles.py`` (``--profile`` adds a cProfile listing of the
slowest functions for the largest size). Target (issue 12): 500 roles analyzed in under 2 s on
the 2-core machine. Each role is the bundled example's first role with one seat, so the
feature needs, catalog and contract are realistic and only the role count grows.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from scaled import many_roles

import analyzer
from analyzer.profile import Profile

SIZES = (100, 500, 2_500)
TARGET_SECONDS = {500: 2.0}
"""Roles -> the time analyze() must stay under."""


def time_analyze(catalog, profile: Profile) -> float:
    """Seconds for one analyze() call (the best of two, to leave out first-call warm-up)."""
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        analyzer.analyze(profile, catalog)
        best = min(best, time.perf_counter() - start)
    return best


def hot_spots(catalog, profile: Profile, top: int = 15) -> str:
    """The ``top`` functions by cumulative time in one analyze() call."""
    profiler = cProfile.Profile()
    profiler.enable()
    analyzer.analyze(profile, catalog)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return stream.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print cProfile hot spots")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args()
    catalog = analyzer.load_catalog()
    base = analyzer.load_profile(catalog=catalog)
    failed = False
    for count in args.sizes:
        profile = many_roles(base, count)
        seconds = time_analyze(catalog, profile)
        target = TARGET_SECONDS.get(count)
        verdict = "" if target is None else f" (target < {target:.1f} s: "
        if target is not None:
            verdict += "ok)" if seconds < target else "MISSED)"
            failed |= seconds >= target
        print(f"{count:>6,} roles: analyze() {seconds:6.2f} s{verdict}")
    if args.profile:
        print(hot_spots(catalog, many_roles(base, max(args.sizes))))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
