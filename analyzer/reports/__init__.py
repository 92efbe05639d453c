"""Reports of an analysis: JSON, Markdown, HTML, XLSX and CSV documents (DESIGN section 7).

Reports assemble the result's tables and the figures of :mod:`analyzer.charts`; they compute
no numbers of their own. Text that comes from a catalog or a profile is escaped in HTML (Jinja2
autoescape, never marked safe) and neutralized against spreadsheet formulas in CSV and XLSX.

Examples
--------
>>> import json
>>> from analyzer.analysis import analyze
>>> from analyzer.catalog import load_catalog
>>> from analyzer.profile import load_profile
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog)
>>> json.loads(report_json(result))["recommendation"]["scenario_id"] == (
...     result.recommendation.scenario_id)
True
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analyzer import charts
from analyzer.analysis import COST_COLUMNS
from analyzer.costs import COMPONENTS
from analyzer.errors import ScenarioError
from analyzer.formatting import SYMBOLS, money
from analyzer.safety import neutralize_frame
from analyzer.scoring import CRITERION_NAMES, Sensitivity

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

SCHEMA_VERSION = 1
"""Version of the JSON report's layout; raised when a field changes meaning or goes away."""

MONEY_COLUMNS = frozenset(
    {
        *COST_COLUMNS,
        "saving_vs_stay",
        "price",
        "monthly_cost",
        "amount",
        "amount_in_profile_currency",
    }
)
"""Columns holding money: rounded to cents and shown in the currency format."""
MONEY_DECIMALS = 2
RATIO_DECIMALS = 4
"""Fits, scores, weights and probabilities keep four decimals: two would tie close scenarios."""

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

SOURCE_COLUMNS = [
    "product",
    "tier",
    "kind",
    "item",
    "amount",
    "currency",
    "unit",
    "billing",
    "amount_in_profile_currency",
    "source",
    "as_of",
]

REPORT_FORMATS = ("json", "md", "html", "xlsx", "csv")


