"""The tables every report shows, and the rules for rounding and printing their numbers.

Every report format reads these tables; none computes a figure of its own. A column's name
says what it holds: money columns (:data:`MONEY_COLUMNS`) are rounded to cents and printed in
the profile's currency, shares (:data:`PERCENT_COLUMNS`) are printed as percentages, and every
other float (fits, scores, weights, probabilities) keeps :data:`RATIO_DECIMALS` decimals.

Examples
--------
>>> percent(0.895), percent(0.08, 1), fixed(0.70915), fixed(None)
('90%', '8.0%', '0.709', '–')
>>> records(pd.DataFrame({"total": [1.005, float("nan")], "fit": [-0.00001, 0.123456]}))
[{'total': 1.0, 'fit': 0.0}, {'total': None, 'fit': 0.1235}]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analyzer.analysis import COST_COLUMNS
from analyzer.formatting import money, percent
from analyzer.safety import neutralize
from analyzer.scoring import Sensitivity

if TYPE_CHECKING:
    import jinja2

    from analyzer.analysis import AnalysisResult

MONEY_COLUMNS = frozenset(
    {
        *COST_COLUMNS,
        "saving_vs_stay",
        "price",
        "price_paid",
        "list_price",
        "unused_cost_per_year",
        "monthly_cost",
        "amount",
        "amount_in_profile_currency",
    }
)
"""Columns holding money: rounded to cents and shown in the currency format."""
PERCENT_COLUMNS = frozenset({"fit", "p_first"})
"""Shares shown as percentages in spreadsheets (with every ``p_rank_N`` column)."""
MONEY_DECIMALS = 2
RATIO_DECIMALS = 4
"""Fits, scores, weights and probabilities keep four decimals: two would tie close scenarios."""
MISSING = "–"
"""How a printed report shows a value that does not exist (a fit of an uncosted option)."""

SCENARIO_COLUMNS = [
    "rank",
    "scenario_id",
    "kind",
    "label",
    "product",
    "tier",
    "status",
    "seats",
    "total",
    "cash_total",
    "prepaid_after_horizon",
    "npv",
    "recurring_total",
    "one_time_total",
    "exit_costs",
    "saving_vs_stay",
    "break_even_month",
    "fit",
    "score",
    "contribution_cost",
    "contribution_fit",
    "contribution_effort",
    "effective_date",
    "go_live",
    "exit_kind",
    "exit_date",
    "exit_reason",
    "problems",
]
"""The scenario table of the CSV, XLSX, HTML and Markdown reports (JSON has every column)."""


# --- The tables ----------------------------------------------------------------------------------


def scenario_table(result: AnalysisResult) -> pd.DataFrame:
    """The scenarios, ranked first, in the columns every report shows (:data:`SCENARIO_COLUMNS`)."""
    return result.scenarios[SCENARIO_COLUMNS].reset_index(drop=True)


def assumption_table(result: AnalysisResult) -> pd.DataFrame:
    """The profile flattened to ``assumption, value`` rows (``current.contract.notice_days``)."""
    rows = list(_flatten(result.profile.model_dump(mode="json")))
    return pd.DataFrame(rows, columns=["assumption", "value"])


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Leaves of a JSON-like document; list items with an ``id`` are keyed by it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}.{item.get('id', index)}")
    elif isinstance(value, list):
        yield path, ", ".join(map(str, value))
    else:
        yield path, value


def key_date_table(result: AnalysisResult) -> pd.DataFrame:
    """``event, date`` of the term that can next be changed (Stay's key dates)."""
    return result.decision_key_dates[["event", "date"]]


def recommended_exit_plan(result: AnalysisResult) -> pd.DataFrame:
    """The dated checklist (date, step, detail, warning) of the recommended scenario."""
    return result.exit_plan(result.recommendation.scenario_id)


def rank_stability_table(result: AnalysisResult, sensitivity: Sensitivity) -> pd.DataFrame:
    """Per ranked scenario: probability of ranking first, expected rank and rank distribution.

    Rows run from the most to the least likely winner (ties by scenario id); ``p_rank_N`` is the
    share of samples in which the scenario ranked ``N``.
    """
    mc = sensitivity.monte_carlo
    distribution = mc.rank_distribution.reindex(mc.p_first.index)
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "scenario_id": mc.p_first.index,
                    "label": result.scenarios.loc[mc.p_first.index, "label"].to_numpy(),
                    "p_first": mc.p_first.to_numpy(),
                    "expected_rank": mc.expected_rank.reindex(mc.p_first.index).to_numpy(),
                }
            ),
            pd.DataFrame(
                distribution.to_numpy(),
                columns=[f"p_rank_{rank}" for rank in distribution.columns],
            ),
        ],
        axis=1,
    )
    return table.sort_values(
        ["p_first", "scenario_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def template_tables(result: AnalysisResult) -> dict[str, Any]:
    """What the Markdown and HTML templates both show, rows as dicts (missing values None)."""
    table = scenario_table(result)
    ranked = table["rank"].notna()
    return {
        "profile": result.profile,
        "recommendation": result.recommendation,
        "ranked": template_rows(table[ranked]),
        "unranked": template_rows(table[~ranked]),
        "unlisted_note": result.unlisted_note,
        "key_dates": template_rows(key_date_table(result)),
        "exit_plan": template_rows(recommended_exit_plan(result)),
        "sources": template_rows(result.sources),
        "stability": result.stability,
        "rank_stability": (
            template_rows(rank_stability_table(result, result.sensitivity))
            if result.sensitivity is not None
            else []
        ),
    }


def template_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for a template, missing values as None (a NaN would print as "nan")."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# --- Numbers: rounding for data, text for reading -----------------------------------------------


def column_kind(column: str, values: pd.Series) -> str | None:
    """``money``, ``percent`` or ``ratio`` for a numeric column, by name then dtype; else None."""
    if column in MONEY_COLUMNS:
        return "money"
    if column in PERCENT_COLUMNS or column.startswith("p_rank_"):
        return "percent"
    if pd.api.types.is_float_dtype(values):
        return "ratio"
    return None


def decimals(column: str) -> int:
    """Decimals ``column`` keeps in the JSON and CSV reports: cents for money, else four."""
    return MONEY_DECIMALS if column in MONEY_COLUMNS else RATIO_DECIMALS


def plain_value(value: Any, places: int) -> Any:
    """A JSON value: NaN and NA as null, dates in ISO form, floats rounded, numpy unwrapped."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        # Adding 0.0 turns a rounded -0.0 into 0.0, so equal amounts print the same.
        return None if math.isnan(value) else round(float(value), places) + 0.0
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plain_column(values: pd.Series, places: int) -> list[Any]:
    """:func:`plain_value` of every value of a column, a whole float or integer column at once."""
    kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else None
    if kind == "f":
        # NaN is the one value not equal to itself.
        return [None if v != v else round(v, places) + 0.0 for v in values.tolist()]
    if kind is not None and kind in "iub":
        return values.tolist()
    return [plain_value(v, places) for v in values]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts (money to cents, ratios to four decimals)."""
    columns = [str(c) for c in frame.columns]
    cells = [
        plain_column(frame.iloc[:, position], decimals(column))
        for position, column in enumerate(columns)
    ]
    return [dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True)]


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with money rounded to cents and other floats to four decimals."""
    return frame.round({c: decimals(str(c)) for c in frame.columns})


def spreadsheet_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` numbered from 0 with every text cell made inert for a spreadsheet.

    The same as :func:`analyzer.safety.neutralize_frame`, with each distinct text neutralized
    once: a long table repeats a few ids and labels thousands of times.
    """
    inert: dict[str, Any] = {}

    def neutralized(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if value not in inert:
            inert[value] = neutralize(value)
        return inert[value]

    safe = frame.reset_index(drop=True)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralized)
    safe.columns = [neutralize(c) for c in safe.columns]
    return safe


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def fixed(value: float | None, places: int = 3) -> str:
    """A score or weight with ``places`` decimals, :data:`MISSING` when there is none."""
    return MISSING if _missing(value) else f"{value:.{places}f}"


def template_environment(**options: Any) -> jinja2.Environment:
    """The templates of ``analyzer/templates`` with the number filters both reports use.

    ``money(amount, currency, decimals=0)``, ``percent(share, places=0)`` and
    ``fixed(value, places=3)``; ``options`` (autoescape, finalize) are the format's own.
    """
    # Imported here: only the Markdown and HTML reports need Jinja.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("analyzer", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    environment.filters.update(money=money, percent=percent, fixed=fixed)
    return environment
