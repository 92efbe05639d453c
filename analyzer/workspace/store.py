"""The workspace: saved analyses in one database, SQLite by default or PostgreSQL for a team.

All access goes through :class:`Workspace` (SQLAlchemy 2). Opening a workspace brings its schema
up to date with the Alembic migrations shipped in :mod:`analyzer.workspace.migrations`.

Concurrency: on SQLite every transaction starts with ``BEGIN IMMEDIATE`` and waits up to
:data:`BUSY_TIMEOUT_SECONDS` for another writer, so two processes saving at once both succeed,
one after the other; on PostgreSQL rows get their ids from a sequence and the migration runs
under an advisory lock.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from analyzer.errors import AnalyzerError
from analyzer.workspace import WORKSPACE_ENV
from analyzer.workspace.record import CatalogFingerprint, NewAnalysis, SavedAnalysis
from analyzer.workspace.tables import analyses

DEFAULT_FILE_NAME = "workspace.sqlite3"
BUSY_TIMEOUT_SECONDS = 30
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_ID = 1_984_019
"""PostgreSQL advisory lock key held while the schema is migrated (any fixed number)."""

_SUMMARY_COLUMNS = [c for c in analyses.c if c.name not in ("profile_yaml", "report")]


class WorkspaceError(AnalyzerError):
    """A workspace that cannot be opened or read, or a saved analysis that does not exist."""


def default_workspace() -> Path:
    """The SQLite file in the user's data folder (``platformdirs``) used when none is given."""
    return Path(platformdirs.user_data_dir("crm-analyzer", appauthor=False)) / DEFAULT_FILE_NAME


def workspace_url(location: str | Path | None = None) -> sa.URL:
    """The database URL of a workspace given as a path, a URL or nothing.

    Nothing means ``$CRM_ANALYZER_WORKSPACE`` or else :func:`default_workspace`. A
    ``postgresql://`` URL is given the psycopg 3 driver.

    >>> workspace_url("/tmp/team.sqlite3").render_as_string()
    'sqlite:////tmp/team.sqlite3'
    >>> workspace_url("postgresql://ana@db.example/crm").drivername
    'postgresql+psycopg'
    """
    text = str(location) if location is not None else os.environ.get(WORKSPACE_ENV, "")
    if not text:
        path = default_workspace()
        path.parent.mkdir(parents=True, exist_ok=True)
        return sa.URL.create("sqlite", database=str(path))
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    try:
        url = make_url(text)
    except ArgumentError:
        raise WorkspaceError(f"not a database URL or a file path: {text!r}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _engine(url: sa.URL) -> sa.Engine:
    """An engine for ``url``; SQLite connections write one transaction at a time."""
    if url.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(url, pool_pre_ping=True)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise WorkspaceError(f"unsupported workspace URL {_shown(url)}: {exc}") from None
    if url.database and url.database != ":memory:" and not Path(url.database).parent.is_dir():
        raise WorkspaceError(f"the folder of workspace {url.database} does not exist")
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @sa.event.listens_for(engine, "connect")
    def _manual_transactions(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; take it over (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _write_lock(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _shown(url: sa.URL) -> str:
    """``url`` as text with its password hidden."""
    return url.render_as_string(hide_password=True)


class Workspace:
    """Saved analyses in one database. Use :func:`open_workspace`; close it when done."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    @property
    def location(self) -> str:
        """Where the workspace is, for messages (a password is never shown)."""
        url = self.engine.url
        return (url.database or "") if url.get_backend_name() == "sqlite" else _shown(url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise WorkspaceError(f"workspace {self.location}: {_reason(exc)}") from None

    def migrate(self) -> None:
        """Bring the schema up to the newest revision (nothing to do when it is there)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._transaction() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_ID}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def save(self, analysis: NewAnalysis) -> SavedAnalysis:
        """Save ``analysis`` now; return it with its number and time."""
        saved_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with self._transaction() as connection:
            new_id = connection.execute(
                analyses.insert().returning(analyses.c.id),
                {
                    "saved_at": saved_at,
                    "saved_by": analysis.saved_by,
                    "note": analysis.note,
                    "profile_name": analysis.profile_name,
                    "profile_yaml": analysis.profile_yaml,
                    "catalog_hash": analysis.catalog.content_hash,
                    "catalog_version": analysis.catalog.version,
                    "summary": analysis.summary,
                    "report": analysis.report,
                },
            ).scalar_one()
        return SavedAnalysis(**vars(analysis), id=new_id, saved_at=saved_at)

    def get(self, analysis_id: int) -> SavedAnalysis:
        """The saved analysis numbered ``analysis_id``; WorkspaceError if there is none."""
        with self._transaction() as connection:
            row = connection.execute(
                sa.select(analyses).where(analyses.c.id == analysis_id)
            ).one_or_none()
        if row is None:
            raise WorkspaceError(f"no saved analysis #{analysis_id} in workspace {self.location}")
        return _saved(row._mapping)

    def list(self) -> list[SavedAnalysis]:
        """Every saved analysis, oldest first, without its profile and report text (empty)."""
        with self._transaction() as connection:
            rows = connection.execute(
                sa.select(*_SUMMARY_COLUMNS).order_by(analyses.c.id)
            ).mappings()
            return [_saved({**row, "profile_yaml": "", "report": ""}) for row in rows]


def _saved(row: Any) -> SavedAnalysis:
    saved_at = row["saved_at"]
    if saved_at.tzinfo is None:  # SQLite keeps no offset; the workspace writes UTC
        saved_at = saved_at.replace(tzinfo=dt.UTC)
    return SavedAnalysis(
        profile_name=row["profile_name"],
        profile_yaml=row["profile_yaml"],
        catalog=CatalogFingerprint(row["catalog_hash"], row["catalog_version"]),
        summary=row["summary"],
        report=row["report"],
        saved_by=row["saved_by"],
        note=row["note"],
        id=row["id"],
        saved_at=saved_at,
    )


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's first line of an error, without SQLAlchemy's background link."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def open_workspace(location: str | Path | None = None) -> Workspace:
    """Open (creating and migrating if needed) the workspace at ``location``.

    Parameters
    ----------
    location
        A SQLite file path, a database URL (``postgresql://user@host/db``), or None for
        ``$CRM_ANALYZER_WORKSPACE`` or the file in the user's data folder.

    Raises
    ------
    WorkspaceError
        The database cannot be reached, created or migrated; the message says which and why.
    """
    workspace = Workspace(_engine(workspace_url(location)))
    try:
        workspace.migrate()
    except BaseException:
        workspace.close()
        raise
    return workspace
