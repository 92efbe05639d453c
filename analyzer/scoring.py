"""Scoring the costed scenarios (DESIGN section 6, version 2): criteria, values, score, close call.

Every criterion is defined once, in :data:`CRITERIA`: its id, display name, the scenario columns
it reads and its **value function**, which maps those columns onto 0..1 (1 best) with fixed
anchors taken from the profile (:class:`ScoreAnchors`), never from the other options. The score
of a scenario is the weighted sum of its values, so adding, removing or quoting an unrelated
option never changes another option's score. Only scenarios with status ``ok`` are scored;
infeasible ones are listed elsewhere with their reasons.

TOPSIS stays available (``method="topsis"``) over the same value table; it is a **relative**
method: its scores depend on the other options (the result's ``relative`` flag says so).

Examples
--------
>>> scenarios = pd.DataFrame(
...     {
...         "status": ["ok", "ok"],
...         "npv": [300_000.0, 240_000.0],
...         "fit": [0.9, 0.8],
...         "one_time_total": [0.0, 60_000.0],
...         "project_months": [0, 4],
...     },
...     index=["stay", "switch:zoho/enterprise"],
... )
>>> anchors = ScoreAnchors(stay_npv=300_000.0, annual_spend=120_000.0)
>>> value_table(scenarios, anchors).round(4).to_dict("index")["switch:zoho/enterprise"]
{'cost': 0.6, 'fit': 0.8, 'effort': 0.5833}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from analyzer import mcda
from analyzer.errors import ScoringError, TooFewRankedOptions
from analyzer.sensitivity import (
    RECURRING_NPV_COLUMN,
    CostUncertainty,
    MonteCarloResult,
    RankingModel,
    monte_carlo,
    tornado,
    weight_flip_thresholds,
)

MIN_RANKED_FOR_SENSITIVITY = 2

#: A close call: the runner-up scores within this much of the winner (scores are on 0..1).
CLOSE_CALL_SCORE_GAP = 0.02
#: A close call: the winner ranks first in fewer than this share of the Monte Carlo samples.
CLOSE_CALL_MIN_P_FIRST = 0.60


@dataclass(frozen=True)
class ScoreAnchors:
    """The fixed points of the value functions, taken from the profile.

    Attributes
    ----------
    stay_npv
        Stay's decision-view NPV over the horizon: the cost that is worth 0.5.
    annual_spend
        Today's annual spend on the current CRM (current seats x price paid x 12): the scale of
        one-time switching cost.
    """

    stay_npv: float
    annual_spend: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.stay_npv):
            raise ScoringError(f"Stay's NPV must be a number, got {self.stay_npv}")
        if not (math.isfinite(self.annual_spend) and self.annual_spend >= 0):
            raise ScoringError(
                f"today's annual spend must be a number of at least 0, got {self.annual_spend}"
            )

    @property
    def cost_scale(self) -> float:
        """The NPV difference from Stay that moves the cost value by 0.5.

        Stay's NPV when it is above 0. When Stay costs nothing inside the horizon (every invoice
        sunk or after it) the scale falls back to today's annual spend, so that one year of
        today's spend saved or added moves the value by 0.5; when that is 0 too, one unit of
        currency: the value is then 1 for anything cheaper than Stay, 0.5 at Stay's cost and 0
        for anything dearer.
        """
        if self.stay_npv > 0:
            return self.stay_npv
        if self.annual_spend > 0:
            return self.annual_spend
        return 1.0


Columns = Mapping[str, np.ndarray]
ValueFunction = Callable[[Columns, ScoreAnchors], np.ndarray]


def cost_value(columns: Columns, anchors: ScoreAnchors) -> np.ndarray:
    """``clip(0.5 + 0.5 x (NPV_stay - NPV) / NPV_stay, 0, 1)``: Stay 0.5, free 1, twice Stay 0.

    The NPV is the decision view's (column ``npv``); see :attr:`ScoreAnchors.cost_scale` for a
    Stay NPV of 0 or below.
    """
    saving = (anchors.stay_npv - np.asarray(columns["npv"], dtype=float)) / anchors.cost_scale
    return np.clip(0.5 + 0.5 * saving, 0.0, 1.0)


def fit_value(columns: Columns, anchors: ScoreAnchors) -> np.ndarray:
    """The seat-weighted feature fit itself (column ``fit``, already 0..1)."""
    return np.asarray(columns["fit"], dtype=float)


def effort_value(columns: Columns, anchors: ScoreAnchors) -> np.ndarray:
    """``1 - min(1, (one-time cost / annual spend + project months / 12) / 2)``.

    Columns ``one_time_total`` and ``project_months`` (0 for Stay and a downgrade). A year of
    today's spend paid once, or a year of project, each cost half the value. A one-time credit
    (below 0) cannot make effort better than none: the value stays within 0..1. With no annual
    spend to compare with, any one-time cost above 0 counts as the full half.
    """
    one_time = np.asarray(columns["one_time_total"], dtype=float)
    if anchors.annual_spend > 0:
        spend_share = one_time / anchors.annual_spend
    else:
        spend_share = np.where(one_time > 0, 1.0, 0.0)
    project_share = np.asarray(columns["project_months"], dtype=float) / 12
    return 1.0 - np.clip((spend_share + project_share) / 2, 0.0, 1.0)


@dataclass(frozen=True)
class Criterion:
    """One criterion: id, display name, the scenario columns it reads and its value function.

    ``rule`` states the value function in words for reports and the app.
    """

    id: str
    name: str
    columns: tuple[str, ...]
    value: ValueFunction
    rule: str
    default_weight: float
    """The weight a profile that names none gets."""


#: The criteria registry: adding a criterion is one entry here (profiles take their weight
#: keys and default weights from it).
CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "cost",
        "Cost (NPV over the horizon)",
        ("npv",),
        cost_value,
        "0.5 + 0.5 x (Stay's NPV - NPV) / Stay's NPV, within 0..1: Stay 0.5, free 1, "
        "twice Stay's cost 0",
        0.5,
    ),
    Criterion("fit", "Feature fit", ("fit",), fit_value, "the seat-weighted feature fit", 0.35),
    Criterion(
        "effort",
        "Switching effort",
        ("one_time_total", "project_months"),
        effort_value,
        "1 - min(1, (one-time cost / today's annual spend + project months / 12) / 2)",
        0.15,
    ),
)

CRITERION_NAMES: dict[str, str] = {c.id: c.name for c in CRITERIA}
"""Display name per criterion id, in registry order."""


def _criterion_index(criteria: tuple[Criterion, ...]) -> pd.Index:
    """The ids of ``criteria`` (the registry) as an index, made once per registry and string
    storage in force (:data:`analyzer.analysis.TEXT_STORAGE`): building a string index from a
    list costs more than the scoring's arithmetic. Callers hand out copies (an index's name
    can be set)."""
    return _criterion_index_in(criteria, pd.get_option("mode.string_storage"))


@cache
def _criterion_index_in(criteria: tuple[Criterion, ...], storage: str) -> pd.Index:
    return pd.Index([c.id for c in criteria])


#: The tie-breaker between equal scores: the lower decision-view NPV wins.
TIE_COLUMN = "npv"


def criterion_columns() -> list[str]:
    """Every scenario column some criterion reads, in registry order, each once."""
    return list(dict.fromkeys(column for c in CRITERIA for column in c.columns))


def criterion_values(columns: Columns, anchors: ScoreAnchors) -> np.ndarray:
    """Values of every criterion, stacked on a last axis in registry order.

    ``columns`` maps column names to arrays that broadcast together (``[scenarios]``, or
    ``[samples, scenarios]`` for the Monte Carlo); the result is ``[..., scenarios, criteria]``.
    """
    return np.stack(np.broadcast_arrays(*criterion_value_parts(columns, anchors)), axis=-1)


def criterion_value_parts(columns: Columns, anchors: ScoreAnchors) -> list[np.ndarray]:
    """:func:`criterion_values` one array per criterion, in registry order, not broadcast
    together: a criterion that reads only columns the Monte Carlo does not move (fit) stays
    ``[scenarios]``."""
    return [criterion.value(columns, anchors) for criterion in CRITERIA]


@dataclass(frozen=True)
class CriterionValues:
    """The value functions with the profile's anchors, as :mod:`analyzer.sensitivity` calls
    them: called, :func:`criterion_values`; :meth:`parts`, the same values unstacked."""

    anchors: ScoreAnchors

    def __call__(self, columns: Columns) -> np.ndarray:
        return criterion_values(columns, self.anchors)

    def parts(self, columns: Columns) -> list[np.ndarray]:
        """:func:`criterion_value_parts` of ``columns``."""
        return criterion_value_parts(columns, self.anchors)


def column_values(table: pd.DataFrame, column: str) -> np.ndarray:
    """``table[column].to_numpy()``, read-only, without the Series.

    The array comes from the one ``table`` stores the column in (pandas' private column
    reader, as :func:`analyzer.reports.tables.column_arrays` uses): making the Series took ten
    times longer than the read, and the analysis reads a few dozen columns of its small tables
    once each. Text and other extension columns convert as ``to_numpy()`` converts them.
    """
    position = table.columns.get_loc(column)
    if not isinstance(position, int):
        # A label listed twice: pandas' own lookup says what that gives.
        return table[column].to_numpy()
    array = table._get_column_array(position)
    if not isinstance(array, np.ndarray):
        return array.to_numpy()
    values = array.view()
    values.flags.writeable = False
    return values


def ranked_scenarios(scenarios: pd.DataFrame, needed: list[str]) -> pd.DataFrame:
    """The rows with status ``ok`` and the ``needed`` columns, checked to be numbers."""
    index, columns = ranked_columns(scenarios, needed)
    return pd.DataFrame(columns, index=index, columns=needed)


def ranked_columns(
    scenarios: pd.DataFrame, needed: list[str]
) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """:func:`ranked_scenarios` as its index and one float array per ``needed`` column.

    Raises
    ------
    ScoringError
        A missing column, or a ranked scenario without a number in a needed column.
    """
    _check_columns(scenarios.columns, needed)
    # Column by column on numpy arrays: a pandas mask, a per-column apply and a frame cost more
    # than the scoring itself, and this runs for the scores and again for rank stability.
    arrays = {column: column_values(scenarios, column) for column in ["status", *needed]}
    return ranked_arrays(scenarios.index, arrays, needed)


def ranked_arrays(
    index: pd.Index, columns: Mapping[str, Any], needed: list[str]
) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """:func:`ranked_columns` of the table ``pd.DataFrame(columns, index=index)`` (one array
    per column, ``status`` among them), without the table.

    Raises
    ------
    ScoringError
        A missing column, or a ranked scenario without a number in a needed column.
    """
    _check_columns(columns, needed)
    rows = np.flatnonzero(np.asarray(columns["status"], dtype=object) == "ok")
    raw = {column: np.asarray(columns[column])[rows] for column in needed}
    columns = {column: _numbers(values) for column, values in raw.items()}
    # The scored table lists the ranked rows first: a slice of the index costs less than a take.
    contiguous = rows.size > 0 and rows[-1] - rows[0] + 1 == rows.size
    index = index[rows[0] : rows[-1] + 1] if contiguous else index[rows]
    table = np.array([columns[column] for column in needed]).reshape(len(needed), rows.size)
    bad = ~np.isfinite(table.T)
    if bad.any():
        row, col = (int(k) for k in np.argwhere(bad)[0])
        raise ScoringError(
            f"scenario {index[row]!r} is ranked but has no number in column "
            f"{needed[col]!r} ({raw[needed[col]][row]!r})"
        )
    return index, columns


def _check_columns(present: Iterable[str], needed: list[str]) -> None:
    """Raise unless ``present`` holds ``status`` and every ``needed`` column."""
    missing = [column for column in ["status", *needed] if column not in present]
    if missing:
        raise ScoringError(f"scenarios: no column {', '.join(map(repr, missing))} to score on")


def _numbers(values: np.ndarray) -> np.ndarray:
    """``values`` as floats; anything that is not a number becomes NaN."""
    if values.dtype.kind in "biuf":
        return values.astype(float)
    return pd.to_numeric(values, errors="coerce").astype(float)


def value_table(scenarios: pd.DataFrame, anchors: ScoreAnchors) -> pd.DataFrame:
    """Ranked scenarios x criteria: each criterion's value (0..1, 1 best)."""
    index, columns = ranked_columns(scenarios, criterion_columns())
    return pd.DataFrame(
        criterion_values(columns, anchors).reshape(len(index), len(CRITERIA)),
        index=index,
        columns=[c.id for c in CRITERIA],
    )


