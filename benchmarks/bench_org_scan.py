"""Benchmark: ``org scan`` throughput and peak memory on a generated weekly export.

Run with ``python benchmarks/bench_org_scan.py`` (``--gigabytes`` sets the CSV volume, 1 by
default). Targets (issue 15): on at least 1 GB of CSV in ZIP parts, the scan runs at least half
as fast as ``unzip -p PART | wc -c`` on the same parts (inflating alone, the floor of any
reader that never extracts to disk), with a peak memory under 500 MB. The export is written to
a temporary folder and removed afterwards; the scan runs in a child process so that its peak
memory is its own. The two alternate for ``--rounds`` rounds (3 by default) and the medians are
compared, so that both see the shared machine in the same states.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ORG_ID = "00D4J000000CuzUUAS"
TARGET_SPEED_RATIO = 0.5
TARGET_PEAK_MB = 500
WORDS = (
    "renewal call follow-up quote pricing contract demo onboarding support escalation meeting "
    "review forecast pipeline invoice discount budget decision champion legal security"
).split()
OBJECTS = {
    # object: (key prefix, share of the volume)
    "Task": ("00T", 0.45),
    "Event": ("00U", 0.15),
    "Account": ("001", 0.15),
    "Contact": ("003", 0.15),
    "Opportunity": ("006", 0.10),
}
ROWS_PER_WRITE = 20_000


def _row(prefix: str, n: int) -> str:
    words = " ".join(WORDS[(n * k) % len(WORDS)] for k in (3, 7, 11, 13, 17))
    owner = f"005{n % 997:012d}"
    return (
        f'"{prefix}{n:012d}","{owner}","{words} {n}","Notes: {words}, ""quoted"" {n * 31}",'
        f'"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00.000Z","{n % 2 == 0}"\r\n'
    )


def write_export(folder: Path, gigabytes: float, parts: int) -> tuple[list[Path], int]:
    """ZIP parts holding ``gigabytes`` of CSV in all; return the parts and the CSV bytes."""
    total = int(gigabytes * 1024**3)
    header = '"Id","OwnerId","Subject","Description","CreatedDate","IsClosed"\r\n'
    written = 0
    paths = []
    for part in range(1, parts + 1):
        path = folder / f"WE_{ORG_ID}_{part}.ZIP"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, (prefix, share) in OBJECTS.items():
                budget = int(total * share / parts)
                with archive.open(f"{name}.csv", "w", force_zip64=True) as member:
                    member.write(header.encode())
                    size, n = len(header), part * 10**9
                    while size < budget:
                        block = "".join(_row(prefix, n + i) for i in range(ROWS_PER_WRITE))
                        data = block.encode()
                        member.write(data)
                        size += len(data)
                        n += ROWS_PER_WRITE
                    written += size
        paths.append(path)
    return paths, written


def unzip_seconds(parts: list[Path]) -> float:
    """Seconds ``unzip -p PART | wc -c`` takes over all parts."""
    started = time.perf_counter()
    for part in parts:
        subprocess.run(f"unzip -p '{part}' | wc -c", shell=True, check=True, capture_output=True)
    return time.perf_counter() - started


SCAN = """
import json, resource, sys, time
from analyzer.orgscan import scan_org
started = time.perf_counter()
document = scan_org(sys.argv[1:])
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "records": document["records"]}))
"""


def scan_in_child(parts: list[Path]) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", SCAN, *map(str, parts)], check=True, capture_output=True, text=True
    )
    return json.loads(run.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=1.0, help="CSV volume (default 1)")
    parser.add_argument("--parts", type=int, default=2, help="ZIP parts (default 2)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating unzip and scan runs (default 3)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="write the export to FOLDER and keep it; reuse the parts already there",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-org-scan-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        parts = sorted(folder.glob(f"WE_{ORG_ID}_*.ZIP"))
        if parts:
            csv_bytes = sum(info.file_size for p in parts for info in zipfile.ZipFile(p).infolist())
        else:
            started = time.perf_counter()
            parts, csv_bytes = write_export(folder, args.gigabytes, args.parts)
            print(f"generated the export in {time.perf_counter() - started:.0f} s")
        zipped = sum(p.stat().st_size for p in parts)
        print(
            f"{csv_bytes / 1024**3:.2f} GiB of CSV in {len(parts)} parts "
            f"({zipped / 1024**2:,.0f} MiB zipped)"
        )
        baselines, scans = [], []
        for _ in range(args.rounds):
            baselines.append(unzip_seconds(parts))
            scans.append(scan_in_child(parts))
    baseline = statistics.median(baselines)
    seconds = statistics.median(scan["seconds"] for scan in scans)
    peak_mb = max(scan["peak_mb"] for scan in scans)
    unzip_rate = csv_bytes / baseline / 1024**2
    scan_rate = csv_bytes / seconds / 1024**2
    ratio = scan_rate / unzip_rate
    unzip_runs = " ".join(f"{run:.1f}" for run in baselines)
    scan_runs = " ".join(f"{scan['seconds']:.1f}" for scan in scans)
    print(
        f"unzip -p | wc -c : {baseline:6.1f} s, {unzip_rate:7.1f} MiB/s "
        f"(median of {args.rounds}: {unzip_runs} s)"
    )
    print(
        f"org scan         : {seconds:6.1f} s, {scan_rate:7.1f} MiB/s "
        f"({ratio:.2f} of unzip; median of {args.rounds}: {scan_runs} s)"
    )
    print(f"peak memory      : {peak_mb:,.0f} MB (the largest of the scans)")
    print(f"records          : {sum(scans[0]['records'].values()):,}")
    fast_enough = ratio >= TARGET_SPEED_RATIO
    small_enough = peak_mb < TARGET_PEAK_MB
    print(
        f"target: >= {TARGET_SPEED_RATIO} of unzip {'met' if fast_enough else 'MISSED'}; "
        f"< {TARGET_PEAK_MB} MB {'met' if small_enough else 'MISSED'}"
    )
    return 0 if fast_enough and small_enough else 1


if __name__ == "__main__":
    sys.exit(main())
