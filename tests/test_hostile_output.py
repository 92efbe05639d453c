"""Hostile text stays inert in every output; output files are written whole or not at all.

Product names in a copy of the bundled catalog, the profile name and a role name are replaced by
attack strings. Every report format is then read back the way its reader would (HTML with
``html.parser``, Markdown rendered by markdown-it then parsed, CSV with both ``,`` and ``;``,
XLSX with openpyxl, JSON with ``json``) and checked for live markup, links, event handlers and
formula cells. Output writing is checked for atomicity and honest errors.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from analyzer import charts
from analyzer.analysis import analyze
from analyzer.catalog import BUNDLED_CATALOG, load_catalog
from analyzer.cli import MAX_SAMPLES, main
from analyzer.errors import AnalyzerError
from analyzer.output import OutputError, flush_to_disk, write_output
from analyzer.profile import EXAMPLE_PROFILE, parse_profile
from analyzer.reports import render_report
from analyzer.safety import csv_text, inert_label, markdown_escape, neutralize

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![t](https://evil.test/t.png)",
    "[x](javascript:alert(1))",
    '<a href="https://evil.test">x</a>',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "x;=1+1;y",
    "a,=1,b",
    "a|b|c",
    '"quoted" <b>bold</b>',
    " =1+1",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# --- The reference readers --------------------------------------------------------------------


class _Markup(HTMLParser):
    """Collects what a browser would act on: tags, attributes, script bodies and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag in ("script", "style")
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and self.scripts:
            self.scripts[-1] += data
        elif not self._in_script:
            self.text.append(data)


def markup_of(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def live_problems(markup: _Markup) -> list[str]:
    """Every tag or attribute in ``markup`` that would run code or fetch from outside."""
    found = []
    for tag, attrs in markup.tags:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            link = (value or "").strip().lower()
            if name in ("href", "src") and ("evil.test" in link or link.startswith("javascript:")):
                found.append(f"<{tag} {name}={value}>")
        if tag == "img":
            found.append("<img>")
    for body in markup.scripts:
        if "<script>alert" in body or "<img" in body:
            found.append("script body with markup")
    return found


def looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: text whose first non-blank character starts a formula."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.lstrip(" ").startswith(FORMULA_STARTS) and not looks_like_number(cell.strip())
    ]


# --- One hostile analysis, rendered once per format ------------------------------------------


