"""The result tables made the fast way are the tables the plain pandas way makes.

References here: ``pd.DataFrame`` from the rows or columns written out in full (pandas infers
each column), :func:`analyzer.costs.break_even_month` one scenario at a time, the fit detail
written out per scenario, role and need, and the warning rules reading the finished tables.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import analyze, load_catalog, load_profile
from analyzer.analysis import (
    LICENSE_COLUMNS,
    TEXT_STORAGE,
    _break_even_months,
    _fit_detail,
    _licenses,
    scenario_plans,
    source_plans,
)
from analyzer.catalog import SUPPORT_SCORE
from analyzer.costs import break_even_month
from analyzer.frames import (
    columns_table,
    frame,
    inferred_column,
    text_array,
    text_arrays,
    text_column,
)
from analyzer.sources import source_rows, sources_table
from analyzer.warning_rules import PRICE_COLUMNS, PRICE_WARNING_KINDS, price_warnings
from tests.conftest import GOLDEN, SUPPORT_SCORES, golden_profile, written_out_fit_detail

STORAGES = ["python", "pyarrow"]


def column_kinds():
    """One column of every kind an analysis stores, three rows each, as plain values."""
    day = dt.date(2027, 3, 1)
    return {
        "text": ["a", "b", "c"],
        "text_missing": ["a", None, "c"],
        "floats": [1.5, float("nan"), -2.0],
        "ints": [1, 2, 3],
        "bools": [True, False, True],
        "dates": [day, None, day],
        "nothing": [None, None, None],
    }


@pytest.mark.parametrize("storage", STORAGES)
def test_frame_is_the_table_pandas_makes_of_the_same_columns(storage):
    with pd.option_context("mode.string_storage", storage):
        values = column_kinds()
        expected = pd.DataFrame(values)
        made = {name: inferred_column(column) for name, column in values.items()}
        made["counts"] = pd.array([1, None, 3], dtype="Int64")
        expected["counts"] = pd.array([1, None, 3], dtype="Int64")
        got = frame(made)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got.columns.dtype == expected.columns.dtype
    assert got.index.equals(pd.RangeIndex(3))
    assert got["dates"].tolist() == [dt.date(2027, 3, 1), None, dt.date(2027, 3, 1)]


def test_frame_keeps_the_index_it_is_given():
    index = pd.Index(["x", "y"], name="scenario_id")
    got = frame({"total": np.array([1.0, 2.0])}, index)
    pd.testing.assert_frame_equal(
        got, pd.DataFrame({"total": [1.0, 2.0]}, index=index), check_exact=True
    )


def test_tables_with_the_same_column_names_do_not_share_their_names_index():
    one = frame({"a": np.array([1.0]), "b": np.array([2.0])})
    other = frame({"a": np.array([3.0]), "b": np.array([4.0])})
    one.columns.name = "renamed"
    assert other.columns.name is None
    one.columns = ["c", "d"]
    assert list(other.columns) == ["a", "b"]


@given(st.lists(st.lists(st.text(max_size=4), max_size=5), min_size=1, max_size=4))
def test_text_arrays_are_each_columns_own_text_column(columns):
    named = {f"c{n}": column for n, column in enumerate(columns)}
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        got = text_arrays(named)
        for name, column in named.items():
            expected = text_column(column)
            assert got[name].dtype == expected.dtype
            assert list(got[name]) == list(column)
            assert got[name].equals(text_array(column))


@pytest.mark.parametrize(
    "values",
    [
        [None, -(2**63) - 1],  # below int64: objects
        [1.5, 2**70],  # above uint64: objects
        [None, 2**64],
        [None, 2**63],  # fits uint64: floats
        [None, -(2**63)],
        [0.5, 2**63 - 1],
    ],
)
def test_integers_among_floats_or_missing_values_are_stored_as_pandas_stores_them(values):
    expected = pd.DataFrame({"c": values})
    got = columns_table({"c": values})
    assert list(got.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


STEPS = [0.0, 1.0, -1.0, 2.0, 1e-7]
"""Monthly cost differences: whole amounts (exact ties) and one within the millionth."""


@st.composite
def cumulative_costs(draw):
    months = draw(st.integers(1, 12))
    count = draw(st.integers(1, 6))
    # Small whole amounts and exact ties make every branch of the rule likely: equal to
    # Stay's everywhere, never above it, above it up to some month, above it at the end.
    steps = draw(
        st.lists(
            st.lists(
                st.sampled_from([0.0, 1.0, -1.0, 2.0, 1e-7]), min_size=months, max_size=months
            ),
            min_size=count + 1,
            max_size=count + 1,
        )
    )
    cumulative = np.cumsum(np.array(steps), axis=1)
    return cumulative[1:], cumulative[0]


@given(cumulative_costs())
@settings(max_examples=300)
def test_every_break_even_month_at_once_is_each_scenarios_own(case):
    cumulative, stay = case
    expected = [break_even_month(row, stay) for row in cumulative]
    got = _break_even_months(cumulative, stay)
    assert [None if month < 0 else int(month) for month in got] == expected


@pytest.fixture(scope="module")
def example():
    catalog = load_catalog()
    return analyze(load_profile(catalog=catalog), catalog, samples=0), catalog


MUST_MISSED = [
    {"id": "viewers", "name": "Viewers", "seats": 50, "needs": {"case_management": "must"}},
    {
        "id": "sellers",
        "name": "Sellers",
        "seats": 10,
        "needs": {"opportunity_management": "must_limited", "forecasting": 3},
    },
]


@pytest.fixture(
    scope="module",
    params=["example", "golden", "golden-must-missed", "golden-eur"],
)
def analysed(request, example):
    if request.param == "example":
        return example
    changes = {
        "golden": {},
        "golden-must-missed": {"roles": MUST_MISSED},
        "golden-eur": {"currency": "EUR", "fx": {"USD": 0.9}},
    }[request.param]
    return analyze(golden_profile(**changes), GOLDEN, samples=0), GOLDEN


def analysis_mixes(result, catalog):
    """Every costed scenario's mixes, as :func:`analyze` costs them."""
    _, plans, _, stay_mix = scenario_plans(result.profile, catalog)
    costed = [p for p in plans if p.status == "ok"]
    return costed, stay_mix, {p.id: p.mixes or (stay_mix,) for p in costed}


