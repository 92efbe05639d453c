"""Criteria weights: direct, AHP (Saaty's eigenvector method) and rank-order centroid.

Every function returns a :class:`pandas.Series` keyed by criterion id that sums to 1, so the
three ways of expressing preferences feed the same scoring call (DESIGN section 6).

Examples
--------
>>> direct_weights({"cost": 3, "fit": 2, "effort": 1}).round(3).to_dict()
{'cost': 0.5, 'fit': 0.333, 'effort': 0.167}
>>> rank_order_centroid(["cost", "fit", "effort"]).round(3).to_dict()
{'cost': 0.611, 'fit': 0.278, 'effort': 0.111}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.errors import ScoringError

#: Saaty's random consistency index for matrices of order 1..15 (Saaty, *The Analytic Hierarchy
#: Process*, 1980; extended table as used in Saaty 2008, Int. J. Services Sciences 1(1)).
SAATY_RANDOM_INDEX: tuple[float, ...] = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)

#: Saaty's rule of thumb: above this consistency ratio the judgements should be revisited.
CONSISTENCY_THRESHOLD = 0.10

#: Relative slack allowed in ``a_ij * a_ji == 1``: judgements typed as 0.33 for 1/3 must pass.
RECIPROCAL_TOLERANCE = 0.02


def direct_weights(values: Mapping[str, float] | pd.Series) -> pd.Series:
    """Normalize directly stated importances so that they sum to 1.

    Parameters
    ----------
    values
        Importance per criterion id, on any non-negative scale (points, percentages, 1-5).

    Returns
    -------
    pandas.Series
        Weights keyed by criterion id, in the given order, summing to 1.

    Raises
    ------
    ScoringError
        If there is no criterion, a value is negative or not a finite number, or all are zero.
    """
    series = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values
    series = series.astype(float)
    if series.index.has_duplicates:
        duplicated = sorted(map(str, series.index[series.index.duplicated()]))
        raise ScoringError(f"weights: criterion given twice: {', '.join(duplicated)}")
    normalized = normalized_weights(series.index.tolist(), series.to_numpy())
    return pd.Series(normalized, index=series.index, name="weight")


def normalized_weights(criteria: list, values: np.ndarray) -> np.ndarray:
    """Directly stated importances (``values`` of ``criteria``, distinct) divided by their sum.

    The check and arithmetic of :func:`direct_weights` on bare arrays, for callers that need no
    Series (scoring runs this several times per analysis).

    Raises
    ------
    ScoringError
        If there is no criterion, a value is negative or not a finite number, or all are zero.
    """
    if len(criteria) == 0:
        raise ScoringError("weights: at least one criterion needs a weight")
    for criterion, value in zip(criteria, values.tolist(), strict=True):
        if not math.isfinite(value):
            raise ScoringError(f"weights: the weight of {criterion!r} is not a number ({value})")
        if value < 0:
            raise ScoringError(f"weights: the weight of {criterion!r} is negative ({value})")
    total = float(np.add.reduce(values))
    if total <= 0:
        raise ScoringError("weights: all weights are zero; give at least one criterion a weight")
    return values / total


@dataclass(frozen=True)
class AHPResult:
    """Weights derived from a pairwise comparison matrix, with Saaty's consistency check.

    Attributes
    ----------
    weights
        Principal right eigenvector, normalized to sum 1, keyed by criterion id.
    lambda_max
        Principal eigenvalue (equals n for a perfectly consistent matrix).
    consistency_index
        ``(lambda_max - n) / (n - 1)``; 0 for n <= 2.
    consistency_ratio
        ``consistency_index / RI(n)`` with Saaty's random index; 0 for n <= 2.
    consistent
        ``consistency_ratio <= 0.10``.
    warning
        Plain-language advice when the ratio exceeds 0.10, else None.
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool
    warning: str | None


