"""``crm-analyzer batch``: many profiles in a process pool, one summary table, one report each."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import json
from pathlib import Path

import openpyxl
import pytest

from analyzer.batch import (
    CHUNK_PROFILES,
    SAVING_FORMAT,
    YOUNG_COLLECTION_ALLOCATIONS,
    _chunks,
    run_batch,
    start_worker,
)
from analyzer.cli import main
from analyzer.errors import AnalyzerError, InputError
from analyzer.profile import EXAMPLE_PROFILE

EXAMPLE = EXAMPLE_PROFILE.read_text(encoding="utf-8")
FORMULA_NAME = '=HYPERLINK("http://x")'


@pytest.fixture
def profiles(tmp_path):
    """Three profiles and a stray file: the example, a renamed copy with fewer reps, and one
    with negative seats (line 28, column 12 of the example)."""
    folder = tmp_path / "clients"
    folder.mkdir()
    (folder / "acme.yaml").write_text(EXAMPLE, encoding="utf-8")
    formula = EXAMPLE.replace("name: Acme Corp", f"name: '{FORMULA_NAME}'", 1)
    (folder / "formula.yml").write_text(formula.replace("seats: 60", "seats: 50", 1), "utf-8")
    (folder / "broken.yaml").write_text(EXAMPLE.replace("    seats: 60", "    seats: -60", 1))
    (folder / "notes.txt").write_text("not a profile", encoding="utf-8")
    return folder


def test_every_profile_gets_a_row_and_a_broken_one_does_not_stop_the_batch(profiles, tmp_path):
    out = tmp_path / "out"
    summary = run_batch(profiles, out, jobs=2, samples=0)
    assert list(summary["profile"]) == ["acme.yaml", "broken.yaml", "formula.yml"]
    assert list(summary["status"]) == ["ok", "error", "ok"]
    broken = summary.set_index("profile").loc["broken.yaml"]
    assert broken["error"].startswith(f"{profiles / 'broken.yaml'}:28:12: roles.0.seats:")
    assert not (out / "reports" / "broken.yaml.json").exists()

    for row in summary[summary["status"] == "ok"].itertuples():
        report = json.loads((out / row.report).read_text(encoding="utf-8"))
        totals = {s["scenario_id"]: s["total"] for s in report["scenarios"]}
        winner = report["recommendation"]["scenario_id"]
        assert row.winner == report["recommendation"]["label"]
        # The saving is what staying costs more than the winner over the horizon.
        assert row.saving == pytest.approx(totals["stay"] - totals[winner], abs=0.01)
        # The term ends 2027-08-31 with 30 days' notice.
        assert row.deadline == (dt.date(2027, 8, 31) - dt.timedelta(days=30)).isoformat()
        assert row.warnings == len(report["warnings"])
        assert row.close_call == bool(report["recommendation"]["contenders"])
    names = summary.set_index("profile")["organisation"]
    assert names["acme.yaml"] == "Acme Corp" and names["formula.yml"] == FORMULA_NAME


def test_the_cli_writes_csv_and_xlsx_and_exits_2_when_a_profile_failed(profiles, tmp_path, capsys):
    out = tmp_path / "out"
    command = ["batch", str(profiles), "-o", str(out), "--jobs", "2", "--samples", "0"]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"{profiles / 'broken.yaml'}:28:12:" in err
    assert "2 of 3 profiles analysed; 1 with errors" in err

    with (out / "summary.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["profile"] for r in rows] == ["acme.yaml", "broken.yaml", "formula.yml"]
    assert rows[2]["organisation"] == "'" + FORMULA_NAME  # no formula in a spreadsheet

    sheet = openpyxl.load_workbook(out / "summary.xlsx")["Summary"]
    header = [cell.value for cell in sheet[1]]
    assert header[:10] == [
        "profile",
        "status",
        "organisation",
        "winner",
        "saving",
        "currency",
        "deadline",
        "close_call",
        "warnings",
        "warning_messages",
    ]
    assert sheet.freeze_panes == "A2"
    saving = sheet.cell(row=2, column=5)
    assert saving.number_format == SAVING_FORMAT
    assert saving.value == pytest.approx(float(rows[0]["saving"]))
    assert sheet.cell(row=4, column=3).value == "'" + FORMULA_NAME
    assert sheet.cell(row=3, column=5).value is None  # the broken profile has no saving

    assert main(command) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert main([*command, "--force"]) == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda folder: None, "no profiles"),
        (lambda folder: folder.rmdir(), "is not a folder"),
    ],
)
def test_an_empty_or_missing_folder_is_an_error(tmp_path, setup, message):
    folder = tmp_path / "empty"
    folder.mkdir()
    setup(folder)
    with pytest.raises(AnalyzerError, match=message):
        run_batch(folder, tmp_path / "out", jobs=1, samples=0)


def test_jobs_must_be_positive(profiles, tmp_path):
    with pytest.raises(AnalyzerError, match="at least 1"):
        run_batch(profiles, tmp_path / "out", jobs=0, samples=0)


@pytest.mark.parametrize(("count", "workers"), [(1, 2), (7, 2), (64, 2), (1000, 2), (33, 1)])
def test_tasks_cover_every_profile_once_in_order(count, workers):
    files = [Path(f"p{n:04d}.yaml") for n in range(count)]
    chunks = _chunks(files, workers)
    assert [path for chunk in chunks for path in chunk] == files
    assert all(1 <= len(chunk) <= CHUNK_PROFILES for chunk in chunks)
    # With enough files each worker gets at least four tasks: 64 files on 2 workers make
    # 8 tasks of 8; 7 files make 7 tasks of 1.
    assert len(chunks) >= min(count, 4 * workers)


def test_a_broken_catalog_stops_the_batch_before_any_profile(profiles, tmp_path):
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "features.yaml").write_text("features: [\n", encoding="utf-8")
    with pytest.raises(InputError):
        run_batch(profiles, tmp_path / "out", jobs=1, samples=0, catalog_path=catalog)
    assert not (tmp_path / "out").exists()


def test_many_profiles_in_a_few_tasks_each_get_their_own_report(tmp_path):
    # 10 profiles on 2 workers: tasks of one profile (10 // 8 = 1), every report written whole.
    folder = tmp_path / "clients"
    folder.mkdir()
    for n in range(10):
        text = EXAMPLE.replace("name: Acme Corp", f"name: Client {n}", 1)
        (folder / f"c{n}.yaml").write_text(text, encoding="utf-8")
    summary = run_batch(folder, tmp_path / "out", jobs=2, samples=0)
    assert list(summary["status"]) == ["ok"] * 10
    for n, row in enumerate(summary.itertuples()):
        report = json.loads((tmp_path / "out" / row.report).read_text(encoding="utf-8"))
        assert report["profile"]["name"] == row.organisation == f"Client {n}"
    assert not list((tmp_path / "out" / "reports").glob(".*.tmp"))


def test_a_worker_starts_with_its_catalog_loaded_and_what_is_loaded_frozen(monkeypatch):
    """start_worker loads the catalog once (the pool's initializer), freezes what exists and
    collects young objects less often (the older generations' thresholds stay)."""
    loaded = []
    monkeypatch.setattr("analyzer.batch._catalog", loaded.append)
    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    try:
        start_worker(None)
        assert loaded == [None]
        assert gc.get_freeze_count() > before
        assert gc.get_threshold() == (YOUNG_COLLECTION_ALLOCATIONS, *thresholds[1:])
        assert thresholds[0] < YOUNG_COLLECTION_ALLOCATIONS
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_each_report_is_flushed_when_its_task_completes_and_the_folder_at_the_end(
    profiles, tmp_path, monkeypatch
):
    """The parent flushes every written report to disk as its row arrives (never a failed
    profile's, which has none), before the next row is handed on, and the reports' folder once,
    after the last report."""
    events = []
    monkeypatch.setattr("analyzer.batch.flush_files", lambda paths: events.append(("file", paths)))
    monkeypatch.setattr(
        "analyzer.batch.flush_folders", lambda folders: events.append(("folders", folders))
    )
    out = tmp_path / "out"
    run_batch(
        profiles, out, jobs=1, samples=0, progress=lambda row: events.append(("row", row.profile))
    )
    reports = out / "reports"
    # Rows arrive in completion order; each written report is flushed just before its row.
    rows = [event[1] for event in events if event[0] == "row"]
    assert sorted(rows) == ["acme.yaml", "broken.yaml", "formula.yml"]
    expected = []
    for name in rows:
        if name != "broken.yaml":  # no report to flush
            expected.append(("file", [reports / f"{name}.json"]))
        expected.append(("row", name))
    assert events == [*expected, ("folders", [reports])]