@pytest.fixture(scope="module")
def hostile_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "catalog"
    shutil.copytree(BUNDLED_CATALOG, folder)
    for product_file, payload in zip(
        sorted((folder / "products").glob("*.yaml")), PAYLOADS, strict=False
    ):
        lines = product_file.read_text(encoding="utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("name: "))
        # A JSON string is a valid YAML double-quoted scalar.
        lines[index] = "name: " + json.dumps(payload)
        product_file.write_text("\n".join(lines), encoding="utf-8")
    catalog = load_catalog(folder)
    text = EXAMPLE_PROFILE.read_text(encoding="utf-8")
    text = text.replace("name: Acme Corp", "name: " + json.dumps(PAYLOADS[0]))
    text = text.replace("name: Sales reps", "name: " + json.dumps(PAYLOADS[1]))
    # Cases as a weight, not a gate, and forecasting likewise, so that most products are ranked
    # and their hostile names reach every chart and table.
    text = text.replace("case_management: must", "case_management: 3")
    text = text.replace("forecasting: must", "forecasting: 3")
    profile = parse_profile(text, catalog)
    return analyze(profile, catalog, samples=200)


@pytest.fixture(scope="module")
def documents(hostile_result):
    return {
        fmt: render_report(hostile_result, fmt) for fmt in ("html", "md", "csv", "json", "xlsx")
    }


@pytest.fixture(scope="module")
def html_markup(documents):
    return markup_of(documents["html"])


@pytest.fixture(scope="module")
def xlsx_cells(documents):
    book = openpyxl.load_workbook(io.BytesIO(documents["xlsx"]))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_report_shows_the_payload_as_text(payload, html_markup):
    # The payload is in the visible text (html.parser decodes entities), so it was escaped.
    assert payload.strip() in "".join(html_markup.text)


def test_html_report_has_nothing_live(html_markup, documents):
    assert live_problems(html_markup) == []
    # Only the report's own scripts: plotly.js once, then one call per figure.
    assert not any("<script>alert" in body for body in html_markup.scripts)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_report_holds_the_neutralized_payload(payload, xlsx_cells):
    values = [cell.value for cell in xlsx_cells if isinstance(cell.value, str)]
    assert any(neutralize(payload) in value for value in values), payload


def test_xlsx_report_has_no_formula_cells(xlsx_cells):
    assert [c.coordinate for c in xlsx_cells if c.data_type == "f"] == []
    texts = [[c.value] for c in xlsx_cells if isinstance(c.value, str)]
    assert formula_cells(texts) == []
    # Nor a part after ";" or "," that a reader splitting on them would run.
    parts = [[part] for (text,) in texts for part in text.replace(",", ";").split(";")]
    assert formula_cells(parts) == []


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_report_has_no_formula_cell_for_either_delimiter(delimiter, documents):
    rows = list(csv.reader(io.StringIO(documents["csv"]), delimiter=delimiter))
    assert len(rows) > 1
    assert formula_cells(rows) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_report_reads_back_the_neutralized_payload(payload, documents):
    cells = [c for row in csv.reader(io.StringIO(documents["csv"])) for c in row]
    assert neutralize(payload) in cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_json_report_keeps_the_payload_as_data(payload, documents):
    strings = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            strings.append(value)

    walk(json.loads(documents["json"]))
    assert any(payload in s for s in strings)


def test_markdown_report_renders_nothing_live(documents):
    markup = markup_of(MarkdownIt("commonmark").enable("table").render(documents["md"]))
    assert live_problems(markup) == []
    assert not any(tag in ("script", "a", "b") for tag, _ in markup.tags)


# --- The escaping functions themselves --------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escape_renders_as_the_same_plain_text(payload):
    html = MarkdownIt("commonmark").enable("table").render(markdown_escape(payload))
    markup = markup_of(html)
    # Only the paragraph around it: no link, image, script or emphasis.
    assert [tag for tag, _ in markup.tags] == ["p"]
    assert "".join(markup.text).strip() == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escape_keeps_a_table_cell_whole(payload):
    table = f"| a | b |\n|---|---|\n| {markdown_escape(payload)} | end |\n"
    markup = markup_of(MarkdownIt("commonmark").enable("table").render(table))
    cells = [tag for tag, _ in markup.tags if tag == "td"]
    assert len(cells) == 2


@given(st.text())
def test_markdown_escape_never_lets_a_tag_through(text):
    html = MarkdownIt("commonmark").enable("table").render(markdown_escape(text))
    tags = {tag for tag, _ in markup_of(html).tags}
    assert tags <= {"p", "br"}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inert_label_leaves_no_tag(payload):
    assert "<" not in inert_label(payload) and ">" not in inert_label(payload)
    # Plotly shows entities as characters: decoding gives back the text as typed.
    assert markup_of(f"<p>{inert_label(payload)}</p>").text == [payload]


@given(st.text())
def test_neutralized_text_starts_no_formula_however_it_is_split(text):
    safe = neutralize(text)
    for separator in (",", ";"):
        parts = safe.split(separator)
        assert formula_cells([parts[1:]]) == []
    assert not safe.lstrip(" ").startswith(FORMULA_STARTS)
    assert "\r" not in safe and "\n" not in safe and "\t" not in safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Worked by hand from the rule in analyzer/safety.py's docstring.
        ("=1+1", "'=1+1"),
        ("  @x", "'  @x"),
        ("\t=1", "' =1"),
        ("\r=1+1", "' =1+1"),
        ("a\n=1", "a =1"),
        ("x;=1+1;y", "x;'=1+1;y"),
        ("a, -b", "a, '-b"),
        ("a - b", "a - b"),
        ("plain", "plain"),
        (12.5, 12.5),
    ],
)
def test_neutralize_rule(value, expected):
    assert neutralize(value) == expected


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_text_reads_back_with_either_delimiter(delimiter):
    frame = pd.DataFrame({"name": PAYLOADS, "amount": range(len(PAYLOADS))})
    text = csv_text(frame)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert formula_cells(rows) == []
    if delimiter == ",":
        # Quote-aware reading gives back the neutralized cells exactly.
        assert rows[0] == ["name", "amount"]
        assert [row[0] for row in rows[1:]] == [neutralize(p) for p in PAYLOADS]
        assert [row[1] for row in rows[1:]] == [str(i) for i in range(len(PAYLOADS))]
    else:
        # Every row is one ";" field or split only inside a quoted cell: the count of fields
        # is 1 + the ";" outside quotes, which is 0 here since every ";" cell is quoted.
        assert all(len(row) == 1 for row in rows)


