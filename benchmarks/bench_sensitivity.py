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
from analyzer.scoring import ScoreAnchors, ranking_model, score_scenarios
from analyzer.sensitivity import CostUncertainty, RankingModel, monte_carlo

PROFILE = analyzer.load_profile()
WEIGHTS = dict(PROFILE.criteria_weights)
"""The bundled example's own criteria weights."""


def example_scenarios() -> tuple[pd.DataFrame, ScoreAnchors, CostUncertainty]:
    """The bundled example's scenario table, its score anchors and its cost uncertainty."""
    catalog = analyzer.load_catalog()
    result = analyzer.analyze(analyzer.load_profile(catalog=catalog), catalog)
    return result.costs, result.score_anchors, result.uncertainty


def loop_p_first(
    scenarios: pd.DataFrame,
    anchors: ScoreAnchors,
    model: RankingModel,
    uncertainty: CostUncertainty,
    samples: int,
    seed: int,
) -> pd.Series:
    """The same Monte Carlo as :func:`monte_carlo`, scoring one sample per Python iteration."""
    streams = sensitivity._Streams.seeded(seed)
    weights, uplift, ratio = sensitivity._draw(streams, model.weights, samples, 50.0, uncertainty)
    ranked = scenarios[scenarios["status"] == "ok"]
    firsts = pd.Series(0, index=ranked.index)
    criteria = [c.id for c in scoring.CRITERIA]
    for k in range(samples):
        sample = ranked.copy()
        one_time_npv = ranked["npv"] - ranked["recurring_npv"]
        sample["npv"] = ranked["recurring_npv"] * uplift[k] + one_time_npv * ratio[k]
        sample["one_time_total"] = ranked["one_time_total"] * ratio[k]
        result = score_scenarios(sample, dict(zip(criteria, weights[k], strict=True)), anchors)
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

    scenarios, anchors, uncertainty = example_scenarios()
    model = ranking_model(scenarios, WEIGHTS, anchors)
    seed = 0

    def vectorized() -> sensitivity.MonteCarloResult:
        return monte_carlo(model, uncertainty=uncertainty, samples=args.samples, seed=seed)

    vectorized_time = best_of(args.repeats, vectorized)

    start = time.perf_counter()
    looped = loop_p_first(scenarios, anchors, model, uncertainty, loop_samples, seed)
    loop_time = (time.perf_counter() - start) * args.samples / loop_samples

    # Same draws, same rule: the loop must reproduce the vectorized answer on its samples.
    check = monte_carlo(model, uncertainty=uncertainty, samples=loop_samples, seed=seed)
    if not np.allclose(check.p_first.to_numpy(), looped.loc[check.p_first.index].to_numpy()):
        raise SystemExit("vectorized and looped Monte Carlo disagree")

    scaled = "" if loop_samples == args.samples else f" (scaled from {loop_samples:,})"
    n_scenarios, n_criteria = len(model.index), len(model.criteria)
    print(f"ranked: {n_scenarios} scenarios x {n_criteria} criteria, {args.samples:,} samples")
    print(f"vectorized monte_carlo (best of {args.repeats}): {vectorized_time * 1e3:8.1f} ms")
    print(f"per-sample Python loop{scaled}: {loop_time * 1e3:8.1f} ms")
    print(f"speed-up: {loop_time / vectorized_time:,.0f}x")
    top = vectorized().p_first.sort_values(ascending=False).head(3)
    print("most likely winners:", ", ".join(f"{s} {p:.1%}" for s, p in top.items()))


if __name__ == "__main__":
    main()
