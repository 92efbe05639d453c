"""How stable is the ranking? Monte Carlo rank stability, tornado and weight-flip thresholds.

Everything here works on a :class:`RankingModel`: the ranked scenarios' raw columns (NPV, fit,
one-time cost, ...), the function that turns them into criterion values (the value functions of
:mod:`analyzer.scoring`, with their fixed anchors), the chosen weights and the aggregation. The
samples are scored as ``[samples, scenarios, criteria]`` arrays (the weighted sum from one array
per criterion, :func:`analyzer.mcda._wsm_lane_scores`), never one at a time in a Python loop,
and ranked with the tie rule of :func:`analyzer.scoring.score_scenarios` (higher score,
then lower NPV, then scenario id). Seeded; memory is bounded by drawing and scoring in blocks
(:func:`block_size`). The model is built once per call: the base values every tornado and flip
scores from are computed when it is built.

Examples
--------
>>> columns = pd.DataFrame(
...     {"npv": [100.0, 80.0], "recurring_npv": [100.0, 60.0], "fit": [0.9, 0.6]},
...     index=["stay", "switch"],
... )
>>> def values_of(c):
...     cost = np.clip(0.5 + 0.5 * (100.0 - c["npv"]) / 100.0, 0, 1)
...     return np.stack(np.broadcast_arrays(cost, c["fit"]), axis=-1)
>>> model = RankingModel.build(columns, values_of, ["cost", "fit"], {"cost": 1, "fit": 1})
>>> result = monte_carlo(model, samples=1_000, seed=1)
>>> round(float(result.p_first.sum()), 6)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
import pandas as pd

from analyzer import mcda
from analyzer.errors import ScoringError

#: Most samples per vectorized block; sets how often ``progress`` is called.
CHUNK_SIZE = 2_000
#: Most sample x scenario cells per block: with many scenarios a block holds fewer samples, so
#: memory stays bounded (a few ``[block, scenarios, criteria]`` float arrays of about 400 kB)
#: whatever the sample count and the catalog size, and a block stays in the processor's cache.
#: Larger blocks measured slower: at 40,000 cells the bundled example's 2,000 x 13 block took
#: some 320 page faults per run for its fresh temporaries; at 16,000 they are reused.
BLOCK_CELLS = 16_000

#: Weight grid for TOPSIS weight flips (not linear in a weight), refined by bisection.
FLIP_GRID_POINTS = 1_001
#: A reported flip weight lies this far past the exact boundary, so that re-scoring there by
#: another arithmetic path reproduces the new winner instead of a last-bit tie.
FLIP_MARGIN = 1e-9

#: The columns the cost uncertainty moves: the decision-view NPV, the part of it that renewal
#: prices move, and the one-time cost (the rest of the NPV is the one-time part).
NPV_COLUMN = "npv"
RECURRING_NPV_COLUMN = "recurring_npv"
ONE_TIME_COLUMN = "one_time_total"

Columns = Mapping[str, np.ndarray]
ValuesOf = Callable[[Columns], np.ndarray]


@dataclass(frozen=True)
class CostUncertainty:
    """Multipliers describing how wrong the cost estimates may be.

    Attributes
    ----------
    uplift_range
        ``(low, high)`` of a uniform multiplier on the recurring (license) part of the NPV:
        renewal uplifts and negotiated discounts land anywhere in between.
    migration_overrun
        ``(low, most likely, high)`` of a triangular multiplier on one-time switching cost, for
        example ``1 + overrun_pct / 100`` of the profile. The costed scenarios already carry the
        most likely overrun, so a sample scales the one-time part by ``drawn / most likely``:
        the samples spread over the whole range around the deterministic result. Asymmetric on
        purpose: migrations rarely come in under budget and commonly overrun by 40-60%.
    """

    uplift_range: tuple[float, float] = (0.9, 1.2)
    migration_overrun: tuple[float, float, float] = (1.0, 1.2, 1.6)

    def __post_init__(self) -> None:
        low, high = self.uplift_range
        if not 0 <= low <= high:
            raise ScoringError(
                f"uplift_range must satisfy 0 <= low <= high, got {self.uplift_range}"
            )
        least, mode, most = self.migration_overrun
        if not 0 <= least <= mode <= most or mode == 0:
            raise ScoringError(
                "migration_overrun must satisfy 0 <= low <= most likely <= high with a most "
                f"likely value above 0, got {self.migration_overrun}"
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
class RankingModel:
    """The ranked scenarios as arrays: their raw columns, how they are valued, weighed, ranked.

    Attributes
    ----------
    table_index
        Scenario ids in the order of the caller's table: results come back in this order.
    order
        Position of each row of the caller's table in :attr:`index` (to restore the caller's
        order).
    ids
        Scenario ids in alphabetical order (the labels of :attr:`index`): position is the last
        tie-breaker.
    criteria
        Criterion ids, in the order of the last axis of ``values_of``'s result.
    columns
        Raw column per name, ``[scenarios]`` in alphabetical order of the ids.
    values_of
        Maps columns (``[scenarios]`` or ``[samples, scenarios]``) to criterion values
        ``[..., scenarios, criteria]`` on 0..1, 1 best. One with a ``parts`` method giving the
        same values one array per criterion (:class:`analyzer.scoring.CriterionValues`) lets
        the weighted sum's Monte Carlo score without stacking them.
    values
        ``values_of(columns)``: the criterion values as costed, ``[scenarios, criteria]``.
    weights
        The chosen weights, normalized, in ``criteria`` order.
    method
        ``"weighted_sum"`` (absolute) or ``"topsis"`` (relative, over the values).
    """

    table_index: pd.Index
    order: np.ndarray
    ids: tuple
    criteria: pd.Index
    columns: Mapping[str, np.ndarray]
    values_of: ValuesOf
    values: np.ndarray
    weights: np.ndarray
    method: mcda.Method

    @classmethod
    def build(
        cls,
        table: pd.DataFrame,
        values_of: ValuesOf,
        criteria: Sequence[str],
        weights: Mapping[str, float] | pd.Series,
        method: str = "weighted_sum",
    ) -> RankingModel:
        """A model of ``table`` (one row per ranked scenario, numeric columns, ``npv`` among them).

        Raises
        ------
        ScoringError
            For an unknown method, weights that do not fit ``criteria``, or no ``npv`` column.
        """
        _check_model(method, table.columns)
        columns = {c: table[c].to_numpy(dtype=float) for c in table.columns}
        return cls.of_columns(table.index, columns, values_of, criteria, weights, method)

    @classmethod
    def of_columns(
        cls,
        index: pd.Index,
        columns: Mapping[str, np.ndarray],
        values_of: ValuesOf,
        criteria: Sequence[str],
        weights: Mapping[str, float] | pd.Series,
        method: str = "weighted_sum",
    ) -> RankingModel:
        """:meth:`build` from the table's index and float columns (``[scenarios]`` each, in
        the index's order), without the table.

        Raises
        ------
        ScoringError
            For an unknown method, weights that do not fit ``criteria``, or no ``npv`` column.
        """
        _check_model(method, columns)
        labels = index.tolist()
        alphabetical = mcda._alphabetical_labels(labels)
        ordered = {name: column[alphabetical] for name, column in columns.items()}
        return cls(
            table_index=index,
            order=np.argsort(alphabetical),
            ids=tuple(labels[k] for k in alphabetical),
            criteria=pd.Index(criteria),
            columns=ordered,
            values_of=values_of,
            values=values_of(ordered),
            weights=mcda.weights_vector(weights, list(criteria)),
            method=method,  # type: ignore[arg-type]
        )

    @cached_property
    def index(self) -> pd.Index:
        """Scenario ids in alphabetical order (:attr:`ids` as an index)."""
        return self.table_index[np.argsort(self.order)]

    @cached_property
    def base_winner(self) -> int:
        """Position of the first-ranked scenario at the chosen weights, as costed (the tornado
        and the weight flips both measure from it)."""
        return int(self.winners(self.weights[None, :])[0])

    @cached_property
    def rest_weights(self) -> np.ndarray:
        """Row ``k``: the other criteria's weights rescaled to sum 1 when criterion ``k``'s
        weight moves (:func:`_rest_of`), ``[criteria, criteria]``; the tornado and the weight
        flips reweigh each criterion many times."""
        return np.array([_rest_of(self.weights, k) for k in range(self.weights.size)])

    def reweighted(self, criterion: int, new_weights: np.ndarray) -> np.ndarray:
        """Weight vectors ``[k, criteria]`` giving ``criterion`` each of ``new_weights``, the
        others rescaled proportionally (:func:`_reweighted` of the chosen weights)."""
        return _with_weight(self.rest_weights[criterion], criterion, new_weights)

    def scores(self, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Scores ``[samples, scenarios]`` of values ``[(samples,) scenarios, criteria]``."""
        if self.method == "weighted_sum":
            return mcda._wsm_scores(values, weights)
        is_min = np.zeros(len(self.criteria), dtype=bool)
        return mcda._topsis_scores(mcda._vector_core(values), weights, is_min)

    def ranking(self, npv: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Scenario positions ``[samples, scenarios]`` from first to last: higher score, then
        lower NPV, then scenario id."""
        return mcda._rank_order(scores, npv)

    def winners(self, weights: np.ndarray) -> np.ndarray:
        """Position of the first-ranked scenario for each weight vector ``[samples, criteria]``."""
        scores = self.scores(self.values, weights)
        return mcda._first_positions(scores, self.columns[NPV_COLUMN])

    def sampled_ranking(
        self, weights: np.ndarray, uplift: np.ndarray, overrun_ratio: np.ndarray
    ) -> np.ndarray:
        """Scenario positions from first to last ``[samples, scenarios]`` of sampled weights
        ``[samples, criteria]`` and cost multipliers ``[samples]``."""
        columns = self.sampled_columns(uplift, overrun_ratio)
        parts = getattr(self.values_of, "parts", None)
        if (
            self.method == "weighted_sum"
            and parts is not None
            and mcda.lane_sums_are_einsums(len(self.criteria))
        ):
            # The same scores, to the bit, without stacking the values (see _wsm_lane_scores).
            scores = mcda._wsm_lane_scores(parts(columns), weights)
        else:
            scores = self.scores(self.values_of(columns), weights)
        return self.ranking(columns[NPV_COLUMN], scores)

    def sampled_columns(self, uplift: np.ndarray, overrun_ratio: np.ndarray) -> dict:
        """Columns ``[samples, scenarios]`` under cost multipliers ``[samples]``.

        ``npv = recurring_npv x uplift + (npv - recurring_npv) x overrun_ratio`` and
        ``one_time_total x overrun_ratio``; every other column is as costed.
        """
        npv, recurring = self.columns[NPV_COLUMN], self.columns[RECURRING_NPV_COLUMN]
        sampled = dict(self.columns)
        sampled[NPV_COLUMN] = (
            recurring * uplift[:, None] + (npv - recurring) * overrun_ratio[:, None]
        )
        if ONE_TIME_COLUMN in self.columns:
            sampled[ONE_TIME_COLUMN] = self.columns[ONE_TIME_COLUMN] * overrun_ratio[:, None]
        return sampled


def _check_model(method: str, columns: Iterable[str]) -> None:
    """Raise unless ``method`` is known and ``columns`` hold the NPV that ranks ties."""
    if method not in ("weighted_sum", "topsis"):
        raise ScoringError(f"method must be 'weighted_sum' or 'topsis', got {method!r}")
    if NPV_COLUMN not in columns:
        raise ScoringError(f"scenarios: no column {NPV_COLUMN!r} to rank ties on")


@dataclass(frozen=True)
class _Streams:
    """One random generator per quantity, so a block of draws is the same whatever the block
    size: the n-th sample's weights, uplift and overrun never depend on ``CHUNK_SIZE``."""

    weights: np.random.Generator
    uplift: np.random.Generator
    overrun: np.random.Generator

    @classmethod
    def seeded(cls, seed: int) -> _Streams:
        return cls(*(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)))


