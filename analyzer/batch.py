"""``crm-analyzer batch DIR``: every profile in a folder analysed in parallel (DESIGN section 9).

Each profile runs in a process pool (one worker per core by default), a few profiles per task.
The catalog is loaded once, before the pool starts (a broken catalog stops the batch at once);
a forked worker inherits it, any other loads it once. A profile that fails (a YAML or catalog
problem, or anything else) becomes an ``error`` row naming its file and line; the batch goes on.
The output folder gets one report per profile (``reports/<file>.<format>``), each written whole
or not at all, and one summary table, ``summary.csv`` and ``summary.xlsx``: profile, winner,
saving, deadline, close call, warnings.

The workers write the reports without waiting for the disk. The parent, which otherwise only
waits for the workers, flushes each report to disk as its task completes (while the workers go
on computing) and the reports' folder at the end, so every report is on disk when
:func:`run_batch` returns.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path

import pandas as pd

from analyzer.analysis import STABILITY_SAMPLES, AnalysisResult, analyze
from analyzer.catalog import Catalog, load_catalog
from analyzer.errors import AnalyzerError, InputError
from analyzer.output import flush_files, flush_folders, write_output
from analyzer.profile import load_profile
from analyzer.reports import REPORT_FORMATS, render_report
from analyzer.safety import csv_text, neutralize_frame

PROFILE_SUFFIXES = (".yaml", ".yml")
SUMMARY_CSV = "summary.csv"
SUMMARY_XLSX = "summary.xlsx"
REPORTS = "reports"
SAVING_FORMAT = "#,##0.00"
"""The saving column's number format: profiles may be in different currencies (next column)."""
CHUNK_PROFILES = 8
"""Most profiles in one task of the pool: enough to spare the hand-over of each, few enough
that the workers finish together and a crashed worker takes few profiles with it."""


@dataclass(frozen=True)
class BatchRow:
    """One profile's line in the summary table."""

    profile: str
    """The profile's file name inside the batch folder."""
    status: str
    """``ok`` or ``error``."""
    organisation: str = ""
    winner: str = ""
    """The recommended option's label."""
    saving: float | None = None
    """The recommended option's saving against staying over the horizon."""
    currency: str = ""
    deadline: str = ""
    """The notice deadline of the current contract (ISO date)."""
    close_call: bool | None = None
    warnings: int | None = None
    """How many warnings the analysis gave (their text is in ``warning_messages``)."""
    warning_messages: str = ""
    report: str = ""
    """The report's path relative to the output folder."""
    error: str = ""
    """Why the profile could not be analysed: ``file:line:col: field: message`` items, joined
    by ``; ``."""


SUMMARY_COLUMNS = [f.name for f in fields(BatchRow)]


def profile_files(folder: Path) -> list[Path]:
    """The profiles of a batch: the ``.yaml``/``.yml`` files directly in ``folder``, by name."""
    if not folder.is_dir():
        raise AnalyzerError(f"{folder} is not a folder")
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in PROFILE_SUFFIXES and path.is_file()
    )


def summary_row(profile: str, result: AnalysisResult, report: str) -> BatchRow:
    """The summary line of a profile analysed without error (the workspace's headline figures,
    without the per-scenario ones it does not show)."""
    from analyzer.workspace.record import headline_summary  # the workspace's, on first use

    summary = headline_summary(result)
    return BatchRow(
        profile=profile,
        status="ok",
        organisation=summary["organisation"],
        winner=summary["winner_label"],
        saving=summary["saving"],
        currency=summary["currency"],
        deadline=summary["notice_deadline"],
        close_call=summary["close_call"],
        warnings=len(summary["warnings"]),
        warning_messages=" | ".join(summary["warnings"]),
        report=report,
    )


@cache
def _catalog(path: Path | None) -> Catalog:
    """The catalog, loaded once per worker process."""
    return load_catalog(path)


