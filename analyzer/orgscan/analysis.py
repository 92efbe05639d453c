"""DESIGN section 8: from the collected export to the org-scan document (field names fixed).

Rules, in one place:

* ``as_of`` is the newest LoginHistory ``LoginTime`` or User ``LastLoginDate`` seen.
* A login counts only when it succeeded; a *human* login is one whose ``LoginType`` is not an
  API login (:func:`~analyzer.orgscan.collect.is_api_login`).
* An *integration user* has at least one login and all of them are API logins; never inactive.
* ``last_login`` is the last human login (LoginHistory; ``LastLoginDate`` for a user without
  LoginHistory rows). A date is *in the window* of ``n`` days when it is at most ``n`` calendar
  days before ``as_of``.
* *Active*: ``IsActive`` and a human login in the window. *Inactive*: ``IsActive``, not active,
  not an integration user and not created in the grace period; ``never_logged_in`` when no login
  is known at all. Guest and automated-process users never log in and are never flagged.
* *Platform candidates* (an estimate to review): active humans on the full Salesforce license
  who own or created no Lead, Opportunity or Case created in the window.
* Storage: 2 KB a record, 4 KB a Person Account or article, 8 KB a Campaign, 1 KB a
  CampaignMember, an EmailMessage at its size; files at their binaries' real bytes (the size
  their rows declare when the binary is not in the scan); 1 MB = 1,048,576 bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from analyzer.orgscan.collect import (
    FILE_OBJECTS,
    ID_WIDTH,
    Collection,
    ObjectData,
)
from analyzer.orgscan.sources import Inventory, digest
from analyzer.orgscan.values import id15, id18, iso, parse_bool, parse_datetime

SCHEMA_VERSION = 1
EXPECTED_OBJECTS = ("Account", "Contact", "Lead", "Opportunity", "Case", "Task", "Event", "User")
RECORD_KB = 2
RECORD_KB_BY_OBJECT = {"Campaign": 8, "CampaignMember": 1, "KnowledgeArticleVersion": 4}
PERSON_ACCOUNT_KB = 4
ARTICLE_KB = 4
NEVER_FLAGGED_USER_TYPES = frozenset({"guest", "automatedprocess"})
FULL_LICENSE_KEY = "SFDC"
FULL_LICENSE_NAME = "salesforce"
NEVER_LOGGED_IN = "never_logged_in"
MB = 1024 * 1024


@dataclass(frozen=True)
class ScanOptions:
    """The thresholds of a scan: days without a human login, and the grace for new users."""

    inactive_days: int = 90
    grace_days: int = 30


@dataclass(frozen=True)
class License:
    """A user license as the extract names it: display name and definition key."""

    name: str
    key: str | None


def unique_ids(ids: bytearray) -> tuple[int, list[str]]:
    """The number of distinct 15-byte Ids in ``ids`` and the Ids found more than once.

    ``ids`` is sorted in place (no copy of millions of Ids is made).

    >>> unique_ids(bytearray(b"001000000000002001000000000001001000000000002"))
    (2, ['001000000000002'])
    """
    if not ids:
        return 0, []
    values = np.frombuffer(ids, dtype=f"S{ID_WIDTH}")
    values.sort()
    same_as_next = values[1:] == values[:-1]
    repeated = np.unique(values[1:][same_as_next])
    return len(values) - int(same_as_next.sum()), [
        value.decode("ascii").rstrip() for value in repeated
    ]


def _days_before(as_of: dt.datetime, moment: dt.datetime) -> int:
    return (as_of.date() - moment.date()).days


def _license_of(user: dict[str, str], collection: Collection) -> License | None:
    name = user.get("profile.userlicense.name") or user.get("profile.userlicense.masterlabel")
    key = user.get("profile.userlicense.licensedefinitionkey")
    if not name and not key:
        profile = collection.tables.get("Profile", {}).get(id15(user.get("profileid", "")))
        if profile is None:
            return None
        row = collection.tables.get("UserLicense", {}).get(id15(profile.get("userlicenseid", "")))
        if row is None:
            return None
        name = row.get("name") or row.get("masterlabel")
        key = row.get("licensedefinitionkey")
    return License(name or key or "", key or None)


def _is_full(license: License | None) -> bool:
    return license is not None and (
        license.key == FULL_LICENSE_KEY or license.name.lower() == FULL_LICENSE_NAME
    )


def _count(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


@dataclass
class UserVerdict:
    """One user's standing on the ``as_of`` day."""

    id: str
    username: str
    license: License | None
    is_active: bool
    integration: bool
    active: bool
    inactive: bool
    last_login: dt.datetime | None

    @property
    def never_logged_in(self) -> bool:
        return self.inactive and self.last_login is None


