"""The faster code computes exactly what the slower code did.

The JSON report of the bundled example and of the test profiles must stay byte-identical to
the reference files in ``tests/fixtures/json_reference/``. Those files are a regression oracle,
not hand-worked figures: they were written by this module's ``main`` from the code as it was
before the vectorized cash flows, rank stability and reports (see that folder's README). The
hand-worked figures stay in the other tests. To regenerate after an intended change of the
output (a new scenario, a new field), run ``python -m tests.test_speed_equivalence`` and review
the diff.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analyzer.analysis import AnalysisResult, _cash_flows, _monthly_stack, analyze
from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from analyzer.reports import report_json
from tests.conftest import FIXTURES, GOLDEN, GOLDEN_TODAY, golden_profile

REFERENCE = FIXTURES / "json_reference"


def _example(**options) -> AnalysisResult:
    catalog = load_catalog()
    return analyze(load_profile(catalog=catalog), catalog, **options)


def _golden(catalog_folder: str | None = None, **changes) -> Callable[[], AnalysisResult]:
    def run() -> AnalysisResult:
        catalog = (
            GOLDEN
            if catalog_folder is None
            else load_catalog(FIXTURES / catalog_folder, today=GOLDEN_TODAY)
        )
        return analyze(golden_profile(**changes), catalog)

    return run


CASES: dict[str, Callable[[], AnalysisResult]] = {
    "acme-enterprise": _example,
    "acme-enterprise-unsampled": lambda: _example(samples=0),
    "acme-enterprise-20000-samples-seed-3": lambda: _example(samples=20_000, seed=3),
    "golden": _golden(),
    "golden-topsis": _golden(scoring_method="topsis"),
    "golden-discounted": _golden(discount_rate=0.08),
    "golden-quoted": _golden(
        quotes=[{"product": "quoted", "tier": "custom", "amount": 90, "currency": "USD"}]
    ),
    "golden-running-cost": _golden(
        running_costs=[{"product": "selfhost", "name": "Hosting", "amount": 250, "currency": "USD"}]
    ),
    "golden-mid-term": _golden(analysis_start="2027-05-15", contract={"renewal_term_months": 24}),
    "golden-catalog": _golden("golden_catalog"),
}
"""Reference name -> the analysis whose JSON report it holds."""


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_report_equals_the_reference_of_the_old_code(name):
    expected = (REFERENCE / f"{name}.json").read_text(encoding="utf-8")
    assert report_json(CASES[name]()) == expected


def test_cash_flows_stack_every_cell_once_in_order():
    # Two scenarios sharing months and components, as the tables of one analysis do; the
    # long table has one row per cell, scenario by scenario, then component by component,
    # then month by month.
    months = pd.period_range("2027-01", periods=3, freq="M")
    monthly = {
        "stay": pd.DataFrame(
            {"licenses": [100.0, 110.0, 120.0], "exit": [0.0, 0.0, -5.0]}, index=months
        ),
        "switch:x": pd.DataFrame(
            {"licenses": [50.0, 60.0, 70.0], "exit": [1.0, 2.0, 3.0]}, index=months
        ),
    }
    expected = [
        (sid, str(month), position, component, table.loc[month, component])
        for sid, table in monthly.items()
        for component in table.columns
        for position, month in enumerate(table.index)
    ]
    frame = _cash_flows(_monthly_stack(monthly))
    assert list(frame.columns) == ["scenario_id", "month", "month_index", "component", "amount"]
    assert list(frame.itertuples(index=False, name=None)) == expected
    assert frame["month"].iloc[0] == "2027-01" and len(frame) == 2 * 2 * 3
    # Row 7 by hand: switch:x (rows 6..11), licenses (6..8), its second month, 60.
    assert frame.iloc[7].tolist() == ["switch:x", "2027-02", 1, "licenses", 60.0]


def test_cash_flows_refuse_tables_of_other_months():
    monthly = {
        "stay": pd.DataFrame(
            {"licenses": [1.0, 2.0]}, index=pd.period_range("2027-01", periods=2, freq="M")
        ),
        "switch:x": pd.DataFrame(
            {"licenses": [3.0]}, index=pd.period_range("2027-01", periods=1, freq="M")
        ),
    }
    with pytest.raises(ValueError, match="share months and components"):
        _monthly_stack(monthly)


def main(folder: Path = REFERENCE) -> None:
    """Write every case's JSON report into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, run in CASES.items():
        (folder / f"{name}.json").write_text(report_json(run()), encoding="utf-8")
        print(f"wrote {folder / name}.json", file=sys.stderr)


if __name__ == "__main__":
    main()
