"""Charts of an analysis: functions that reshape an :class:`AnalysisResult` into plotly figures.

Charts compute no numbers of their own (DESIGN section 2): every value plotted is read from the
result or the sensitivity object; only its shape changes. Money is shown in the profile's
currency, on the axes and in the hover labels. Text from a catalog or a profile (names of
products, tiers, seats, roles) passes through :func:`~analyzer.safety.inert_label` before it
becomes a label, tick, title or hover text, so plotly renders no tag in it (DESIGN section 7).

Examples
--------
>>> from analyzer.analysis import analyze
>>> from analyzer.catalog import load_catalog
>>> from analyzer.profile import load_profile
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog)
>>> cumulative_cost_chart(result).data[0].name.startswith("Stay")
True
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analyzer.analysis import default_scenarios
from analyzer.formatting import SYMBOLS, money
from analyzer.safety import inert_label
from analyzer.scoring import CRITERION_NAMES, Sensitivity

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

#: Colours by scenario kind, so Stay / downgrade / switch read the same in every chart, in the
#: app, the HTML report and the PDF's static charts alike.
KIND_COLOURS = {"stay": "#636efa", "downgrade": "#00cc96", "switch": "#ef553b"}
#: The value-for-money chart's frontier line and the opacity of a dominated option.
FRONTIER_COLOUR = "#1f2933"
DOMINATED_OPACITY = 0.3
#: Support scores (DESIGN section 6) from worst to best, for the heat map's colour scale.
FIT_COLOURSCALE = [[0.0, "#d73027"], [0.5, "#fee08b"], [1.0, "#1a9850"]]
LABEL_CHARACTERS = 32
"""Longest tick label drawn in full; longer names are shortened, the full name is in the hover."""
HEATMAP_ROW_PIXELS = 28
"""Height of one heat map row: every row keeps room for its label."""


def short_label(text: object, width: int = LABEL_CHARACTERS) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, at a word boundary where one is near.

    >>> short_label("Switch to HubSpot Sales Hub Enterprise (annual)")
    'Switch to HubSpot Sales Hub…'
    >>> short_label("Stay")
    'Stay'
    """
    text = str(text)
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-(") + "…"


def wrapped_label(text: object, width: int = 22, lines: int = 3) -> str:
    """``text`` as an inert plotly label wrapped onto at most ``lines`` lines of ``width``.

    Wrapping keeps names that differ only at the end (``(annual)``, ``(monthly)``) apart; a name
    too long even for that is shortened, and the chart's hover gives it in full.

    >>> wrapped_label("Switch to <b>Zoho</b> CRM Enterprise (annual)", 20)
    'Switch to<br>&lt;b&gt;Zoho&lt;/b&gt; CRM<br>Enterprise (annual)'
    """
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], short_label(" ".join(parts[lines - 1 :]), width)]
    return "<br>".join(inert_label(part) for part in parts)


def pareto_frontier(cost: Sequence[float], fit: Sequence[float]) -> list[bool]:
    """Which options are on the value-for-money frontier: no other costs less *and* fits better.

    An option is dominated when another costs no more and fits at least as well, and is
    strictly better on one of the two. Options with the same cost and fit do not dominate each
    other, so ties are on the frontier together.

    Parameters
    ----------
    cost
        Decision cost of each option (lower is better).
    fit
        Fit of each option (higher is better), in the same order.

    Returns
    -------
    list of bool
        True for each option on the frontier, in the order given.

    Examples
    --------
    >>> pareto_frontier([100, 120, 90, 130], [0.8, 0.9, 0.7, 0.85])
    [True, True, True, False]
    """
    costs = np.asarray(cost, dtype=float)
    fits = np.asarray(fit, dtype=float)
    if costs.shape != fits.shape:
        raise ValueError("cost and fit need one value per option each")
    no_worse = (costs[:, None] <= costs[None, :]) & (fits[:, None] >= fits[None, :])
    better = (costs[:, None] < costs[None, :]) | (fits[:, None] > fits[None, :])
    # dominates[j, i]: option j dominates option i.
    dominates = no_worse & better
    return [not bool(column) for column in dominates.any(axis=0)]


