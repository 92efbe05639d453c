"""Org data: upload a Salesforce license extract (or a CLI scan result) and see the waste.

The license extract is small (users, licenses, logins), so the app scans it; a weekly Data
Export of many gigabytes is scanned with ``crm-analyzer org scan`` and its JSON uploaded here.
A button applies the suggested seats and migration records to the session's profile.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analyzer.errors import AnalyzerError
from analyzer.orgscan import SCHEMA_VERSION, ScanOptions, scan_org
from analyzer.orgscan.money import updated_profile, waste
from analyzer.profile_edits import problem_messages
from app_pages import state

#: Largest total upload the page scans (a license extract is a few MB; bigger exports go
#: through the CLI).
MAX_UPLOAD_MB = 50
DOCUMENT = "org_scan_document"
SOURCE = "org_scan_source"
REQUIRED_FIELDS = ("licenses", "users", "permission_set_licenses", "records", "storage", "backup")


def safe_name(name: str, index: int) -> str:
    """An uploaded file's name reduced to a plain file name (never a path), kept unique."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name.replace("\\", "/")).name).lstrip(".")
    return stem or f"upload-{index}"


def scan_uploads(files: list[Any], options: ScanOptions) -> dict:
    """Scan uploaded CSV and ZIP files in a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="org-scan-") as folder:
        for index, upload in enumerate(files):
            target = Path(folder) / safe_name(upload.name, index)
            if target.exists():
                target = target.with_name(f"{index}-{target.name}")
            target.write_bytes(upload.getvalue())
        try:
            return scan_org([Path(folder)], options)
        except AnalyzerError as exc:
            # Name the uploaded file, not the temporary folder it was scanned in.
            raise AnalyzerError(str(exc).replace(f"{folder}/", "")) from None


def document_from_json(data: bytes) -> dict:
    """A scan result uploaded as JSON, checked for the fields this page reads."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnalyzerError(f"not a JSON file: {exc}") from None
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise AnalyzerError(
            f"not an org scan result (expected schema_version {SCHEMA_VERSION}); "
            "write one with `crm-analyzer org scan PATH -o scan.json`"
        )
    missing = [name for name in REQUIRED_FIELDS if name not in document]
    if missing:
        raise AnalyzerError(f"the scan result lacks {', '.join(missing)}")
    return document


def remember(document: dict, source: str) -> None:
    st.session_state[DOCUMENT] = document
    st.session_state[SOURCE] = source


def forget() -> None:
    """Drop the shown scan, so a failed upload never leaves an older result on screen."""
    st.session_state.pop(DOCUMENT, None)
    st.session_state.pop(SOURCE, None)


def _digest(files: list[Any], options: ScanOptions) -> str:
    sha = hashlib.sha256(repr(options).encode())
    for upload in files:
        sha.update(upload.name.encode())
        sha.update(upload.getvalue())
    return sha.hexdigest()


def upload_section() -> None:
    extract, result = st.tabs(["License extract (CSV or ZIP)", "Scan result (JSON from the CLI)"])
    with extract:
        st.caption(
            "The CSVs of the queries in the README's *Org scan* section (User with profile and "
            f"license columns, UserLicense, PermissionSetLicense(Assign), LoginHistory), or a ZIP "
            f"of them; at most {MAX_UPLOAD_MB} MB in all. Nothing is kept after the scan."
        )
        left, right = st.columns(2)
        inactive = left.number_input("Inactive after days without a human login", 1, 3650, 90)
        grace = right.number_input("Grace for users created in the last days", 0, 3650, 30)
        files = st.file_uploader(
            "License extract files",
            type=["csv", "zip"],
            accept_multiple_files=True,
            key="org_extract_upload",
        )
        if files:
            total = sum(upload.size for upload in files)
            options = ScanOptions(inactive_days=int(inactive), grace_days=int(grace))
            if total > MAX_UPLOAD_MB * 1024 * 1024:
                st.error(
                    f"{total / 1024 / 1024:,.1f} MB uploaded, above the {MAX_UPLOAD_MB} MB "
                    "limit: scan the export with `crm-analyzer org scan` and upload its JSON."
                )
            elif st.session_state.get(SOURCE) != _digest(files, options):
                try:
                    remember(scan_uploads(files, options), _digest(files, options))
                except Exception as exc:  # an upload must never crash the page
                    state.log.info("org scan upload rejected: %r", exc)
                    forget()
                    state.show_problems(problem_messages(exc), "The files could not be scanned.")
    with result:
        upload = st.file_uploader("Scan result JSON", type=["json"], key="org_json_upload")
        if upload is not None:
            source = "json:" + hashlib.sha256(upload.getvalue()).hexdigest()
            if st.session_state.get(SOURCE) != source:
                try:
                    remember(document_from_json(upload.getvalue()), source)
                except AnalyzerError as exc:
                    forget()
                    state.show_problems([str(exc)], "The scan result could not be read.")