def start_worker(catalog_path: Path | None) -> None:
    """Ready a worker process: the catalog loaded (a forked worker has it already), everything
    loaded so far frozen (``gc.freeze``), and young objects collected after
    :data:`YOUNG_COLLECTION_ALLOCATIONS` allocations instead of 700.

    The modules, the catalog and what the parent made before the pool started live as long as
    the worker, and hold no garbage. Frozen, no collection walks them again: a full
    collection walked every one of them, a few times per hundred profiles, and a forked worker
    copied each page of the parent's memory it walked. An analysis makes objects by the ten
    thousand and frees nearly all of them as it goes; collecting the young ones less often
    examines fewer of them, and fewer still alive are moved on to be examined again later.
    Objects the analyses make are collected as usual otherwise.
    """
    _catalog(catalog_path)
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_ALLOCATIONS, *gc.get_threshold()[1:])


YOUNG_COLLECTION_ALLOCATIONS = 10_000
"""Allocations between two collections of a batch worker's young objects (Python's default is
700): about 4% less CPU per profile in an interleaved A/B of the same worker's profiles."""


def analyze_file(
    path: Path, output: Path, catalog_path: Path | None, samples: int, report_format: str
) -> BatchRow:
    """Analyse one profile file and write its report; any failure becomes an ``error`` row.

    This runs in a worker process, so it never raises: the batch goes on whatever happens.
    """
    report = Path(REPORTS) / f"{path.name}.{report_format}"
    try:
        catalog = _catalog(catalog_path)
        result = analyze(load_profile(path, catalog=catalog), catalog, samples=samples)
        document = render_report(result, report_format)
        write_output(output / report, document, force=True, durable=False)
        return summary_row(path.name, result, report.as_posix())
    except InputError as exc:
        return BatchRow(path.name, "error", error="; ".join(str(p) for p in exc.problems))
    except AnalyzerError as exc:
        return BatchRow(path.name, "error", error=f"{path}: {exc}")
    except Exception as exc:  # one broken profile must not stop the batch
        return BatchRow(path.name, "error", error=f"{path}: {type(exc).__name__}: {exc}")


def analyze_files(
    paths: list[Path], output: Path, catalog_path: Path | None, samples: int, report_format: str
) -> list[BatchRow]:
    """:func:`analyze_file` of each path in turn: one task of the pool."""
    return [analyze_file(path, output, catalog_path, samples, report_format) for path in paths]


def run_batch(
    folder: Path,
    output: Path,
    jobs: int | None = None,
    catalog_path: Path | None = None,
    samples: int = STABILITY_SAMPLES,
    report_format: str = "json",
    progress: Callable[[BatchRow], None] | None = None,
) -> pd.DataFrame:
    """Analyse every profile in ``folder`` on ``jobs`` processes; return the summary table.

    Parameters
    ----------
    folder
        Where the profiles are (see :func:`profile_files`).
    output
        The folder the reports go to (``reports/``); created if needed.
    jobs
        Worker processes (default: one per core).
    catalog_path
        The catalog folder (default: the bundled one).
    samples
        Monte Carlo samples of each analysis's rank stability.
    report_format
        One of :data:`analyzer.reports.REPORT_FORMATS`.
    progress
        Called with each profile's row as soon as it is done (in completion order).

    Returns
    -------
    pandas.DataFrame
        One row per profile, in file-name order, with :data:`SUMMARY_COLUMNS`.
    """
    if report_format not in REPORT_FORMATS:
        raise AnalyzerError(f"report format must be one of {', '.join(REPORT_FORMATS)}")
    files = profile_files(folder)
    if not files:
        raise AnalyzerError(f"no profiles (*.yaml, *.yml) in {folder}")
    if jobs is not None and jobs < 1:
        raise AnalyzerError(f"--jobs must be at least 1, got {jobs}")
    if samples < 0:
        raise AnalyzerError(f"--samples must be 0 or more, got {samples}")
    workers = jobs or os.cpu_count() or 1
    _catalog(catalog_path)
    (output / REPORTS).mkdir(parents=True, exist_ok=True)
    rows = {}
    for row in _rows(files, output, min(workers, len(files)), catalog_path, samples, report_format):
        rows[row.profile] = row
        if row.status == "ok":
            flush_files([output / row.report])
        if progress is not None:
            progress(row)
    flush_folders([output / REPORTS])
    return pd.DataFrame(
        [asdict(rows[path.name]) for path in files], columns=SUMMARY_COLUMNS
    ).astype({"saving": "float64", "close_call": "boolean", "warnings": "Int64"})