def as_of_moment(collection: Collection) -> dt.datetime | None:
    """The newest LoginHistory ``LoginTime`` or User ``LastLoginDate`` seen."""
    moments = [collection.newest_login] if collection.newest_login else []
    for user in collection.users().values():
        last = parse_datetime(user.get("lastlogindate", ""))
        if last is not None:
            moments.append(last)
    return max(moments, default=None)


def judge_users(
    collection: Collection, as_of: dt.datetime | None, options: ScanOptions
) -> list[UserVerdict]:
    """Every user's standing: integration, active, inactive (rules in the module docstring)."""
    verdicts = []
    for key, user in collection.users().items():
        is_active = bool(parse_bool(user.get("isactive", "")))
        logins = collection.logins.get(key)
        integration = logins is not None and logins.successful > 0 and logins.human == 0
        if logins is not None and logins.successful > 0:
            last = logins.last_human
        else:
            last = parse_datetime(user.get("lastlogindate", ""))
        created = parse_datetime(user.get("createddate", ""))
        in_window = (
            as_of is not None
            and last is not None
            and _days_before(as_of, last) <= options.inactive_days
        )
        in_grace = (
            as_of is not None
            and created is not None
            and _days_before(as_of, created) <= options.grace_days
        )
        flaggable = user.get("usertype", "").lower() not in NEVER_FLAGGED_USER_TYPES
        active = is_active and not integration and in_window
        verdicts.append(
            UserVerdict(
                id=id18(user.get("id", key)),
                username=user.get("username", ""),
                license=_license_of(user, collection),
                is_active=is_active,
                integration=integration,
                active=active,
                inactive=(
                    is_active
                    and not active
                    and not integration
                    and not in_grace
                    and flaggable
                    and as_of is not None
                ),
                last_login=last,
            )
        )
    return sorted(verdicts, key=lambda v: (v.username.lower(), v.id))


def _license_rows(collection: Collection) -> list[tuple[License, int | None, int | None]]:
    rows = []
    for row in collection.tables.get("UserLicense", {}).values():
        name = row.get("name") or row.get("masterlabel") or row.get("licensedefinitionkey", "")
        rows.append(
            (
                License(name, row.get("licensedefinitionkey") or None),
                _count(row.get("totallicenses")),
                _count(row.get("usedlicenses")),
            )
        )
    return rows


def _matches(license: License, other: License | None) -> bool:
    if other is None:
        return False
    if license.key and other.key:
        return license.key == other.key
    return license.name.lower() == other.name.lower()


def license_table(collection: Collection, verdicts: list[UserVerdict]) -> list[dict]:
    """Purchased, assigned, active, inactive, never logged in and unassigned per license."""
    rows = _license_rows(collection)
    known = [license for license, _, _ in rows]
    for verdict in verdicts:
        if verdict.license is not None and not any(_matches(k, verdict.license) for k in known):
            known.append(verdict.license)
            rows.append((verdict.license, None, None))
    counted = any(verdict.license is not None for verdict in verdicts)
    table = []
    for license, purchased, used in rows:
        holders = [v for v in verdicts if v.is_active and _matches(license, v.license)]
        assigned = len(holders) if counted else (used or 0)
        table.append(
            {
                "license": license.name,
                "key": license.key,
                "purchased": purchased,
                "assigned": assigned,
                "active": sum(v.active for v in holders),
                "inactive": sum(v.inactive for v in holders),
                "never_logged_in": sum(v.never_logged_in for v in holders),
                "unassigned": purchased - assigned if purchased is not None else None,
            }
        )
    return sorted(table, key=lambda row: row["license"].lower())


