"""The recommendation: the winner and its reasons in plain words, built from the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analyzer.dates import month_index
from analyzer.formatting import fit_points, money, percent, points_change
from analyzer.profile import Profile
from analyzer.scoring import CRITERION_NAMES, CloseCall, column_values

FIT_COLUMNS = ["role_id", "feature_id", "feature", "score"]
"""Columns of the fit table the reasons read."""
SEAT_COLUMNS = [
    "role_id",
    "role",
    "seats",
    "license_type_id",
    "license_type",
    "price",
    "net_price",
    "fit",
]
"""Columns of the license table the role moves read."""
PRODUCT_COLUMNS = ["product", "tier", "role"]
"""Columns of the license table the products by role read."""
SCENARIO_COLUMNS = [
    "scenario_id",
    "label",
    "kind",
    "shape",
    "score",
    "total",
    "npv",
    "fit",
    "saving_vs_stay",
    *(f"contribution_{c}" for c in CRITERION_NAMES),
]
"""Columns of the scenario table every recommendation reads (those present)."""
KIND_COLUMNS = {
    "switch": ["one_time_total", "go_live", "exit_reason"],
    "downgrade": ["effective_date"],
}
"""Further columns of the winner's row that the reasons of its kind read (those present)."""


@dataclass(frozen=True)
class Recommendation:
    scenario_id: str
    label: str
    kind: str
    headline: str
    reasons: list[str]
    runner_up: str | None
    warnings: list[str]
    contenders: tuple[str, ...] = ()
    """The close call's contenders, winner first; empty for a clear winner."""


@dataclass(frozen=True)
class RecommendationInputs:
    """The tables a recommendation is built from (the result's, before it exists)."""

    profile: Profile
    scenarios: pd.DataFrame
    """Scored scenarios, ranked ones first by rank."""
    licenses: pd.DataFrame
    fit_detail: pd.DataFrame
    weights: pd.Series
    """The normalized criteria weights used for the scores."""
    warnings: list[str]
    close_call: CloseCall | None = None
    """Set when the winner is not a clear one (DESIGN section 6)."""


def recommend(result: RecommendationInputs) -> Recommendation:
    """The best-ranked scenario and why, compared with staying."""
    scenarios = result.scenarios
    # Rows read as plain records, only the columns the sentences use: a pandas mask or row of
    # the scenario table copies or boxes every column (many of them strings).
    # The rank column's missing values, from its stored array: a pandas notna() builds a
    # Series around it.
    ranked = np.flatnonzero(~pd.isna(column_values(scenarios, "rank")))
    positions = [int(ranked[0]), scenarios.index.get_loc("stay"), *ranked[1:2].tolist()]
    columns = [c for c in SCENARIO_COLUMNS if c in scenarios.columns]
    winner, stay, *runners = table_rows(scenarios, positions, columns)
    # A column costs a read of its own: those only one kind's reasons use, only for that kind.
    extra = [c for c in KIND_COLUMNS.get(winner["kind"], []) if c in scenarios.columns]
    if extra:
        winner.update(table_rows(scenarios, positions[:1], extra)[0])
    currency = result.profile.currency
    months = result.profile.horizon_months
    # The fit and seat rows of Stay and the winner, each table read once, if a reason needs them.
    pair = ["stay", winner["scenario_id"]]
    fits = {}
    if winner["kind"] != "stay":
        fits = columns_by_scenario(result.fit_detail, pair, FIT_COLUMNS)
    seat_columns = (SEAT_COLUMNS if winner["kind"] == "downgrade" else []) + (
        PRODUCT_COLUMNS if winner["shape"] != "single" else []
    )
    seats = rows_by_scenario(result.licenses, pair, seat_columns) if seat_columns else {}
    reasons = [_cost_reason(winner, stay, currency, months)]
    reasons += _fit_reasons(winner, stay, fits)
    if winner["shape"] != "single":
        reasons.append(_products_by_role(seats[winner["scenario_id"]]))
    if winner["kind"] == "switch":
        reasons.append(
            f"One-time switching cost {money(winner['one_time_total'], currency)}; go-live "
            f"{winner['go_live']}. Old contract: {winner['exit_reason']}."
        )
    if winner["kind"] == "downgrade":
        reasons += _role_moves(result, winner, months, fits, seats)
    reasons.append(_score_reason(result, winner))
    runner_up = None
    if runners:
        second = runners[0]
        runner_up = str(second["scenario_id"])
        reasons.append(
            f"Runner-up: {second['label']} (score {second['score']:.3f} against "
            f"{winner['score']:.3f})."
        )
    headline = f"{winner['label']}"
    if winner["kind"] != "stay":
        headline += f": saves {money(winner['saving_vs_stay'], currency)} over {months} months"
        if winner["saving_vs_stay"] < 0:
            headline = (
                f"{winner['label']}: costs {money(-winner['saving_vs_stay'], currency)} "
                f"more over {months} months, for a better fit"
            )
    call = result.close_call
    contenders: tuple[str, ...] = ()
    if call is not None:
        labels = dict(
            zip(scenarios.index.tolist(), column_values(scenarios, "label").tolist(), strict=True)
        )
        contenders = call.contenders
        names = " and ".join(labels[s] for s in contenders)
        headline = f"Close call between {names}; narrowly ahead: {headline}"
        reasons.insert(0, f"Not a clear winner: {'; '.join(call.reasons(labels))}.")
    return Recommendation(
        str(winner["scenario_id"]),
        str(winner["label"]),
        str(winner["kind"]),
        headline,
        reasons,
        runner_up,
        list(result.warnings),
        contenders,
    )