def _rows(
    files: list[Path],
    output: Path,
    workers: int,
    catalog_path: Path | None,
    samples: int,
    report_format: str,
) -> Iterator[BatchRow]:
    """Each file's row as its task completes; a crashed worker marks its task's files as errors."""
    # Imported here: only a batch needs a process pool (the other commands start faster).
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(
        max_workers=workers, initializer=start_worker, initargs=(catalog_path,)
    ) as pool:
        futures = {
            pool.submit(analyze_files, chunk, output, catalog_path, samples, report_format): chunk
            for chunk in _chunks(files, workers)
        }
        for future in as_completed(futures):
            try:
                yield from future.result()
            except BrokenProcessPool:
                for path in futures[future]:
                    yield BatchRow(path.name, "error", error=f"{path}: the worker process died")


def _chunks(files: list[Path], workers: int) -> list[list[Path]]:
    """``files`` in tasks of at most :data:`CHUNK_PROFILES`, at least four tasks per worker
    when there are enough files (so a slow profile delays no worker for long)."""
    size = max(1, min(CHUNK_PROFILES, len(files) // (4 * workers)))
    return [files[start : start + size] for start in range(0, len(files), size)]


def summary_xlsx(summary: pd.DataFrame) -> bytes:
    """The summary table as a workbook: frozen header, filter, number formats, fitted widths."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        neutralize_frame(summary).to_excel(writer, sheet_name="Summary", index=False)
        sheet = writer.sheets["Summary"]
        saving = summary.columns.get_loc("saving")
        sheet.set_column(
            saving, saving, None, writer.book.add_format({"num_format": SAVING_FORMAT})
        )
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(summary), len(summary.columns) - 1)
        sheet.autofit(max_width=420)
    return buffer.getvalue()


def write_summary(summary: pd.DataFrame, output: Path, force: bool = False) -> list[Path]:
    """Write ``summary.csv`` and ``summary.xlsx`` into ``output``; return their paths."""
    csv_path, xlsx_path = output / SUMMARY_CSV, output / SUMMARY_XLSX
    write_output(csv_path, csv_text(summary), force=force)
    write_output(xlsx_path, summary_xlsx(summary), force=force)
    return [csv_path, xlsx_path]


def _batch(args: argparse.Namespace) -> int:
    output = args.output or args.folder.with_name(f"{args.folder.name}-analysis")
    existing = [output / name for name in (SUMMARY_CSV, SUMMARY_XLSX) if (output / name).exists()]
    if existing and not args.force:
        raise AnalyzerError(f"{existing[0]} exists; add --force to overwrite it")

    def report(row: BatchRow) -> None:
        if row.status == "error":
            print(row.error, file=sys.stderr)

    summary = run_batch(
        args.folder, output, args.jobs, args.catalog, args.samples, args.format, progress=report
    )
    for path in write_summary(summary, output, force=args.force):
        print(f"wrote {path}", file=sys.stderr)
    failed = int((summary["status"] == "error").sum())
    print(
        f"{len(summary) - failed} of {len(summary)} profiles analysed; {failed} with errors",
        file=sys.stderr,
    )
    return 2 if failed else 0


def add_batch_command(commands: argparse._SubParsersAction) -> None:
    """Register ``batch`` on the CLI's subcommand parsers."""
    batch = commands.add_parser(
        "batch", help="analyze every profile in a folder: one summary table, one report each"
    )
    batch.add_argument("folder", type=Path, help="folder of profile YAML files")
    batch.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="output folder (default: DIR-analysis next to DIR)",
    )
    batch.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: one per core)"
    )
    batch.add_argument(
        "--format",
        choices=list(REPORT_FORMATS),
        default="json",
        help="each profile's report format (default json)",
    )
    batch.add_argument(
        "--samples",
        type=int,
        default=STABILITY_SAMPLES,
        help=f"Monte Carlo samples per profile (default {STABILITY_SAMPLES:,}; 0: none)",
    )
    batch.add_argument("--force", action="store_true", help="overwrite an existing summary")
    batch.add_argument(
        "--catalog", type=Path, default=None, help="catalog folder (default: the bundled one)"
    )
    batch.set_defaults(handler=_batch)