def test_the_support_scores_are_the_catalogs():
    # The reference (tests/conftest.py) writes the scores out (DESIGN: full and a bought
    # add-on count 1, limited half); they must be the catalog's.
    assert SUPPORT_SCORE == SUPPORT_SCORES


def test_the_fit_detail_is_the_table_of_its_rows_written_out(analysed):
    result, catalog = analysed
    _, _, mixes = analysis_mixes(result, catalog)
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        expected = written_out_fit_detail(result.profile, catalog, mixes)
        got = _fit_detail(mixes, result.profile, catalog)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    pd.testing.assert_frame_equal(result.fit_detail, expected, check_exact=True)


def test_the_licenses_are_the_table_of_their_rows_written_out(analysed):
    result, catalog = analysed
    _, _, mixes = analysis_mixes(result, catalog)
    rows = [
        (
            sid,
            part.product.id,
            part.product.name,
            part.tier.id,
            part.tier.name,
            r.role.id,
            r.role.name,
            r.role.seats,
            r.license_type.id if r.license_type else None,
            r.license_type.name if r.license_type else None,
            r.price.amount if r.price else np.nan,
            bool(r.price and r.price.net),
            ", ".join(f for f, _ in r.addons),
            r.monthly_cost,
            r.fit,
            r.price.source if r.price else None,
            r.price.as_of if r.price else None,
        )
        for sid, parts in mixes.items()
        for part in parts
        for r in part.roles
    ]
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        expected = pd.DataFrame(rows, columns=LICENSE_COLUMNS)
        got = _licenses(mixes)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)


def test_the_price_warnings_read_the_rows_of_the_sources_table(analysed):
    result, catalog = analysed
    costed, stay_mix, _ = analysis_mixes(result, catalog)
    prices = source_rows(source_plans(costed), stay_mix, result.profile)
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        pd.testing.assert_frame_equal(
            result.sources, sources_table(prices, result.profile), check_exact=True
        )
    # The rule read from the finished table's columns warns as the analysis did.
    table = result.sources
    rows = zip(*(table[c].tolist() for c in PRICE_COLUMNS), strict=True)
    expected = [
        w for w in result.warnings.itertuples(index=False, name=None) if w[1] in PRICE_WARNING_KINDS
    ]
    assert price_warnings(rows) == expected


def test_a_must_staying_misses_is_still_warned_about():
    result = analyze(golden_profile(roles=MUST_MISSED), GOLDEN, samples=0)
    messages = result.warnings.loc[result.warnings["kind"] == "stay_must_unmet", "message"]
    # Legacy Enterprise has no case management (GOLDEN's catalog): the viewers' must fails.
    assert "Staying, the Viewers role's must-have Cases is met not at all." in list(messages)
