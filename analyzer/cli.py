"""``crm-analyzer``: the command line.

Every expected failure (bad input, an existing output file) exits with code 2 and a message on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import analyzer.catalog as catalog_model
from analyzer.analysis import STABILITY_SAMPLES, analyze
from analyzer.catalog import BUNDLED_CATALOG, load_catalog
from analyzer.errors import AnalyzerError, InputError
from analyzer.output import emit_document
from analyzer.profile import load_profile
from analyzer.reports import BINARY_FORMATS, REPORT_FORMATS, render_report
from analyzer.safety import csv_text
from analyzer.schema import write_schemas

EXIT_INPUT = 2

MAX_SAMPLES = 1_000_000
"""Most Monte Carlo samples ``compare --samples`` accepts (the sampling runs in chunks, so memory
stays bounded; the time grows with the count)."""


def _catalog_validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.catalog)
    tiers = sum(len(p.tiers) for p in catalog.products)
    print(
        f"catalog OK: {len(catalog.products)} products, {tiers} tiers, "
        f"{len(catalog.features)} features"
    )
    return 0


def _calendar_day(text: str) -> dt.date:
    """An ``--as-of`` value: an ISO date such as 2027-01-31 within the supported years."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2027-01-31, got {text!r}"
        ) from None
    low, high = catalog_model.MIN_YEAR, catalog_model.MAX_YEAR
    if not low <= day.year <= high:
        raise argparse.ArgumentTypeError(f"the year must be from {low} to {high}, got {day.year}")
    return day


def _catalog_list(args: argparse.Namespace) -> int:
    frame = load_catalog(args.catalog).to_frame(args.as_of)
    if args.format == "json":
        print(frame.to_json(orient="records", indent=2, force_ascii=False))
    elif args.format == "csv":
        print(csv_text(frame), end="")
    else:
        print(frame.drop(columns=["source", "product", "tier"]).to_string(index=False))
    return 0


def _catalog_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(args.catalog or BUNDLED_CATALOG):
        print(f"wrote {path}")
    return 0


def _refuse_existing_output(args: argparse.Namespace) -> None:
    """Refuse an existing ``-o`` file without ``--force`` before any work is done. Checked again
    when the file is put in place; this early check only saves waiting."""
    if args.output is not None and args.output.exists() and not args.force:
        raise AnalyzerError(f"{args.output} exists; add --force to overwrite it")


def _add_profile_and_output(
    command: argparse.ArgumentParser, output_help: str, required: bool = False
) -> None:
    """The profile argument and the ``-o FILE`` / ``--force`` pair of a command that writes."""
    command.add_argument(
        "profile",
        nargs="?",
        type=Path,
        default=None,
        help="profile YAML (default: the bundled example, examples/acme-enterprise.yaml)",
    )
    command.add_argument(
        "-o", "--output", type=Path, default=None, required=required, help=output_help
    )
    command.add_argument("--force", action="store_true", help="overwrite an existing -o file")


def _compare(args: argparse.Namespace) -> int:
    # Refuse before the analysis runs, so a mistake costs no waiting.
    if args.format in BINARY_FORMATS and args.output is None:
        raise AnalyzerError(
            f"--format {args.format} writes a binary file: give it a name with -o FILE"
        )
    _refuse_existing_output(args)
    if not 0 <= args.samples <= MAX_SAMPLES:
        raise AnalyzerError(f"--samples must be from 0 to {MAX_SAMPLES:,}, got {args.samples:,}")
    catalog = load_catalog(args.catalog)
    result = analyze(load_profile(args.profile, catalog=catalog), catalog, samples=args.samples)
    emit_document(render_report(result, args.format), args.output, force=args.force)
    return 0


def _calendar(args: argparse.Namespace) -> int:
    # Imported here: only this command needs icalendar.
    from analyzer.calendar import exit_plan_calendar

    _refuse_existing_output(args)
    catalog = load_catalog(args.catalog)
    # The recommended option is the top-ranked one; the Monte Carlo does not change it.
    result = analyze(load_profile(args.profile, catalog=catalog), catalog, samples=0)
    emit_document(exit_plan_calendar(result, args.scenario), args.output, force=args.force)
    return 0


def _add_catalog_command(commands: argparse._SubParsersAction) -> None:
    catalog = commands.add_parser("catalog", help="check, list or document the CRM catalog")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    validate = catalog_commands.add_parser("validate", help="check every catalog file")
    validate.set_defaults(handler=_catalog_validate)
    _add_catalog_folder(validate)
    listing = catalog_commands.add_parser("list", help="one row per product x tier x license type")
    listing.add_argument("--format", choices=["table", "json", "csv"], default="table")
    listing.add_argument(
        "--as-of",
        type=_calendar_day,
        default=None,
        metavar="DATE",
        help="judge staleness (a price read more than 12 months before) at DATE (default: today)",
    )
    listing.set_defaults(handler=_catalog_list)
    _add_catalog_folder(listing)
    schema = catalog_commands.add_parser("schema", help="regenerate the catalog JSON schemas")
    schema.set_defaults(handler=_catalog_schema)
    _add_catalog_folder(schema)