def _user_entry(verdict: UserVerdict) -> dict:
    return {
        "id": verdict.id,
        "username": verdict.username,
        "license": verdict.license.name if verdict.license else None,
    }


def users_section(
    collection: Collection,
    verdicts: list[UserVerdict],
    as_of: dt.datetime | None,
    options: ScanOptions,
) -> dict:
    """The ``users`` block: totals, the inactive, integration users and Platform candidates."""
    inactive = [
        {
            **_user_entry(v),
            "last_login": iso(v.last_login),
            "reason": (
                NEVER_LOGGED_IN
                if v.last_login is None
                else f"no_login_in_{options.inactive_days}_days"
            ),
        }
        for v in verdicts
        if v.inactive
    ]
    candidates = []
    for v in verdicts:
        if not (v.active and _is_full(v.license)) or as_of is None:
            continue
        worked = collection.activity.get(id15(v.id))
        if worked is None or _days_before(as_of, worked) > options.inactive_days:
            candidates.append(_user_entry(v))
    return {
        "total": len(verdicts),
        "active_humans": sum(v.active for v in verdicts),
        "inactive": inactive,
        "integration_on_full_license": [
            _user_entry(v)
            for v in verdicts
            if v.integration and v.is_active and _is_full(v.license)
        ],
        "platform_candidates": candidates,
    }


def permission_set_licenses(collection: Collection, verdicts: list[UserVerdict]) -> list[dict]:
    """Purchased and assigned permission set licenses, and those assigned to unused users."""
    idle = {id15(v.id) for v in verdicts if v.inactive or not v.is_active}
    assignments = collection.tables.get("PermissionSetLicenseAssign")
    table = []
    for key, row in collection.tables.get("PermissionSetLicense", {}).items():
        holders = (
            [
                id15(a.get("assigneeid", ""))
                for a in assignments.values()
                if id15(a.get("permissionsetlicenseid", "")) == key
            ]
            if assignments is not None
            else []
        )
        table.append(
            {
                "name": row.get("masterlabel") or row.get("developername", ""),
                "purchased": _count(row.get("totallicenses")),
                "assigned": len(holders)
                if assignments is not None
                else (_count(row.get("usedlicenses")) or 0),
                "assigned_to_inactive": sum(holder in idle for holder in holders),
            }
        )
    return sorted(table, key=lambda row: row["name"].lower())


def record_counts(collection: Collection) -> tuple[dict[str, int], list[str]]:
    """Distinct records per object (by Id) and the 18-character Ids seen more than once."""
    counts: dict[str, int] = {}
    repeated: list[str] = []
    for data in collection.objects.values():
        groups = list(data.ids.values())
        for ids in groups:
            repeated.extend(id18(value) for value in unique_ids(ids)[1])
        everything = groups[0] if len(groups) == 1 else bytearray().join(groups)
        counts[data.name] = unique_ids(everything)[0] + data.without_id
    if collection.extract_users or collection.export_users:
        counts["User"] = len(collection.users())
    return dict(sorted(counts.items())), sorted(set(repeated))


def _record_kb(data: ObjectData, count: int) -> float:
    if data.name == "EmailMessage":
        return sum(data.email_bytes.values()) / 1024
    if data.name == "Account":
        persons, _ = unique_ids(data.person_ids)
        return persons * PERSON_ACCOUNT_KB + (count - persons) * RECORD_KB
    if data.name.endswith("__kav") or data.name.startswith("KnowledgeArticle"):
        return count * ARTICLE_KB
    return count * RECORD_KB_BY_OBJECT.get(data.name, RECORD_KB)


