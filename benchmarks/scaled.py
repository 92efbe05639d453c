"""Larger inputs for the benchmarks: the bundled catalog copied N times, many one-seat roles,
and the median CPU time every script prints.

Imported by the ``bench_*.py`` scripts (run from the repository root or from ``benchmarks/``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from analyzer.catalog import Catalog
from analyzer.profile import Profile, Role


def copied_catalog(catalog: Catalog, copies: int) -> Catalog:
    """``catalog`` with every product there ``copies`` times.

    Copy ``k`` (2, 3, ...) of product ``x`` is ``x-copy-k``, named "... (copy k)": a new switch
    target with the same tiers, prices and features, so every switch scenario and report table
    grows ``copies``-fold. Built in memory: the loader refuses more than
    ``MAX_PRODUCT_FILES`` (200) product files, and the bundled catalog has 22.
    """
    products = list(catalog.products)
    for copy in range(2, copies + 1):
        products += [
            product.model_copy(
                update={"id": f"{product.id}-copy-{copy}", "name": f"{product.name} (copy {copy})"}
            )
            for product in catalog.products
        ]
    return catalog.model_copy(update={"products": products})


def many_roles(profile: Profile, count: int) -> Profile:
    """``profile`` with ``count`` one-seat copies of its first role (ids r0, r1, ...)."""
    template = profile.roles[0]
    roles = [
        Role(
            id=f"r{index}",
            name=f"Role {index}",
            seats=1,
            current_license=template.current_license,
            needs=dict(template.needs),
        )
        for index in range(count)
    ]
    # model_copy skips validation: counts above the profile bound (500) are allowed on purpose,
    # to see how the time grows.
    return profile.model_copy(update={"roles": roles})


def median_seconds(function: Callable[[], object], runs: int) -> float:
    """Median CPU time of ``runs`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)
