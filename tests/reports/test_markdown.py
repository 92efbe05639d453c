"""The Markdown report matches its snapshot and keeps catalog text inside its table cells."""

import dataclasses
import re

from hypothesis import given
from hypothesis import strategies as st

from analyzer.analysis import analyze
from analyzer.profile import load_profile
from analyzer.reports import report_markdown
from analyzer.reports.markdown import markdown_cell
from tests.conftest import ROOT

SNAPSHOT = ROOT / "tests" / "snapshots" / "acme-report.md"


def cells(line):
    """The cells of a Markdown table row, as GitHub splits them: a backslash escapes the
    next character, any other pipe ends a cell."""
    found, cell, escaped = [], "", False
    for char in line.strip()[1:-1]:
        if escaped:
            cell, escaped = cell + char, False
        elif char == "\\":
            escaped = True
        elif char == "|":
            found, cell = [*found, cell.strip()], ""
        else:
            cell += char
    return [*found, cell.strip()]


def test_markdown_matches_the_snapshot(catalog):
    # What `crm-analyzer compare --format md` writes: the default stability sample count.
    result = analyze(load_profile(catalog=catalog), catalog)
    expected = SNAPSHOT.read_text(encoding="utf-8")
    assert report_markdown(result) == expected, (
        "The Markdown report changed. If the change is intended, regenerate the snapshot with\n"
        "  .venv/bin/crm-analyzer compare --format md -o tests/snapshots/acme-report.md --force\n"
        "and review the diff."
    )


@given(st.text())
def test_a_cell_reads_back_as_its_text_on_one_line(text):
    line = "| " + markdown_cell(text) + " | end |"
    assert "\n" not in line
    # Every line break or tab becomes a space: a value never leaves its cell.
    assert cells(line) == [re.sub(r"[\t\r\n\v\f\x85\u2028\u2029]", " ", text).strip(), "end"]


def test_a_hostile_product_name_stays_in_its_cell(hostile_result):
    # Unless the backslash is doubled, "\\|" escapes the backslash and the pipe splits the row.
    name = "Evil \\| CRM"
    page = report_markdown(hostile_result(name))
    row = next(line for line in page.splitlines() if line.startswith("| ") and "Evil" in line)
    # Rank, Scenario, Decision total, Cash total, NPV, One-time, Saving vs Stay, Break-even, Fit,
    # Score: ten cells.
    assert len(cells(row)) == 10
    assert cells(row)[1] == "Switch to Evil \\| CRM Standard"


def test_warnings_are_quoted_in_their_own_section(result):
    recommendation = dataclasses.replace(
        result.recommendation, warnings=["Give notice by 2027-08-01", "Prices are | stale"]
    )
    page = report_markdown(dataclasses.replace(result, recommendation=recommendation))
    last_reason = f"- {result.recommendation.reasons[-1]}"
    # One quote block each, so Markdown does not run them into one paragraph.
    expected = (
        f"{last_reason}\n\n## Warnings\n\n"
        "> **Warning:** Give notice by 2027-08-01\n\n"
        "> **Warning:** Prices are \\| stale\n\n"
        "## Ranked scenarios"
    )
    assert expected in page


def test_when_every_scenario_is_ranked_the_report_says_so(result):
    scenarios = result.scenarios[result.scenarios["rank"].notna()]
    page = report_markdown(dataclasses.replace(result, scenarios=scenarios))
    assert "## Not ranked\n\nEvery scenario was costed and ranked.\n\n## Key dates" in page
    assert "| Scenario | Status | Reason |" not in page


def test_warning_steps_of_the_exit_plan_are_bold(result):
    recommended = result.recommendation.scenario_id
    plans = result.exit_plans.copy()
    steps = plans.index[plans["scenario_id"] == recommended]
    plans.loc[steps[0], "warning"] = True
    page = report_markdown(dataclasses.replace(result, exit_plans=plans))
    for step, warning in zip(plans.loc[steps, "step"], plans.loc[steps, "warning"], strict=True):
        assert (f"| **{step}** |" in page) == warning