def score_scenarios(
    scenarios: pd.DataFrame,
    weights: Mapping[str, float],
    anchors: ScoreAnchors,
    method: mcda.Method = "weighted_sum",
) -> mcda.ScoreResult:
    """Score and rank the scenarios with status ``ok``.

    Parameters
    ----------
    scenarios
        One row per scenario with ``status`` and the columns :data:`CRITERIA` read.
    weights
        Weight per criterion id (any non-negative scale; normalized to sum 1).
    anchors
        Stay's NPV and today's annual spend.
    method
        ``"weighted_sum"`` (absolute, the default) or ``"topsis"`` over the same values
        (relative: scores depend on the other options).

    Returns
    -------
    analyzer.mcda.ScoreResult
        ``normalized`` holds the values; per scenario the ``contributions`` sum to the score.
        Ties of score go to the lower NPV, then to the scenario id in alphabetical order.

    Raises
    ------
    ScoringError
        Bad weights, a missing column, or a ranked scenario without a number to score.
    """
    index, columns = ranked_columns(scenarios, criterion_columns())
    return _score_ranked(index, columns, weights, anchors, method)


def score_columns(
    index: pd.Index,
    columns: Mapping[str, Any],
    weights: Mapping[str, float],
    anchors: ScoreAnchors,
    method: mcda.Method = "weighted_sum",
) -> mcda.ScoreResult:
    """:func:`score_scenarios` of the table ``pd.DataFrame(columns, index=index)`` (one array
    per column), without the table: :func:`analyzer.analyze` scores its columns before it makes
    the scenario table, in rank order, once.

    Raises
    ------
    ScoringError
        Bad weights, a missing column, or a ranked scenario without a number to score.
    """
    index, ranked = ranked_arrays(index, columns, criterion_columns())
    return _score_ranked(index, ranked, weights, anchors, method)


