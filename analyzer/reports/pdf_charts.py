"""Static charts of the negotiation pack: matplotlib renderings of :mod:`analyzer.charts`.

The PDF cannot hold plotly's interactive figures, and exporting them needs a browser; these
draw the same data as PNG images with matplotlib's Agg renderer (no display, no browser, no
download), in the same colours (:data:`analyzer.charts.KIND_COLOURS`). Mathtext is off for
every text, so a ``$`` in a name or an amount prints as typed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from analyzer.charts import (
    DOMINATED_OPACITY,
    FRONTIER_COLOUR,
    KIND_COLOURS,
    default_scenarios,
    short_label,
    value_points,
)
from analyzer.formatting import money

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

DPI = 120
"""Resolution of the images: sharp enough on paper at the 180 mm the pack prints them."""
_LINE_STYLES = {"stay": "-", "downgrade": "--", "switch": ":"}
_STYLE = {"text.parse_math": False, "font.family": "DejaVu Sans", "font.size": 9}


@contextmanager
def _figure(width: float = 7.5, height: float = 3.6) -> Iterator[tuple[Figure, io.BytesIO]]:
    """A figure (inches) whose PNG lands in the yielded buffer when the block ends."""
    buffer = io.BytesIO()
    with mpl.rc_context(_STYLE):
        # Fixed margins rather than a constrained layout: laying out costs a second draw.
        figure = Figure(figsize=(width, height))
        figure.subplots_adjust(left=0.17, right=0.97, top=0.9, bottom=0.15)
        FigureCanvasAgg(figure)
        yield figure, buffer
        figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    buffer.seek(0)


def _money_ticks(currency: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _: money(value, currency))


def value_for_money_png(result: AnalysisResult) -> io.BytesIO:
    """Decision cost against fit, the Pareto frontier joined and its options named, the
    dominated ones faded: :func:`analyzer.charts.value_for_money_chart` as a PNG."""
    points = value_points(result)
    currency = result.profile.currency
    with _figure(height=4.2) as (figure, buffer):
        axes = figure.add_subplot()
        frontier = points[points["frontier"]]
        axes.plot(
            frontier["total"], frontier["fit"], color=FRONTIER_COLOUR, linestyle=":", linewidth=1
        )
        for kind, colour in KIND_COLOURS.items():
            rows = points[points["kind"] == kind]
            if rows.empty:
                continue
            alpha = [1.0 if on else DOMINATED_OPACITY for on in rows["frontier"]]
            axes.scatter(rows["total"], rows["fit"], color=colour, alpha=alpha, label=kind)
        middle = (points["total"].min() + points["total"].max()) / 2
        for order, (_, row) in enumerate(frontier.sort_values("total").iterrows()):
            # Names of points on the right run leftwards, so none leaves the plot; neighbours
            # along the frontier alternate above and below their point, so close ones do not
            # print over each other.
            right = row["total"] > middle
            axes.annotate(
                short_label(row["label"]),
                (row["total"], row["fit"]),
                textcoords="offset points",
                xytext=(-4 if right else 4, 5 if order % 2 == 0 else -11),
                horizontalalignment="right" if right else "left",
                fontsize=7,
            )
        axes.xaxis.set_major_formatter(_money_ticks(currency))
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.set_xlabel(f"Decision cost over {result.profile.horizon_months} months ({currency})")
        axes.set_ylabel("Feature fit")
        axes.set_title("Value for money: the frontier joined, dominated options faded")
        axes.legend(loc="lower right", fontsize=7)
        axes.grid(alpha=0.3)
        # Room around the points for their names.
        axes.margins(x=0.25, y=0.12)
    return buffer


def cumulative_cost_png(result: AnalysisResult) -> io.BytesIO:
    """Cumulative cost by month of Stay, the best downgrade and the best switch."""
    currency = result.profile.currency
    with _figure() as (figure, buffer):
        axes = figure.add_subplot()
        months = range(len(result.cumulative.index))
        for sid in default_scenarios(result):
            row = result.scenarios.loc[sid]
            axes.plot(
                months,
                result.cumulative[sid].to_numpy(),
                color=KIND_COLOURS[row["kind"]],
                linestyle=_LINE_STYLES[row["kind"]],
                label=short_label(row["label"], 48),
            )
        ticks = list(months)[::6]
        axes.set_xticks(ticks, [result.cumulative.index[m] for m in ticks], fontsize=7)
        axes.yaxis.set_major_formatter(_money_ticks(currency))
        axes.set_title(f"Cumulative cost over {result.profile.horizon_months} months ({currency})")
        axes.legend(fontsize=7)
        axes.grid(alpha=0.3)
    return buffer


def rank_stability_png(result: AnalysisResult, top: int = 8) -> io.BytesIO | None:
    """Bars of the probability of ranking first, most likely first; None without a stability
    run (the pack then says why in words)."""
    sensitivity = result.sensitivity
    if sensitivity is None:
        return None
    p_first = sensitivity.monte_carlo.p_first.sort_values(ascending=False, kind="stable").head(top)
    rows = result.scenarios.loc[p_first.index]
    with _figure(height=1.0 + 0.3 * len(p_first)) as (figure, buffer):
        figure.subplots_adjust(left=0.4, bottom=0.2, top=0.85)
        axes = figure.add_subplot()
        names = [short_label(label, 40) for label in rows["label"]]
        axes.barh(names, p_first.to_numpy(), color=[KIND_COLOURS[k] for k in rows["kind"]])
        axes.invert_yaxis()
        axes.set_xlim(0, 1)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        mc = sensitivity.monte_carlo
        axes.set_title(f"Probability of ranking first ({mc.samples:,} samples, seed {mc.seed})")
        axes.grid(axis="x", alpha=0.3)
    return buffer
