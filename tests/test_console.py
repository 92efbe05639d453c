"""The ``crm-analyzer`` console script ends its process at once (``analyzer.console.main``):
everything a normal exit does that a user can see still happens."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl

from analyzer.cli import main as cli_main
from analyzer.orgscan import scan_org
from analyzer.orgscan.synth import generate_org


def python(code: str, *args: str, cwd=None) -> subprocess.CompletedProcess[bytes]:
    """``code`` run by this Python in a new process, its output captured through pipes."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, timeout=300, cwd=cwd
    )


SCRIPT = "from analyzer.console import main\nmain()\n"
"""What the installed ``crm-analyzer`` does (``sys.argv[1:]`` are the arguments after ``-c``)."""


def test_a_report_written_to_a_pipe_arrives_whole(tmp_path, capsys):
    # The Markdown report goes to standard output, buffered: ending the process at once must
    # flush it first. The reference is the same command run in this process.
    assert cli_main(["compare", "--format", "md", "--samples", "0"]) == 0
    expected = capsys.readouterr().out.encode()
    finished = python(SCRIPT, "compare", "--format", "md", "--samples", "0", cwd=tmp_path)
    assert finished.returncode == 0
    assert len(expected) > 10_000
    assert finished.stdout.replace(b"\r\n", b"\n") == expected


def test_the_exit_code_and_the_message_of_a_failed_command_are_kept(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    finished = python(SCRIPT, "compare", str(missing), cwd=tmp_path)
    assert finished.returncode == 2
    assert str(missing).encode() in finished.stderr
    assert b"Traceback" not in finished.stderr


def test_exit_handlers_run_before_the_process_ends(tmp_path):
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, pathlib\n"
        "from analyzer.console import exit_at_once\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "print('unflushed', end='')\n"
        "exit_at_once(3)\n"
        "print('never reached')\n"
    )
    finished = python(code)
    assert finished.returncode == 3
    assert finished.stdout == b"unflushed"
    assert marker.read_text() == "yes"


def test_a_running_thread_gets_a_normal_exit_that_waits_for_it(tmp_path):
    # os._exit would kill the thread before it writes; the fallback (sys.exit) waits for it.
    marker = tmp_path / "thread-finished"
    code = (
        "import pathlib, threading, time\n"
        "from analyzer.console import exit_at_once\n"
        "def work():\n"
        "    time.sleep(0.5)\n"
        f"    pathlib.Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()\n"
        "exit_at_once(4)\n"
    )
    finished = python(code)
    assert finished.returncode == 4
    assert marker.read_text() == "done"


def sheets(path) -> dict[str, list[tuple]]:
    """Every cell value of a workbook, sheet by sheet."""
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_pandas_loads_without_pyarrow_and_every_report_is_the_same(tmp_path):
    # The console loads pandas as where pyarrow is not installed; this test process has
    # pandas with pyarrow. The reports must not tell the two apart.
    for form in ("json", "csv", "xlsx"):
        assert cli_main(["compare", "--format", form, "-o", str(tmp_path / f"in.{form}")]) == 0
    probe = (
        "import sys\n"
        "from analyzer.console import run\n"
        "codes = [run(['compare', '--format', form, '-o', f'out.{form}'])\n"
        "         for form in ('json', 'csv', 'xlsx')]\n"
        "import pandas.compat.pyarrow as compat\n"
        "print(codes, compat.HAS_PYARROW, 'pyarrow' in sys.modules)\n"
    )
    finished = python(probe, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    # The XLSX report imported pyarrow itself, after pandas had loaded without it.
    assert finished.stdout.split() == [b"[0,", b"0,", b"0]", b"False", b"True"]
    for form in ("json", "csv"):
        assert (tmp_path / f"out.{form}").read_bytes() == (tmp_path / f"in.{form}").read_bytes()
    assert sheets(tmp_path / "out.xlsx") == sheets(tmp_path / "in.xlsx")


def test_the_org_scan_reads_with_pyarrow_after_pandas_loaded_without_it(tmp_path):
    generate_org(tmp_path / "org", seed=3, scale=1)
    finished = python(SCRIPT, "org", "scan", str(tmp_path / "org"), cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout) == scan_org([tmp_path / "org"])