def ahp_weights(matrix: pd.DataFrame, *, tolerance: float = RECIPROCAL_TOLERANCE) -> AHPResult:
    """Derive weights from a pairwise comparison matrix by Saaty's eigenvector method.

    ``matrix.loc[a, b]`` says how many times more important criterion ``a`` is than ``b``
    (Saaty's 1-9 scale, but any positive ratio is accepted).

    Parameters
    ----------
    matrix
        Square matrix with the same criterion ids as index and columns.
    tolerance
        Relative slack allowed in ``a_ij * a_ji == 1`` and on the diagonal.

    Returns
    -------
    AHPResult

    Raises
    ------
    ScoringError
        If the matrix is not square or labelled alike on both axes, has more than 15 criteria
        (Saaty's random index table ends there), or a cell is not a positive number or not the
        reciprocal of its mirror cell; the message names the cell.
    """
    labels = list(matrix.columns)
    if matrix.shape[0] != matrix.shape[1] or set(matrix.index) != set(labels):
        raise ScoringError(
            "pairwise matrix: rows and columns must list the same criteria "
            f"(rows {list(matrix.index)}, columns {labels})"
        )
    if len(set(labels)) != len(labels):
        raise ScoringError(f"pairwise matrix: a criterion appears twice in {labels}")
    n = len(labels)
    if n == 0:
        raise ScoringError("pairwise matrix: no criteria")
    if n > len(SAATY_RANDOM_INDEX):
        raise ScoringError(
            f"pairwise matrix: {n} criteria; AHP's consistency check supports at most "
            f"{len(SAATY_RANDOM_INDEX)}"
        )
    # Rows may come in another order than columns; align them so a[i, j] means labels i vs j.
    values = matrix.loc[labels, labels].to_numpy(dtype=float)
    _check_pairwise(values, labels, tolerance)

    eigenvalues, eigenvectors = np.linalg.eig(values)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    # The Perron vector has one sign; dividing by its sum fixes both sign and scale.
    vector = eigenvectors[:, principal].real
    weights = pd.Series(vector / vector.sum(), index=labels, name="weight")

    if n <= 2:
        # Any positive reciprocal 2x2 matrix is consistent: lambda_max = n exactly.
        consistency_index = consistency_ratio = 0.0
    else:
        # Round-off can put lambda_max a hair below n; a negative inconsistency is meaningless.
        consistency_index = max(0.0, (lambda_max - n) / (n - 1))
        consistency_ratio = consistency_index / SAATY_RANDOM_INDEX[n - 1]
    consistent = consistency_ratio <= CONSISTENCY_THRESHOLD
    warning = None
    if not consistent:
        a, b = _least_consistent_pair(values, weights.to_numpy(), labels)
        warning = (
            f"The pairwise comparisons contradict each other (consistency ratio "
            f"{consistency_ratio:.2f}, above the usual limit of {CONSISTENCY_THRESHOLD:.2f}). "
            f"The judgement '{a}' versus '{b}' disagrees most with the others; "
            "review it before relying on these weights."
        )
    return AHPResult(
        weights=weights,
        lambda_max=lambda_max,
        consistency_index=consistency_index,
        consistency_ratio=consistency_ratio,
        consistent=consistent,
        warning=warning,
    )


def _check_pairwise(values: np.ndarray, labels: list[str], tolerance: float) -> None:
    """Raise ScoringError naming the first cell that is not positive or not reciprocal."""
    n = len(labels)
    for i in range(n):
        for j in range(n):
            cell = f"matrix[{labels[i]!r}, {labels[j]!r}]"
            value = values[i, j]
            if not (math.isfinite(value) and value > 0):
                raise ScoringError(f"pairwise {cell} = {value}: must be a positive number")
            if i == j and abs(value - 1.0) > tolerance:
                raise ScoringError(
                    f"pairwise {cell} = {value}: a criterion compared with itself is 1"
                )
            if i < j and abs(value * values[j, i] - 1.0) > tolerance:
                raise ScoringError(
                    f"pairwise {cell} = {value} is not the reciprocal of "
                    f"matrix[{labels[j]!r}, {labels[i]!r}] = {values[j, i]}"
                )


