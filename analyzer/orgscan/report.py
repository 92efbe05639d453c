"""The org scan as Markdown or HTML: the same tables, every value from the export escaped.

Usernames, license and object names come from the customer's export, so they are made inert
(Markdown escapes, HTML entities) before they reach a report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analyzer.formatting import money
from analyzer.safety import markdown_escape

if TYPE_CHECKING:
    # Only named in annotations: registering ``org scan`` on the command line (which reads
    # SCAN_FORMATS) does not load the pricing of waste.
    from analyzer.orgscan.money import WasteLine

SCAN_FORMATS = ("json", "md", "html")

Table = tuple[str, list[str], list[list[object]]]


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def scan_tables(
    document: dict, lines: Sequence[WasteLine] = (), currency: str = "USD"
) -> list[Table]:
    """The report's sections as ``(title, header, rows)``, plain values (not yet escaped)."""
    users = document["users"]
    backup = document["backup"]
    tables: list[Table] = [
        (
            "Licenses",
            [
                "License",
                "Key",
                "Purchased",
                "Assigned",
                "Active",
                "Inactive",
                "Never logged in",
                "Unassigned",
            ],
            [
                [
                    r["license"],
                    r["key"],
                    r["purchased"],
                    r["assigned"],
                    r["active"],
                    r["inactive"],
                    r["never_logged_in"],
                    r["unassigned"],
                ]
                for r in document["licenses"]
            ],
        ),
    ]
    if lines:
        tables.append(
            (
                "Waste a year at the profile's prices",
                ["License", "Why", "Seats", "Per seat a month", "A year", "Estimate"],
                [
                    [
                        w.license,
                        w.reason,
                        w.seats,
                        money(w.monthly_price, currency, 2),
                        money(w.annual_cost, currency),
                        w.estimate,
                    ]
                    for w in lines
                ]
                + [
                    [
                        "Total",
                        "certain waste",
                        None,
                        None,
                        money(sum(w.annual_cost or 0 for w in lines if not w.estimate), currency),
                        False,
                    ]
                ],
            )
        )
    tables += [
        (
            "Inactive users",
            ["Username", "Id", "License", "Last human login", "Reason"],
            [
                [u["username"], u["id"], u["license"], u["last_login"], u["reason"]]
                for u in users["inactive"]
            ],
        ),
        (
            "Integration users on full licenses",
            ["Username", "Id", "License"],
            [[u["username"], u["id"], u["license"]] for u in users["integration_on_full_license"]],
        ),
        (
            "Platform license candidates (an estimate to review, not advice)",
            ["Username", "Id", "License"],
            [[u["username"], u["id"], u["license"]] for u in users["platform_candidates"]],
        ),
        (
            "Permission set licenses",
            ["Name", "Purchased", "Assigned", "Assigned to inactive or deactivated users"],
            [
                [p["name"], p["purchased"], p["assigned"], p["assigned_to_inactive"]]
                for p in document["permission_set_licenses"]
            ],
        ),
        ("Records", ["Object", "Records"], [[k, v] for k, v in document["records"].items()]),
        (
            "Backup",
            ["Check", "Result"],
            [["complete", backup["complete"]]]
            + [
                [key.replace("_", " "), ", ".join(backup[key]) or "none"]
                for key in (
                    "missing_objects",
                    "header_only",
                    "missing_files",
                    "size_mismatches",
                    "checksum_mismatches",
                    "duplicate_ids",
                )
            ],
        ),
        (
            "Files scanned",
            ["File", "Part", "Rows", "Encoding"],
            [[f["name"], f["part"], f["rows"], f["encoding"]] for f in document["scanned_files"]],
        ),
    ]
    return tables


def _summary(document: dict) -> list[str]:
    storage = document["storage"]
    return [
        f"Org {document['org_id'] or 'unknown'}, as of {document['as_of'] or 'unknown'} "
        "(the newest login in the export).",
        f"{document['users']['total']:,} users, {document['users']['active_humans']:,} active "
        f"humans; data {storage['data_mb']:,.1f} MB, files {storage['file_mb']:,.1f} MB.",
    ]


def render_markdown(document: dict, lines: Sequence[WasteLine] = (), currency: str = "USD") -> str:
    """The scan as Markdown; every value from the export escaped."""
    out = ["# Org scan", ""] + [markdown_escape(s) for s in _summary(document)]
    for title, header, rows in scan_tables(document, lines, currency):
        out += ["", f"## {markdown_escape(title)}", ""]
        if not rows:
            out.append("None.")
            continue
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        out += ["| " + " | ".join(markdown_escape(_cell(v)) for v in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def render_html(document: dict, lines: Sequence[WasteLine] = (), currency: str = "USD") -> str:
    """The scan as one self-contained HTML page; every value from the export escaped."""
    # Imported here: registering ``org scan`` (which reads SCAN_FORMATS) does not need it.
    import html

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Org scan</title>',
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}</style>",
        "</head><body><h1>Org scan</h1>",
    ]
    out += [f"<p>{html.escape(s)}</p>" for s in _summary(document)]
    for title, header, rows in scan_tables(document, lines, currency):
        out.append(f"<h2>{html.escape(title)}</h2>")
        if not rows:
            out.append("<p>None.</p>")
            continue
        out.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
        out += [
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in rows
        ]
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_scan(
    document: dict, fmt: str, lines: Sequence[WasteLine] = (), currency: str = "USD"
) -> str:
    """The scan in ``fmt`` (``json``: exactly the document; ``md``/``html``: with the waste)."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_markdown(document, lines, currency)
    return render_html(document, lines, currency)
