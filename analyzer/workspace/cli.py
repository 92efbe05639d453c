"""``crm-analyzer workspace save|list|show|diff|rerun``: saved analyses from the command line.

Only :func:`add_workspace_command` is called from :mod:`analyzer.cli`; errors are
:class:`~analyzer.errors.AnalyzerError` subclasses, which the CLI turns into exit code 2. The
workspace's records, diffs and store are imported by the commands that use them, so every other
command starts without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.formatting import money
from analyzer.profile import load_profile, parse_profile
from analyzer.workspace import WORKSPACE_ENV

if TYPE_CHECKING:
    from analyzer.workspace.record import NewAnalysis, SavedAnalysis
    from analyzer.workspace.store import Workspace

SHOW_PARTS = ("summary", "profile", "report")


def _open(location: str | None) -> Workspace:
    """The workspace at ``location``; SQLAlchemy is loaded only by the commands that need it."""
    from analyzer.workspace.store import open_workspace

    return open_workspace(location)


def _save(args: argparse.Namespace) -> int:
    from analyzer.workspace.record import new_analysis

    catalog = load_catalog(args.catalog)
    result = analyze(load_profile(args.profile, catalog=catalog), catalog)
    with _open(args.workspace) as workspace:
        saved = workspace.save(new_analysis(result, catalog, by=args.by, note=args.note))
        print(f"saved analysis #{saved.id} in {workspace.location}")
    return 0


def listing_frame(saved: list[SavedAnalysis]) -> pd.DataFrame:
    """One row per saved analysis, as ``workspace list`` and the app show them."""
    return pd.DataFrame(
        [
            {
                "id": a.id,
                "saved": a.saved_at.strftime("%Y-%m-%d %H:%M"),
                "by": a.saved_by,
                "profile": a.profile_name,
                "recommended": a.summary["winner_label"],
                "saving": money(a.summary["saving"], a.summary["currency"]),
                "catalog": a.catalog.version,
                "note": a.note,
            }
            for a in saved
        ],
        columns=["id", "saved", "by", "profile", "recommended", "saving", "catalog", "note"],
    )


def _list(args: argparse.Namespace) -> int:
    with _open(args.workspace) as workspace:
        saved = workspace.list()
        if not saved:
            print(f"no saved analyses in {workspace.location}")
            return 0
    print(listing_frame(saved).to_string(index=False))
    return 0


def summary_text(saved: SavedAnalysis) -> str:
    """A saved analysis in a few lines: when, who, which catalog, what it recommends."""
    summary = saved.summary
    currency = summary["currency"]
    lines = [
        f"#{saved.id} {saved.profile_name}",
        f"saved {saved.saved_at:%Y-%m-%d %H:%M} UTC by {saved.saved_by}",
        f"catalog: prices up to {saved.catalog.version} (hash {saved.catalog.content_hash[:12]})",
        f"recommended: {summary['winner_label']}",
        f"saving against staying: {money(summary['saving'], currency)} over "
        f"{summary['horizon_months']} months",
        f"notice deadline: {summary['notice_deadline']}",
        f"close call: {'yes' if summary['close_call'] else 'no'}",
    ]
    if saved.note:
        lines.insert(2, f"note: {saved.note}")
    lines += [f"warning: {message}" for message in summary["warnings"]]
    return "\n".join(lines) + "\n"


def _show(args: argparse.Namespace) -> int:
    with _open(args.workspace) as workspace:
        saved = workspace.get(args.id)
    if args.part == "profile":
        sys.stdout.write(saved.profile_yaml)
    elif args.part == "report":
        sys.stdout.write(saved.report)
    else:
        sys.stdout.write(summary_text(saved))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from analyzer.workspace.diff import diff_analyses, format_diff

    with _open(args.workspace) as workspace:
        old, new = workspace.get(args.old), workspace.get(args.new)
    sys.stdout.write(format_diff(diff_analyses(old, new, f"#{old.id}", f"#{new.id}")))
    return 0


def rerun_analysis(
    saved: SavedAnalysis, catalog_path: Path | None = None, by: str | None = None
) -> NewAnalysis:
    """``saved``'s profile analysed again on today's catalog, with the saved run's Monte Carlo
    samples and seed, so that only the catalog (and the analyzer) can make a difference."""
    from analyzer.workspace.record import new_analysis

    catalog = load_catalog(catalog_path)
    stability = json.loads(saved.report)["stability"]
    profile = parse_profile(saved.profile_yaml, catalog, source=f"saved analysis #{saved.id}")
    result = analyze(profile, catalog, samples=stability["samples"], seed=stability["seed"])
    return new_analysis(result, catalog, by=by, note=f"re-run of #{saved.id}")


def _rerun(args: argparse.Namespace) -> int:
    from analyzer.workspace.diff import diff_analyses, format_diff

    with _open(args.workspace) as workspace:
        saved = workspace.get(args.id)
        fresh = rerun_analysis(saved, args.catalog, by=args.by)
        name = "today's catalog"
        if args.save:
            fresh = workspace.save(fresh)
            name = f"#{fresh.id} (today's catalog)"
    sys.stdout.write(format_diff(diff_analyses(saved, fresh, f"#{saved.id}", name)))
    return 0


def add_workspace_command(commands: argparse._SubParsersAction) -> None:
    """Register ``workspace`` and its subcommands on the CLI's subcommand parsers."""
    workspace = commands.add_parser(
        "workspace", help="save analyses, list them, compare two, re-run one on today's catalog"
    )
    sub = workspace.add_subparsers(dest="workspace_command", required=True)

    save = sub.add_parser("save", help="analyze a profile and save the analysis")
    save.add_argument(
        "profile",
        nargs="?",
        type=Path,
        default=None,
        help="profile YAML (default: the bundled example, examples/acme-enterprise.yaml)",
    )
    save.add_argument("--note", default="", help="a word on this what-if, shown in the list")
    save.set_defaults(handler=_save)

    listing = sub.add_parser("list", help="every saved analysis, oldest first")
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="one saved analysis")
    show.add_argument("id", type=int, help="its number in `workspace list`")
    show.add_argument(
        "--part",
        choices=SHOW_PARTS,
        default="summary",
        help="summary (default), the profile YAML, or the full JSON report",
    )
    show.set_defaults(handler=_show)

    diff = sub.add_parser("diff", help="compare two saved analyses: what changed, and why")
    diff.add_argument("old", type=int)
    diff.add_argument("new", type=int)
    diff.set_defaults(handler=_diff)

    rerun = sub.add_parser(
        "rerun", help="re-analyze a saved profile on today's catalog; say what the change did"
    )
    rerun.add_argument("id", type=int)
    rerun.add_argument("--save", action="store_true", help="save the re-run as a new analysis")
    rerun.set_defaults(handler=_rerun)

    for command in (save, listing, show, diff, rerun):
        command.add_argument(
            "--workspace",
            default=None,
            metavar="PATH|URL",
            help=f"a SQLite file or a postgresql:// URL (default: ${WORKSPACE_ENV}, else a "
            "file in your user data folder)",
        )
    for command in (save, rerun):
        command.add_argument(
            "--catalog", type=Path, default=None, help="catalog folder (default: the bundled one)"
        )
        command.add_argument(
            "--by", default=None, help="who saves it (default: your operating-system user)"
        )