Row = dict[str, Any]


def table_rows(table: pd.DataFrame, positions: list[int], columns: list[str]) -> list[Row]:
    """``columns`` of the rows of ``table`` at ``positions``, as plain records: one array per
    column, each read once. Values are those of ``table.iloc[position]`` (numpy scalars for
    numeric columns)."""
    arrays = [column_values(table, column) for column in columns]
    return [
        dict(zip(columns, (array[position] for array in arrays), strict=True))
        for position in positions
    ]


def rows_by_scenario(
    table: pd.DataFrame, scenario_ids: list[str], columns: list[str]
) -> dict[str, list[Row]]:
    """Per scenario id, ``columns`` of the rows of ``table`` whose ``scenario_id`` is it, as
    plain records in table order: one numpy comparison per id and each column read once,
    which cost far less than a pandas mask of a string column and row-by-row (or
    ``to_dict``) pandas access."""
    return {
        scenario_id: [
            dict(zip(lists, row, strict=True)) for row in zip(*lists.values(), strict=True)
        ]
        for scenario_id, lists in columns_by_scenario(table, scenario_ids, columns).items()
    }


Columns = dict[str, list[Any]]


def columns_by_scenario(
    table: pd.DataFrame, scenario_ids: list[str], columns: list[str]
) -> dict[str, Columns]:
    """:func:`rows_by_scenario` as one list per column: ``columns`` of the rows of ``table``
    whose ``scenario_id`` is each id, in table order. The fit table gives some fifty rows per
    scenario, which the reasons read a column or two at a time, without a record per row."""
    ids = column_values(table, "scenario_id")
    arrays = [column_values(table, column) for column in columns]
    chosen = {scenario_id: np.flatnonzero(ids == scenario_id) for scenario_id in scenario_ids}
    return {
        scenario_id: {
            column: array[rows].tolist() for column, array in zip(columns, arrays, strict=True)
        }
        for scenario_id, rows in chosen.items()
    }