def _least_consistent_pair(
    values: np.ndarray, weights: np.ndarray, labels: list[str]
) -> tuple[str, str]:
    """The judgement furthest, in log ratio, from what the derived weights imply."""
    implied = weights[:, None] / weights[None, :]
    error = np.abs(np.log(values / implied))
    i, j = np.unravel_index(int(np.argmax(np.triu(error, k=1))), error.shape)
    return labels[int(i)], labels[int(j)]


def ahp_matrix_from_judgements(
    criteria: list[str], judgements: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    """Build a full reciprocal pairwise matrix from one judgement per pair.

    Parameters
    ----------
    criteria
        Criterion ids, in the order wanted for rows and columns.
    judgements
        ``{(a, b): r}`` meaning ``a`` is ``r`` times as important as ``b``. Every unordered pair
        must be judged once (either orientation); giving both orientations is accepted only when
        they are reciprocal.

    Returns
    -------
    pandas.DataFrame
        Square matrix with ones on the diagonal and ``m[b, a] = 1 / m[a, b]``.

    Raises
    ------
    ScoringError
        For unknown criteria, non-positive ratios, contradictory or missing pairs.

    Examples
    --------
    >>> ahp_matrix_from_judgements(["cost", "fit"], {("cost", "fit"): 3}).round(3)
           cost  fit
    cost  1.000  3.0
    fit   0.333  1.0
    """
    if len(set(criteria)) != len(criteria):
        raise ScoringError(f"judgements: a criterion appears twice in {criteria}")
    index = {criterion: position for position, criterion in enumerate(criteria)}
    n = len(criteria)
    values = np.full((n, n), np.nan)
    np.fill_diagonal(values, 1.0)
    for (a, b), ratio in judgements.items():
        for criterion in (a, b):
            if criterion not in index:
                raise ScoringError(f"judgement ({a!r}, {b!r}): unknown criterion {criterion!r}")
        ratio = float(ratio)
        if not (math.isfinite(ratio) and ratio > 0):
            raise ScoringError(f"judgement ({a!r}, {b!r}) = {ratio}: must be a positive number")
        i, j = index[a], index[b]
        if i == j:
            if ratio != 1.0:
                raise ScoringError(f"judgement ({a!r}, {a!r}) = {ratio}: self-comparison is 1")
            continue
        if not np.isnan(values[i, j]) and not math.isclose(values[i, j], ratio, rel_tol=1e-9):
            raise ScoringError(
                f"judgement ({a!r}, {b!r}) = {ratio} contradicts ({b!r}, {a!r}) = "
                f"{1 / values[i, j]}"
            )
        values[i, j] = ratio
        values[j, i] = 1.0 / ratio
    missing = [
        (criteria[i], criteria[j])
        for i in range(n)
        for j in range(i + 1, n)
        if np.isnan(values[i, j])
    ]
    if missing:
        pairs = ", ".join(f"({a!r}, {b!r})" for a, b in missing)
        raise ScoringError(f"judgements: these pairs are not compared: {pairs}")
    return pd.DataFrame(values, index=list(criteria), columns=list(criteria))


def rank_order_centroid(ranking: Sequence[str]) -> pd.Series:
    """Rank-order centroid weights from a ranking, most important criterion first.

    ``w_i = (1/n) * sum_{k=i..n} 1/k`` (Barron & Barrett, 1996, Management Science 42(11)):
    the centroid of all weight vectors consistent with the ranking.

    Parameters
    ----------
    ranking
        Criterion ids, most important first; no repeats.

    Returns
    -------
    pandas.Series
        Strictly decreasing weights, summing to 1, keyed by criterion id in ranking order.
    """
    ids = list(ranking)
    if not ids:
        raise ScoringError("ranking: at least one criterion is needed")
    if len(set(ids)) != len(ids):
        raise ScoringError(f"ranking: a criterion appears twice in {ids}")
    n = len(ids)
    reciprocals = 1.0 / np.arange(1, n + 1)
    # Reverse cumulative sum gives sum_{k=i..n} 1/k for every i at once.
    tails = np.cumsum(reciprocals[::-1])[::-1]
    return pd.Series(tails / n, index=ids, name="weight")
