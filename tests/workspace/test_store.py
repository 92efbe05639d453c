"""The workspace store on SQLite and PostgreSQL: save, read back, list, migrate, concurrency."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from analyzer.workspace import (
    NewAnalysis,
    Workspace,
    WorkspaceError,
    open_workspace,
    workspace_url,
)
from analyzer.workspace.store import WORKSPACE_ENV
from analyzer.workspace.tables import metadata

SAVES_PER_PROCESS = 15


def test_a_saved_analysis_reads_back_whole(workspace_location, example_analysis):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with open_workspace(workspace_location) as workspace:
        first = workspace.save(example_analysis)
        second = workspace.save(
            dataclasses.replace(example_analysis, note="what-if", saved_by="bo")
        )
        read = workspace.get(first.id)
        listed = workspace.list()
    after = dt.datetime.now(dt.UTC)
    assert second.id > first.id
    for field in ("profile_name", "profile_yaml", "catalog", "summary", "report", "saved_by"):
        assert getattr(read, field) == getattr(example_analysis, field), field
    assert read.note == "baseline"
    assert before <= read.saved_at <= after
    assert read.saved_at.utcoffset() == dt.timedelta(0)
    assert [(a.id, a.note, a.saved_by) for a in listed] == [
        (first.id, "baseline", "ana"),
        (second.id, "what-if", "bo"),
    ]
    # The list leaves out the two large texts; the summary is there for the table.
    assert [a.report for a in listed] == ["", ""]
    assert listed[1].summary == example_analysis.summary


def test_reopening_keeps_the_analyses_and_does_not_migrate_again(
    workspace_location, example_analysis
):
    with open_workspace(workspace_location) as workspace:
        saved = workspace.save(example_analysis)
    with open_workspace(workspace_location) as workspace:
        assert [a.id for a in workspace.list()] == [saved.id]
        with workspace.engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            versions = connection.execute(sa.text("SELECT count(*) FROM alembic_version"))
            assert versions.scalar_one() == 1
    assert revision == "0001"


def test_the_migrations_build_exactly_the_declared_tables(workspace_location):
    with open_workspace(workspace_location) as workspace, workspace.engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), metadata)
    assert drift == []


def test_an_unknown_number_is_a_workspace_error(workspace_location):
    with open_workspace(workspace_location) as workspace, pytest.raises(WorkspaceError) as error:
        workspace.get(999)
    assert "no saved analysis #999" in str(error.value)


def _save_many(location: str, analysis: NewAnalysis, worker: int, start) -> None:
    start.wait()
    with open_workspace(location) as workspace:
        for n in range(SAVES_PER_PROCESS):
            workspace.save(dataclasses.replace(analysis, note=f"{worker}-{n}"))


def test_two_processes_saving_at_once_lose_nothing(workspace_location, example_analysis):
    """Both processes also open the new workspace at once, so both race to migrate it."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(target=_save_many, args=(workspace_location, example_analysis, w, start))
        for w in (1, 2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    assert [w.exitcode for w in workers] == [0, 0]
    with open_workspace(workspace_location) as workspace:
        saved = workspace.list()
    expected = {f"{w}-{n}" for w in (1, 2) for n in range(SAVES_PER_PROCESS)}
    assert sorted(a.note for a in saved) == sorted(expected)
    assert len({a.id for a in saved}) == 2 * SAVES_PER_PROCESS


def test_a_path_is_a_sqlite_file_and_postgresql_gets_psycopg(tmp_path, monkeypatch):
    assert workspace_url(tmp_path / "w.sqlite3").database == str(tmp_path / "w.sqlite3")
    assert workspace_url("postgres://u:secret@h:5433/crm").drivername == "postgresql+psycopg"
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "from-env.sqlite3"))
    assert workspace_url().database == str(tmp_path / "from-env.sqlite3")


def test_default_workspace_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(WORKSPACE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    url = workspace_url()
    assert Path(url.database) == tmp_path / "data" / "crm-analyzer" / "workspace.sqlite3"
    assert (tmp_path / "data" / "crm-analyzer").is_dir()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("nosuchdb://x/y", "unsupported workspace URL"),
        ("{folder}/missing/w.sqlite3", "does not exist"),
    ],
)
def test_a_bad_location_is_a_workspace_error(tmp_path, location, message):
    with pytest.raises(WorkspaceError, match=message):
        open_workspace(location.format(folder=tmp_path))


def test_an_unreachable_server_is_a_workspace_error_without_the_password():
    with socket.socket() as probe:  # a local port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(WorkspaceError) as error:
        open_workspace(f"postgresql://ana:hunter2@127.0.0.1:{port}/crm?connect_timeout=5")
    assert "hunter2" not in str(error.value)
    assert "127.0.0.1" in str(error.value)


def test_a_server_workspace_is_named_by_its_url_without_the_password(tmp_path):
    server = Workspace(sa.create_engine(workspace_url("postgresql://ana:hunter2@db:5433/crm")))
    assert server.location == "postgresql+psycopg://ana:***@db:5433/crm"
    assert Workspace(sa.create_engine(workspace_url(tmp_path / "w.sqlite3"))).location == str(
        tmp_path / "w.sqlite3"
    )
