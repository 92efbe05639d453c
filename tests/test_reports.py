"""Reports carry the analysis's numbers, open offline, and keep hostile catalog text inert."""

import csv
import io
import json
import re
import shutil

import openpyxl
import pytest
from plotly.offline import get_plotlyjs

from analyzer import reports
from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.cli import main
from analyzer.errors import AnalyzerError
from analyzer.profile import load_profile
from analyzer.reports.xlsx import money_format
from tests.conftest import FIXTURES, ROOT
from tests.test_costs_golden import profile as golden_profile

SNAPSHOT = ROOT / "tests" / "snapshots" / "acme-report.md"
HYPERLINK = '=HYPERLINK("http://example.com","x")'
SCRIPT = "<script>alert(1)</script>"
SAMPLES = 200


@pytest.fixture(scope="module")
def result(catalog):
    return analyze(load_profile(catalog=catalog), catalog, samples=SAMPLES)


@pytest.fixture(scope="module")
def sensitivity(result):
    return result.sensitivity


@pytest.fixture(scope="module")
def html(result):
    return reports.report_html(result)


@pytest.fixture(scope="module")
def workbook(result):
    return openpyxl.load_workbook(io.BytesIO(reports.report_xlsx(result)))


def hostile_result(tmp_path, name):
    """The golden case with the target CRM renamed to ``name``."""
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "golden_catalog", folder)
    target = folder / "products" / "target.yaml"
    quoted = "'" + name.replace("'", "''") + "'"
    target.write_text(target.read_text().replace("name: Target CRM", f"name: {quoted}"))
    catalog = load_catalog(folder)
    assert catalog.product("target").name == name
    return analyze(golden_profile(), catalog)


# --- JSON --------------------------------------------------------------------------------------


def test_json_is_byte_identical_across_runs(catalog):
    def run():
        fresh = analyze(load_profile(catalog=catalog), catalog, samples=SAMPLES, seed=7)
        return reports.report_json(fresh)

    first, second = run(), run()
    assert first == second
    assert json.loads(first)["sensitivity"]["seed"] == 7


def test_json_carries_the_analysis(result, sensitivity):
    data = json.loads(reports.report_json(result))
    assert data["recommendation"]["scenario_id"] == result.recommendation.scenario_id
    scenarios = {row["scenario_id"]: row for row in data["scenarios"]}
    assert list(scenarios) == list(result.scenarios.index)
    for sid, row in result.scenarios.iterrows():
        expected = None if row["total"] != row["total"] else round(row["total"], 2)
        assert scenarios[sid]["total"] == expected
    stay = data["cash_flows"]["scenarios"]["stay"]
    assert sum(map(sum, stay.values())) == pytest.approx(result.scenarios.loc["stay", "total"])
    assert len(data["cash_flows"]["months"]) == result.profile.horizon_months
    # Acme's running term started 2024-09-01 and is the one that can next be changed.
    assert data["key_dates"][0] == {"event": "Term start", "date": "2024-09-01"}
    assert data["exit_plan"]["steps"] and data["exit_plan"]["scenario_id"] == (
        result.recommendation.scenario_id
    )
    p_first = {r["scenario_id"]: r["p_first"] for r in data["sensitivity"]["rank_stability"]}
    assert p_first == {sid: round(p, 4) for sid, p in sensitivity.monte_carlo.p_first.items()}


def test_json_without_sensitivity_says_so(catalog):
    unsampled = analyze(load_profile(catalog=catalog), catalog, samples=0)
    assert json.loads(reports.report_json(unsampled))["sensitivity"] is None


def test_sources_list_every_catalog_price_a_costed_scenario_uses(result):
    sources = result.sources
    used = result.licenses[result.licenses["scenario_id"] != "stay"]
    listed = set(zip(sources["item"], sources["source"], strict=True))
    for item, source in zip(used["license_type"], used["source"], strict=True):
        assert (item, source) in listed
    # Today's net prices come from the profile, next to the list prices a downgrade pays.
    net = sources[sources["kind"] == "net price paid"]
    assert sorted(net["amount"]) == [150.0, 150.0]
    assert sources["as_of"].notna().sum() == len(sources) - len(net)
    # Onboarding fees of a switch target are prices too.
    assert "one_time_fee" in set(sources["kind"])


# --- Markdown and CSV --------------------------------------------------------------------------


def test_markdown_matches_the_snapshot(result):
    expected = SNAPSHOT.read_text(encoding="utf-8")
    assert reports.report_markdown(result) == expected, (
        "The Markdown report changed. If the change is intended, regenerate the snapshot with\n"
        "  .venv/bin/crm-analyzer compare --format md -o tests/snapshots/acme-report.md --force\n"
        "and review the diff."
    )


def test_csv_is_the_scenario_table(result):
    rows = list(csv.DictReader(io.StringIO(reports.report_csv(result))))
    assert [r["scenario_id"] for r in rows] == list(result.scenarios.index)
    assert float(rows[0]["total"]) == pytest.approx(result.scenarios["total"].iloc[0], abs=0.01)


def test_csv_and_xlsx_neutralize_a_formula_in_catalog_text(tmp_path):
    hostile = hostile_result(tmp_path, HYPERLINK)
    rows = list(csv.DictReader(io.StringIO(reports.report_csv(hostile))))
    products = {r["scenario_id"]: r["product"] for r in rows}
    assert products["switch:target/standard"] == "'" + HYPERLINK
    book = openpyxl.load_workbook(io.BytesIO(reports.report_xlsx(hostile)))
    for sheet, column in (("Scenarios", "product"), ("Sources", "product")):
        cells = [row[column] for row in sheet_rows(book[sheet])]
        assert "'" + HYPERLINK in cells
        assert not any(str(c).startswith("=") for c in cells)
    # Written as text, never as a formula cell.
    sheet = book["Sources"]
    assert {c.data_type for c in sheet["A"][1:]} == {"s"}


