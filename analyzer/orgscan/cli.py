"""``crm-analyzer org scan``: the org scan on the command line (registered by analyzer.cli)."""

from __future__ import annotations

import argparse
from pathlib import Path

from analyzer.catalog import load_catalog
from analyzer.errors import AnalyzerError
from analyzer.orgscan.report import SCAN_FORMATS
from analyzer.output import emit_document
from analyzer.profile import load_profile


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of days, got {text!r}") from None
    if not 0 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"expected 0 to 3650 days, got {days}")
    return days


def _org_scan(args: argparse.Namespace) -> int:
    # The readers are imported when a scan runs: every other command starts without them.
    from analyzer.orgscan.analysis import ScanOptions
    from analyzer.orgscan.money import profile_yaml, waste
    from analyzer.orgscan.report import render_scan
    from analyzer.orgscan.scan import scan_org

    if args.update_profile is not None and args.output is None:
        raise AnalyzerError("--update-profile writes a new profile: give it a name with -o FILE")
    if args.output is not None and args.output.exists() and not args.force:
        raise AnalyzerError(f"{args.output} exists; add --force to overwrite it")
    options = ScanOptions(inactive_days=args.inactive_days, grace_days=args.grace_days)
    document = scan_org(args.paths, options)
    priced = args.update_profile or args.profile
    catalog = load_catalog(args.catalog) if priced or args.catalog else None
    if args.update_profile is not None:
        base = load_profile(args.update_profile, catalog=catalog)
        text = profile_yaml(document, base, catalog)
    else:
        lines, currency = (), "USD"
        if args.profile is not None:
            profile = load_profile(args.profile, catalog=catalog)
            lines, currency = waste(document, profile, catalog), profile.currency
        text = render_scan(document, args.format, lines, currency)
    emit_document(text, args.output, force=args.force)
    return 0


def add_org_command(commands: argparse._SubParsersAction) -> None:
    """Register ``org scan`` under the top-level ``commands``."""
    org = commands.add_parser("org", help="read your own Salesforce export (org scan)")
    org_commands = org.add_subparsers(dest="org_command", required=True)
    scan = org_commands.add_parser(
        "scan",
        help="find wasted licenses, size the migration and check the backup of a Salesforce "
        "weekly export and/or license extract",
    )
    scan.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a folder, WE_<OrgId>_<n>.ZIP parts or CSV files of the export and license extract",
    )
    scan.add_argument(
        "--inactive-days",
        type=_days,
        default=90,
        metavar="N",
        help="days without a human login before a user is inactive (default 90)",
    )
    scan.add_argument(
        "--grace-days",
        type=_days,
        default=30,
        metavar="N",
        help="users created this recently are never flagged (default 30)",
    )
    scan.add_argument("--format", choices=list(SCAN_FORMATS), default="json")
    scan.add_argument(
        "-o", "--output", type=Path, default=None, help="write here (default: stdout)"
    )
    scan.add_argument("--force", action="store_true", help="overwrite an existing -o file")
    scan.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="P",
        help="price the waste at this profile's prices (md and html reports)",
    )
    scan.add_argument(
        "--update-profile",
        type=Path,
        default=None,
        metavar="P",
        help="write to -o a copy of profile P with the scan's seats and migration records",
    )
    scan.add_argument(
        "--catalog", type=Path, default=None, help="catalog folder (default: the bundled catalog)"
    )
    scan.set_defaults(handler=_org_scan)