def _score_ranked(
    index: pd.Index,
    columns: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    anchors: ScoreAnchors,
    method: mcda.Method,
) -> mcda.ScoreResult:
    """The scores and ranks of the ranked scenarios ``index`` from their criterion columns."""
    values = criterion_values(columns, anchors).reshape(len(index), len(CRITERIA))
    criteria = _criterion_index(CRITERIA).copy()
    if method == "weighted_sum":
        return mcda.value_sum_of_arrays(values, index, criteria, weights, columns[TIE_COLUMN])
    if method == "topsis":
        values = pd.DataFrame(values, index=index, columns=criteria)
        tie_costs = pd.Series(columns[TIE_COLUMN], index=index)
        result = mcda.topsis(values, weights, dict.fromkeys(values.columns, "max"))
        ranks = mcda.rank(result.scores, tie_costs.to_frame("cost"), {"cost": "min"})
        return replace(result, ranks=ranks)
    raise ScoringError(f"method must be 'weighted_sum' or 'topsis', got {method!r}")


@dataclass(frozen=True)
class CloseCall:
    """A winner that is not a clear one, and why.

    Attributes
    ----------
    winner
        The scenario with the highest score.
    contenders
        The winner first, then every option within :data:`CLOSE_CALL_SCORE_GAP` of its score
        (by score) and, when stability is the reason, the options that take most first places
        (by ``p_first``: the fewest that together rank first in at least
        :data:`CLOSE_CALL_MIN_P_FIRST` of the samples); each once.
    score_gap
        Winner's score minus the runner-up's.
    winner_p_first
        Share of Monte Carlo samples in which the winner ranks first; None without a run.
    by_score, by_stability
        Which rule made it a close call (one or both).
    """

    winner: str
    contenders: tuple[str, ...]
    score_gap: float
    winner_p_first: float | None
    by_score: bool
    by_stability: bool

    def reasons(self, labels: Mapping[str, str] | None = None) -> list[str]:
        """The rules that made it a close call, in words, naming options by ``labels``."""
        name = (lambda s: labels.get(s, s)) if labels is not None else str
        said = []
        if self.by_score:
            said.append(
                f"the runner-up scores within {CLOSE_CALL_SCORE_GAP} of {name(self.winner)} "
                f"(gap {self.score_gap:.3f})"
            )
        if self.by_stability:
            said.append(
                f"{name(self.winner)} ranks first in only {self.winner_p_first:.0%} of the "
                f"sampled weights and costs (a clear winner needs {CLOSE_CALL_MIN_P_FIRST:.0%})"
            )
        return said


