"""Every format tells the same story: headline, totals, break-even, warnings and stability.

Three analyses (the bundled example; the golden case; the golden case in euros, with an accented
name and no rank-stability run) are written as JSON, Markdown, HTML, XLSX and PDF, and each
document is parsed back. JSON is the reference: its numbers are turned into the expected text
by the small reference functions below (written here, not imported from the program), and every
other format must show exactly that.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from html.parser import HTMLParser

import openpyxl
import pypdf
import pytest

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from analyzer.reports import report_html, report_json, report_markdown, report_pdf, report_xlsx
from tests.conftest import GOLDEN, golden_profile

SYMBOL = {"USD": "$", "EUR": "€"}


def expected_money(amount: float, currency: str) -> str:
    """Whole units with thousands separators after the currency's sign: -$1,234."""
    sign = "-" if round(amount) < 0 else ""
    return f"{sign}{SYMBOL[currency]}{abs(amount):,.0f}"


def expected_break_even(scenario: dict, months: list[str]) -> str:
    """The month from which an option's cumulative cost stays at or below Stay's, in words."""
    if scenario["kind"] == "stay" or scenario["status"] != "ok":
        return "–"
    month = scenario["break_even_month"]
    if month is None:
        return "none within the horizon"
    if month == 0:
        return "never above staying"
    return f"{months[month]} (month {month})"


def expected_share(share: float) -> str:
    """A probability as a percentage with one decimal: 0.985 -> 98.5%."""
    return f"{share * 100:.1f}%"


def squeezed(text: str) -> str:
    return "".join(text.split())


# --- Reading the documents back ----------------------------------------------------------------


