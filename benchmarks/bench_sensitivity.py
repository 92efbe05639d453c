"""Benchmark: vectorized Monte Carlo rank stability against a per-sample Python loop.

Run with ``python benchmarks/bench_sensitivity.py``. Targets (DESIGN section 6): 10,000 samples
in under 100 ms, at least 20x faster than scoring one sample at a time. Both paths use the same
random draws, and the script checks that they agree before reporting times.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import analyzer
from analyzer import scoring, sensitivity
from analyzer.mcda import weighted_sum
from analyzer.sensitivity import CostUncertainty, monte_carlo

DIRECTIONS = scoring.DIRECTIONS
WEIGHTS = dict(analyzer.load_profile().criteria_weights)
"""The bundled example's own criteria weights."""


def example_matrix() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled example's decision matrix (cost, fit, effort) and its cost parts.

    Returns
    -------
    (matrix, cost_parts)
        ``matrix`` indexed by scenario id; ``cost_parts`` with ``recurring`` and ``one_time``
        adding up to ``matrix["cost"]``.
    """
    catalog = analyzer.load_catalog()
    result = analyzer.analyze(analyzer.load_profile(catalog=catalog), catalog)
    return scoring.decision_matrix(result.costs), scoring.cost_parts(result.costs)


def loop_p_first(
    matrix: pd.DataFrame, cost_parts: pd.DataFrame, samples: int, seed: int
) -> pd.Series:
    """The same Monte Carlo as :func:`monte_carlo`, scoring one sample per Python iteration."""
    problem = sensitivity._Problem.build(matrix, DIRECTIONS, WEIGHTS, "weighted_sum")
    rng = np.random.default_rng(seed)
    weights, uplift, overrun = sensitivity._draw(
        rng, problem.weights, samples, 50.0, CostUncertainty()
    )
    firsts = pd.Series(0, index=matrix.index)
    for k in range(samples):
        sample = matrix.copy()
        sample["cost"] = cost_parts["recurring"] * uplift[k] + cost_parts["one_time"] * overrun[k]
        sample["effort"] = matrix["effort"] * overrun[k]
        result = weighted_sum(
            sample, dict(zip(matrix.columns, weights[k], strict=True)), DIRECTIONS
        )
        firsts[result.ranks.idxmin()] += 1
    return firsts / samples


def best_of(repeats: int, function) -> float:
    """Fastest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--loop-samples",
        type=int,
        default=None,
        help="samples for the slow loop (default: same as --samples); its time is scaled up",
    )
    args = parser.parse_args()
    loop_samples = args.loop_samples or args.samples

    matrix, cost_parts = example_matrix()
    seed = 0

    def vectorized() -> sensitivity.MonteCarloResult:
        return monte_carlo(
            matrix, DIRECTIONS, WEIGHTS, cost_parts=cost_parts, samples=args.samples, seed=seed
        )

    vectorized_time = best_of(args.repeats, vectorized)

    start = time.perf_counter()
    looped = loop_p_first(matrix, cost_parts, loop_samples, seed)
    loop_time = (time.perf_counter() - start) * args.samples / loop_samples

    # Same draws, same rule: the loop must reproduce the vectorized answer on its samples.
    check = monte_carlo(
        matrix, DIRECTIONS, WEIGHTS, cost_parts=cost_parts, samples=loop_samples, seed=seed
    )
    if not np.allclose(check.p_first.to_numpy(), looped.to_numpy()):
        raise SystemExit("vectorized and looped Monte Carlo disagree")

    scaled = "" if loop_samples == args.samples else f" (scaled from {loop_samples:,})"
    n_scenarios, n_criteria = matrix.shape
    print(f"matrix: {n_scenarios} scenarios x {n_criteria} criteria, {args.samples:,} samples")
    print(f"vectorized monte_carlo (best of {args.repeats}): {vectorized_time * 1e3:8.1f} ms")
    print(f"per-sample Python loop{scaled}: {loop_time * 1e3:8.1f} ms")
    print(f"speed-up: {loop_time / vectorized_time:,.0f}x")
    top = vectorized().p_first.sort_values(ascending=False).head(3)
    print("most likely winners:", ", ".join(f"{s} {p:.1%}" for s, p in top.items()))


if __name__ == "__main__":
    main()
