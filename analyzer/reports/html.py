"""The HTML report: one self-contained page with the charts of :mod:`analyzer.charts`.

The layout is ``analyzer/templates/report.html.j2``, rendered with autoescape always on: every
catalog and profile string is escaped; only plotly.js and plotly's own figure markup are
passed as :class:`~markupsafe.Markup`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analyzer import charts
from analyzer.reports.pack import (
    NO_PEER_PRICES,
    break_even_texts,
    price_against_list,
    source_rows,
    walk_away_options,
)
from analyzer.reports.tables import (
    assumption_table,
    template_environment,
    template_rows,
    template_tables,
)
from analyzer.scoring import CRITERION_NAMES

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

# Always on (not keyed on the file extension): every catalog and profile string is escaped.
_TEMPLATES = template_environment(autoescape=True)


def _figure_html(figure: Any) -> Markup:
    # Plotly writes the figure as JSON with <, > and / escaped, so catalog text inside it cannot
    # close the script element; plotly.js itself is embedded once for the whole page.
    return Markup(figure.to_html(full_html=False, include_plotlyjs=False))


def _figures(result: AnalysisResult) -> dict[str, Markup]:
    """The page's charts by name; rank stability and tornado only with a sensitivity."""
    figures = {
        "value": charts.value_for_money_chart(result),
        "cumulative": charts.cumulative_cost_chart(result),
        "breakdown": charts.cost_breakdown_chart(result),
        "fit": charts.fit_heatmap(result),
        "score": charts.score_breakdown_chart(result),
        "timeline": charts.contract_timeline(result, result.recommendation.scenario_id),
    }
    if result.sensitivity is not None:
        figures["stability"] = charts.rank_stability_chart(
            result.sensitivity, labels=result.scenarios["label"], kinds=result.scenarios["kind"]
        )
        figures["tornado"] = charts.tornado_chart(result.sensitivity)
    return {name: _figure_html(figure) for name, figure in figures.items()}


def _weight_flips(result: AnalysisResult) -> pd.DataFrame:
    """The weight-flip table with criterion and winner names instead of ids."""
    if result.sensitivity is None:
        return pd.DataFrame()
    return result.sensitivity.weight_flips.assign(
        criterion=lambda f: f["criterion"].map(CRITERION_NAMES),
        new_winner=lambda f: f["new_winner"].map(result.scenarios["label"]),
    )


def report_html(result: AnalysisResult) -> str:
    """One self-contained HTML page: plotly.js embedded once, nothing loaded from the network.

    The recommendation, every warning, the scenarios with both totals and break-even, the
    negotiation pack (price against list, unused seats, the alternatives, the value-for-money
    chart), the charts, rank stability, the exit plan and every price with source, age and
    confidence."""
    template = _TEMPLATES.get_template("report.html.j2")
    return template.render(
        template_tables(result),
        assumptions=template_rows(assumption_table(result)),
        sensitivity=result.sensitivity,
        weight_flips=template_rows(_weight_flips(result)),
        figures=_figures(result),
        break_even=break_even_texts(result),
        notice_urgency=result.notice_urgency,
        price_against_list=price_against_list(result),
        no_peer_prices=NO_PEER_PRICES,
        walk_away_options=walk_away_options(result),
        priced_sources=source_rows(result),
        plotly_js=Markup(get_plotlyjs()),
    )
