"""The ``crm-analyzer`` console script: the command line as a process of its own.

Loading pandas, numpy, pydantic and the models makes a few hundred thousand objects that live
as long as the process, and no garbage. :func:`loaded_main` pauses the garbage collector while
they load, then freezes them (``gc.freeze``), so no collection walks them again: not while they
load, not while the command runs, not at exit. That is about a third of a second of a cold
``crm-analyzer compare``. Objects the command makes are collected as usual; only this entry
point touches the collector (``import analyzer`` and :func:`analyzer.cli.main` leave it be).

pandas is loaded without pyarrow, which the command line never needs through pandas
(:func:`import_pandas_without_pyarrow`); pydantic is told not to look for plugins where no
installed distribution declares one (:func:`skip_absent_pydantic_plugins`); young objects are
collected every :data:`YOUNG_COLLECTION_ALLOCATIONS` allocations; and :func:`main`, the console
script itself, spares the process the interpreter's teardown (:func:`exit_at_once`).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from importlib.machinery import PathFinder
from typing import NoReturn

PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
"""pydantic's documented switch: ``__all__`` turns its plugins off (a list of names, some)."""
PLUGIN_GROUP = "pydantic"
"""The entry point group pydantic's plugins are declared in."""
YOUNG_COLLECTION_ALLOCATIONS = 10_000
"""Allocations between two collections of the command's young objects (Python's default is
700), as in a batch worker (:data:`analyzer.batch.YOUNG_COLLECTION_ALLOCATIONS`): a command
makes objects by the ten thousand and frees nearly all of them as it goes, and 25 collections
of a cold ``crm-analyzer compare`` (two of them of the middle generation) become two or three."""


def loaded_main() -> Callable[[Sequence[str] | None], int]:
    """:func:`analyzer.cli.main`, imported with the collector paused and its imports frozen
    (pandas without pyarrow, :func:`import_pandas_without_pyarrow`)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        skip_absent_pydantic_plugins()
        import_pandas_without_pyarrow()
        from analyzer.cli import main
    finally:
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTION_ALLOCATIONS, *gc.get_threshold()[1:])
        if collecting:
            gc.enable()
    return main


def skip_absent_pydantic_plugins() -> None:
    """Set :data:`PLUGINS_ENV` to ``__all__`` when no installed distribution can declare a
    pydantic plugin (and the variable is not set already).

    The first validator pydantic builds (the profile's, in ``crm-analyzer compare``) looks for
    plugins: it reads the entry points of every installed distribution through
    :mod:`importlib.metadata`, about a tenth of a second of CPU on a busy machine. Where none is
    declared it finds nothing, and the variable tells it so at once: the same validators, no
    plugin either way. Where one may be declared (:func:`may_declare_pydantic_plugins`),
    pydantic looks for it as usual. Processes the command starts (batch workers) inherit the
    variable; they run this Python, with the same distributions.
    """
    if PLUGINS_ENV not in os.environ and not may_declare_pydantic_plugins(sys.path):
        os.environ[PLUGINS_ENV] = "__all__"


def may_declare_pydantic_plugins(paths: Sequence[str]) -> bool:
    """Whether a distribution found on ``paths`` (as :mod:`importlib.metadata` finds them) may
    declare an entry point of :data:`PLUGIN_GROUP`; False only when none can.

    Conservative: any ``entry_points.txt`` that mentions ``pydantic`` at all, a path entry that
    is a file (a zip archive or an egg, read only by :mod:`importlib.metadata`), or an import
    finder other than the path finder that can find distributions, counts as a yes.
    """
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    for path in paths:
        folder = path or "."
        try:
            children = os.listdir(folder)
        except OSError:
            if os.path.isfile(folder):
                return True
            continue
        in_egg = os.path.basename(folder).lower().endswith(".egg")
        for child in children:
            lowered = child.lower()
            is_metadata = lowered.endswith((".dist-info", ".egg-info"))
            if (is_metadata or (in_egg and lowered == "egg-info")) and _mentions_pydantic(
                os.path.join(folder, child, "entry_points.txt")
            ):
                return True
    return False


def _mentions_pydantic(entry_points: str) -> bool:
    """Whether the file ``entry_points`` exists and mentions :data:`PLUGIN_GROUP` anywhere (read
    with :func:`os.read`: most distributions have no such file, and a hundred of them are asked)."""
    try:
        handle = os.open(entry_points, os.O_RDONLY)
    except OSError:
        return False
    text = bytearray()
    try:
        while chunk := os.read(handle, 65536):
            text += chunk
    except OSError:
        return False
    finally:
        os.close(handle)
    return PLUGIN_GROUP.encode() in text.lower()


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