def test_csv_text_quotes_every_cell_with_a_separator_quote_or_break():
    frame = pd.DataFrame({"text": ["a,b", "a;b", 'a"b', "plain"]})
    assert csv_text(frame) == 'text\n"a,b"\n"a;b"\n"a""b"\nplain\n'


# --- Charts -----------------------------------------------------------------------------------


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())
    return [value] if isinstance(value, str) else []


CHARTS = {
    "cumulative": lambda r: charts.cumulative_cost_chart(r, charts.ranked_scenarios(r)),
    "breakdown": charts.cost_breakdown_chart,
    "fit-role": charts.fit_heatmap,
    "fit-feature": lambda r: charts.fit_heatmap(r, by="feature"),
    "scores": lambda r: charts.score_breakdown_chart(r, top=40),
    "stability": lambda r: charts.rank_stability_chart(
        r.sensitivity, top=40, labels=r.scenarios["label"]
    ),
    "timeline": lambda r: charts.contract_timeline(
        r, next(sid for sid in r.scenarios.index if "<" in r.scenarios.loc[sid, "label"])
    ),
}


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_labels_hold_no_markup_from_the_catalog(chart, hostile_result):
    strings = _strings(CHARTS[chart](hostile_result).to_dict())
    for payload in PAYLOADS:
        if "<" in payload:
            assert not any(payload in s for s in strings), (chart, payload)
    assert any("&lt;" in s for s in strings), chart


# --- Writing output files ---------------------------------------------------------------------


def test_write_output_creates_the_file(tmp_path):
    target = tmp_path / "report.md"
    write_output(target, "# ok\n")
    assert target.read_text(encoding="utf-8") == "# ok\n"
    assert os.listdir(tmp_path) == ["report.md"]


def test_write_output_refuses_an_existing_file_without_force(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="exists; add --force"):
        write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.md"]