class _Tables(HTMLParser):
    """Tables (rows of cell text), the headline and the warning boxes of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.headline = ""
        self.warnings: list[str] = []
        self._cell: list[str] | None = None
        self._capture: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "p" and "headline" in classes:
            self._capture, self._cell = "headline", []
        elif tag == "div" and "warning" in classes:
            self._capture, self._cell = "warning", []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "p" and self._capture == "headline":
            self.headline = " ".join("".join(self._cell).split())
            self._capture = self._cell = None
        elif tag == "div" and self._capture == "warning":
            self.warnings.append(" ".join("".join(self._cell).split()))
            self._capture = self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_facts(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    parser.page = page
    return parser


def table_with(tables: list[list[list[str]]], *header: str) -> list[dict[str, str]]:
    """Rows (dicts by header) of the first table whose header row starts with ``header``."""
    for table in tables:
        if table and tuple(table[0][: len(header)]) == header:
            return [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    raise AssertionError(f"no table with header {header}")


def markdown_unescaped(text: str) -> str:
    r"""Markdown text as it reads: ``\|`` is ``|``, ``\*`` is ``*``."""
    return re.sub(r"\\(.)", r"\1", text)


def markdown_tables(page: str) -> list[list[list[str]]]:
    """Every pipe table of a Markdown page as rows of unescaped cells."""
    tables, current = [], None
    for line in page.splitlines():
        if line.startswith("|"):
            cells = [markdown_unescaped(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if set(line) <= set("|-"):
                continue
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables


def markdown_facts(page: str) -> dict:
    headline = re.search(r"^## Recommendation\n\n\*\*(.*)\*\*$", page, re.M).group(1)
    warnings = re.findall(r"^> \*\*Warning:\*\* (.*)$", page, re.M)
    return {
        "page": page,
        "headline": markdown_unescaped(headline),
        "warnings": [markdown_unescaped(w) for w in warnings],
        "tables": markdown_tables(page),
    }


def xlsx_rows(sheet) -> list[dict]:
    values = sheet.iter_rows(values_only=True)
    header = next(values)
    rows = []
    for row in values:
        if all(v is None for v in row):
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows


def pdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return squeezed("".join(page.extract_text() for page in reader.pages))


# --- The three analyses --------------------------------------------------------------------------


def _bundled():
    catalog = load_catalog()
    return analyze(load_profile(catalog=catalog), catalog, samples=200)


def _golden():
    return analyze(golden_profile(), GOLDEN, samples=200)


def _golden_in_euros():
    profile = golden_profile(name="Société Générale Ørsted", currency="EUR", fx={"USD": 0.9})
    return analyze(profile, GOLDEN, samples=0)


@pytest.fixture(scope="module", params=[_bundled, _golden, _golden_in_euros])
def documents(request):
    result = request.param()
    return {
        "json": json.loads(report_json(result)),
        "md": markdown_facts(report_markdown(result)),
        "html": html_facts(report_html(result)),
        "xlsx": openpyxl.load_workbook(io.BytesIO(report_xlsx(result))),
        "pdf": pdf_text(report_pdf(result)),
    }


@pytest.fixture(scope="module")
def reference(documents):
    data = documents["json"]
    currency = data["profile"]["currency"]
    months = data["cash_flows"]["months"]
    ranked = [s for s in data["scenarios"] if s["rank"] is not None]
    return {
        "data": data,
        "currency": currency,
        "ranked": ranked,
        "by_label": {s["label"]: s for s in ranked},
        "break_even": {s["label"]: expected_break_even(s, months) for s in ranked},
    }


def test_the_headline_is_the_same_everywhere(documents, reference):
    headline = reference["data"]["recommendation"]["headline"]
    assert documents["md"]["headline"] == headline
    assert html_lib.unescape(documents["html"].headline) == headline
    summary = dict(
        (row["item"], row["value"])
        for row in xlsx_rows(documents["xlsx"]["Summary"])
        if row["item"] == "Recommendation"
    )
    assert summary["Recommendation"] == headline
    assert squeezed(headline) in documents["pdf"]


def test_every_warning_is_in_every_format(documents, reference):
    data = reference["data"]
    warnings = [w["message"] for w in data["warnings"]]
    assert data["recommendation"]["warnings"] == warnings
    assert documents["md"]["warnings"] == warnings
    assert documents["html"].warnings == warnings
    summary = xlsx_rows(documents["xlsx"]["Summary"])
    assert [row["value"] for row in summary if row["item"] == "Warning"] == warnings
    for warning in warnings:
        assert squeezed(warning) in documents["pdf"]


def test_both_totals_and_the_break_even_agree(documents, reference):
    currency = reference["currency"]
    markdown = table_with(documents["md"]["tables"], "Rank", "Scenario", "Decision total")
    html_rows = table_with(documents["html"].tables, "Rank", "Scenario", "Kind")
    for rows in (markdown, html_rows):
        assert [row["Scenario"] for row in rows] == [s["label"] for s in reference["ranked"]]
        for row in rows:
            scenario = reference["by_label"][row["Scenario"]]
            assert row["Decision total"] == expected_money(scenario["total"], currency)
            assert row["Cash total"] == expected_money(scenario["cash_total"], currency)
            assert row["Break-even"] == reference["break_even"][row["Scenario"]]
    sheet = {row["label"]: row for row in xlsx_rows(documents["xlsx"]["Scenarios"])}
    for label, scenario in reference["by_label"].items():
        assert sheet[label]["total"] == pytest.approx(scenario["total"], abs=0.006)
        assert sheet[label]["cash_total"] == pytest.approx(scenario["cash_total"], abs=0.006)
        assert sheet[label]["break_even_month"] == scenario["break_even_month"]


def test_the_pdf_summary_shows_the_totals_and_break_even_of_the_three_strategies(
    documents, reference
):
    currency = reference["currency"]
    text = documents["pdf"]
    best = {}
    for scenario in reference["ranked"]:
        best.setdefault(scenario["kind"], scenario)
    # Each row of the side-by-side table: its name, then one cell per strategy, in kind order.
    order = [best[kind] for kind in ("stay", "downgrade", "switch") if kind in best]
    rows = {
        "Decision total": [expected_money(s["total"], currency) for s in order],
        "Cash total": [expected_money(s["cash_total"], currency) for s in order],
        "Break-even": [reference["break_even"][s["label"]] for s in order],
    }
    for name, cells in rows.items():
        assert squeezed(name + "".join(cells)) in text


def test_the_stability_figures_agree(documents, reference):
    data = reference["data"]
    sensitivity = data["sensitivity"]
    if sensitivity is None:
        absence = data["stability"]["absence"]
        assert absence
        assert f"\n{absence}\n" in documents["md"]["page"]
        assert html_lib.escape(absence) in documents["html"].page
        assert squeezed(absence) in documents["pdf"]
        note = xlsx_rows(documents["xlsx"]["Sensitivity"])
        assert note == [{"note": absence}]
        summary = {row["item"]: row["value"] for row in xlsx_rows(documents["xlsx"]["Summary"])}
        assert summary["Rank stability"] == absence
        return
    expected = {
        row["label"]: (expected_share(row["p_first"]), f"{row['expected_rank']:.3f}")
        for row in sensitivity["rank_stability"]
    }
    markdown = table_with(documents["md"]["tables"], "Scenario", "P(first)", "Expected rank")
    html_rows = table_with(documents["html"].tables, "Scenario", "P(first)", "Expected rank")
    for rows in (markdown, html_rows):
        assert {r["Scenario"]: (r["P(first)"], r["Expected rank"]) for r in rows} == expected
    sheet = {row["label"]: row for row in xlsx_rows(documents["xlsx"]["Sensitivity"])}
    for row in sensitivity["rank_stability"]:
        assert sheet[row["label"]]["p_first"] == pytest.approx(row["p_first"], abs=5e-5)
        assert sheet[row["label"]]["expected_rank"] == pytest.approx(row["expected_rank"], abs=5e-5)
    for label, (share, rank) in expected.items():
        assert squeezed(f"{label}{share}{rank}") in documents["pdf"]
    # How the stability was drawn: the same sample count and seed everywhere.
    samples, seed = data["stability"]["samples"], data["stability"]["seed"]
    drawn = squeezed(f"{samples} samples of weights and costs (seed {seed})")
    assert drawn in squeezed(documents["md"]["page"])
    assert drawn in squeezed(html_lib.unescape(documents["html"].page))
    assert drawn in documents["pdf"]
    summary = {row["item"]: row["value"] for row in xlsx_rows(documents["xlsx"]["Summary"])}
    assert (summary["Rank stability samples"], summary["Rank stability seed"]) == (samples, seed)