def close_call(scores: pd.Series, p_first: pd.Series | None) -> CloseCall | None:
    """Whether the winner is a close call (DESIGN section 6), and who the contenders are.

    Parameters
    ----------
    scores
        Score per scenario; missing scores (unranked scenarios) are left out. The winner is the
        highest; among equal scores the first in the Series' order, so pass the scores in rank
        order.
    p_first
        Probability of ranking first per scenario from the Monte Carlo, or None when it was
        not run (then only the score gap is judged).

    Returns
    -------
    CloseCall or None
        None when the winner is clear, or when there is no other option to be close to.

    Examples
    --------
    >>> call = close_call(pd.Series({"zoho": 0.74, "stay": 0.73, "hubspot": 0.61}), None)
    >>> call.contenders, call.by_score, call.by_stability
    (('zoho', 'stay'), True, False)
    """
    # On arrays: a pandas dropna and sort of a string-indexed Series cost more than the rule.
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    scored = np.flatnonzero(~np.isnan(values))
    if len(scored) < 2:
        return None
    # Highest first; equal scores keep the Series' order (a stable sort).
    ordered = scored[np.argsort(-values[scored], kind="stable")]
    top = values[ordered]
    labels = scores.index.tolist()
    winner = str(labels[ordered[0]])
    gap = float(top[0] - top[1])
    # Scores are rounded like the ranking's tie rule so that round-off cannot decide.
    near = [
        labels[k]
        for k in ordered[np.round(top[0] - top, mcda.TIE_DECIMALS) <= CLOSE_CALL_SCORE_GAP]
    ]
    by_score = len(near) > 1
    winner_p_first = None if p_first is None else float(p_first.get(winner, 0.0))
    by_stability = winner_p_first is not None and winner_p_first < CLOSE_CALL_MIN_P_FIRST
    if not (by_score or by_stability):
        return None
    contenders = [str(s) for s in near] if by_score else [winner]
    if by_stability:
        likely = p_first.sort_values(ascending=False, kind="stable")
        covering = likely.iloc[: int(np.searchsorted(likely.cumsum(), CLOSE_CALL_MIN_P_FIRST)) + 1]
        contenders += [str(s) for s in covering.index if str(s) not in contenders]
    return CloseCall(winner, tuple(contenders), gap, winner_p_first, by_score, by_stability)