def test_write_output_never_replaces_a_file_created_meanwhile(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    real_link = os.link

    def someone_else_writes_first(source, destination):
        Path(destination).write_text("theirs", encoding="utf-8")
        return real_link(source, destination)

    monkeypatch.setattr(os, "link", someone_else_writes_first)
    with pytest.raises(OutputError, match="exists"):
        write_output(target, "ours")
    assert target.read_text(encoding="utf-8") == "theirs"
    assert os.listdir(tmp_path) == ["report.md"]


def test_write_output_with_force_replaces_whole(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    write_output(target, b"new bytes", force=True)
    assert target.read_bytes() == b"new bytes"
    assert os.listdir(tmp_path) == ["report.xlsx"]


def test_a_failed_forced_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError) as caught:
        write_output(target, "new " * 1000, force=True)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.md"]


def test_text_that_cannot_be_encoded_leaves_no_file(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot be written as UTF-8"):
        write_output(target, "bad \ud83d text", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    with pytest.raises(OutputError):
        write_output(tmp_path / "new.md", "\udc00")
    assert os.listdir(tmp_path) == ["report.md"]


@pytest.mark.parametrize(
    ("target", "force", "reason"),
    [
        ("/dev/full", True, "it is not a regular file"),
        ("/dev/full", False, "the file exists"),
        ("{tmp}", True, "it is not a regular file"),
        ("{tmp}/missing/report.md", False, "No such file or directory"),
    ],
)
def test_write_output_errors_name_the_path_and_the_reason(target, force, reason, tmp_path):
    path = target.format(tmp=tmp_path)
    with pytest.raises(OutputError) as caught:
        write_output(path, "x", force=force)
    assert str(caught.value).startswith(f"cannot write {path}: ")
    assert reason in str(caught.value) and "None" not in str(caught.value)
    assert isinstance(caught.value, AnalyzerError)


# --- The command line on hostile paths and options --------------------------------------------


def run_cli(*args: str, isolated: bool = False) -> subprocess.CompletedProcess:
    """Run ``crm-analyzer`` with ``args``; ``isolated``: in a subprocess with a 10 s timeout, for
    inputs that would hang the test run if a read blocked."""
    if isolated:
        return subprocess.run(
            [sys.executable, "-m", "analyzer.cli", *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: Path("/dev/zero"), "file is over 1,000,000 bytes"),
        (lambda d: (os.mkfifo(d / "p.yaml"), d / "p.yaml")[1], "the document is empty"),
        (lambda d: d, "cannot read: Is a directory"),
        (lambda d: d / "missing.yaml", "cannot read: No such file or directory"),
        (
            lambda d: (d / "big.yaml").write_bytes(b"#" * 2_000_000) and d / "big.yaml",
            "file is over 1,000,000 bytes; the limit is 1,000,000 bytes",
        ),
    ],
    ids=["dev-zero", "fifo", "folder", "missing", "two-megabytes"],
)
def test_compare_on_a_hostile_path_fails_fast_with_a_location(make, words, tmp_path):
    path = make(tmp_path)
    run = run_cli("compare", str(path), isolated=str(path) == "/dev/zero" or path.is_fifo())
    assert run.returncode == 2
    assert f"{path}:1:1: {words}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("samples", [str(MAX_SAMPLES + 1), "1000000000", "-1"])
def test_compare_refuses_samples_out_of_range_before_working(samples):
    run = run_cli("compare", "--samples", samples)
    assert run.returncode == 2
    assert f"--samples must be from 0 to {MAX_SAMPLES:,}" in run.stderr


def test_compare_without_force_leaves_an_existing_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("keep", encoding="utf-8")
    run = run_cli("compare", "--samples", "0", "-o", str(target))
    assert run.returncode == 2 and "exists" in run.stderr
    assert target.read_text(encoding="utf-8") == "keep"


def test_compare_to_dev_full_names_the_path_and_reason():
    run = run_cli("compare", "--samples", "0", "--format", "md", "-o", "/dev/full", "--force")
    assert run.returncode == 2
    assert run.stderr.strip() == "error: cannot write /dev/full: it is not a regular file"


def test_compare_with_force_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    run = run_cli("compare", "--samples", "0", "--format", "csv", "-o", str(target), "--force")
    assert run.returncode == 0, run.stderr
    assert target.read_text(encoding="utf-8").startswith("rank,scenario_id")
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.parametrize("module", ["analyzer.safety", "analyzer.output", "analyzer.yamlio"])
def test_the_documented_examples_hold(module):
    import doctest
    import importlib

    outcome = doctest.testmod(importlib.import_module(module))
    assert outcome.attempted > 0 and outcome.failed == 0


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
        max_size=8,
    )
)
def test_csv_text_reads_back_cell_for_cell(texts):
    frame = pd.DataFrame({"text": texts, "marker": ["x"] * len(texts)}, dtype=object)
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[0] == ["text", "marker"]
    assert rows[1:] == [[neutralize(text), "x"] for text in texts]


@given(st.binary(max_size=2000) | st.text(max_size=500))
def test_write_output_writes_exactly_the_document(tmp_path_factory, data):
    target = tmp_path_factory.mktemp("out") / "doc"
    write_output(target, data)
    expected = data if isinstance(data, bytes) else data.encode("utf-8")
    assert target.read_bytes() == expected


def test_a_file_written_for_a_later_flush_is_whole_and_flushes(tmp_path):
    target = tmp_path / "report.json"
    write_output(target, "{}\n" * 1000, force=True, durable=False)
    assert target.read_text(encoding="utf-8") == "{}\n" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left
    flush_to_disk([target])


def test_flushing_a_missing_file_names_it(tmp_path):
    missing = tmp_path / "gone.json"
    with pytest.raises(OutputError, match=r"gone\.json"):
        flush_to_disk([missing])