def storage(collection: Collection, counts: dict[str, int], inventory: Inventory) -> dict:
    """Data storage at Salesforce's per-record sizes and file storage at the files' real bytes."""
    data_kb = sum(
        _record_kb(data, counts[data.name])
        for data in collection.objects.values()
        if data.name not in FILE_OBJECTS
    )
    file_bytes = 0
    for name in FILE_OBJECTS:
        data = collection.objects.get(name.lower())
        binaries = inventory.binaries.get(name, {})
        for key, row in data.files.items() if data else ():
            if key in binaries:
                file_bytes += binaries[key].size
            elif row.size is not None:
                file_bytes += row.size
    return {"data_mb": round(data_kb / 1024, 6), "file_mb": round(file_bytes / MB, 6)}


def _expected_objects(collection: Collection, inventory: Inventory) -> set[str]:
    expected = set(EXPECTED_OBJECTS)
    for row in collection.tables.get("EntityDefinition", {}).values():
        name = row.get("qualifiedapiname", "")
        if name.endswith("__c"):
            expected.add(name)
    expected.update(name for name in FILE_OBJECTS if inventory.binaries.get(name))
    return expected


def _file_problems(collection: Collection, inventory: Inventory) -> Iterator[tuple[str, str]]:
    """``(problem, 18-character Id)`` for every Attachment/ContentVersion row not backed up."""
    for name in ("Attachment", "ContentVersion"):
        data = collection.objects.get(name.lower())
        binaries = inventory.binaries.get(name, {})
        for key, row in sorted(data.files.items()) if data else ():
            member = binaries.get(key)
            if member is None:
                yield "missing", id18(row.id)
                continue
            if name == "ContentVersion" and row.checksum:
                size, md5 = digest(member)
                if md5 != row.checksum:
                    yield "checksum", id18(row.id)
            else:
                size = member.size
            if row.size is not None and size != row.size:
                yield "size", id18(row.id)


def backup(
    collection: Collection, counts: dict[str, int], repeated: list[str], inventory: Inventory
) -> dict:
    """Whether the export holds every expected object and every file, intact."""
    present = {data.name.lower() for data in collection.objects.values()}
    if collection.extract_users:
        present.add("user")
    missing = sorted(
        n for n in _expected_objects(collection, inventory) if n.lower() not in present
    )
    problems: dict[str, list[str]] = {"missing": [], "size": [], "checksum": []}
    for problem, record in _file_problems(collection, inventory):
        problems[problem].append(record)
    return {
        "complete": not (
            missing or problems["missing"] or problems["size"] or problems["checksum"]
        ),
        "missing_objects": missing,
        "header_only": sorted(
            data.name for data in collection.objects.values() if counts[data.name] == 0
        ),
        "missing_files": problems["missing"],
        "size_mismatches": problems["size"],
        "checksum_mismatches": problems["checksum"],
        "duplicate_ids": repeated,
    }


def org_document(
    collection: Collection,
    inventory: Inventory,
    scanned_files: list[dict],
    options: ScanOptions,
) -> dict:
    """The org-scan document of DESIGN section 8, in its field order."""
    as_of = as_of_moment(collection)
    verdicts = judge_users(collection, as_of, options)
    counts, repeated = record_counts(collection)
    org_id = inventory.org_id
    organization = collection.objects.get("organization")
    first = next((ids for ids in organization.ids.values() if ids), None) if organization else None
    if org_id is None and first:
        org_id = id18(bytes(first[:ID_WIDTH]).decode("ascii").rstrip())
    return {
        "schema_version": SCHEMA_VERSION,
        "org_id": org_id,
        "scanned_files": scanned_files,
        "as_of": iso(as_of),
        "licenses": license_table(collection, verdicts),
        "users": users_section(collection, verdicts, as_of, options),
        "permission_set_licenses": permission_set_licenses(collection, verdicts),
        "records": counts,
        "storage": storage(collection, counts, inventory),
        "backup": backup(collection, counts, repeated, inventory),
    }