# --- Tables shared by every format -------------------------------------------------------------


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
    """Per ranked scenario: probability of ranking first, expected rank and rank distribution."""
    mc = sensitivity.monte_carlo
    table = pd.DataFrame(
        {
            "scenario_id": mc.p_first.index,
            "label": result.scenarios.loc[mc.p_first.index, "label"].to_numpy(),
            "p_first": mc.p_first.to_numpy(),
            "expected_rank": mc.expected_rank.reindex(mc.p_first.index).to_numpy(),
        }
    )
    distribution = mc.rank_distribution.reindex(mc.p_first.index)
    for rank in distribution.columns:
        table[f"p_rank_{rank}"] = distribution[rank].to_numpy()
    return table.sort_values(
        ["p_first", "scenario_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


# --- JSON --------------------------------------------------------------------------------------


def _plain(value: Any, decimals: int) -> Any:
    """A JSON value: NaN and NA as null, dates in ISO form, floats rounded, numpy unwrapped."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        # Adding 0.0 turns a rounded -0.0 into 0.0, so equal amounts print the same.
        return None if math.isnan(value) else round(float(value), decimals) + 0.0
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decimals(column: str) -> int:
    return MONEY_DECIMALS if column in MONEY_COLUMNS else RATIO_DECIMALS


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts (money to cents, ratios to four decimals)."""
    columns = [str(c) for c in frame.columns]
    return [
        {c: _plain(v, _decimals(c)) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with money rounded to cents and other floats to four decimals."""
    return frame.round({c: _decimals(str(c)) for c in frame.columns})


def report_data(result: AnalysisResult) -> dict:
    """Everything the reports show, as one JSON-ready document (see ``docs/report-json.md``)."""
    profile = result.profile
    stay = result.scenarios.loc["stay"]
    rec = result.recommendation
    plan = recommended_exit_plan(result)
    sensitivity = result.sensitivity
    monthly = result.monthly
    months = next(iter(monthly.values())).index.astype(str).tolist()
    return {
        "schema_version": SCHEMA_VERSION,
        "profile": {
            "name": profile.name,
            "currency": profile.currency,
            "analysis_start": profile.analysis_start.isoformat(),
            "horizon_months": profile.horizon_months,
            "discount_rate": profile.discount_rate,
            "current": {
                "product_id": stay["product_id"],
                "product": stay["product"],
                "tier_id": stay["tier_id"],
                "tier": stay["tier"],
                "seats": dict(profile.current.seats),
                "billing": profile.current.billing,
                "contract_start": profile.current.contract.start.isoformat(),
                "contract_end": profile.current.contract.end.isoformat(),
            },
            "roles": [
                {"id": role.id, "name": role.name, "seats": role.seats} for role in profile.roles
            ],
            "criteria_weights": dict(profile.criteria_weights),
            "scoring_method": profile.scoring_method,
        },
        "assumptions": profile.model_dump(mode="json"),
        "key_dates": records(key_date_table(result)),
        "recommendation": {
            "scenario_id": rec.scenario_id,
            "label": rec.label,
            "kind": rec.kind,
            "headline": rec.headline,
            "reasons": list(rec.reasons),
            "runner_up": rec.runner_up,
            "warnings": list(rec.warnings),
        },
        "scenarios": records(result.scenarios.reset_index(drop=True)),
        "cash_flows": {
            "months": months,
            "components": list(COMPONENTS),
            "scenarios": {
                sid: {c: [_plain(v, MONEY_DECIMALS) for v in table[c]] for c in COMPONENTS}
                for sid, table in monthly.items()
            },
        },
        "licenses": records(result.licenses),
        "fit_detail": records(result.fit_detail),
        "exit_plan": {"scenario_id": rec.scenario_id, "steps": records(plan)},
        "sensitivity": None if sensitivity is None else _sensitivity_data(result, sensitivity),
        "sources": records(result.sources),
    }


def _sensitivity_data(result: AnalysisResult, sensitivity: Sensitivity) -> dict:
    return {
        "samples": sensitivity.monte_carlo.samples,
        "seed": sensitivity.monte_carlo.seed,
        "rank_stability": records(rank_stability_table(result, sensitivity)),
        "tornado": records(sensitivity.tornado),
        "weight_flips": records(sensitivity.weight_flips),
    }


def report_json(result: AnalysisResult) -> str:
    """The JSON report: byte-identical for the same inputs (sorted keys, rounded floats)."""
    data = report_data(result)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


# --- CSV ---------------------------------------------------------------------------------------


def report_csv(result: AnalysisResult) -> str:
    """The scenario table as CSV, every text cell neutralized against formulas."""
    table = neutralize_frame(_rounded(scenario_table(result)))
    return table.to_csv(index=False, lineterminator="\n")


# --- Markdown ----------------------------------------------------------------------------------


def _md_cell(value: Any) -> str:
    """Table-safe text: a pipe or a line break would split the row."""
    text = "–" if value is None or value is pd.NA or value is pd.NaT else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def report_markdown(result: AnalysisResult) -> str:
    """A Markdown report: recommendation, scenarios, key dates, exit plan, sources."""
    profile = result.profile
    cash = partial(money, currency=profile.currency)
    rec = result.recommendation
    table = scenario_table(result)
    ranked = table[table["rank"].notna()]
    unranked = table[table["rank"].isna()]
    plan = recommended_exit_plan(result)
    sources = result.sources
    parts = [
        f"# CRM decision report: {_md_cell(profile.name)}",
        f"Analysis start {profile.analysis_start}, horizon {profile.horizon_months} months, "
        f"amounts in {profile.currency}, discount rate {profile.discount_rate:.1%} for NPV.",
        "## Recommendation",
        f"**{_md_cell(rec.headline)}**",
        "\n".join(f"- {_md_cell(reason)}" for reason in rec.reasons),
    ]
    if rec.warnings:
        parts.append("\n".join(f"> **Warning:** {_md_cell(w)}" for w in rec.warnings))
    parts += [
        "## Ranked scenarios",
        _md_table(
            ["Rank", "Scenario", "Total", "NPV", "One-time", "Saving vs Stay", "Fit", "Score"],
            [
                [
                    row.rank,
                    row.label,
                    cash(row.total),
                    cash(row.npv),
                    cash(row.one_time_total),
                    cash(row.saving_vs_stay),
                    f"{row.fit:.0%}",
                    f"{row.score:.3f}",
                ]
                for row in ranked.itertuples()
            ],
        ),
        "## Not ranked",
        _md_table(
            ["Scenario", "Status", "Reason"],
            [[row.label, row.status, row.problems] for row in unranked.itertuples()],
        )
        if len(unranked)
        else "Every scenario was costed and ranked.",
        "## Key dates",
        _md_table(["Event", "Date"], key_date_table(result).to_numpy().tolist()),
        f"## Exit plan: {_md_cell(rec.label)}",
        _md_table(
            ["Date", "Step", "Detail"],
            [
                [row.date, f"**{row.step}**" if row.warning else row.step, row.detail]
                for row in plan.itertuples()
            ],
        ),
        "## Prices used",
        _md_table(
            ["Product", "Tier", "Kind", "Item", "Amount", "Unit", "Source", "As of"],
            [
                [
                    row.product,
                    row.tier,
                    row.kind,
                    row.item,
                    money(row.amount, row.currency, 2),
                    row.unit,
                    row.source,
                    row.as_of,
                ]
                for row in sources.itertuples()
            ],
        ),
    ]
    return "\n\n".join(parts) + "\n"


# --- HTML --------------------------------------------------------------------------------------

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("analyzer", "templates"),
    # Always on (not keyed on the file extension): every catalog and profile string is escaped.
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the template, missing values as None (a NaN would print as "nan")."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _figure_html(figure: Any) -> Markup:
    # Plotly writes the figure as JSON with <, > and / escaped, so catalog text inside it cannot
    # close the script element; plotly.js itself is embedded once for the whole page.
    return Markup(figure.to_html(full_html=False, include_plotlyjs=False))


def report_html(result: AnalysisResult) -> str:
    """One self-contained HTML page: plotly.js embedded once, nothing loaded from the network."""
    profile = result.profile
    rec = result.recommendation
    sensitivity = result.sensitivity
    table = scenario_table(result)
    flips = pd.DataFrame()
    figures = {
        "cumulative": charts.cumulative_cost_chart(result),
        "breakdown": charts.cost_breakdown_chart(result),
        "fit": charts.fit_heatmap(result),
        "score": charts.score_breakdown_chart(result),
        "timeline": charts.contract_timeline(result, rec.scenario_id),
    }
    if sensitivity is not None:
        figures["stability"] = charts.rank_stability_chart(
            sensitivity, labels=result.scenarios["label"]
        )
        figures["tornado"] = charts.tornado_chart(sensitivity)
        flips = sensitivity.weight_flips.assign(
            criterion=lambda f: f["criterion"].map(CRITERION_NAMES),
            new_winner=lambda f: f["new_winner"].map(result.scenarios["label"]),
        )
    ranked = table["rank"].notna()
    template = _TEMPLATES.get_template("report.html.j2")
    return template.render(
        profile=profile,
        recommendation=rec,
        ranked=_rows(table[ranked]),
        unranked=_rows(table[~ranked]),
        key_dates=_rows(key_date_table(result)),
        exit_plan=_rows(recommended_exit_plan(result)),
        assumptions=_rows(assumption_table(result)),
        sources=_rows(result.sources),
        sensitivity=sensitivity,
        weight_flips=_rows(flips),
        figures={name: _figure_html(figure) for name, figure in figures.items()},
        plotly_js=Markup(get_plotlyjs()),
        money=partial(money, currency=profile.currency),
        price=partial(money, decimals=2),
    )


# --- XLSX --------------------------------------------------------------------------------------


def money_format(currency: str) -> str:
    """An Excel number format for ``currency``: its symbol in front, else its ISO code after."""
    symbol = SYMBOLS.get(currency)
    return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'


RATIO_FORMAT = "0.0000"
PERCENT_FORMAT = "0.0%"
PERCENT_COLUMNS = frozenset({"fit", "p_first"})
MAX_COLUMN_WIDTH = 60


def _sheet_frames(result: AnalysisResult) -> dict:
    """The workbook's sheets, in order, each a list of tables (Sensitivity has three)."""
    rec = result.recommendation
    sensitivity = result.sensitivity
    summary = pd.DataFrame(
        [
            ("Organisation", result.profile.name),
            ("Currency", result.profile.currency),
            ("Analysis start", result.profile.analysis_start),
            ("Horizon (months)", result.profile.horizon_months),
            ("Recommendation", rec.headline),
            *[("Reason", reason) for reason in rec.reasons],
            *[("Warning", warning) for warning in rec.warnings],
            ("Runner-up", rec.runner_up),
            *key_date_table(result).itertuples(index=False, name=None),
        ],
        columns=["item", "value"],
    )
    if sensitivity is None:
        stability = [pd.DataFrame({"note": [result.stability.absence]})]
    else:
        stability = [
            rank_stability_table(result, sensitivity),
            sensitivity.tornado,
            sensitivity.weight_flips,
        ]
    return {
        "Summary": [summary],
        "Scenarios": [scenario_table(result)],
        "Cash flows": [
            result.cash_flows.assign(
                label=result.cash_flows["scenario_id"].map(result.scenarios["label"])
            )
        ],
        "Feature fit": [result.fit_detail],
        "Licenses": [result.licenses],
        "Sensitivity": stability,
        "Exit plan": [recommended_exit_plan(result)],
        "Assumptions": [assumption_table(result)],
        "Sources": [result.sources],
    }


def report_xlsx(result: AnalysisResult) -> bytes:
    """An Excel workbook: one sheet per table, currency formats, frozen headers, filters.

    Every text cell is neutralized and strings are never read as formulas or links.
    """
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        date_format="yyyy-mm-dd",
        datetime_format="yyyy-mm-dd",
        engine_kwargs={"options": options},
    ) as writer:
        book = writer.book
        formats = {
            "money": book.add_format({"num_format": money_format(result.profile.currency)}),
            "ratio": book.add_format({"num_format": RATIO_FORMAT}),
            "percent": book.add_format({"num_format": PERCENT_FORMAT}),
        }
        for sheet, frames in _sheet_frames(result).items():
            # Tables of one sheet stand side by side, so each column keeps one number format.
            first_column = 0
            for index, frame in enumerate(frames):
                safe = neutralize_frame(frame.reset_index(drop=True))
                safe.to_excel(writer, sheet_name=sheet, index=False, startcol=first_column)
                worksheet = writer.sheets[sheet]
                if index == 0:
                    # One autofilter per sheet: on the first table, the one to filter.
                    worksheet.freeze_panes(1, 0)
                    worksheet.autofilter(0, 0, len(safe), max(len(safe.columns) - 1, 0))
                _format_columns(worksheet, frame, formats, first_column)
                first_column += len(safe.columns) + 1
    return buffer.getvalue()


def _format_columns(
    worksheet: Any, frame: pd.DataFrame, formats: dict, first_column: int = 0
) -> None:
    """Column widths from the content, and number formats by what a column holds."""
    for position, column in enumerate(frame.columns, start=first_column):
        values = frame[column]
        width = max([len(str(column)), *(len(str(v)) for v in values.head(200))]) + 2
        kind = _column_format(str(column), values)
        worksheet.set_column(
            position, position, min(width, MAX_COLUMN_WIDTH), formats.get(kind or "")
        )


def _column_format(column: str, values: pd.Series) -> str | None:
    if column in MONEY_COLUMNS:
        return "money"
    if column in PERCENT_COLUMNS or column.startswith("p_rank_"):
        return "percent"
    if pd.api.types.is_float_dtype(values):
        return "ratio"
    return None


# --- One entry point for the CLI and the app ---------------------------------------------------

_RENDERERS: dict[str, Callable[..., str | bytes]] = {
    "json": report_json,
    "md": report_markdown,
    "html": report_html,
    "xlsx": report_xlsx,
    "csv": report_csv,
}


def render_report(result: AnalysisResult, report_format: str) -> str | bytes:
    """The report in ``report_format`` (one of :data:`REPORT_FORMATS`); XLSX is bytes."""
    if report_format not in _RENDERERS:
        raise ScenarioError(f"report format must be one of {', '.join(REPORT_FORMATS)}")
    return _RENDERERS[report_format](result)


__all__ = [
    "REPORT_FORMATS",
    "assumption_table",
    "rank_stability_table",
    "records",
    "render_report",
    "report_csv",
    "report_data",
    "report_html",
    "report_json",
    "report_markdown",
    "report_xlsx",
    "scenario_table",
]