def waste_frame(lines: list) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "License": w.license,
                "Why": w.reason,
                "Seats": w.seats,
                "Per seat a month": w.monthly_price,
                "A year": w.annual_cost,
                "Estimate": w.estimate,
            }
            for w in lines
        ]
    )


def show_document(document: dict) -> None:
    profile = state.profile()
    catalog = state.catalog()
    lines = waste(document, profile, catalog)
    certain = sum(w.annual_cost or 0 for w in lines if not w.estimate)
    estimated = sum(w.annual_cost or 0 for w in lines if w.estimate)
    users = document["users"]
    columns = st.columns(4)
    columns[0].metric(f"Certain waste a year ({profile.currency})", f"{certain:,.0f}")
    columns[1].metric(f"Estimated further savings ({profile.currency})", f"{estimated:,.0f}")
    columns[2].metric("Inactive users", len(users["inactive"]))
    columns[3].metric("Backup complete", "yes" if document["backup"]["complete"] else "no")
    st.caption(
        f"As of {document.get('as_of') or 'an unknown day'} (the newest login in the data), "
        f"at the prices of the profile {state.literal(profile.name)}. Platform candidates and "
        "integration users on full seats are estimates to review, not advice."
    )
    st.subheader("Waste")
    st.dataframe(waste_frame(lines), hide_index=True)
    if st.button("Apply the suggested seats and migration records to the profile"):
        try:
            suggested = updated_profile(document, profile, catalog)
        except AnalyzerError as exc:
            state.show_problems(problem_messages(exc), "The suggestions do not fit the profile.")
        else:
            state.apply_profile(suggested, "Org scan suggestions", refresh_forms=True)
    st.subheader("Licenses")
    st.dataframe(pd.DataFrame(document["licenses"]), hide_index=True)
    st.subheader("Inactive users")
    st.dataframe(pd.DataFrame(users["inactive"]), hide_index=True)
    st.subheader("Integration users on full licenses and Platform candidates (estimates)")
    st.dataframe(
        pd.DataFrame(
            [{**u, "finding": "integration user"} for u in users["integration_on_full_license"]]
            + [{**u, "finding": "Platform candidate"} for u in users["platform_candidates"]]
        ),
        hide_index=True,
    )
    st.subheader("Permission set licenses")
    st.dataframe(pd.DataFrame(document["permission_set_licenses"]), hide_index=True)
    with st.expander("Records, storage and backup"):
        st.dataframe(
            pd.DataFrame(list(document["records"].items()), columns=["Object", "Records"]),
            hide_index=True,
        )
        st.json(document["storage"])
        st.json(document["backup"])


st.title("Org data")
st.caption(
    "Your own Salesforce data: which seats are wasted (unassigned, inactive, integration users "
    "on full seats, possible Platform users), at your profile's prices."
)
upload_section()
if DOCUMENT in st.session_state:
    show_document(st.session_state[DOCUMENT])
else:
    st.info("Upload a license extract or a scan result to see the waste.")