# --- HTML --------------------------------------------------------------------------------------


def test_html_embeds_plotly_once_and_loads_nothing(html):
    banner = get_plotlyjs()[:40]
    assert "plotly.js v" in banner
    assert html.count(banner) == 1
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?https?:", html, re.IGNORECASE)


def test_html_has_every_section(html, result):
    for anchor in ("recommendation", "scenarios", "costs", "fit", "stability", "timeline"):
        assert f'id="{anchor}"' in html
    assert "Not ranked" in html
    assert "Prices used and their sources" in html
    assert html.count('class="plotly-graph-div"') == 7
    assert result.recommendation.headline.split(":")[0] in html


def test_html_without_sensitivity_leaves_the_section_out(catalog):
    page = reports.report_html(analyze(load_profile(catalog=catalog), catalog, samples=0))
    assert 'id="stability"' not in page
    assert page.count('class="plotly-graph-div"') == 5


def test_html_escapes_catalog_text(tmp_path):
    page = reports.report_html(hostile_result(tmp_path, SCRIPT))
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- XLSX --------------------------------------------------------------------------------------


def sheet_rows(sheet):
    """Rows of the first table of ``sheet`` as dicts keyed by the header."""
    values = sheet.iter_rows(values_only=True)
    header = next(values)
    rows = []
    for row in values:
        if all(v is None for v in row):
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows


def test_xlsx_has_the_sheets(workbook):
    assert workbook.sheetnames == [
        "Summary",
        "Scenarios",
        "Cash flows",
        "Feature fit",
        "Licenses",
        "Sensitivity",
        "Exit plan",
        "Assumptions",
        "Sources",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref


def test_xlsx_scenarios_match_the_analysis_in_currency_format(workbook, result):
    sheet = workbook["Scenarios"]
    rows = sheet_rows(sheet)
    assert [r["scenario_id"] for r in rows] == list(result.scenarios.index)
    for row in rows:
        expected = result.scenarios.loc[row["scenario_id"], "total"]
        if expected == expected:
            assert row["total"] == pytest.approx(expected)
        else:
            assert row["total"] is None
    header = [c.value for c in sheet[1]]
    total = sheet.cell(row=2, column=header.index("total") + 1)
    assert total.number_format == '"$"#,##0.00'
    fit = sheet.cell(row=2, column=header.index("fit") + 1)
    assert fit.number_format == "0.0%"


def test_xlsx_cash_flows_add_up_to_each_total(workbook, result):
    totals = {}
    for row in sheet_rows(workbook["Cash flows"]):
        totals[row["scenario_id"]] = totals.get(row["scenario_id"], 0.0) + row["amount"]
    for sid, total in totals.items():
        assert total == pytest.approx(result.scenarios.loc[sid, "total"])


def test_xlsx_sensitivity_sheet_holds_the_probabilities(workbook, sensitivity):
    sheet = workbook["Sensitivity"]
    rows = sheet_rows(sheet)
    p_first = {r["scenario_id"]: r["p_first"] for r in rows}
    assert p_first == pytest.approx(sensitivity.monte_carlo.p_first.to_dict())
    # The tornado and weight-flip tables stand beside it, each column in one format.
    header = [c.value for c in sheet[1]]
    assert header.count("criterion") == 2
    assert sheet.cell(row=2, column=header.index("p_first") + 1).number_format == "0.0%"
    low = sheet.cell(row=2, column=header.index("low_weight") + 1)
    assert low.value == pytest.approx(sensitivity.tornado["low_weight"].iloc[0])


def test_money_format_puts_an_unknown_symbol_after_the_amount():
    assert money_format("CHF") == '#,##0.00 "CHF"'
    assert money_format("EUR") == '"€"#,##0.00'


def test_render_report_rejects_an_unknown_format(result):
    with pytest.raises(AnalyzerError, match="report format"):
        reports.render_report(result, "pdf")


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_compare_writes_json_to_stdout(capsys):
    assert main(["compare", "--samples", "50"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"]["name"] == "Acme Corp"
    assert data["sensitivity"]["samples"] == 50


def test_cli_compare_writes_a_file_and_refuses_to_overwrite_it(tmp_path, capsys):
    target = tmp_path / "report.md"
    assert main(["compare", "--format", "md", "-o", str(target)]) == 0
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# CRM decision report: Acme Corp")
    target.write_text("keep me")
    assert main(["compare", "--format", "md", "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.read_text() == "keep me"
    assert main(["compare", "--format", "md", "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8") == written


def test_cli_compare_xlsx_needs_an_output_file(tmp_path, capsys):
    assert main(["compare", "--format", "xlsx"]) == 2
    assert "-o FILE" in capsys.readouterr().err
    target = tmp_path / "report.xlsx"
    assert main(["compare", "--format", "xlsx", "--samples", "0", "-o", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"


def test_cli_compare_bad_profile_exits_2_with_locations(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "examples" / "acme-enterprise.yaml")
        .read_text()
        .replace("horizon_months: 36", "horizon_months: lots")
    )
    assert main(["compare", str(bad)]) == 2
    err = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+: horizon_months", err)
    assert "Traceback" not in err


def test_compare_to_an_unwritable_path_exits_2(tmp_path, capsys):
    from analyzer.cli import main

    target = tmp_path / "missing-folder" / "report.md"
    assert main(["compare", "--format", "md", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "No such file or directory" in err and "Traceback" not in err
