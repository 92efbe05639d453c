"""Fixtures of the org-scan tests: a generated synthetic org and small ZIP/CSV builders."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from analyzer.orgscan.synth import AS_OF, CATEGORIES, Plan, generate_org

DESIGN_FIELDS = [
    "schema_version",
    "org_id",
    "scanned_files",
    "as_of",
    "licenses",
    "users",
    "permission_set_licenses",
    "records",
    "storage",
    "backup",
]
"""The top-level fields of ``org scan --format json``, in DESIGN section 8's order."""


def assert_design_shape(document: dict) -> None:
    """``document`` has exactly the fields of DESIGN section 8, at every level (lists of entries
    are checked entry by entry)."""
    assert list(document) == DESIGN_FIELDS
    assert document["schema_version"] == 1
    for entry in document["scanned_files"]:
        assert set(entry) == {"name", "part", "rows", "encoding"}
    for entry in document["licenses"]:
        assert set(entry) == {
            "license",
            "key",
            "purchased",
            "assigned",
            "active",
            "inactive",
            "never_logged_in",
            "unassigned",
        }
    assert set(document["users"]) == {
        "total",
        "active_humans",
        "inactive",
        "integration_on_full_license",
        "platform_candidates",
    }
    for entry in document["users"]["inactive"]:
        assert set(entry) == {"id", "username", "license", "last_login", "reason"}
    for key in ("integration_on_full_license", "platform_candidates"):
        for entry in document["users"][key]:
            assert set(entry) == {"id", "username", "license"}
    for entry in document["permission_set_licenses"]:
        assert set(entry) == {"name", "purchased", "assigned", "assigned_to_inactive"}
    assert isinstance(document["records"], dict)
    assert set(document["storage"]) == {"data_mb", "file_mb"}
    assert set(document["backup"]) == {
        "complete",
        "missing_objects",
        "header_only",
        "missing_files",
        "size_mismatches",
        "checksum_mismatches",
        "duplicate_ids",
    }


@pytest.fixture(scope="session")
def synthetic_org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    """A seeded synthetic org (two users per category) and what was planted in it."""
    root = tmp_path_factory.mktemp("org")
    return root, generate_org(root, seed=7, scale=2)


def category_of(plan: Plan, username: str) -> str:
    return plan.users[username][1]


def expected_iso(days: int) -> str:
    """The ``...Z`` form of AS_OF minus ``days`` days, as the scan writes datetimes."""
    return (AS_OF - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def users_where(plan: Plan, **expected: object) -> set[str]:
    """Usernames whose category declares every ``expect_*`` value given (admin: active)."""
    found = set()
    for username, (_, name) in plan.users.items():
        category = CATEGORIES.get(name)
        values = (
            {
                "expect_active": True,
                "expect_reason": None,
                "expect_candidate": False,
                "expect_integration_full": False,
                "license": ("Salesforce", "SFDC"),
                "active_flag": True,
            }
            if category is None
            else vars(category)
        )
        if all(values[key] == value for key, value in expected.items()):
            found.add(username)
    return found


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive in memory holding ``members`` under the given names, as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()
