"""Multi-criteria scoring: criteria, normalization, aggregation and the ranking rule.

A decision matrix is a DataFrame with one row per scenario (the index) and one column per
criterion id. ``directions`` says for each criterion whether less (``"min"``, e.g. cost) or
more (``"max"``, e.g. fit) is better.

Two aggregations are offered (DESIGN section 6):

- :func:`value_sum`, the **absolute** weighted sum: the matrix already holds values on a fixed
  0..1 scale (1 best) from value functions with fixed anchors (:mod:`analyzer.scoring`), so a
  scenario's score depends on that scenario alone. (A weighted sum over min-max normalized
  columns is deliberately not offered: the best and worst option of each column would set the
  scale, so adding or quoting one option would move every other option's score.)
- **TOPSIS** (Hwang & Yoon, 1981) over vector-normalized values, where direction decides which
  end is the ideal. **Relative**: the norms, the ideal and the anti-ideal come from the options
  being compared.

Both return a :class:`ScoreResult` whose ``contributions`` decompose each score by criterion,
whose ``normalized`` table shows the intermediate step and whose ``relative`` flag says whether
the scores depend on the other options, so every number can be explained.

The ``_wsm_scores`` / ``_topsis_scores`` / ``_vector_core`` / ``_rank_order`` cores take plain
numpy arrays with a leading sample axis so that :mod:`analyzer.sensitivity` can evaluate
thousands of weight vectors in one call.

Examples
--------
>>> values = pd.DataFrame(
...     {"cost": [0.5, 0.6, 0.4], "fit": [0.9, 0.6, 1.0]},
...     index=["stay", "downgrade", "switch"],
... )
>>> result = value_sum(values, {"cost": 0.5, "fit": 0.5})
>>> result.scores.round(3).to_dict()
{'stay': 0.7, 'downgrade': 0.6, 'switch': 0.7}
>>> result.ranks.to_dict()
{'stay': 1, 'downgrade': 3, 'switch': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd

from analyzer.errors import ScoringError
from analyzer.weights import direct_weights, normalized_weights

Direction = Literal["min", "max"]
Method = Literal["weighted_sum", "topsis"]

#: Scores equal to this many decimals count as tied, so that round-off from different
#: arithmetic paths does not decide a ranking.
TIE_DECIMALS = 12
#: When more than this share of the rows :func:`_rank_order` sorts hold a tie (copies of an
#: option, say), every row is sorted again by the whole rule at once instead of the tied rows
#: alone.
TIED_SHARE_FOR_FULL_SORT = 0.5


@dataclass(frozen=True)
class ScoreResult:
    """A scored decision matrix, with everything needed to explain it.

    Attributes
    ----------
    scores
        Score per scenario (higher is better), indexed like the matrix.
    contributions
        Scenarios x criteria; each row sums to the scenario's score. For the weighted sum a cell
        is weight x normalized value. For TOPSIS a cell is the criterion's share of the squared
        weighted distance from the anti-ideal, ``gap_j**2 / sum_k gap_k**2``, times the score
        (``gap_j = |v_j - v_j^-|``; ``D^- = sqrt(sum_j gap_j**2)``, so the shares are an exact
        decomposition of that distance). A scenario sitting on the anti-ideal for every
        criterion has nothing to decompose and its score is split by weight.
    ranks
        1 = best; see :func:`rank` for the tie rule.
    normalized
        The intermediate table: the absolute values for :func:`value_sum`, vector-normalized
        values (direction not yet applied) for TOPSIS.
    weights
        The weights actually used, normalized to sum 1, in column order.
    method
        ``"weighted_sum"`` or ``"topsis"``.
    relative
        True when a scenario's score depends on the other scenarios scored with it (TOPSIS);
        False for :func:`value_sum` over absolute values.
    """

    scores: pd.Series
    contributions: pd.DataFrame
    ranks: pd.Series
    normalized: pd.DataFrame
    weights: pd.Series
    method: Method
    relative: bool


def validate_matrix(matrix: pd.DataFrame, directions: Mapping[str, str]) -> np.ndarray:
    """Check a decision matrix and return whether each column is a ``min`` criterion.

    Raises
    ------
    ScoringError
        If the matrix is empty, has duplicate scenario or criterion ids, a column without a
        valid direction, a non-numeric column, or a missing value (naming scenario and criterion).
    """
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ScoringError("decision matrix: needs at least one scenario and one criterion")
    if matrix.index.has_duplicates:
        raise ScoringError(f"decision matrix: scenario listed twice: {_duplicates(matrix.index)}")
    if matrix.columns.has_duplicates:
        raise ScoringError(
            f"decision matrix: criterion listed twice: {_duplicates(matrix.columns)}"
        )
    is_min = []
    for criterion in matrix.columns:
        direction = directions.get(criterion)
        if direction not in ("min", "max"):
            raise ScoringError(
                f"criterion {criterion!r}: direction must be 'min' or 'max', got {direction!r}"
            )
        if not pd.api.types.is_numeric_dtype(matrix[criterion]):
            raise ScoringError(f"criterion {criterion!r}: values must be numbers")
        is_min.append(direction == "min")
    values = matrix.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = (int(k) for k in np.argwhere(bad)[0])
        raise ScoringError(
            f"decision matrix: scenario {matrix.index[row]!r} has no valid value for criterion "
            f"{matrix.columns[col]!r} ({values[row, col]})"
        )
    return np.array(is_min, dtype=bool)


def _duplicates(labels: pd.Index) -> str:
    return ", ".join(sorted(map(str, labels[labels.duplicated()].unique())))


def weights_vector(weights: Mapping[str, float] | pd.Series, criteria: pd.Index) -> np.ndarray:
    """Weights aligned to ``criteria`` (matrix column order), normalized to sum 1.

    Raises
    ------
    ScoringError
        If a criterion has no weight, a weight names a criterion that is not in the matrix, or
        the weights are negative, not numbers, or all zero.
    """
    if isinstance(weights, pd.Series):
        normalized = direct_weights(weights)
        names, values = normalized.index.tolist(), normalized.to_numpy()
    else:
        # A plain mapping (the profile's weights) needs no Series: same checks and arithmetic.
        names = list(weights)
        values = normalized_weights(names, np.array(list(weights.values()), dtype=float))
    wanted = list(criteria)
    missing = [c for c in wanted if c not in names]
    if missing:
        raise ScoringError(f"weights: no weight for criterion {', '.join(map(repr, missing))}")
    unknown = [c for c in names if c not in wanted]
    if unknown:
        raise ScoringError(
            f"weights: {', '.join(map(repr, unknown))} is not a criterion of the matrix "
            f"({', '.join(map(repr, wanted))})"
        )
    return values[[names.index(c) for c in wanted]]


def _vector_core(values: np.ndarray) -> np.ndarray:
    """Divide each criterion by its Euclidean norm over scenarios (axis -2); zero columns stay 0."""
    norm = np.sqrt((values**2).sum(axis=-2, keepdims=True))
    return values / np.where(norm == 0, 1.0, norm)


def normalize_vector(matrix: pd.DataFrame, directions: Mapping[str, str]) -> pd.DataFrame:
    """Vector-normalize each criterion: ``x / sqrt(sum of x**2)`` over scenarios.

    Direction is not applied here: TOPSIS handles it by choosing which end is ideal. A column
    of zeros stays zero.
    """
    validate_matrix(matrix, directions)
    normalized = _vector_core(matrix.to_numpy(dtype=float))
    return pd.DataFrame(normalized, index=matrix.index, columns=matrix.columns)


def _wsm_scores(norm: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted sums for many weight vectors at once.

    Parameters
    ----------
    norm
        ``[n_scenarios, n_criteria]`` or ``[n_samples, n_scenarios, n_criteria]`` (1 best).
    weights
        ``[n_samples, n_criteria]``.

    Returns
    -------
    numpy.ndarray
        ``[n_samples, n_scenarios]``.
    """
    if norm.ndim == 2:
        return weights @ norm.T
    return np.einsum("sjc,sc->sj", norm, weights)