def _add_compare_command(commands: argparse._SubParsersAction) -> None:
    compare = commands.add_parser(
        "compare", help="analyze a profile: stay, downgrade or switch, as a report"
    )
    _add_profile_and_output(compare, "write here (default: stdout)")
    compare.add_argument("--format", choices=list(REPORT_FORMATS), default="json")
    compare.add_argument(
        "--samples",
        type=int,
        default=STABILITY_SAMPLES,
        help=f"Monte Carlo samples of the rank stability (default {STABILITY_SAMPLES:,}; 0: "
        f"none; at most {MAX_SAMPLES:,})",
    )
    compare.set_defaults(handler=_compare)
    _add_catalog_folder(compare)


def _add_calendar_command(commands: argparse._SubParsersAction) -> None:
    calendar = commands.add_parser(
        "calendar", help="write one option's exit plan as an iCalendar (.ics) file"
    )
    _add_profile_and_output(calendar, "the .ics to write", required=True)
    calendar.add_argument(
        "--scenario", default=None, help="option id, e.g. stay (default: the recommended one)"
    )
    calendar.set_defaults(handler=_calendar)
    _add_catalog_folder(calendar)


def _add_catalog_folder(command: argparse.ArgumentParser) -> None:
    """The ``--catalog`` option, the last of every command that reads the catalog."""
    command.add_argument(
        "--catalog",
        type=Path,
        default=None,
        help="catalog folder (default: the bundled catalog)",
    )


def _add_workspace_command(commands: argparse._SubParsersAction) -> None:
    from analyzer.workspace.cli import add_workspace_command

    add_workspace_command(commands)


def _add_batch_command(commands: argparse._SubParsersAction) -> None:
    from analyzer.batch import add_batch_command

    add_batch_command(commands)


def _add_org_command(commands: argparse._SubParsersAction) -> None:
    from analyzer.orgscan.cli import add_org_command

    add_org_command(commands)


COMMANDS: dict[str, Callable[[argparse._SubParsersAction], None]] = {
    "catalog": _add_catalog_command,
    "compare": _add_compare_command,
    "calendar": _add_calendar_command,
    "workspace": _add_workspace_command,
    "batch": _add_batch_command,
    "org": _add_org_command,
}
"""Each top-level command and what registers it, in the order ``--help`` lists them. The
workspace, batch and org scan commands are registered by their own modules, imported when
registered."""


def build_parser() -> argparse.ArgumentParser:
    """The ``crm-analyzer`` parser, every command of :data:`COMMANDS` registered."""
    return _parser(argparse.ArgumentParser, None)


def _parser(kind: type[argparse.ArgumentParser], only: str | None) -> argparse.ArgumentParser:
    """A ``crm-analyzer`` parser of class ``kind`` (its subcommands' too) with every command,
    or only the command ``only``."""
    parser = kind(
        prog="crm-analyzer",
        description="Stay, downgrade or switch: CRM subscription cost and fit analysis.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, register in COMMANDS.items():
        if only is None or name == only:
            register(commands)
    return parser


class _ParsedWithOthers(Exception):
    """Raised by :class:`_OneCommandParser` where the whole parser must answer instead."""


class _OneCommandParser(argparse.ArgumentParser):
    """A parser of one command that hands every error to the whole parser."""

    def error(self, message: str) -> NoReturn:
        raise _ParsedWithOthers(message)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``argv`` (default: the process's arguments) parsed as :func:`build_parser` parses them.

    When ``argv`` starts with a command's name, only that command is built first: building
    every command's parser (about fifty options, each asking :mod:`gettext` and the terminal
    size) and importing the modules of the workspace, batch and org scan commands was about a
    hundredth of a second of every cold ``crm-analyzer compare``. Every other parser is only
    consulted to show the top-level usage, on an error (and ``-h`` before a command name, which
    builds them all): such an error is handed back and the whole parser parses again, so what is
    printed and the exit code are the whole parser's. Parsing has no effect beyond its result
    (converting a path, a number or a date), so parsing twice changes nothing.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in COMMANDS:
        try:
            return _parser(_OneCommandParser, arguments[0]).parse_args(arguments)
        except _ParsedWithOthers:
            pass
    return build_parser().parse_args(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"{len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INPUT
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        # An unwritable output path or an unreadable file: say which, without a traceback.
        reason = exc.strerror or str(exc) or type(exc).__name__
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {reason}{where}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
