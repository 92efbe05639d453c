"""Benchmark: ``crm-analyzer batch`` on generated profiles, with 1 and with 2 workers.

Run with ``python benchmarks/bench_batch.py`` (1,000 profiles; ``--profiles N`` for fewer).
Each profile is the bundled example with its own organisation name, sales-rep count and
discount rate; each run analyses them all (2,000-sample rank stability, as ``compare`` does),
writes one JSON report each and the summary table. Prints profiles per second, profiles per
second per worker, the CPU time per profile (parent and workers together: on a shared machine
the wall clock also counts other programs' time) and the peak memory of the parent and of the
largest worker. Target: at least 20 profiles per second per core.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from analyzer.analysis import STABILITY_SAMPLES
from analyzer.batch import run_batch, write_summary
from analyzer.profile import EXAMPLE_PROFILE

TARGET_PER_CORE = 20.0


def generate_profiles(folder: Path, count: int) -> None:
    """Write ``count`` variations of the bundled example into ``folder``."""
    example = EXAMPLE_PROFILE.read_text(encoding="utf-8")
    for n in range(count):
        text = (
            example.replace("name: Acme Corp", f"name: Client {n:04d}", 1)
            .replace("    seats: 60", f"    seats: {40 + n % 21}", 1)
            .replace("discount_rate: 0.08", f"discount_rate: {0.04 + (n % 5) / 100:.2f}", 1)
        )
        (folder / f"client-{n:04d}.yaml").write_text(text, encoding="utf-8")


def peak_mb(who: int) -> float:
    """Peak resident memory in MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=STABILITY_SAMPLES)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        profiles = Path(folder) / "profiles"
        profiles.mkdir()
        generate_profiles(profiles, args.profiles)
        for workers in args.workers:
            output = Path(folder) / f"out-{workers}"
            start, cpu_start = time.perf_counter(), cpu_seconds()
            summary = run_batch(profiles, output, jobs=workers, samples=args.samples)
            write_summary(summary, output)
            seconds = time.perf_counter() - start
            cpu_per_profile = (cpu_seconds() - cpu_start) / len(summary)
            failed = int((summary["status"] == "error").sum())
            rate = len(summary) / seconds
            verdict = "OK" if rate / workers >= TARGET_PER_CORE else "SLOW"
            print(
                f"{workers} worker(s): {len(summary)} profiles in {seconds:.1f} s, "
                f"{rate:.1f} profiles/s, {rate / workers:.1f} per worker "
                f"(target >= {TARGET_PER_CORE:.0f}: {verdict}); {failed} failed; "
                f"{cpu_per_profile * 1000:.0f} ms CPU per profile "
                f"({1 / cpu_per_profile:.1f} profiles per CPU second)"
            )
    print(
        f"peak memory: parent {peak_mb(resource.RUSAGE_SELF):.0f} MB, largest worker "
        f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )


if __name__ == "__main__":
    main()