def _draw(
    streams: _Streams,
    base_weights: np.ndarray,
    samples: int,
    concentration: float,
    uncertainty: CostUncertainty,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample weights ``[samples, criteria]``, uplift and overrun ratio ``[samples]`` each.

    Weights follow Dirichlet(concentration x base weights): centred on the chosen weights, more
    concentrated as ``concentration`` grows. A criterion with weight 0 stays at 0 (the Dirichlet
    is undefined for a zero parameter, so only the positive ones are sampled). The overrun is
    drawn from the whole triangle and returned relative to its most likely value.
    """
    positive = base_weights > 0
    if positive.all():
        # The same draw, without placing it in a frame of zeros.
        weights = streams.weights.dirichlet(concentration * base_weights, size=samples)
    else:
        weights = np.zeros((samples, base_weights.size))
        weights[:, positive] = streams.weights.dirichlet(
            concentration * base_weights[positive], size=samples
        )
    uplift = streams.uplift.uniform(*uncertainty.uplift_range, size=samples)
    least, mode, most = uncertainty.migration_overrun
    # numpy's triangular rejects a degenerate (zero-width) distribution.
    if least == most:
        overrun = np.full(samples, mode)
    else:
        overrun = streams.overrun.triangular(least, mode, most, samples)
    return weights, uplift, overrun / mode


def block_size(scenarios: int) -> int:
    """Samples per vectorized block: :data:`CHUNK_SIZE`, fewer when there are so many
    scenarios that the block would exceed :data:`BLOCK_CELLS` sample x scenario cells."""
    return max(1, min(CHUNK_SIZE, BLOCK_CELLS // max(scenarios, 1)))


def monte_carlo(
    model: RankingModel,
    *,
    uncertainty: CostUncertainty = CostUncertainty(),
    samples: int = 10_000,
    concentration: float = 50.0,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> MonteCarloResult:
    """Probability of each scenario ranking first, and its rank distribution.

    Each sample draws a weight vector from Dirichlet(``concentration`` x weights), one
    renewal-uplift multiplier (uniform) and one migration-overrun multiplier (triangular, over
    the whole [low, most likely, high] range) shared by all scenarios; see
    :meth:`RankingModel.sampled_columns` for how they move the costs. The sampled columns go
    through the same value functions and anchors as the base case, then are scored and ranked.

    Parameters
    ----------
    model
        The ranked scenarios (:func:`analyzer.scoring.ranking_model`).
    uncertainty
        Ranges of the cost multipliers; ``CostUncertainty((1, 1), (1, 1, 1))`` varies only the
        weights.
    samples
        Number of draws (at least 1).
    concentration
        Dirichlet concentration (> 0): 50 keeps most sampled weights within about +-0.07 of a
        0.5 weight; lower values explore more.
    seed
        Seed of the random generators; the same seed gives the same result.
    progress
        Called with the fraction done (0 < f <= 1) after each block (:func:`block_size`).

    Returns
    -------
    MonteCarloResult
        Scenarios in the order of the table the model was built from.
    """
    if int(samples) != samples or samples < 1:
        raise ScoringError(f"samples must be a positive whole number, got {samples}")
    if not concentration > 0:
        raise ScoringError(f"concentration must be positive, got {concentration}")
    samples = int(samples)
    streams = _Streams.seeded(seed)
    n = len(model.ids)
    counts = np.zeros(n * n, dtype=np.int64)
    block = block_size(n)
    for start in range(0, samples, block):
        size = min(block, samples - start)
        weights, uplift, overrun_ratio = _draw(
            streams, model.weights, size, concentration, uncertainty
        )
        ranking = model.sampled_ranking(weights, uplift, overrun_ratio)
        # Flattened (scenario, rank) cell ids, counted in one bincount per block: the scenario
        # in column r of a ranking holds rank r + 1.
        cells = ranking * n + np.arange(n)
        counts += np.bincount(cells.ravel(), minlength=n * n)
        if progress is not None:
            progress((start + size) / samples)

    table = counts.reshape(n, n)[model.order]
    index = model.table_index
    shares = table / samples
    distribution = pd.DataFrame(shares, index=index, columns=pd.RangeIndex(1, n + 1, name="rank"))
    # Summed in whole counts, then divided once: exact up to that one rounding.
    expected = table @ np.arange(1, n + 1) / samples
    return MonteCarloResult(
        p_first=pd.Series(shares[:, 0], index=index, name="p_first"),
        rank_distribution=distribution,
        expected_rank=pd.Series(expected, index=index, name="expected_rank"),
        samples=samples,
        seed=seed,
    )


def _reweighted(base: np.ndarray, criterion: int, new_weights: np.ndarray) -> np.ndarray:
    """Weight vectors ``[k, criteria]`` giving ``criterion`` each of ``new_weights``.

    The other criteria are rescaled proportionally so every vector sums to 1. If ``criterion``
    held all the weight there are no proportions to keep, so the rest is shared equally.
    Each vector is linear in its new weight: ``t x e_criterion + (1 - t) x rest``.
    """
    return _with_weight(_rest_of(base, criterion), criterion, new_weights)


def _rest_of(base: np.ndarray, criterion: int) -> np.ndarray:
    """The weights of the criteria other than ``criterion``, rescaled to sum 1 (0 at
    ``criterion``): the ``rest`` of :func:`_reweighted`."""
    others = base.copy()
    others[criterion] = 0.0
    rest = others.sum()
    if rest > 0:
        others = others / rest
    elif base.size > 1:
        others = np.full(base.size, 1.0 / (base.size - 1))
        others[criterion] = 0.0
    return others


def _with_weight(others: np.ndarray, criterion: int, new_weights: np.ndarray) -> np.ndarray:
    """:func:`_reweighted` from the rest ``others`` (:func:`_rest_of`) of ``criterion``."""
    vectors = (1.0 - new_weights)[:, None] * others[None, :]
    vectors[:, criterion] = new_weights
    return vectors


def tornado(model: RankingModel, *, swing: float = 0.5) -> pd.DataFrame:
    """One-at-a-time sensitivity of the winner's lead to each criterion's weight.

    For each criterion its weight is multiplied by ``1 - swing`` and ``1 + swing`` (capped at
    1), the other weights rescaled proportionally to keep the sum 1. The value reported is the
    base winner's **lead**: its score minus the best score of any other scenario. A negative
    value means the base winner would lose first place.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion, low_weight, high_weight, low_value, high_value, base_value, span``
        (``span = |high_value - low_value|``), sorted by span, largest first (ties keep the
        criteria's order).

    Raises
    ------
    ScoringError
        With fewer than two scenarios (there is no lead to measure) or a swing outside [0, 1].
    """
    if not 0 <= swing <= 1:
        raise ScoringError(f"swing must be between 0 and 1, got {swing}")
    if len(model.ids) < 2:
        raise ScoringError("tornado: needs at least two scenarios to measure the winner's lead")
    base_winner = model.base_winner
    values = model.values
    rivals = np.flatnonzero(np.arange(len(model.ids)) != base_winner)

    def lead(weight_vectors: np.ndarray) -> np.ndarray:
        scores = model.scores(values, weight_vectors)
        return scores[:, base_winner] - scores[:, rivals].max(axis=1)

    base_value = float(lead(model.weights[None, :])[0])
    count = len(model.criteria)
    changed = np.empty((count, 2))
    leads = np.empty((count, 2))
    for position in range(count):
        w = model.weights[position]
        changed[position] = (w * (1 - swing), min(1.0, w * (1 + swing)))
        leads[position] = lead(model.reweighted(position, changed[position]))
    span = np.abs(leads[:, 1] - leads[:, 0])
    # Largest span first; equal spans keep the criteria's order (a stable sort).
    order = np.argsort(-span, kind="stable")
    return _criterion_table(
        model.criteria,
        order,
        {
            "low_weight": changed[order, 0],
            "high_weight": changed[order, 1],
            "low_value": leads[order, 0],
            "high_value": leads[order, 1],
            "base_value": np.full(count, base_value),
            "span": span[order],
        },
    )


def weight_flip_thresholds(model: RankingModel) -> pd.DataFrame:
    """For each criterion, the smallest change of its weight that changes the winner.

    The criterion's weight ``t`` moves up or down, the others rescaled proportionally to keep
    the sum 1. For the weighted sum every score is then linear in ``t``
    (``(1 - t) x score at t=0 + t x the criterion's value``), so each rival's crossing with the
    base winner is solved in closed form (:func:`_linear_flips`). TOPSIS is not linear: a grid of
    ``FLIP_GRID_POINTS`` weights in [0, 1] finds the first change on each side, refined by
    bisection. Either way the weight is reported ``FLIP_MARGIN`` past the boundary, where
    re-scoring gives ``new_winner``; the nearer of the two sides is reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion, base_weight, flip_weight, change, new_winner``; ``change`` is
        ``flip_weight - base_weight`` (negative: the weight must fall). ``flip_weight`` and
        ``change`` are NaN and ``new_winner`` None when no weight in [0, 1] changes the winner.
        Sorted by ``|change|``, most fragile first, criteria that never flip last.
    """
    base_winner = model.base_winner
    find = _linear_flips if model.method == "weighted_sum" else _grid_flips
    count = len(model.criteria)
    flip_weights, winners = np.full(count, np.nan), [None] * count
    for position in range(count):
        w = float(model.weights[position])

        def winner_at(new_weights: np.ndarray, position: int = position) -> np.ndarray:
            return model.winners(model.reweighted(position, new_weights))

        best: tuple[float, int] | None = None
        for flip in find(model, position, base_winner, winner_at):
            if best is None or abs(flip[0] - w) < abs(best[0] - w):
                best = flip
        if best is not None:
            flip_weights[position], winners[position] = best[0], model.ids[best[1]]
    change = flip_weights - model.weights
    # Most fragile first; NaN (never flips) sorts last, and equal changes keep their order.
    order = np.argsort(np.abs(change), kind="stable")
    new_winner = np.empty(count, dtype=object)
    new_winner[:] = [winners[k] for k in order]
    return _criterion_table(
        model.criteria,
        order,
        {
            "base_weight": model.weights[order],
            "flip_weight": flip_weights[order],
            "change": change[order],
            # Scenario ids or None as Python objects (pandas would infer its str dtype).
            "new_winner": new_winner,
        },
    )


def _criterion_table(
    criteria: pd.Index, order: np.ndarray, columns: dict[str, np.ndarray]
) -> pd.DataFrame:
    """``pd.DataFrame({"criterion": [criteria[k] for k in order], **columns})``, made from
    its column arrays as they are.

    The frame of a dict of columns sanitizes each column, infers the labels and the criterion
    column's type from a list: about three times the time of handing pandas the finished
    arrays (its private constructor). The criterion column is the one pandas infers from the
    criteria (:func:`_labels`), reordered. ``columns`` are 1-D numpy arrays of ``len(order)``
    made for the table: pandas copies those of one dtype into one block, and keeps one of a
    dtype of its own (the object column of the weight flips) as it is.
    """
    names = tuple(criteria.tolist())
    text = _labels_in(names, pd.get_option("mode.string_storage")).take(order)._values
    return pd.DataFrame._from_arrays(
        [text, *columns.values()],
        columns=_labels(("criterion", *columns)),
        index=pd.RangeIndex(len(order)),
        verify_integrity=False,
    )


def _labels(names: tuple[str, ...]) -> pd.Index:
    """``pd.Index(names)`` as pandas infers it with the string storage in force, made once per
    storage; a copy, since an index's name can be set."""
    return _labels_in(names, pd.get_option("mode.string_storage")).copy()


@cache
def _labels_in(names: tuple[str, ...], storage: str) -> pd.Index:
    """``pd.Index(names)`` made under the string ``storage`` named (the cache's key)."""
    return pd.Index(names)


WinnerAt = Callable[[np.ndarray], np.ndarray]


def _linear_flips(
    model: RankingModel, position: int, base_winner: int, winner_at: WinnerAt
) -> list[tuple[float, int]]:
    """Nearest flip above and below the base weight, solved in closed form (weighted sum).

    With the weight at ``t`` a scenario scores ``(1 - t) x a + t x v`` (``a``: its score with
    the weight at 0, ``v``: its value on the criterion), so the base winner's lead over rival
    ``j`` is ``gap_j + t x slope_j`` and is 0 at ``t = -gap_j / slope_j``. Going up, only rivals
    whose lead shrinks as ``t`` grows (slope < 0) can overtake; going down, those with slope > 0.
    Crossings are tried nearest first; the first one that changes the winner just past it is
    the flip (a crossing can change nothing when a third scenario still beats both).
    """
    values = model.values
    # The weight vector with the criterion at 0 is the rest of the others (1.0 x rest, to the
    # bit), as :meth:`RankingModel.reweighted` would make it.
    at_zero = values @ model.rest_weights[position]
    at_one = values[:, position]
    gap = at_zero[base_winner] - at_zero
    slope = (at_one[base_winner] - at_one) - gap
    w = float(model.weights[position])
    # Every rival's crossing, worked out once for both directions.
    rivals = np.flatnonzero((np.arange(len(model.ids)) != base_winner) & (slope != 0))
    slope = slope[rivals]
    crossings, slopes = -gap[rivals] / slope, np.abs(slope)
    within = (crossings >= 0) & (crossings <= 1)
    flips = []
    for direction in (1.0, -1.0):
        ahead = np.flatnonzero(
            within & (direction * slope < 0) & (direction * (crossings - w) >= 0)
        )
        for k in ahead[np.argsort(direction * crossings[ahead], kind="stable")]:
            # Far enough past the crossing that the lead lost is not rounded away by the tie
            # rule (scores equal to TIE_DECIMALS tie).
            step = max(FLIP_MARGIN, 10.0 ** (2 - mcda.TIE_DECIMALS) / slopes[k])
            beyond = min(1.0, max(0.0, float(crossings[k]) + direction * step))
            winner = int(winner_at(np.array([beyond]))[0])
            if winner != base_winner:
                flips.append((beyond, winner))
                break
    return flips


def _grid_flips(
    model: RankingModel, position: int, base_winner: int, winner_at: WinnerAt
) -> list[tuple[float, int]]:
    """Nearest flip above and below the base weight on a grid, refined by bisection (TOPSIS)."""
    w = float(model.weights[position])
    grid = np.linspace(0.0, 1.0, FLIP_GRID_POINTS)
    grid_winners = winner_at(grid)
    flips = []
    for upward in (True, False):
        side = grid > w if upward else grid < w
        candidates = np.flatnonzero(side & (grid_winners != base_winner))
        if candidates.size == 0:
            continue
        # Nearest flipped grid point on this side; every grid point between it and w keeps the
        # base winner, so the flip boundary lies between it and its inner neighbour.
        far = int(candidates[0] if upward else candidates[-1])
        near = far - 1 if upward else far + 1
        inner = float(grid[near]) if side[near] else w
        flips.append(_bisect_flip(winner_at, base_winner, inner, float(grid[far])))
    return flips


def _bisect_flip(
    winner_at: WinnerAt, base_winner: int, inner: float, outer: float
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
