"""One entry point for every format, and the CLI's ``compare`` writing reports."""

import io
import json
import re

import openpyxl
import pytest

from analyzer import reports
from analyzer.cli import main
from analyzer.errors import AnalyzerError
from tests.conftest import ROOT


def test_render_report_writes_every_format(unsampled):
    assert reports.REPORT_FORMATS == ("json", "md", "html", "xlsx", "csv", "pdf")
    documents = {fmt: reports.render_report(unsampled, fmt) for fmt in reports.REPORT_FORMATS}
    assert json.loads(documents["json"])["profile"]["name"] == "Acme Corp"
    assert documents["md"] == reports.report_markdown(unsampled)
    assert documents["html"].startswith("<!DOCTYPE html>")
    assert openpyxl.load_workbook(io.BytesIO(documents["xlsx"])).sheetnames[0] == "Summary"
    assert documents["csv"] == reports.report_csv(unsampled)
    assert documents["pdf"].startswith(b"%PDF-")


def test_render_report_rejects_an_unknown_format(unsampled):
    with pytest.raises(AnalyzerError, match="report format must be one of json, md"):
        reports.render_report(unsampled, "docx")


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


@pytest.mark.parametrize("binary", ["xlsx", "pdf"])
def test_cli_compare_binary_formats_need_an_output_file(binary, capsys):
    assert main(["compare", "--format", binary]) == 2
    assert "-o FILE" in capsys.readouterr().err


def test_cli_compare_writes_xlsx_to_a_file(tmp_path):
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
    target = tmp_path / "missing-folder" / "report.md"
    assert main(["compare", "--format", "md", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "No such file or directory" in err and "Traceback" not in err
