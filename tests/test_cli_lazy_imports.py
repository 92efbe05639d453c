"""How ``crm-analyzer`` starts: ``compare --format json`` loads no library that only other
formats or other commands need, and the console script freezes what it imported before it runs.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tomllib

import pytest

import analyzer.workspace
from tests.conftest import ROOT

HEAVY = (
    "plotly",
    "xlsxwriter",
    "jinja2",
    "icalendar",
    "streamlit",
    "sqlalchemy",
    "matplotlib",
    "fpdf",
    "multiprocessing",
    "pyarrow.csv",
    "analyzer.workspace.record",
    "analyzer.workspace.diff",
    "analyzer.workspace.store",
    "analyzer.orgscan.scan",
)
"""Libraries of the HTML and XLSX reports, the Markdown and HTML templates, the calendar, the
app, the workspace, the PDF pack, the batch's process pool and the org scan's CSV reader, and
the workspace's and the org scan's own modules (their commands are registered, not run): none
is needed to write JSON."""

PROBE = """
import sys
from analyzer.cli import main
code = main(["compare", "--format", {format!r}, "-o", {output!r}])
loaded = [name for name in {heavy!r} if name in sys.modules]
print(code, ",".join(loaded))
"""


def loaded_by(report_format: str, output) -> tuple[str, set[str]]:
    """Exit code and the heavy libraries loaded by one ``compare`` in a fresh interpreter."""
    probe = PROBE.format(format=report_format, output=str(output), heavy=HEAVY)
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    code, _, names = run.stdout.strip().rpartition("\n")[2].partition(" ")
    return code, set(filter(None, names.split(",")))


def test_compare_json_imports_no_report_library(tmp_path):
    code, loaded = loaded_by("json", tmp_path / "report.json")
    assert code == "0"
    assert loaded == set()


@pytest.mark.parametrize(
    ("report_format", "needed"),
    [("xlsx", {"xlsxwriter"}), ("md", {"jinja2"})],
)
def test_a_format_loads_its_own_library_when_asked(tmp_path, report_format, needed):
    # The probe sees imports: the XLSX report does load XlsxWriter, and only what it needs.
    code, loaded = loaded_by(report_format, tmp_path / f"report.{report_format}")
    assert code == "0"
    assert loaded == needed


@pytest.mark.parametrize("name", analyzer.workspace.__all__)
def test_every_public_name_of_the_workspace_is_importable(name):
    # The package loads its modules on first use: each name must find its home.
    value = getattr(analyzer.workspace, name)
    home = importlib.import_module(getattr(value, "__module__", "analyzer.workspace"))
    assert getattr(home, name, value) is value


def test_the_console_script_runs_the_command_with_what_it_imported_frozen(tmp_path):
    # `crm-analyzer` calls analyzer.console:main, whose run loads the command line with the
    # garbage collector paused and freezes what the imports made (gc.freeze), then runs main.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert scripts["scripts"]["crm-analyzer"] == "analyzer.console:main"
    output = tmp_path / "report.json"
    probe = (
        "import gc, sys\n"
        "from analyzer.console import run\n"
        "before = (gc.get_freeze_count(), 'pandas' in sys.modules)\n"
        f"code = run(['compare', '--samples', '0', '-o', {str(output)!r}])\n"
        "print(code, *before, gc.get_freeze_count() > 100_000, gc.isenabled())\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    assert finished.stdout.split()[-5:] == ["0", "0", "False", "True", "True"]
    assert json.loads(output.read_text(encoding="utf-8"))["stability"]["samples"] == 0


def test_importing_the_package_loads_nothing_until_a_name_is_used():
    probe = (
        "import sys, analyzer\n"
        "print('pandas' in sys.modules, 'analyzer.analysis' in sys.modules)\n"
        "analyzer.load_catalog\n"
        "print('pandas' in sys.modules, 'analyzer.analysis' in sys.modules)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    # load_catalog lives in analyzer.catalog, which needs pandas but not the analysis.
    assert finished.stdout.split() == ["False", "False", "True", "False"]