def _products_by_role(rows: list[Row]) -> str:
    """Which roles go on which product of a stack or partial switch, in profile order."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(f"{row['product']} {row['tier']}", []).append(row["role"])
    return "; ".join(f"{', '.join(roles)} on {name}" for name, roles in groups.items()) + "."


def _cost_reason(winner: Row, stay: Row, currency: str, months: int) -> str:
    if winner["kind"] == "stay":
        return (
            f"Staying costs {money(stay['total'], currency)} over {months} months (NPV "
            f"{money(stay['npv'], currency)}); no other option scores better."
        )
    verb = "saves" if winner["saving_vs_stay"] >= 0 else "costs"
    return (
        f"It {verb} {money(abs(winner['saving_vs_stay']), currency)} "
        f"{'' if verb == 'saves' else 'more '}over {months} months against staying "
        f"({money(winner['total'], currency)} against {money(stay['total'], currency)}; "
        f"NPV {money(winner['npv'], currency)} against {money(stay['npv'], currency)})."
    )


def _fit_reasons(winner: Row, stay: Row, fits: dict[str, Columns]) -> list[str]:
    if winner["kind"] == "stay":
        return [f"Feature fit today: {percent(stay['fit'])}."]
    change = points_change(fit_points(winner["fit"], stay["fit"]))
    lost = _features_lost(fits["stay"], fits[winner["scenario_id"]])
    tail = f"; weaker on {', '.join(lost)}" if lost else ""
    fits_text = f"{percent(winner['fit'])} against {percent(stay['fit'])} today"
    return [f"Feature fit {fits_text} ({change}){tail}."]


def _points(points: int) -> str:
    return f"{abs(points)} point{'' if abs(points) == 1 else 's'}"


def _features_lost(today_fits: Columns, new_fits: Columns) -> list[str]:
    """Features whose support falls against Stay for some role, by name (``role_id``,
    ``feature_id``, ``feature``, ``score`` columns of the fit rows of Stay and of the option)."""
    today = dict(
        zip(
            zip(today_fits["role_id"], today_fits["feature_id"], strict=True),
            today_fits["score"],
            strict=True,
        )
    )
    return sorted(
        {
            feature
            for role_id, feature_id, feature, score in zip(
                new_fits["role_id"],
                new_fits["feature_id"],
                new_fits["feature"],
                new_fits["score"],
                strict=True,
            )
            if score < today.get((role_id, feature_id), 0)
        }
    )


def _role_moves(
    result: RecommendationInputs,
    winner: Row,
    months: int,
    fits: dict[str, Columns],
    seats: dict[str, list[Row]],
) -> list[str]:
    """One sentence per role that moves to a cheaper seat type in a downgrade."""
    currency = result.profile.currency
    today = {row["role_id"]: row for row in seats["stay"]}
    remaining = max(
        0, months - month_index(winner["effective_date"], result.profile.analysis_start)
    )
    discount = 1 - result.profile.discount_pct / 100
    missing_new = _missing(fits[winner["scenario_id"]])
    missing_today = _missing(fits["stay"])
    sentences = []
    for row in seats[winner["scenario_id"]]:
        role_id = row["role_id"]
        before = today[role_id]
        if row["license_type_id"] == before["license_type_id"]:
            continue
        paid = before["price"]  # what the role costs today, at the price actually paid
        price = row["price"] if row["net_price"] else row["price"] * discount
        saving = (paid - price) * row["seats"] * remaining
        points = fit_points(row["fit"], before["fit"])
        lost = sorted(missing_new.get(role_id, set()) - missing_today.get(role_id, set()))
        fit_text = (
            "fit unchanged"
            if points == 0
            else f"fit {'rises' if points > 0 else 'falls'} {_points(points)}"
        )
        if lost and points < 0:
            fit_text += f", on {', '.join(lost)}"
        sentences.append(
            f"Moving the {row['role']} role ({row['seats']} seats) to {row['license_type']} saves "
            f"about {money(saving, currency)} over the {remaining} months after the change; "
            f"{fit_text}."
        )
    return sentences


def _missing(fits: Columns) -> dict[str, set[str]]:
    """Per role id, the names of the needed features the role does not get in a scenario.

    One pass over the scenario's fit rows, not one mask of the whole table per role.
    """
    missing: dict[str, set[str]] = {}
    for role_id, feature, score in zip(
        fits["role_id"], fits["feature"], fits["score"], strict=True
    ):
        if score == 0:
            missing.setdefault(role_id, set()).add(feature)
    return missing


def _score_reason(result: RecommendationInputs, winner: Row) -> str:
    contributions = {c: winner[f"contribution_{c}"] for c in CRITERION_NAMES}
    weights = result.weights
    parts = [
        f"{CRITERION_NAMES[c]} {value:.3f} (weight {weights[c]:.0%})"
        for c, value in contributions.items()
    ]
    return f"Score {winner['score']:.3f} = " + " + ".join(parts) + "."