def value_points(result: AnalysisResult) -> pd.DataFrame:
    """The ranked options' decision cost and fit, with whether each is on the frontier.

    Columns: scenario_id (index), label, kind, total, fit, frontier; cheapest first.
    """
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    points = ranked[["label", "kind", "total", "fit"]].astype({"total": float, "fit": float})
    points = points.assign(frontier=pareto_frontier(points["total"], points["fit"]))
    return points.sort_values(["total", "fit"], ascending=[True, False], kind="stable")


def value_for_money_chart(result: AnalysisResult) -> go.Figure:
    """Decision cost against fit of every ranked option, the Pareto frontier marked and labelled.

    Options on the frontier (none costs less and fits better) are drawn in their kind's colour
    and named; dominated options are faded. The hover gives each option's full name, cost and
    fit.
    """
    points = value_points(result)
    currency = result.profile.currency
    figure = go.Figure()
    frontier = points[points["frontier"]]
    figure.add_trace(
        go.Scatter(
            x=frontier["total"].to_numpy(),
            y=frontier["fit"].to_numpy(),
            mode="lines",
            line={"color": FRONTIER_COLOUR, "dash": "dot", "width": 1},
            name="Pareto frontier",
            hoverinfo="skip",
        )
    )
    for kind, colour in KIND_COLOURS.items():
        for on_frontier in (True, False):
            rows = points[(points["kind"] == kind) & (points["frontier"] == on_frontier)]
            if rows.empty:
                continue
            figure.add_trace(
                go.Scatter(
                    x=rows["total"].to_numpy(),
                    y=rows["fit"].to_numpy(),
                    mode="markers+text" if on_frontier else "markers",
                    name=f"{kind.capitalize()}{'' if on_frontier else ' (dominated)'}",
                    marker={"color": colour, "size": 12 if on_frontier else 9},
                    opacity=1.0 if on_frontier else DOMINATED_OPACITY,
                    text=[inert_label(short_label(label)) for label in rows["label"]]
                    if on_frontier
                    else None,
                    textposition="top center",
                    customdata=[
                        [inert_label(label), money(total, currency)]
                        for label, total in zip(rows["label"], rows["total"], strict=True)
                    ],
                    hovertemplate="%{customdata[0]}<br>%{customdata[1]}, fit %{y:.0%}"
                    "<extra></extra>",
                )
            )
    figure.update_layout(
        title=f"Value for money over {result.profile.horizon_months} months: decision cost "
        "against fit<br><sup>on the frontier, no other option costs less and fits better; "
        "dominated options are faded</sup>",
        xaxis={"title": f"Decision cost ({currency})", **money_axis(currency)},
        yaxis={"title": "Feature fit", "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def money_axis(currency: str) -> dict[str, str]:
    """Axis options that show tick values as amounts in ``currency`` (symbol or ISO code)."""
    symbol = SYMBOLS.get(currency)
    return {"tickprefix": symbol or f"{currency} ", "tickformat": ",.0f"}


def ranked_scenarios(result: AnalysisResult, top: int | None = None) -> list[str]:
    """Ids of the ranked (costed and feasible) scenarios, best first."""
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    return list(ranked.index[:top])


def cumulative_cost_chart(
    result: AnalysisResult, scenario_ids: Sequence[str] | None = None
) -> go.Figure:
    """Lines of cumulative cost by month, one per scenario (default: :func:`default_scenarios`)."""
    ids = list(scenario_ids) if scenario_ids is not None else default_scenarios(result)
    currency = result.profile.currency
    months = pd.PeriodIndex(result.cumulative.index, freq="M").to_timestamp()
    figure = go.Figure()
    for sid in ids:
        row = result.scenarios.loc[sid]
        values = result.cumulative[sid]
        figure.add_trace(
            go.Scatter(
                x=months,
                y=values.to_numpy(),
                mode="lines",
                name=inert_label(row["label"]),
                line={"color": KIND_COLOURS[row["kind"]], "dash": _dash(row["kind"])},
                customdata=[money(v, currency) for v in values],
                hovertemplate="%{x|%b %Y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title=f"Cumulative cost over {result.profile.horizon_months} months ({currency})",
        xaxis_title="Month",
        yaxis={"title": f"Cumulative cost ({currency})", **money_axis(currency)},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def _dash(kind: str) -> str:
    return "solid" if kind == "stay" else "dash" if kind == "downgrade" else "dot"


def cost_breakdown_chart(
    result: AnalysisResult, scenario_ids: Sequence[str] | None = None
) -> go.Figure:
    """Stacked bars of each scenario's horizon total by cost component.

    Default scenarios: every ranked one, best first. Components that are zero in every shown
    scenario are left out; a refund stacks below zero.
    """
    ids = list(scenario_ids) if scenario_ids is not None else ranked_scenarios(result)
    currency = result.profile.currency
    totals = pd.DataFrame({sid: result.monthly[sid].sum() for sid in ids})
    names = result.scenarios.loc[ids, "label"]
    labels = [wrapped_label(label) for label in names]
    full_names = [inert_label(label) for label in names]
    figure = go.Figure()
    for component, values in totals.iterrows():
        if not values.any():
            continue
        name = str(component).replace("_", " ").capitalize()
        figure.add_trace(
            go.Bar(
                x=labels,
                y=values.to_numpy(),
                name=name,
                customdata=[
                    [money(v, currency), full] for v, full in zip(values, full_names, strict=True)
                ],
                hovertemplate=f"{name}: %{{customdata[0]}}<extra>%{{customdata[1]}}</extra>",
            )
        )
    figure.update_layout(
        barmode="relative",
        title=f"Cost over {result.profile.horizon_months} months by component ({currency})",
        yaxis={"title": f"Total ({currency})", **money_axis(currency)},
        # Names wrapped onto lines rather than tilted and clipped; the hover has them in full.
        xaxis={"tickangle": 0, "automargin": True},
    )
    return figure


def fit_heatmap(
    result: AnalysisResult, scenario_ids: Sequence[str] | None = None, by: str = "role"
) -> go.Figure:
    """Feature fit per role (``by="role"``) or per needed feature (``by="feature"``) x scenario.

    A role cell is the role's fit; its hover names the seat and the needs it meets less than
    fully. A feature cell is the worst support any role needing it gets; its hover lists each
    role's support level. Default scenarios: every ranked one, best first.
    """
    if by not in ("role", "feature"):
        raise ValueError(f"by must be 'role' or 'feature', got {by!r}")
    ids = list(scenario_ids) if scenario_ids is not None else ranked_scenarios(result)
    detail = result.fit_detail[result.fit_detail["scenario_id"].isin(ids)]
    if by == "role":
        licenses = result.licenses[result.licenses["scenario_id"].isin(ids)]
        z = licenses.pivot(index="role", columns="scenario_id", values="fit")
        row_order = licenses["role"]
        seats = licenses.pivot(index="role", columns="scenario_id", values="license_type")
        gaps = (
            detail[detail["support"] != "full"]
            .assign(text=lambda d: (d["feature"] + ": " + d["support"]).map(inert_label))
            .groupby(["role", "scenario_id"])["text"]
            .agg("<br>".join)
            .unstack()
        )
        hover = (
            seats.fillna("no seat").map(inert_label)
            + "<br>"
            # object first: with no gaps at all the empty table is float.
            + gaps.reindex_like(seats).astype(object).fillna("every need fully met")
        )
    else:
        detail = detail.assign(text=lambda d: (d["role"] + ": " + d["support"]).map(inert_label))
        z = detail.pivot_table(
            index="feature", columns="scenario_id", values="score", aggfunc="min"
        )
        hover = detail.groupby(["feature", "scenario_id"])["text"].agg("<br>".join).unstack()
        row_order = detail["feature"]
    order = [sid for sid in ids if sid in z.columns]
    # Rows in the profile's order (roles) or the order needs are listed in (features).
    z = z.reindex(index=pd.unique(row_order), columns=order)
    hover = hover.reindex(index=z.index, columns=order)
    names = result.scenarios.loc[order, "label"]
    # Every cell's hover starts with the full row and column names; the ticks may be shortened.
    full_names = [[inert_label(f"{row} · {name}") for name in names] for row in z.index.astype(str)]
    figure = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=[wrapped_label(label, lines=4) for label in names],
            y=[wrapped_label(row, 40, 2) for row in z.index],
            zmin=0,
            zmax=1,
            colorscale=FIT_COLOURSCALE,
            colorbar={"title": "Fit", "tickformat": ".0%"},
            text=hover.fillna("").to_numpy(),
            customdata=full_names,
            hovertemplate="%{customdata}<br>fit %{z:.0%}<br>%{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title=f"Feature fit by {by} and scenario",
        # One row's room per row, so no label is dropped to fit a fixed height.
        height=max(320, 200 + HEATMAP_ROW_PIXELS * len(z.index)),
        xaxis={"tickangle": 0, "tickmode": "linear", "dtick": 1, "automargin": True},
        yaxis={"autorange": "reversed", "tickmode": "linear", "dtick": 1, "automargin": True},
    )
    return figure


def rank_stability_chart(
    sensitivity: Sensitivity,
    top: int = 10,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars of each scenario's probability of ranking first, most likely first.

    ``labels`` maps scenario ids to display names (e.g. ``result.scenarios["label"]``), wrapped
    on the axis and in full in the hover; ``kinds`` maps them to stay / downgrade / switch, so
    the bars take :data:`KIND_COLOURS` (e.g. ``result.scenarios["kind"]``).
    """
    mc = sensitivity.monte_carlo
    p_first = mc.p_first.sort_values(ascending=False, kind="stable").head(top)
    names = [labels.get(sid, sid) if labels is not None else sid for sid in p_first.index]
    ranks = mc.expected_rank.reindex(p_first.index).to_numpy()
    colours = [KIND_COLOURS[kinds[sid]] for sid in p_first.index] if kinds is not None else None
    figure = go.Figure(
        go.Bar(
            x=p_first.to_numpy(),
            y=[wrapped_label(name, 30) for name in names],
            orientation="h",
            marker_color=colours,
            customdata=[[inert_label(name), rank] for name, rank in zip(names, ranks, strict=True)],
            hovertemplate=(
                "%{customdata[0]}<br>ranks first in %{x:.1%} of samples<br>expected rank "
                "%{customdata[1]:.2f}<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        title=f"Probability of ranking first ({mc.samples:,} samples, seed {mc.seed})",
        xaxis={"title": "Probability of ranking first", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return figure


def tornado_chart(sensitivity: Sensitivity) -> go.Figure:
    """The winner's lead when each criterion's weight is swung low and high, widest first."""
    table = sensitivity.tornado
    names = [CRITERION_NAMES.get(c, c) for c in table["criterion"]]
    base = float(table["base_value"].iloc[0]) if len(table) else 0.0
    figure = go.Figure()
    for side, colour in (("low", "#ef553b"), ("high", "#636efa")):
        figure.add_trace(
            go.Bar(
                y=names,
                x=(table[f"{side}_value"] - table["base_value"]).to_numpy(),
                base=table["base_value"].to_numpy(),
                orientation="h",
                name=f"{side.capitalize()} weight",
                marker_color=colour,
                customdata=table[[f"{side}_weight", f"{side}_value"]].to_numpy(),
                hovertemplate=(
                    "%{y}<br>weight %{customdata[0]:.2f}: lead %{customdata[1]:.3f}<extra></extra>"
                ),
            )
        )
    figure.add_vline(x=base, line_dash="dash", line_color="grey")
    figure.add_vline(x=0, line_color="black")
    figure.update_layout(
        barmode="overlay",
        title="Tornado: the winner's lead as each weight swings<br><sup>below 0, another "
        "option wins</sup>",
        xaxis_title="Winner's lead in score",
        yaxis={"autorange": "reversed"},
    )
    return figure


def timeline_events(result: AnalysisResult, scenario_id: str) -> list[tuple[str, dt.date]]:
    """The dated events of ``scenario_id``'s contract and project, in date order: the
    scenario's key dates, which its exit plan and the reports read too, and the analysis start."""
    dates = result.scenario_key_dates(scenario_id)
    events = [("Analysis start", result.profile.analysis_start)]
    events += list(zip(dates["event"], dates["date"], strict=True))
    return sorted(events, key=lambda event: event[1])


def _band(start: dt.date, end: dt.date, colour: str, label: str) -> tuple[dict, dict]:
    """A labelled band behind the timeline from ``start`` to ``end``: the shape and the
    annotation plotly's ``add_vrect`` makes (``layer="below"``, label at the bottom left), written
    out because ``add_vrect`` re-validates the whole layout and costs ~10 ms per band."""
    shape = {
        "type": "rect",
        "x0": start,
        "x1": end,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "fillcolor": colour,
        "opacity": 0.4,
        "line": {"width": 0},
        "layer": "below",
    }
    annotation = {
        "text": label,
        "showarrow": False,
        "x": start,
        "xref": "x",
        "xanchor": "left",
        "y": 0,
        "yref": "y domain",
        "yanchor": "bottom",
    }
    return shape, annotation


def contract_timeline(result: AnalysisResult, scenario_id: str) -> go.Figure:
    """Key dates of the contract and of ``scenario_id`` on a date axis.

    The renewal window (opening to term end) and, for a switch, the run of both systems
    (go-live to the end of the overlap) are shaded; analysis start is a vertical line.
    """
    events = timeline_events(result, scenario_id)
    dates = result.scenario_key_dates(scenario_id).set_index("event_id")["date"]
    bands = [_band(dates["renewal_window_opens"], dates["term_end"], "#fee08b", "renewal window")]
    if "go_live" in dates.index:
        bands.append(_band(dates["go_live"], dates["needed_until"], "#9ecae1", "both systems run"))
    start = result.profile.analysis_start
    start_line = {
        "type": "line",
        "x0": start,
        "x1": start,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"color": "grey", "dash": "dash"},
    }
    start_note = {
        "text": "analysis start",
        "showarrow": False,
        "x": start,
        "y": 1.02,
        "yref": "paper",
    }
    margin = dt.timedelta(days=20)
    return go.Figure(
        go.Scatter(
            x=[date for _, date in events],
            y=[name for name, _ in events],
            mode="markers+text",
            marker={"size": 12, "symbol": "diamond"},
            text=[date.isoformat() for _, date in events],
            textposition="middle right",
            hovertemplate="%{y}: %{x|%d %b %Y}<extra></extra>",
        ),
        layout={
            "shapes": [shape for shape, _ in bands] + [start_line],
            "annotations": [note for _, note in bands] + [start_note],
            "title": "Contract timeline: "
            + inert_label(result.scenarios.loc[scenario_id, "label"]),
            # Room on the right for the last event's date label.
            "xaxis": {
                "type": "date",
                "title": "Date",
                "range": [events[0][1] - margin, events[-1][1] + 3 * margin],
            },
            "yaxis": {"autorange": "reversed"},
            "showlegend": False,
            "margin": {"l": 220},
        },
    )


def score_breakdown_chart(result: AnalysisResult, top: int = 10) -> go.Figure:
    """Stacked horizontal bars of each top scenario's score by criterion contribution."""
    ids = ranked_scenarios(result, top)
    rows = result.scenarios.loc[ids]
    figure = go.Figure()
    for column in [c for c in rows.columns if c.startswith("contribution_")]:
        criterion = column.removeprefix("contribution_")
        name = CRITERION_NAMES.get(criterion, criterion)
        figure.add_trace(
            go.Bar(
                x=rows[column].to_numpy(),
                y=[wrapped_label(label, 30) for label in rows["label"]],
                orientation="h",
                name=name,
                customdata=[inert_label(label) for label in rows["label"]],
                hovertemplate=f"{name}: %{{x:.3f}}<extra>%{{customdata}}</extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        title=f"Score by criterion, top {len(ids)} scenarios",
        xaxis_title="Score (sum of weighted, normalized criteria)",
        yaxis={"autorange": "reversed"},
    )
    return figure