#: einsum reduces a weighted sum of at most this many criteria in one vector register (four
#: float64 lanes: 256 bits).
EINSUM_LANES = 4


def _wsm_lane_scores(parts: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """:func:`_wsm_scores` of values given one array per criterion, unstacked.

    ``parts[c]`` is criterion ``c``'s values, ``[n_samples, n_scenarios]`` or ``[n_scenarios]``
    (a criterion the samples do not move); ``weights`` is ``[n_samples, n_criteria]``. The
    Monte Carlo's values need no ``[samples, scenarios, criteria]`` array then, whose making
    and reduction by einsum took about half of its scoring.

    The products and sums are those einsum computes for ``"sjc,sc->sj"`` with the criteria in
    one vector of :data:`EINSUM_LANES` lanes: each product rounded once, lanes ``c`` and
    ``c + 2`` added, then the two halves (for three criteria ``(p0 + p2) + p1``, not the
    ``(p0 + p1) + p2`` of a plain sum); a lane past the last criterion holds 0, and leaving its
    addition out changes nothing but the sign of a zero (which compares equal). Whether this
    machine's einsum adds in that order is checked once (:func:`lane_sums_are_einsums`); the
    caller uses einsum where it does not.
    """
    lanes: list[np.ndarray | None] = [part * weights[:, c, None] for c, part in enumerate(parts)]
    lanes += [None] * (EINSUM_LANES - len(lanes))
    while len(lanes) > 1:
        half = len(lanes) // 2
        lanes = [_lane_add(lanes[k], lanes[k + half]) for k in range(half)]
    return lanes[0]


def _lane_add(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    """``first + second``, a missing (zero) lane left out."""
    if first is None:
        return second
    if second is None:
        return first
    return first + second


@cache
def lane_sums_are_einsums(criteria: int) -> bool:
    """Whether :func:`_wsm_lane_scores` gives the bits of :func:`_wsm_scores` (einsum) here,
    for ``criteria`` criteria.

    einsum's order of additions is its vector code's, so it depends on the processor; any
    other order (or fused multiply-adds) differs in the last bit for a good share of random
    values, which a probe of some thousands of scores shows.
    """
    if not 0 < criteria <= EINSUM_LANES:
        return False
    generator = np.random.default_rng(criteria)
    values = generator.random((512, 16, criteria))
    weights = generator.dirichlet(np.ones(criteria), size=512)
    parts = [values[..., c] for c in range(criteria)]
    return bool(np.array_equal(_wsm_lane_scores(parts, weights), _wsm_scores(values, weights)))


def _topsis_parts(
    vnorm: np.ndarray, weights: np.ndarray, is_min: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """TOPSIS closeness and per-criterion gaps to the anti-ideal.

    ``vnorm`` is ``[n_scen, n_crit]`` or ``[n_samples, n_scen, n_crit]``; ``weights`` is
    ``[n_samples, n_crit]``. Returns closeness ``[n_samples, n_scen]`` and gaps
    ``[n_samples, n_scen, n_crit]``.
    """
    weighted = vnorm * weights[:, None, :]
    high = weighted.max(axis=-2, keepdims=True)
    low = weighted.min(axis=-2, keepdims=True)
    ideal = np.where(is_min, low, high)
    anti_ideal = np.where(is_min, high, low)
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=-1))
    gaps = np.abs(weighted - anti_ideal)
    to_anti_ideal = np.sqrt((gaps**2).sum(axis=-1))
    total = to_ideal + to_anti_ideal
    # Only when every scenario is identical on every weighted criterion are both distances 0;
    # every scenario is then as good as the best.
    closeness = np.where(total == 0, 1.0, to_anti_ideal / np.where(total == 0, 1.0, total))
    return closeness, gaps


def _topsis_scores(vnorm: np.ndarray, weights: np.ndarray, is_min: np.ndarray) -> np.ndarray:
    """TOPSIS closeness ``[n_samples, n_scenarios]`` for many weight vectors; see _topsis_parts."""
    return _topsis_parts(vnorm, weights, is_min)[0]


def _rank_order(scores: np.ndarray, tie_values: np.ndarray) -> np.ndarray:
    """Scenario positions from first to last along the last axis, by the deterministic tie rule.

    Order: higher score (to ``TIE_DECIMALS``), then lower ``tie_values`` (the first ``min``
    criterion), then scenario position. Callers pass scenarios sorted by id so that position
    means alphabetical order. ``scores`` is ``[n_samples, n_scen]``; ``tie_values`` broadcasts
    to it. (Ties are no corner case: options too dear for any cost value tie on it when their
    fit and effort agree too, and copies of an option tie in every row. Rows without a tie are
    ordered by one plain sort, about half the time of the full rule's; on the bundled example
    no row has a tie.)
    """
    rounded = np.round(scores, TIE_DECIMALS)
    tie = np.broadcast_to(tie_values, scores.shape)
    # A row without two equal scores is ordered by the score alone, and one plain sort finds
    # that order (the keys are distinct, so any sort agrees); only rows with a tie are sorted
    # again by the whole rule. numpy's stable sort orders rows of a dozen scores in about two
    # thirds of the time of its default one. (A probe of the first rows for ties, to sort
    # mostly tied blocks by the whole rule at once, cost a tenth of a block without ties.)
    order = np.argsort(-rounded, axis=-1, kind="stable")
    tied = _tied_rows(rounded, order)
    if tied.size > TIED_SHARE_FOR_FULL_SORT * len(rounded):
        return _full_order(rounded, tie)
    if tied.size:
        order[tied] = _full_order(rounded[tied], tie[tied])
    return order


def _tied_rows(rounded: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Rows ``[samples, scenarios]`` of ``rounded`` in which two scenarios have equal scores,
    given each row's sort ``order``.

    Equal scores are neighbours once sorted. The rows are compared as one flat array (one
    gather, one comparison of neighbours) and looked at row by row only when some neighbours
    are equal: per-row gathers and reductions over rows of a dozen scenarios cost more than
    the comparisons themselves.
    """
    rows, width = rounded.shape
    if width < 2:
        return np.empty(0, dtype=np.intp)
    starts = np.arange(0, rows * width, width)
    ordered = rounded.ravel()[(order + starts[:, None]).ravel()]
    equal = ordered[1:] == ordered[:-1]
    # A row's last score compared with the next row's first is no tie.
    equal[width - 1 :: width] = False
    if not equal.any():
        return np.empty(0, dtype=np.intp)
    return np.unique(np.flatnonzero(equal) // width)


def _full_order(rounded: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """The order of :func:`_rank_order` by the whole rule, row by row."""
    # lexsort sorts by the last key first, and stably: scenarios equal on both keys keep their
    # position, the last tie-breaker, without a sort pass of its own.
    return np.lexsort((tie, -rounded), axis=-1)


def _first_positions(scores: np.ndarray, tie_values: np.ndarray) -> np.ndarray:
    """Position of the scenario :func:`_rank_order` puts first, per row, without sorting.

    The highest score (to ``TIE_DECIMALS``); among those the lowest ``tie_values``; among
    those the first position. ``scores`` is ``[n_samples, n_scen]``; ``tie_values`` broadcasts
    to it.
    """
    rounded = np.round(scores, TIE_DECIMALS)
    best = rounded == rounded.max(axis=-1, keepdims=True)
    tie = np.where(best, tie_values, np.inf)
    return np.argmax(best & (tie == tie.min(axis=-1, keepdims=True)), axis=-1)


def _tie_column(is_min: np.ndarray) -> int | None:
    """Index of the first ``min`` criterion in column order (e.g. cost), if any."""
    positions = np.flatnonzero(is_min)
    return int(positions[0]) if positions.size else None


def _alphabetical_labels(labels: list) -> np.ndarray:
    """Permutation putting ``labels`` in alphabetical (string) order, equal ones kept in order."""
    text = [str(label) for label in labels]
    # Python's sort is stable and orders str by code point, as numpy's sort of str arrays does.
    return np.array(sorted(range(len(text)), key=text.__getitem__), dtype=np.intp)


def rank(scores: pd.Series, matrix: pd.DataFrame, directions: Mapping[str, str]) -> pd.Series:
    """Rank scenarios, 1 = best, deterministically.

    Ties (scores equal to 12 decimals) are broken by the lower value of the first ``min``
    criterion in column order (for the usual matrix, the cheaper scenario wins), then by
    scenario id in alphabetical order.

    Returns
    -------
    pandas.Series
        Integer ranks named ``"rank"``, indexed like ``scores``.
    """
    is_min = validate_matrix(matrix, directions)
    aligned = matrix.reindex(scores.index)
    if aligned.isna().any().any():
        missing = [s for s in scores.index if s not in matrix.index]
        raise ScoringError(f"rank: scenario {', '.join(map(repr, missing))} is not in the matrix")
    tie_column = _tie_column(is_min)
    tie = (
        aligned.iloc[:, tie_column].to_numpy(dtype=float)
        if tie_column is not None
        else np.zeros(len(scores))
    )
    ranks = _ranks(scores.to_numpy(dtype=float), tie, scores.index.tolist())
    return pd.Series(ranks, index=scores.index, name="rank")


def _ranks(scores: np.ndarray, tie: np.ndarray, labels: list) -> np.ndarray:
    """Ranks (1 = best) of ``scores`` by the rule of :func:`rank`, in the given order.

    ``tie`` breaks equal scores (lower first), then ``labels`` (scenario ids) alphabetically.
    """
    order = _alphabetical_labels(labels)
    # One row: the whole rule in one stable sort (see _full_order), without the fast path of
    # _rank_order for many rows.
    first_to_last = order[_full_order(np.round(scores[order], TIE_DECIMALS), tie[order])]
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[first_to_last] = np.arange(1, len(order) + 1)
    return ranks


def value_sum(
    values: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    tie_costs: pd.Series | None = None,
) -> ScoreResult:
    """Absolute weighted sum of values already on a fixed 0..1 scale (1 best).

    The score of a scenario is ``sum_j w_j * v_j`` with weights normalized to sum 1. Nothing
    is normalized across scenarios, so a scenario's score depends on its own values alone.

    Parameters
    ----------
    values
        Scenarios x criteria, every value in [0, 1].
    weights
        Weight per criterion (any non-negative scale).
    tie_costs
        Per scenario, the cost that breaks a tie of scores (lower wins); without it ties go
        alphabetically.

    Raises
    ------
    ScoringError
        If a value is missing or outside [0, 1], or the weights do not fit the criteria.

    Examples
    --------
    >>> values = pd.DataFrame({"cost": [0.5, 0.8], "fit": [1.0, 0.6]}, index=["stay", "zoho"])
    >>> value_sum(values, {"cost": 3, "fit": 1}).scores.round(3).to_dict()
    {'stay': 0.625, 'zoho': 0.75}
    """
    validate_matrix(values, dict.fromkeys(values.columns, "max"))
    array = values.to_numpy(dtype=float)
    w, weighted, scores = _weighted_sum(array, values.index, values.columns, weights)
    if tie_costs is None:
        tie = np.zeros(len(scores))
    else:
        tie_frame = tie_costs.to_frame("cost")
        validate_matrix(tie_frame, {"cost": "min"})
        tie = _aligned_ties(tie_frame, values.index)
    return _value_sum_result(values, w, weighted, scores, tie, values.index.tolist())


def value_sum_of_arrays(
    values: np.ndarray,
    index: pd.Index,
    criteria: pd.Index | list[str],
    weights: Mapping[str, float] | pd.Series,
    tie_costs: np.ndarray,
) -> ScoreResult:
    """:func:`value_sum` of a matrix given as arrays whose values are already numbers.

    ``values`` is ``[scenarios, criteria]`` (finite), ``index`` the scenario ids, ``criteria``
    the distinct criterion ids, ``tie_costs`` the finite cost per scenario that breaks a tie.
    The scoring of every analysis comes here: it builds each pandas object of the result once.

    Raises
    ------
    ScoringError
        If a scenario is listed twice, a value is outside [0, 1], or the weights do not fit the
        criteria.
    """
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ScoringError("decision matrix: needs at least one scenario and one criterion")
    labels = index.tolist()
    if len(set(labels)) != len(labels):
        raise ScoringError(f"decision matrix: scenario listed twice: {_duplicates(index)}")
    normalized = pd.DataFrame(values, index=index, columns=criteria)
    w, weighted, scores = _weighted_sum(values, index, normalized.columns, weights)
    return _value_sum_result(normalized, w, weighted, scores, tie_costs, labels)


def _aligned_ties(tie_frame: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """The tie-breaking cost of each scenario of ``index``, from a checked one-column frame."""
    aligned = tie_frame.reindex(index)
    if aligned.isna().any().any():
        missing = [s for s in index if s not in tie_frame.index]
        raise ScoringError(f"rank: scenario {', '.join(map(repr, missing))} is not in the matrix")
    return aligned.iloc[:, 0].to_numpy(dtype=float)


def _weighted_sum(
    array: np.ndarray,
    index: pd.Index,
    criteria: pd.Index,
    weights: Mapping[str, float] | pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalized weights, weighted values and scores of values ``array`` checked to be 0..1."""
    # On the bare array: pandas comparisons and arithmetic on a small frame cost more than
    # the numbers (this runs for every analysis).
    outside = (array < 0) | (array > 1)
    if outside.any():
        row, col = (int(k) for k in np.argwhere(outside)[0])
        raise ScoringError(
            f"value of scenario {index[row]!r} for criterion {criteria[col]!r} "
            f"is {array[row, col]}, outside 0..1"
        )
    w = weights_vector(weights, criteria)
    weighted = array * w
    return w, weighted, weighted.sum(axis=1)


def _value_sum_result(
    normalized: pd.DataFrame,
    w: np.ndarray,
    weighted: np.ndarray,
    scores: np.ndarray,
    tie: np.ndarray,
    labels: list,
) -> ScoreResult:
    """The :class:`ScoreResult` of a weighted sum, ranked with ``tie`` breaking equal scores
    and then ``labels`` (the scenario ids) alphabetically."""
    index, criteria = normalized.index, normalized.columns
    return ScoreResult(
        scores=pd.Series(scores, index=index, name="score"),
        contributions=pd.DataFrame(weighted, index=index, columns=criteria),
        ranks=pd.Series(_ranks(scores, tie, labels), index=index, name="rank"),
        normalized=normalized,
        weights=pd.Series(w, index=criteria, name="weight"),
        method="weighted_sum",
        relative=False,
    )


def topsis(
    matrix: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    directions: Mapping[str, str],
) -> ScoreResult:
    """TOPSIS closeness to the ideal over vector-normalized criteria (Hwang & Yoon, 1981).

    Steps: ``r = x / ||x||`` per criterion; ``v = w * r``; the ideal takes the best ``v`` per
    criterion (lowest for ``min``), the anti-ideal the worst; the score is
    ``D^- / (D^+ + D^-)`` with Euclidean distances to the ideal (``D^+``) and anti-ideal
    (``D^-``), in [0, 1], higher better. See :class:`ScoreResult` for how it is decomposed.
    """
    is_min = validate_matrix(matrix, directions)
    normalized = normalize_vector(matrix, directions)
    w = weights_vector(weights, matrix.columns)
    closeness, gaps = _topsis_parts(normalized.to_numpy(), w[None, :], is_min)
    closeness, gaps = closeness[0], gaps[0]
    squared = gaps**2
    total = squared.sum(axis=1, keepdims=True)
    shares = np.where(total > 0, squared / np.where(total > 0, total, 1.0), w)
    scores = pd.Series(closeness, index=matrix.index, name="score")
    return ScoreResult(
        scores=scores,
        contributions=pd.DataFrame(
            shares * closeness[:, None], index=matrix.index, columns=matrix.columns
        ),
        ranks=rank(scores, matrix, directions),
        normalized=normalized,
        weights=pd.Series(w, index=matrix.columns, name="weight"),
        method="topsis",
        relative=True,
    )
