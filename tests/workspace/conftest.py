"""Workspace fixtures: a SQLite file, and a private PostgreSQL server when one can be started.

The server is started once per test session with the machine's own ``initdb``/``pg_ctl``
(Debian's ``postgresql`` package, found in /usr/lib/postgresql/*/bin) in a temporary folder, on
a free local port; as root it runs as ``nobody``, since PostgreSQL refuses to run as root. Each
test gets its own database. Where no server can be started the PostgreSQL tests skip, unless
``CRM_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.profile import load_profile
from analyzer.workspace import NewAnalysis, new_analysis

REQUIRE_POSTGRES = "CRM_REQUIRE_POSTGRES"
SERVER_USER = "nobody"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_POSTGRES) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES}=1 but PostgreSQL could not be started: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


def _server_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a private PostgreSQL server's maintenance database (``postgres``)."""
    binaries = _server_binaries()
    if binaries is None:
        _unavailable("initdb not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="crm-analyzer-pg-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "run"
    for folder in (data, sockets):
        folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, SERVER_USER)
    port = _free_port()
    pg_ctl = str(binaries / "pg_ctl")
    steps = [
        [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
         "--no-sync"],
        [pg_ctl, "-D", str(data), "-l", str(sockets / "server.log"), "-w", "-t", "60", "-o",
         f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(_as_server_user(step), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            _unavailable(f"{Path(step[0]).name} failed: {done.stderr.strip() or done.stdout}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    name = f"workspace_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh workspace: a SQLite file in a temporary folder, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "workspace.sqlite3")
    return request.getfixturevalue("postgres_database")


@pytest.fixture(scope="session")
def example_analysis() -> NewAnalysis:
    """The bundled example analysed on the bundled catalog (no Monte Carlo), ready to save."""
    catalog = load_catalog()
    result = analyze(load_profile(catalog=catalog), catalog, samples=0)
    return new_analysis(result, catalog, by="ana", note="baseline")
