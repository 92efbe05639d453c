"""The scan of a generated org reports exactly what was planted (DESIGN section 8 rules).

Every expected figure comes from the generator's declared categories and plan (see
analyzer/orgscan/synth.py), counted here, never from the scanner's own output.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.orgscan import ScanOptions, scan_org
from analyzer.orgscan.synth import CATEGORIES, generate_org
from tests.orgscan.conftest import assert_design_shape, category_of, expected_iso, users_where


@pytest.fixture(scope="module")
def scanned(synthetic_org):
    root, plan = synthetic_org
    return scan_org([root]), plan


def test_the_document_has_exactly_the_design_fields(scanned):
    document, _ = scanned
    assert_design_shape(document)


def test_as_of_is_the_newest_login_and_the_org_id_comes_from_the_part_names(scanned):
    document, _ = scanned
    assert document["as_of"] == "2026-06-30T12:00:00Z"  # synth.AS_OF, the admin's login
    assert document["org_id"] == "00D4J000000CuzUUAS"


def test_inactive_users_and_their_reasons(scanned):
    document, plan = scanned
    found = {u["username"]: u for u in document["users"]["inactive"]}
    assert set(found) == users_where(plan, expect_reason="inactive") | users_where(
        plan, expect_reason="never_logged_in"
    )
    for username, entry in found.items():
        category = CATEGORIES[category_of(plan, username)]
        assert entry["id"] == plan.users[username][0]
        if category.expect_reason == "never_logged_in":
            assert entry["reason"] == "never_logged_in" and entry["last_login"] is None
        else:
            assert entry["reason"] != "never_logged_in"
            assert entry["last_login"] == expected_iso(category.expect_last_login_days)


def test_the_grace_period_the_integration_users_and_deactivated_users(scanned):
    document, plan = scanned
    flagged = {u["username"] for u in document["users"]["inactive"]}
    for category in ("newcomer", "integration", "platform_integration", "deactivated"):
        assert not {u for u in plan.users if category_of(plan, u) == category} & flagged
    assert {u["username"] for u in document["users"]["integration_on_full_license"]} == (
        users_where(plan, expect_integration_full=True)
    )


def test_platform_candidates_own_no_recent_lead_opportunity_or_case(scanned):
    document, plan = scanned
    assert {u["username"] for u in document["users"]["platform_candidates"]} == users_where(
        plan, expect_candidate=True
    )


def test_license_reconciliation(scanned):
    document, plan = scanned
    rows = {row["license"]: row for row in document["licenses"]}
    assert set(rows) == {"Salesforce", "Salesforce Platform"}
    for name, key in (("Salesforce", "SFDC"), ("Salesforce Platform", "AUL")):
        license = (name, key)
        assigned = len(users_where(plan, license=license, active_flag=True))
        inactive = len(users_where(plan, license=license, expect_reason="inactive"))
        never = len(users_where(plan, license=license, expect_reason="never_logged_in"))
        assert rows[name] == {
            "license": name,
            "key": key,
            "purchased": assigned + plan.unassigned[name],
            "assigned": assigned,
            "active": len(users_where(plan, license=license, expect_active=True)),
            "inactive": inactive + never,
            "never_logged_in": never,
            "unassigned": plan.unassigned[name],
        }
    assert document["users"]["total"] == len(plan.users)
    assert document["users"]["active_humans"] == len(users_where(plan, expect_active=True))


def test_hand_counted_license_figures_at_scale_two(scanned):
    document, _ = scanned
    full = next(r for r in document["licenses"] if r["license"] == "Salesforce")
    # Full-license users with IsActive: admin + 2 x (seller, viewer, stale, dormant, failed,
    # never, newcomer, integration) = 17. Active: admin + 2 sellers + 2 viewers = 5.
    # Inactive: 2 x (stale, dormant, failed, never) = 8, of which never logged in: 2.
    assert (full["assigned"], full["active"], full["inactive"], full["never_logged_in"]) == (
        17,
        5,
        8,
        2,
    )


def test_permission_set_licenses(scanned):
    document, plan = scanned
    assert {
        p["name"]: {k: v for k, v in p.items() if k != "name"}
        for p in document["permission_set_licenses"]
    } == plan.psl


def test_records_storage_and_backup(scanned):
    document, plan = scanned
    assert document["records"] == plan.records
    file_objects = {"Attachment", "ContentVersion"}
    kb = 2 * sum(n for name, n in plan.records.items() if name not in file_objects)
    kb += 2 * plan.person_accounts  # a Person Account is 4 KB, not 2
    assert document["storage"]["data_mb"] == pytest.approx(kb / 1024, abs=1e-6)
    assert document["storage"]["file_mb"] == pytest.approx(plan.file_bytes / 1048576, abs=1e-6)
    assert document["backup"] == {
        "complete": False,
        "missing_objects": [],
        "header_only": plan.header_only,
        "missing_files": plan.missing_files,
        "size_mismatches": plan.size_mismatches,
        "checksum_mismatches": plan.checksum_mismatches,
        "duplicate_ids": plan.duplicate_ids,
    }


def test_encodings_are_reported_per_file(scanned):
    document, _ = scanned
    encodings = {
        (f["name"], f["part"] and f["part"][-5]): f["encoding"] for f in document["scanned_files"]
    }
    assert encodings[("Account.csv", "1")] == "utf-8-sig"
    assert encodings[("Contact.csv", "1")] == "cp1252"
    assert encodings[("Account.csv", "2")] == "utf-8"
    rows = {(f["name"], f["part"] and f["part"][-5]): f["rows"] for f in document["scanned_files"]}
    # 20 accounts, 10 in part 1 and 10 + 2 repeated in part 2.
    assert (rows[("Account.csv", "1")], rows[("Account.csv", "2")]) == (10, 12)


def test_scanning_one_part_reports_the_other_parts_objects_and_binaries_missing(synthetic_org):
    root, plan = synthetic_org
    document = scan_org([plan.parts[0], plan.extract])
    backup = document["backup"]
    assert backup["missing_objects"] == ["Case", "Task"]  # both only in part 2
    # Every attachment and version row is in part 1, every binary in part 2.
    expected = sorted(
        [u for u in plan.missing_files]
        + [key for key in _file_ids(root, plan) if key not in plan.missing_files]
    )
    assert backup["missing_files"] == expected
    assert backup["complete"] is False
    assert backup["duplicate_ids"] == []


def _file_ids(root: Path, plan) -> list[str]:
    with zipfile.ZipFile(plan.parts[1]) as archive:
        return [Path(n).name for n in archive.namelist() if "/" in n]


def test_a_complete_backup(tmp_path):
    """With the planted defects removed the backup is complete."""
    plan = generate_org(tmp_path, seed=3, scale=1)
    part1 = plan.parts[0]
    with zipfile.ZipFile(part1) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    # Attachment rows: drop the one without a binary, fix the declared size of the other.
    reader = list(csv.reader(io.StringIO(members["Attachment.csv"].decode())))
    keep = [reader[0]]
    for row in reader[1:]:
        if row[0] in plan.missing_files:
            continue
        if row[0] in plan.size_mismatches:
            row[2] = str(int(row[2]) - 7)
        keep.append(row)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(keep)
    members["Attachment.csv"] = buffer.getvalue().encode()
    reader = list(csv.reader(io.StringIO(members["ContentVersion.csv"].decode())))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([r for r in reader if r[0] not in plan.checksum_mismatches])
    members["ContentVersion.csv"] = buffer.getvalue().encode()
    with zipfile.ZipFile(part1, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    backup = scan_org([tmp_path])["backup"]
    assert backup["complete"] is True
    assert backup["missing_files"] == backup["size_mismatches"] == []
    assert backup["checksum_mismatches"] == []


def test_the_thresholds_move_users_in_and_out(synthetic_org):
    root, plan = synthetic_org
    # 130 days: the 120-day-old UI login (stale) is inside the window; 300-day-old is not.
    wide = scan_org([root], ScanOptions(inactive_days=130, grace_days=30))
    flagged = {category_of(plan, u["username"]) for u in wide["users"]["inactive"]}
    assert "stale" not in flagged and "dormant" in flagged
    # A 5-day grace no longer protects the 10-day-old newcomer.
    short = scan_org([root], ScanOptions(inactive_days=90, grace_days=5))
    reasons = {u["username"]: u["reason"] for u in short["users"]["inactive"]}
    newcomers = {u for u in plan.users if category_of(plan, u) == "newcomer"}
    assert newcomers <= set(reasons)
    assert {reasons[u] for u in newcomers} == {"never_logged_in"}


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), order=st.randoms(use_true_random=False))
def test_the_figures_do_not_depend_on_the_seed_or_the_order_of_the_paths(tmp_path, seed, order):
    folder = tmp_path / str(seed)
    shutil.rmtree(folder, ignore_errors=True)
    plan = generate_org(folder, seed=seed, scale=1)
    paths = [*plan.parts, *sorted(plan.extract.iterdir())]
    random.Random(order.random()).shuffle(paths)
    document = scan_org(paths)
    assert document["records"] == plan.records
    assert document["backup"]["duplicate_ids"] == plan.duplicate_ids
    for row in document["licenses"]:
        assert row["unassigned"] == row["purchased"] - row["assigned"]
        assert row["active"] + row["inactive"] <= row["assigned"]
        assert row["never_logged_in"] <= row["inactive"]


def test_an_extract_user_file_without_relationship_columns(synthetic_org, tmp_path):
    """Licenses found through ProfileId -> Profile -> UserLicense; the extract's User rows are
    the export's users read twice, not duplicates."""
    root, plan = synthetic_org
    copy = tmp_path / "org"
    shutil.copytree(root, copy)
    users = copy / "extract" / "User.csv"
    rows = list(csv.reader(io.StringIO(users.read_text(encoding="utf-8"), newline="")))
    keep = [i for i, name in enumerate(rows[0]) if "." not in name]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([[row[i] for i in keep] for row in rows])
    users.write_text(buffer.getvalue(), encoding="utf-8")
    document = scan_org([copy])
    expected = scan_org([root])
    assert document["licenses"] == expected["licenses"]
    assert document["users"] == expected["users"]
    assert document["records"]["User"] == len(plan.users)
    assert document["backup"]["duplicate_ids"] == plan.duplicate_ids
