"""Scoring the costed scenarios: the decision matrix, the ranking and the recommendation.

Only scenarios with status ``ok`` are ranked; infeasible ones are listed with their reasons.
Criteria (DESIGN section 6): cost = NPV over the horizon (min), fit = seat-weighted feature fit
(max), effort = one-time switching cost (min).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analyzer import mcda
from analyzer.errors import ScenarioError
from analyzer.mcda import DEFAULT_CRITERIA, ScoreResult, directions_of
from analyzer.sensitivity import MonteCarloResult, monte_carlo, tornado, weight_flip_thresholds

DIRECTIONS = directions_of(DEFAULT_CRITERIA)
MIN_RANKED_FOR_SENSITIVITY = 2
CRITERION_NAMES = {c.id: c.name for c in DEFAULT_CRITERIA}


def decision_matrix(scenarios: pd.DataFrame) -> pd.DataFrame:
    """Scenarios x criteria (cost, fit, effort) for the ranked (status ``ok``) scenarios."""
    ranked = scenarios[scenarios["status"] == "ok"]
    return pd.DataFrame(
        {
            "cost": ranked["npv"],
            "fit": ranked["fit"],
            "effort": ranked["one_time_total"],
        }
    )


def cost_parts(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The cost criterion split into the part a renewal uplift moves and the one-time part."""
    ranked = scenarios[scenarios["status"] == "ok"]
    return pd.DataFrame(
        {
            "recurring": ranked["recurring_npv"],
            "one_time": ranked["npv"] - ranked["recurring_npv"],
        }
    )


def score_scenarios(
    scenarios: pd.DataFrame, weights: dict[str, float], method: mcda.Method = "weighted_sum"
) -> ScoreResult:
    return mcda.score(decision_matrix(scenarios), weights, DIRECTIONS, method=method)


@dataclass(frozen=True)
class Sensitivity:
    """How stable the ranking is under changed weights and costs."""

    monte_carlo: MonteCarloResult
    tornado: pd.DataFrame
    weight_flips: pd.DataFrame


def sensitivity(
    scenarios: pd.DataFrame,
    weights: dict[str, float],
    *,
    method: mcda.Method = "weighted_sum",
    samples: int = 10_000,
    concentration: float = 50.0,
    seed: int = 0,
    uncertainty=None,
    progress=None,
) -> Sensitivity:
    """Monte Carlo rank stability, a one-at-a-time tornado and weight-flip thresholds."""
    matrix = decision_matrix(scenarios)
    if len(matrix) < MIN_RANKED_FOR_SENSITIVITY:
        raise ScenarioError(
            "rank stability compares options, but only "
            f"{', '.join(scenarios.loc[matrix.index, 'label']) or 'none'} can be ranked: "
            "relax a must-have or add a quote to get more"
        )
    extra = {"uncertainty": uncertainty} if uncertainty is not None else {}
    result = monte_carlo(
        matrix,
        DIRECTIONS,
        weights,
        cost_parts=cost_parts(scenarios),
        samples=samples,
        concentration=concentration,
        seed=seed,
        method=method,
        progress=progress,
        **extra,
    )
    return Sensitivity(
        result,
        tornado(matrix, DIRECTIONS, weights, method=method),
        weight_flip_thresholds(matrix, DIRECTIONS, weights, method=method),
    )
