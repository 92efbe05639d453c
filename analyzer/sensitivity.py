"""How stable is the ranking? Monte Carlo rank stability, tornado and weight-flip thresholds.

Everything here is seeded and vectorized with numpy (DESIGN section 6): samples are scored as
``[samples, scenarios, criteria]`` arrays by the cores of :mod:`analyzer.mcda`, never one at a
time in a Python loop, and ranked with the same deterministic tie rule as
:func:`analyzer.mcda.rank`.

Examples
--------
>>> matrix = pd.DataFrame(
...     {"cost": [100.0, 90.0, 70.0], "fit": [0.9, 0.7, 0.5], "effort": [0.0, 0.1, 0.8]},
...     index=["stay", "downgrade", "switch"],
... )
>>> directions = {"cost": "min", "fit": "max", "effort": "min"}
>>> result = monte_carlo(matrix, directions, {"cost": 0.5, "fit": 0.3, "effort": 0.2},
...                      samples=1_000, seed=1)
>>> round(float(result.p_first.sum()), 6)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analyzer import mcda

#: Samples per vectorized block: bounds memory ([chunk, scenarios, criteria] floats) and sets
#: how often ``progress`` is called.
CHUNK_SIZE = 2_000

#: Weight grid for :func:`weight_flip_thresholds`, refined by bisection afterwards.
FLIP_GRID_POINTS = 1_001
#: Precision of a reported flip weight; it is reported this far past the exact boundary.
FLIP_MARGIN = 1e-9

COST_COLUMN = "cost"
EFFORT_COLUMN = "effort"


@dataclass(frozen=True)
class CostUncertainty:
    """Multipliers describing how wrong the cost estimates may be.

    Attributes
    ----------
    uplift_range
        ``(low, high)`` of a uniform multiplier on the recurring (license) part of cost:
        renewal uplifts and negotiated discounts land anywhere in between.
    migration_overrun
        ``(min, mode, max)`` of a triangular multiplier on the one-time switching part of cost
        and on switching effort. Asymmetric on purpose: migrations rarely come in under budget
        and commonly overrun by 40-60%.
    """

    uplift_range: tuple[float, float] = (0.9, 1.2)
    migration_overrun: tuple[float, float, float] = (1.0, 1.2, 1.6)

    def __post_init__(self) -> None:
        low, high = self.uplift_range
        if not 0 <= low <= high:
            raise ValueError(f"uplift_range must satisfy 0 <= low <= high, got {self.uplift_range}")
        least, mode, most = self.migration_overrun
        if not 0 <= least <= mode <= most:
            raise ValueError(
                "migration_overrun must satisfy 0 <= min <= mode <= max, "
                f"got {self.migration_overrun}"
            )


@dataclass(frozen=True)
class MonteCarloResult:
    """Rank stability over sampled weights and costs.

    Attributes
    ----------
    p_first
        Probability that each scenario ranks first; sums to 1.
    rank_distribution
        Scenarios x ranks ``1..n``: probability of each rank; rows and columns sum to 1.
    expected_rank
        Mean rank per scenario.
    samples, seed
        What was run, for reproducing it.
    """

    p_first: pd.Series
    rank_distribution: pd.DataFrame
    expected_rank: pd.Series
    samples: int
    seed: int


@dataclass(frozen=True)
class _Problem:
    """A validated decision matrix in the arrays the cores need, scenarios in id order."""

    index: pd.Index
    columns: pd.Index
    values: np.ndarray
    is_min: np.ndarray
    weights: np.ndarray
    tie_column: int | None
    method: mcda.Method
    cost_parts: np.ndarray | None = field(default=None)

    @classmethod
    def build(
        cls,
        matrix: pd.DataFrame,
        directions: Mapping[str, str],
        weights: Mapping[str, float] | pd.Series,
        method: str,
        cost_parts: pd.DataFrame | None = None,
    ) -> _Problem:
        if method not in ("weighted_sum", "topsis"):
            raise ValueError(f"method must be 'weighted_sum' or 'topsis', got {method!r}")
        is_min = mcda.validate_matrix(matrix, directions)
        # Alphabetical scenario order makes "position" the last tie-breaker of mcda.rank.
        ordered = matrix.iloc[mcda._alphabetical(matrix.index)]
        parts = None if cost_parts is None else _cost_parts_array(ordered, cost_parts)
        return cls(
            index=ordered.index,
            columns=ordered.columns,
            values=ordered.to_numpy(dtype=float),
            is_min=is_min,
            weights=mcda.weights_vector(weights, matrix.columns),
            tie_column=mcda._tie_column(is_min),
            method=method,  # type: ignore[arg-type]
            cost_parts=parts,
        )

    def scores(self, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Scores ``[samples, scenarios]`` for raw values (2-D or per-sample 3-D)."""
        if self.method == "weighted_sum":
            return mcda._wsm_scores(mcda._minmax_core(values, self.is_min), weights)
        return mcda._topsis_scores(mcda._vector_core(values), weights, self.is_min)

    def ranks(self, values: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Ranks ``[samples, scenarios]`` with mcda's tie rule."""
        if self.tie_column is None:
            tie = np.zeros(scores.shape[-1])
        else:
            tie = values[..., self.tie_column]
        return mcda._rank_rows(scores, tie)

    def winners(self, weights: np.ndarray) -> np.ndarray:
        """Index of the first-ranked scenario for each weight vector ``[samples, criteria]``."""
        ranks = self.ranks(self.values, self.scores(self.values, weights))
        return np.argmin(ranks, axis=-1)


def _cost_parts_array(matrix: pd.DataFrame, cost_parts: pd.DataFrame) -> np.ndarray:
    """``[n_scenarios, 2]`` array of (recurring, one_time), checked against the cost column."""
    if COST_COLUMN not in matrix.columns:
        raise ValueError(f"cost_parts given but the matrix has no {COST_COLUMN!r} column")
    missing_columns = [c for c in ("recurring", "one_time") if c not in cost_parts.columns]
    if missing_columns:
        raise ValueError(f"cost_parts: missing column {', '.join(map(repr, missing_columns))}")
    missing = [s for s in matrix.index if s not in cost_parts.index]
    if missing:
        raise ValueError(f"cost_parts: no row for scenario {', '.join(map(repr, missing))}")
    parts = cost_parts.loc[matrix.index, ["recurring", "one_time"]].to_numpy(dtype=float)
    if not np.isfinite(parts).all():
        raise ValueError("cost_parts: every recurring and one_time value must be a number")
    # The parts must add up to the cost being ranked, or the base case and the samples would
    # describe two different decisions.
    cost = matrix[COST_COLUMN].to_numpy(dtype=float)
    off = ~np.isclose(parts.sum(axis=1), cost, rtol=1e-3, atol=1e-6)
    if off.any():
        scenario = matrix.index[int(np.flatnonzero(off)[0])]
        raise ValueError(
            f"cost_parts: for scenario {scenario!r} recurring + one_time does not equal its "
            f"{COST_COLUMN!r} in the matrix"
        )
    return parts


def _draw(
    rng: np.random.Generator,
    base_weights: np.ndarray,
    samples: int,
    concentration: float,
    uncertainty: CostUncertainty,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample weights ``[samples, criteria]`` and cost multipliers ``[samples]`` (twice).

    Weights follow Dirichlet(concentration x base weights): centred on the chosen weights, more
    concentrated as ``concentration`` grows. A criterion with weight 0 stays at 0 (the Dirichlet
    is undefined for a zero parameter, so only the positive ones are sampled).
    """
    positive = base_weights > 0
    weights = np.zeros((samples, base_weights.size))
    weights[:, positive] = rng.dirichlet(concentration * base_weights[positive], size=samples)
    uplift = rng.uniform(*uncertainty.uplift_range, size=samples)
    least, mode, most = uncertainty.migration_overrun
    # numpy's triangular rejects a degenerate (zero-width) distribution.
    if least == most:
        overrun = np.full(samples, mode)
    else:
        overrun = rng.triangular(least, mode, most, samples)
    return weights, uplift, overrun


def _sampled_values(
    problem: _Problem, cost_parts: np.ndarray, uplift: np.ndarray, overrun: np.ndarray
) -> np.ndarray:
    """Decision matrices ``[samples, scenarios, criteria]`` under the sampled cost multipliers."""
    values = np.broadcast_to(problem.values, (uplift.size, *problem.values.shape)).copy()
    cost = problem.columns.get_loc(COST_COLUMN)
    recurring, one_time = cost_parts[:, 0], cost_parts[:, 1]
    values[:, :, cost] = recurring * uplift[:, None] + one_time * overrun[:, None]
    if EFFORT_COLUMN in problem.columns:
        effort = problem.columns.get_loc(EFFORT_COLUMN)
        values[:, :, effort] *= overrun[:, None]
    return values


def monte_carlo(
    matrix: pd.DataFrame,
    directions: Mapping[str, str],
    weights: Mapping[str, float] | pd.Series,
    *,
    cost_parts: pd.DataFrame | None = None,
    uncertainty: CostUncertainty = CostUncertainty(),
    samples: int = 10_000,
    concentration: float = 50.0,
    seed: int = 0,
    method: mcda.Method = "weighted_sum",
    progress: Callable[[float], None] | None = None,
) -> MonteCarloResult:
    """Probability of each scenario ranking first, and its rank distribution.

    Each sample draws a weight vector from Dirichlet(``concentration`` x weights) and, when
    ``cost_parts`` is given, one license-uplift multiplier (uniform) and one migration-overrun
    multiplier (triangular) shared by all scenarios. Sampled cost is
    ``recurring x uplift + one_time x overrun`` and an ``effort`` column is scaled by the
    overrun. Each sample is normalized across scenarios, scored and ranked like
    :func:`analyzer.mcda.score` and :func:`analyzer.mcda.rank` would.

    Parameters
    ----------
    matrix, directions, weights
        As for :func:`analyzer.mcda.score`.
    cost_parts
        Indexed by scenario with columns ``recurring`` and ``one_time`` that add up to the
        matrix's ``cost`` column (checked to 0.1%). None: only the weights vary.
    uncertainty
        Ranges of the cost multipliers.
    samples
        Number of draws (at least 1).
    concentration
        Dirichlet concentration (> 0): 50 keeps most sampled weights within about +-0.07 of a
        0.5 weight; lower values explore more.
    seed
        Seed of the random generator; the same seed gives the same result.
    method
        ``"weighted_sum"`` or ``"topsis"``.
    progress
        Called with the fraction done (0 < f <= 1) after each block of ``CHUNK_SIZE`` samples.

    Returns
    -------
    MonteCarloResult
        Scenarios in the matrix's order.
    """
    if int(samples) != samples or samples < 1:
        raise ValueError(f"samples must be a positive whole number, got {samples}")
    if not concentration > 0:
        raise ValueError(f"concentration must be positive, got {concentration}")
    problem = _Problem.build(matrix, directions, weights, method, cost_parts)
    rng = np.random.default_rng(seed)
    # All draws happen up front (they are small) so results do not depend on CHUNK_SIZE.
    sampled_weights, uplift, overrun = _draw(
        rng, problem.weights, int(samples), concentration, uncertainty
    )
    n = len(problem.index)
    counts = np.zeros(n * n, dtype=np.int64)
    for start in range(0, int(samples), CHUNK_SIZE):
        block = slice(start, min(start + CHUNK_SIZE, int(samples)))
        if problem.cost_parts is None:
            values = problem.values
        else:
            values = _sampled_values(problem, problem.cost_parts, uplift[block], overrun[block])
        block_weights = sampled_weights[block]
        ranks = problem.ranks(values, problem.scores(values, block_weights))
        # Flattened (scenario, rank) cell ids, counted in one bincount per block.
        cells = np.arange(n) * n + (ranks - 1)
        counts += np.bincount(cells.ravel(), minlength=n * n)
        if progress is not None:
            progress(block.stop / samples)

    rank_labels = pd.RangeIndex(1, n + 1, name="rank")
    distribution = pd.DataFrame(
        counts.reshape(n, n) / samples, index=problem.index, columns=rank_labels
    ).reindex(matrix.index)
    distribution.index.name = matrix.index.name
    expected = (distribution * rank_labels.to_numpy()).sum(axis=1).rename("expected_rank")
    return MonteCarloResult(
        p_first=distribution[1].rename("p_first"),
        rank_distribution=distribution,
        expected_rank=expected,
        samples=int(samples),
        seed=seed,
    )


def _reweighted(base: np.ndarray, criterion: int, new_weights: np.ndarray) -> np.ndarray:
    """Weight vectors ``[k, criteria]`` giving ``criterion`` each of ``new_weights``.

    The other criteria are rescaled proportionally so every vector sums to 1. If ``criterion``
    held all the weight there are no proportions to keep, so the rest is shared equally.
    """
    others = base.copy()
    others[criterion] = 0.0
    rest = others.sum()
    if rest > 0:
        others = others / rest
    elif base.size > 1:
        others = np.full(base.size, 1.0 / (base.size - 1))
        others[criterion] = 0.0
    vectors = (1.0 - new_weights)[:, None] * others[None, :]
    vectors[:, criterion] = new_weights
    return vectors


def tornado(
    matrix: pd.DataFrame,
    directions: Mapping[str, str],
    weights: Mapping[str, float] | pd.Series,
    *,
    swing: float = 0.5,
    method: mcda.Method = "weighted_sum",
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the winner's lead to each criterion's weight.

    For each criterion its weight is multiplied by ``1 - swing`` and ``1 + swing`` (capped at
    1), the other weights rescaled proportionally to keep the sum 1. The value reported is the
    base winner's **lead**: its score minus the best score of any other scenario. A negative
    value means the base winner would lose first place.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion, low_weight, high_weight, low_value, high_value, base_value, span``
        (``span = |high_value - low_value|``), sorted by span, largest first (ties keep column
        order).

    Raises
    ------
    ValueError
        With fewer than two scenarios (there is no lead to measure) or a swing outside [0, 1].
    """
    if not 0 <= swing <= 1:
        raise ValueError(f"swing must be between 0 and 1, got {swing}")
    problem = _Problem.build(matrix, directions, weights, method)
    if len(problem.index) < 2:
        raise ValueError("tornado: needs at least two scenarios to measure the winner's lead")
    base_winner = int(problem.winners(problem.weights[None, :])[0])

    def lead(weight_vectors: np.ndarray) -> np.ndarray:
        scores = problem.scores(problem.values, weight_vectors)
        others = np.delete(scores, base_winner, axis=1)
        return scores[:, base_winner] - others.max(axis=1)

    base_value = float(lead(problem.weights[None, :])[0])
    rows = []
    for position, criterion in enumerate(problem.columns):
        w = problem.weights[position]
        changed = np.array([w * (1 - swing), min(1.0, w * (1 + swing))])
        low_value, high_value = lead(_reweighted(problem.weights, position, changed))
        rows.append(
            {
                "criterion": criterion,
                "low_weight": changed[0],
                "high_weight": changed[1],
                "low_value": float(low_value),
                "high_value": float(high_value),
                "base_value": base_value,
                "span": abs(float(high_value - low_value)),
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values("span", ascending=False, kind="stable").reset_index(drop=True)


def weight_flip_thresholds(
    matrix: pd.DataFrame,
    directions: Mapping[str, str],
    weights: Mapping[str, float] | pd.Series,
    method: mcda.Method = "weighted_sum",
) -> pd.DataFrame:
    """For each criterion, the smallest change of its weight that changes the winner.

    The criterion's weight moves up or down (the others rescaled proportionally to keep the
    sum 1) over a grid of ``FLIP_GRID_POINTS`` weights in [0, 1], evaluated at once; the first
    change on each side is then refined by bisection and reported ``FLIP_MARGIN`` (1e-9) past
    the boundary, so that re-scoring at ``flip_weight`` reproduces ``new_winner``. The nearer
    of the two sides is reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion, base_weight, flip_weight, change, new_winner``; ``change`` is
        ``flip_weight - base_weight`` (negative: the weight must fall). ``flip_weight`` and
        ``change`` are NaN and ``new_winner`` None when no weight in [0, 1] changes the winner.
        Sorted by ``|change|``, most fragile first, criteria that never flip last.
    """
    problem = _Problem.build(matrix, directions, weights, method)
    base_winner = int(problem.winners(problem.weights[None, :])[0])
    grid = np.linspace(0.0, 1.0, FLIP_GRID_POINTS)
    rows = []
    for position, criterion in enumerate(problem.columns):
        w = float(problem.weights[position])

        def winner_at(new_weights: np.ndarray, position: int = position) -> np.ndarray:
            return problem.winners(_reweighted(problem.weights, position, new_weights))

        grid_winners = winner_at(grid)
        best: tuple[float, int] | None = None
        for upward in (True, False):
            side = grid > w if upward else grid < w
            candidates = np.flatnonzero(side & (grid_winners != base_winner))
            if candidates.size == 0:
                continue
            # Nearest flipped grid point on this side; every grid point between it and w keeps
            # the base winner, so the flip boundary lies between it and its inner neighbour.
            far = int(candidates[0] if upward else candidates[-1])
            near = far - 1 if upward else far + 1
            inner = float(grid[near]) if side[near] else w
            flip = _bisect_flip(winner_at, base_winner, inner, float(grid[far]))
            if best is None or abs(flip[0] - w) < abs(best[0] - w):
                best = flip
        if best is None:
            rows.append((criterion, w, np.nan, np.nan, None))
        else:
            flip_weight, winner = best
            rows.append((criterion, w, flip_weight, flip_weight - w, problem.index[winner]))
    table = pd.DataFrame(
        rows, columns=["criterion", "base_weight", "flip_weight", "change", "new_winner"]
    )
    table["new_winner"] = table["new_winner"].astype(object)
    order = table["change"].abs().sort_values(kind="stable", na_position="last").index
    return table.loc[order].reset_index(drop=True)


def _bisect_flip(
    winner_at: Callable[[np.ndarray], np.ndarray], base_winner: int, inner: float, outer: float
) -> tuple[float, int]:
    """Narrow ``[inner, outer]`` (base winner at inner, another at outer) to the flip point.

    Returns a weight just past the flip point, where the winner has changed, and that winner's
    index. "Just past" is ``FLIP_MARGIN`` beyond the bracket: exactly at the boundary two scores
    tie to the last bit, and a caller re-scoring there by another arithmetic path (pandas instead
    of the numpy core) could see either winner.
    """
    while abs(outer - inner) > FLIP_MARGIN / 10:
        middle = 0.5 * (inner + outer)
        if winner_at(np.array([middle]))[0] == base_winner:
            inner = middle
        else:
            outer = middle
    beyond = min(1.0, max(0.0, outer + math.copysign(FLIP_MARGIN, outer - inner)))
    winner = int(winner_at(np.array([beyond]))[0])
    if winner != base_winner:
        return beyond, winner
    return outer, int(winner_at(np.array([outer]))[0])
