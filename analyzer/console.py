"""The ``crm-analyzer`` console script: the command line as a process of its own.

Loading pandas, numpy, pydantic and the models makes a few hundred thousand objects that live
as long as the process, and no garbage. :func:`loaded_main` pauses the garbage collector while
they load, then freezes them (``gc.freeze``), so no collection walks them again: not while they
load, not while the command runs, not at exit. That is about a third of a second of a cold
``crm-analyzer compare``. Objects the command makes are collected as usual; only this entry
point touches the collector (``import analyzer`` and :func:`analyzer.cli.main` leave it be).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence


def loaded_main() -> Callable[[Sequence[str] | None], int]:
    """:func:`analyzer.cli.main`, imported with the collector paused and its imports frozen."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from analyzer.cli import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return main


def run(argv: Sequence[str] | None = None) -> int:
    """``crm-analyzer [argv]``: the command line, loaded by :func:`loaded_main`."""
    return loaded_main()(argv)


if __name__ == "__main__":
    sys.exit(run())
