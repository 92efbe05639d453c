"""What a rerun does not redo: serialize the profile for a cache key, analyse, rebuild a
figure or a table built once per result or per catalog."""

from __future__ import annotations

import datetime as dt

import plotly.basedatatypes
import plotly.io as pio
import plotly.tools
import streamlit as st
from hypothesis import given, settings
from hypothesis import strategies as hyp

import analyzer.charts
import analyzer.profile_edits
from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.profile import Profile, load_profile
from app_pages import state
from tests.app.conftest import by_label, open_app, profile_section, table_with

CATALOG = "app_pages/catalog.py"


def counting(monkeypatch, owner, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_rerun_neither_serializes_nor_analyses_the_profile_again(monkeypatch):
    at = open_app()
    keys = counting(monkeypatch, state, "profile_key")
    analyses = counting(monkeypatch, state, "analyze")
    at.selectbox(key="compare_downgrade").set_value(
        at.selectbox(key="compare_downgrade").options[-1]
    )
    at.run()
    at.run()
    assert keys == []
    assert analyses == []


def test_figures_are_built_once_per_result(monkeypatch):
    builds = counting(monkeypatch, analyzer.charts, "fit_heatmap")
    at = open_app()
    at.run()
    at.run()
    assert len(builds) == 1
    # A new profile is a new result: its figure is built for it.
    profile_section(at, "Organisation")
    by_label(at.number_input, "Horizon (months)").set_value(24).run()
    at.switch_page("app_pages/compare.py").run()
    assert len(builds) == 2


EXAMPLE = load_profile()


@settings(max_examples=60, deadline=None)
@given(
    name=hyp.text(hyp.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=40),
    currency=hyp.sampled_from(["USD", "EUR", "GBP"]),
    fx=hyp.floats(0.01, 100, allow_nan=False),
    start=hyp.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    horizon=hyp.integers(1, 120),
    rate=hyp.floats(0, 1, allow_nan=False),
    seats=hyp.lists(hyp.integers(0, 10**6), min_size=1, max_size=3),
)
def test_the_cache_key_reads_back_to_an_equal_profile(
    name, currency, fx, start, horizon, rate, seats
):
    """The analysis is keyed by the JSON dump and analyses what it reads back: two profiles
    share a result only if their keys are equal, and the key must lose nothing of either."""
    data = EXAMPLE.model_dump()
    data |= {
        "name": name,
        "currency": currency,
        "fx": {"USD": fx, "EUR": fx / 3},
        "analysis_start": start,
        "horizon_months": horizon,
        "discount_rate": rate,
    }
    data["roles"] = [
        role | {"seats": seat} for role, seat in zip(data["roles"], seats, strict=False)
    ]
    profile = Profile.model_validate(data)
    assert Profile.model_validate_json(state.profile_key(profile)) == profile
    changed = profile.model_copy(update={"horizon_months": horizon % 120 + 1})
    assert state.profile_key(changed) != state.profile_key(profile)


def streamlit_spec(figure) -> str:
    """The chart specification ``st.plotly_chart`` sends for ``figure`` (its own two steps)."""
    as_dict = plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
    return pio.to_json(as_dict, validate=False)


def test_a_drawn_figure_sends_the_figure_and_is_serialized_once(monkeypatch):
    catalog = load_catalog()
    result = analyze(load_profile(catalog=catalog), catalog, samples=0)
    for figure in (
        analyzer.charts.value_for_money_chart(result),
        analyzer.charts.fit_heatmap(result, by="feature"),
        analyzer.charts.contract_timeline(result, "stay"),
    ):
        expected = streamlit_spec(figure)
        drawn = state.DrawnFigure(figure)
        serializations = counting(monkeypatch, plotly.basedatatypes.BaseFigure, "to_dict")
        assert streamlit_spec(drawn) == expected
        assert streamlit_spec(drawn) == expected
        assert serializations == []
        monkeypatch.undo()


def test_catalog_tables_are_built_once_per_analysis_start(monkeypatch):
    # The tables are shared by every session: start without any.
    st.cache_resource.clear()
    judged = counting(monkeypatch, analyzer.profile_edits, "with_staleness")
    at = open_app(CATALOG)
    shown = len(table_with(at, "stale"))
    by_label(at.toggle, "Full seats only").set_value(True).run()
    # Fewer rows, from the same tables.
    assert len(table_with(at, "stale")) < shown
    assert len(judged) == 1
    # Staleness is judged at the analysis start: a new start is a new table.
    profile_section(at, "Organisation")
    start = at.session_state[state.PROFILE].analysis_start
    by_label(at.date_input, "Analysis start").set_value(start + dt.timedelta(days=400)).run()
    at.switch_page(CATALOG).run()
    assert len(judged) == 2