@dataclass(frozen=True)
class Sensitivity:
    """How stable the ranking is under changed weights and costs."""

    monte_carlo: MonteCarloResult
    tornado: pd.DataFrame
    weight_flips: pd.DataFrame


def ranking_model(
    scenarios: pd.DataFrame,
    weights: Mapping[str, float],
    anchors: ScoreAnchors,
    method: mcda.Method = "weighted_sum",
) -> RankingModel:
    """The ranked scenarios as :mod:`analyzer.sensitivity` varies them, on :data:`CRITERIA`.

    Raises
    ------
    TooFewRankedOptions
        With fewer than :data:`MIN_RANKED_FOR_SENSITIVITY` scenarios of status ``ok``.
    """
    index, columns = ranked_columns(scenarios, [*criterion_columns(), RECURRING_NPV_COLUMN])
    if len(index) < MIN_RANKED_FOR_SENSITIVITY:
        names = ", ".join(scenarios.loc[index].get("label", index.to_series()))
        raise TooFewRankedOptions(
            f"rank stability compares options, but only {names or 'none'} can be ranked: "
            "relax a must-have or add a quote to get more"
        )
    return RankingModel.of_columns(
        index,
        columns,
        CriterionValues(anchors),
        _criterion_index(CRITERIA).copy(),
        weights,
        method,
    )


def sensitivity(
    scenarios: pd.DataFrame,
    weights: Mapping[str, float],
    anchors: ScoreAnchors,
    *,
    method: mcda.Method = "weighted_sum",
    samples: int = 10_000,
    concentration: float = 50.0,
    seed: int = 0,
    uncertainty: CostUncertainty | None = None,
    progress: Callable[[float], None] | None = None,
) -> Sensitivity:
    """Monte Carlo rank stability, a one-at-a-time tornado and weight-flip thresholds.

    All three score with the same value functions and anchors as :func:`score_scenarios`.
    See :func:`analyzer.sensitivity.monte_carlo` for what is sampled.

    Raises
    ------
    TooFewRankedOptions
        (a :class:`~analyzer.errors.ScenarioError`) with fewer than two rankable scenarios:
        there is no ranking to be stable. Callers state the absence instead of a result.
    """
    model = ranking_model(scenarios, weights, anchors, method)
    return Sensitivity(
        monte_carlo(
            model,
            uncertainty=uncertainty or CostUncertainty(),
            samples=samples,
            concentration=concentration,
            seed=seed,
            progress=progress,
        ),
        tornado(model),
        weight_flip_thresholds(model),
    )
