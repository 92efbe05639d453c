"""The ``crm-analyzer`` console script: the command line as a process of its own.

Loading pandas, numpy, pydantic and the models makes a few hundred thousand objects that live
as long as the process, and no garbage. :func:`loaded_main` pauses the garbage collector while
they load, then freezes them (``gc.freeze``), so no collection walks them again: not while they
load, not while the command runs, not at exit. That is about a third of a second of a cold
``crm-analyzer compare``. Objects the command makes are collected as usual; only this entry
point touches the collector (``import analyzer`` and :func:`analyzer.cli.main` leave it be).

pandas is loaded without pyarrow, which the command line never needs through pandas
(:func:`import_pandas_without_pyarrow`), and :func:`main`, the console script itself, spares the
process the interpreter's teardown (:func:`exit_at_once`).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn


def loaded_main() -> Callable[[Sequence[str] | None], int]:
    """:func:`analyzer.cli.main`, imported with the collector paused and its imports frozen
    (pandas without pyarrow, :func:`import_pandas_without_pyarrow`)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        import_pandas_without_pyarrow()
        from analyzer.cli import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return main


def import_pandas_without_pyarrow() -> None:
    """Load pandas as it loads where pyarrow is not installed (unless either is loaded already).

    When pandas finds pyarrow it imports it with itself (about a tenth of a cold ``crm-analyzer
    compare``), only to offer pyarrow-backed dtypes. The command line asks nothing of them: the
    analysis and the reports keep text in Python objects
    (:data:`~analyzer.analysis.TEXT_STORAGE`), and the org scan reads its CSV files with
    pyarrow itself, not through pandas. pandas without pyarrow is a configuration pandas
    supports (its ``str`` dtype then keeps Python objects).

    ``None`` in :data:`sys.modules` makes ``import pyarrow`` fail while pandas loads (the import
    system's documented way to block an import). It is removed at once, so the org scan and the
    XLSX report import pyarrow as usual.
    """
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        return
    sys.modules["pyarrow"] = None
    try:
        import pandas  # noqa: F401
    finally:
        del sys.modules["pyarrow"]


def run(argv: Sequence[str] | None = None) -> int:
    """``crm-analyzer [argv]``: the command line, loaded by :func:`loaded_main`."""
    return loaded_main()(argv)


def exit_at_once(code: int) -> NoReturn:
    """End the process with ``code`` as a normal exit would, without the interpreter's teardown.

    After a command, Python would free every object of pandas, numpy and pyarrow one by one
    and clear every module: 40 to 80 ms of a cold ``crm-analyzer compare``, for memory the
    operating system takes back anyway. The command's work is done by then: its files are
    written and closed (:func:`analyzer.output.write_output` renames each whole file into
    place). So this does what a normal exit does that matters (flush standard output and
    error, run the exit handlers registered with :mod:`atexit`, such as logging's and
    multiprocessing's) and ends the process with :func:`os._exit`, as Instagram's servers do
    ("Dismissing Python Garbage Collection at Instagram", 2017).

    Falls back to a normal exit (``sys.exit``) while another thread still runs (the
    interpreter would wait for it), when this Python has no way to run the exit handlers, or
    when the standard streams cannot be flushed (a closed pipe: Python reports it as usual).
    """
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() > 1:
        sys.exit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    run_exit_handlers()
    os._exit(code)


def main() -> NoReturn:
    """The ``crm-analyzer`` console script: :func:`run` with the process's arguments, then
    :func:`exit_at_once` with its exit code. Only the script ends the process this way; code
    that calls :func:`run` (a test, a notebook) keeps its interpreter."""
    exit_at_once(run())


if __name__ == "__main__":
    main()
