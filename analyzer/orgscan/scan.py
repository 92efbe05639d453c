"""One entry point: scan export folders, ZIP parts and license extracts into the document."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from analyzer.orgscan.analysis import ScanOptions, org_document
from analyzer.orgscan.collect import Collection, sink_for
from analyzer.orgscan.sources import PART_NAME, find_inputs
from analyzer.orgscan.tables import read_table
from analyzer.orgscan.values import OrgScanError


def scan_org(paths: list[str | Path], options: ScanOptions | None = None) -> dict:
    """Scan a weekly Data Export and/or a license extract; return the DESIGN section 8 document.

    Parameters
    ----------
    paths
        Folders (holding ZIP parts, CSVs and binary folders), ``WE_<OrgId>_<n>.ZIP`` parts, or
        CSV files, in any mix.
    options
        Inactivity threshold and grace period (90 and 30 days by default).

    Returns
    -------
    dict
        ``schema_version, org_id, scanned_files, as_of, licenses, users,
        permission_set_licenses, records, storage, backup`` (JSON-ready).

    Raises
    ------
    OrgScanError
        An input that cannot be read, located as ``file.zip!Account.csv:row 1234: ...``.
    """
    options = options or ScanOptions()
    if options.inactive_days < 0 or options.grace_days < 0:
        raise OrgScanError("options", "--inactive-days and --grace-days must not be negative")
    collection = Collection()
    scanned = []
    with find_inputs([Path(p) for p in paths]) as inventory:
        for member in inventory.csvs:
            stem = PurePosixPath(member.name.replace("\\", "/")).name[: -len(".csv")]
            sink, rows, encoding = read_table(member, sink_for(stem, member.where))
            weekly = member.part is not None and PART_NAME.match(member.part) is not None
            collection.merge(sink, "weekly export" if weekly else "other files")
            scanned.append(
                {"name": member.name, "part": member.part, "rows": rows, "encoding": encoding}
            )
        if not scanned:
            raise OrgScanError(", ".join(map(str, paths)), "no CSV file found to scan")
        return org_document(collection, inventory, scanned, options)
