"""Benchmark: rank stability (Monte Carlo) against a pymcdm loop and a bare numpy kernel.

Run with ``python benchmarks/bench_stability.py`` (``make bench`` installs pymcdm, the
``bench`` extra). Targets (issue 16), on the bundled example: 10,000 samples in under 15 ms, at
least 100x faster than calling pymcdm once per sample, within 10x of a bare numpy kernel of the
same size; 1,000,000 samples under 200 MB of memory. Prints medians and the ratios.

Times are CPU seconds of this process (``time.process_time``): the work is single-threaded, and
on a shared machine the wall clock also counts the time other processes held the cores.

The three paths draw the same samples and must agree on every sample's winner before any
time is printed.
"""

from __future__ import annotations

import argparse
import tracemalloc
from collections.abc import Callable

import numpy as np
from pymcdm.methods import WSM
from scaled import median_seconds

import analyzer
from analyzer import sensitivity
from analyzer.scoring import ranking_model
from analyzer.sensitivity import RankingModel, monte_carlo

TARGET_MS = 15.0
MIN_SPEEDUP_OVER_PYMCDM = 100.0
MAX_RATIO_TO_NUMPY = 10.0
MEMORY_SAMPLES = 1_000_000
MEMORY_TARGET_MB = 200.0


def draws(model: RankingModel, samples: int, uncertainty, seed: int = 0):
    """The Monte Carlo's own draws: weights, uplift and overrun ratio per sample."""
    streams = sensitivity._Streams.seeded(seed)
    return sensitivity._draw(streams, model.weights, samples, 50.0, uncertainty)


def sampled_values(model: RankingModel, uplift: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """Criterion values ``[samples, scenarios, criteria]`` under the sampled costs."""
    return model.values_of(model.sampled_columns(uplift, ratio))


def pymcdm_winners(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The usual library loop: one pymcdm WSM call per sample, as pymcdm is normally called
    (its input validation on). The values are already 0..1, so its normalization is the
    identity."""
    wsm = WSM(lambda x, cost: x)
    benefit = np.ones(values.shape[-1])
    return np.array([np.argmax(wsm(values[k], weights[k], benefit)) for k in range(len(values))])


def pymcdm_run(model: RankingModel, samples: int, uncertainty) -> np.ndarray:
    """The whole run with the library loop: the same draws and values, pymcdm per sample."""
    weights, uplift, ratio = draws(model, samples, uncertainty)
    return pymcdm_winners(sampled_values(model, uplift, ratio), weights)


def numpy_kernel(model: RankingModel, samples: int, uncertainty) -> np.ndarray:
    """The same work as bare numpy, no model and no blocks: draw, value, score, rank, count.

    Ties are ignored (a plain argsort), which the real run cannot do; it is the floor.
    """
    weights, uplift, ratio = draws(model, samples, uncertainty)
    scores = np.einsum("sjc,sc->sj", sampled_values(model, uplift, ratio), weights)
    order = np.argsort(-scores, axis=-1)
    n = scores.shape[1]
    return np.bincount((order * n + np.arange(n)).ravel(), minlength=n * n)


def peak_megabytes(function: Callable[[], object]) -> float:
    """Peak traced memory of one call, in MB."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    catalog = analyzer.load_catalog()
    profile = analyzer.load_profile(catalog=catalog)
    result = analyzer.analyze(profile, catalog, samples=0)
    model = ranking_model(result.scenarios, dict(profile.criteria_weights), result.score_anchors)
    uncertainty = result.uncertainty
    samples = args.samples

    # Same draws, same winners (the loop and the kernel have no tie rule: check they agree).
    weights, uplift, ratio = draws(model, samples, uncertainty)
    values = sampled_values(model, uplift, ratio)
    ours = model.sampled_ranking(weights, uplift, ratio)[:, 0]
    if not np.array_equal(ours, pymcdm_winners(values, weights)):
        raise SystemExit("the Monte Carlo and the pymcdm loop disagree on a winner")

    def run() -> object:
        return monte_carlo(model, uncertainty=uncertainty, samples=samples)

    ours_s = median_seconds(run, args.runs)
    loop_s = median_seconds(lambda: pymcdm_run(model, samples, uncertainty), 3)
    kernel_s = median_seconds(lambda: numpy_kernel(model, samples, uncertainty), args.runs)
    whole_s = median_seconds(
        lambda: analyzer.scoring.sensitivity(
            result.scenarios,
            dict(profile.criteria_weights),
            result.score_anchors,
            samples=samples,
            uncertainty=uncertainty,
        ),
        args.runs,
    )
    memory_mb = peak_megabytes(
        lambda: monte_carlo(model, uncertainty=uncertainty, samples=MEMORY_SAMPLES)
    )

    speedup, ratio_to_numpy = loop_s / ours_s, ours_s / kernel_s
    print(f"ranked: {len(model.index)} scenarios x {len(model.criteria)} criteria")
    verdict = "OK" if ours_s * 1e3 < TARGET_MS else "MISSED"
    print(
        f"monte_carlo, {samples:,} samples: median {ours_s * 1e3:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms: {verdict})"
    )
    print(f"  with model, tornado and weight flips: median {whole_s * 1e3:.1f} ms")
    verdict = "OK" if speedup >= MIN_SPEEDUP_OVER_PYMCDM else "MISSED"
    print(
        f"pymcdm WSM once per sample: median {loop_s * 1e3:.0f} ms; ours is {speedup:,.0f}x "
        f"faster (target >= {MIN_SPEEDUP_OVER_PYMCDM:.0f}x: {verdict})"
    )
    verdict = "OK" if ratio_to_numpy <= MAX_RATIO_TO_NUMPY else "MISSED"
    print(
        f"bare numpy kernel: median {kernel_s * 1e3:.1f} ms; ours takes {ratio_to_numpy:.1f}x "
        f"(target <= {MAX_RATIO_TO_NUMPY:.0f}x: {verdict})"
    )
    verdict = "OK" if memory_mb < MEMORY_TARGET_MB else "MISSED"
    print(
        f"{MEMORY_SAMPLES:,} samples: peak {memory_mb:.1f} MB traced "
        f"(target < {MEMORY_TARGET_MB:.0f} MB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
