"""Benchmark: loading the catalog cold and warm, and the full analysis of the bundled example.

Run with ``python benchmarks/bench_catalog.py``. Prints medians of quiet repeats:

- the strict YAML parse of every catalog file with libyaml composing the node tree and with the
  Python composer (the fallback);
- ``load_catalog()`` cold (cache cleared, disk store off: read, hash, parse, validate), from
  the disk store (cache cleared: read, hash, unpickle the catalog an earlier load stored) and
  warm (read and hash every file, then the cached catalog);
- the content key alone: stat of every file versus reading and hashing its bytes (the cache
  uses the bytes, which also sees an edit that keeps a file's size and time);
- the full analysis of the bundled example, warm (load catalog and profile, analyze, with the
  stability summary), against issue 16's target of 50 ms, which other work shares.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import analyzer
from analyzer import catalog_store, yamlio
from analyzer.catalog import BUNDLED_CATALOG, clear_catalog_cache, load_catalog
from analyzer.resources import example_profile

REPEATS = 15
TARGET_ANALYSIS_MS = 50.0
"""Issue 16: the full analysis of the bundled example, warm, in one process."""


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of ``action`` in milliseconds (after one untimed warm-up call)."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def catalog_files() -> list[Path]:
    return [BUNDLED_CATALOG / "features.yaml", *sorted(BUNDLED_CATALOG.glob("products/*.yaml"))]


def parse_all(files: list[bytes]) -> None:
    for data in files:
        yamlio.parse_yaml(data)


def parse_with_python_composer(files: list[bytes]) -> None:
    saved = yamlio.C_COMPOSER
    yamlio.C_COMPOSER = False
    try:
        parse_all(files)
    finally:
        yamlio.C_COMPOSER = saved


def cold_load() -> None:
    with store_turned("off"):
        clear_catalog_cache()
        load_catalog()


def stored_load(folder: str) -> None:
    with store_turned(folder):
        clear_catalog_cache()
        load_catalog()


@contextlib.contextmanager
def store_turned(value: str) -> Iterator[None]:
    """The disk store (``CRM_ANALYZER_CACHE_DIR``) set to ``value`` for the block."""
    saved = os.environ.get(catalog_store.CACHE_DIR_ENV)
    os.environ[catalog_store.CACHE_DIR_ENV] = value
    try:
        yield
    finally:
        if saved is None:
            del os.environ[catalog_store.CACHE_DIR_ENV]
        else:
            os.environ[catalog_store.CACHE_DIR_ENV] = saved


def stat_key() -> list[tuple[str, int, int]]:
    return [(str(p), (s := p.stat()).st_size, s.st_mtime_ns) for p in catalog_files()]


def bytes_key() -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    for path in catalog_files():
        digest.update(yamlio.read_limited(path))
    return digest.digest()


def full_analysis() -> None:
    catalog = analyzer.load_catalog()
    profile = analyzer.load_profile(example_profile(), catalog=catalog)
    analyzer.analyze(profile, catalog)


def main() -> None:
    files = [path.read_bytes() for path in catalog_files()]
    size = sum(map(len, files))
    print(f"catalog: {len(files)} files, {size:,} bytes")
    if yamlio.C_COMPOSER:
        print(f"  parse, libyaml composer   {median_ms(lambda: parse_all(files), 5):8.1f} ms")
    else:
        print("  parse, libyaml composer   (PyYAML has no libyaml here)")
    python_ms = median_ms(lambda: parse_with_python_composer(files), 5)
    print(f"  parse, Python composer    {python_ms:8.1f} ms")
    print(f"  load_catalog cold         {median_ms(cold_load, 5):8.1f} ms")
    with tempfile.TemporaryDirectory() as store:
        print(f"  load_catalog, disk store  {median_ms(lambda: stored_load(store), 5):8.1f} ms")
    print(f"  load_catalog warm         {median_ms(load_catalog):8.2f} ms")
    print(f"  key: stat of every file   {median_ms(stat_key):8.2f} ms")
    print(f"  key: read and hash bytes  {median_ms(bytes_key):8.2f} ms")
    analysis_ms = median_ms(full_analysis, 7)
    verdict = "within" if analysis_ms <= TARGET_ANALYSIS_MS else "over"
    print(
        f"full analysis, warm       {analysis_ms:8.1f} ms "
        f"({verdict} the {TARGET_ANALYSIS_MS:.0f} ms target shared with other work)"
    )


if __name__ == "__main__":
    main()
