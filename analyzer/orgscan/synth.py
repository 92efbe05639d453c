"""A seeded synthetic Salesforce org: weekly-export parts, binaries and a license extract.

Used by the tests, the ``05_license_waste`` notebook and the benchmark. Every user belongs to a
*category* whose expected standing is declared in :data:`CATEGORIES`, so a test compares the
scan with what was planted, not with what the scanner computed. The export carries the awkward
parts of real exports: a UTF-8 byte-order mark, a cp1252 file, line breaks inside quoted
values, 15-character Ids, upper-case Data Loader headers, rows repeated across parts, both
datetime forms and every boolean spelling.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import string
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
"""The newest login of the org (the admin's), so the scan's ``as_of``."""
ORG_ID = "00D4J000000CuzUUAS"
FULL = ("Salesforce", "SFDC")
PLATFORM = ("Salesforce Platform", "AUL")
ALNUM = string.digits + string.ascii_uppercase + string.ascii_lowercase


@dataclass(frozen=True)
class Category:
    """A kind of user and what a correct scan says about each one (90/30-day thresholds).

    ``logins`` are ``(days before AS_OF, LoginType, Status)``; ``last_login_days`` is the
    User.LastLoginDate (``None``: empty); ``activity_days`` is the age of a Lead, Opportunity
    or Case the user owns (``None``: owns none).
    """

    license: tuple[str, str]
    active_flag: bool
    created_days: int
    logins: tuple[tuple[int, str, str], ...]
    last_login_days: int | None
    activity_days: int | None
    expect_active: bool
    expect_reason: str | None
    expect_last_login_days: int | None = None
    expect_integration_full: bool = False
    expect_candidate: bool = False


UI = "Application"
CATEGORIES: dict[str, Category] = {
    # Works every day, owns a fresh opportunity: active, needs the full license.
    "seller": Category(
        FULL, True, 400, ((5, UI, "Success"), (40, UI, "Success")), 5, 20, True, None
    ),
    # Logs in, but owns only an old opportunity (and recent tasks): a Platform candidate.
    "viewer": Category(
        FULL, True, 400, ((10, UI, "Success"),), 10, 300, True, None, expect_candidate=True
    ),
    # A person whose last UI login is 120 days old, though a script logs in as them daily.
    "stale": Category(
        FULL,
        True,
        500,
        ((120, UI, "Success"), (3, "Remote Access 2.0", "Success")),
        3,
        None,
        False,
        "inactive",
        120,
    ),
    # No LoginHistory (older than 180 days): LastLoginDate says 300 days.
    "dormant": Category(FULL, True, 700, (), 300, None, False, "inactive", 300),
    # Only a failed login recently: the last real one is LastLoginDate, 200 days ago.
    "failed": Category(
        FULL, True, 700, ((1, UI, "Invalid Password"),), 200, None, False, "inactive", 200
    ),
    # Created 200 days ago, never logged in.
    "never": Category(FULL, True, 200, (), None, None, False, "never_logged_in"),
    # Created 10 days ago, never logged in: inside the 30-day grace, not flagged.
    "newcomer": Category(FULL, True, 10, (), None, None, False, None),
    # Only API logins on a full license: an integration user on a full seat.
    "integration": Category(
        FULL,
        True,
        600,
        ((1, "Other Apex API", "Success"), (2, "Partner Product", "Success")),
        1,
        None,
        False,
        None,
        expect_integration_full=True,
    ),
    # Only API logins on a Platform license: an integration user, not on a full seat.
    "platform_integration": Category(
        PLATFORM, True, 600, ((4, "Remote Access 2.0", "Success"),), 4, None, False, None
    ),
    # Deactivated with recent logins: never active, holds no seat.
    "deactivated": Category(FULL, False, 600, ((2, UI, "Success"),), 2, None, False, None),
    "platform_user": Category(PLATFORM, True, 300, ((15, UI, "Success"),), 15, None, True, None),
    "platform_idle": Category(
        PLATFORM, True, 300, ((150, UI, "Success"),), 150, None, False, "inactive", 150
    ),
}
ADMIN = Category(FULL, True, 900, ((0, UI, "Success"),), 0, 1, True, None)
"""The admin logs in at AS_OF and owns a case from yesterday."""


def checksum_suffix(key: str) -> str:
    """The three checksum letters of a 15-character Id, written independently of the scanner."""
    letters = string.ascii_uppercase + "012345"
    suffix = ""
    for block in (key[0:5], key[5:10], key[10:15]):
        bits = "".join("1" if char.isupper() else "0" for char in reversed(block))
        suffix += letters[int(bits, 2)]
    return suffix


@dataclass
class Plan:
    """What was planted; the truths a scan must report."""

    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Username to ``(18-character Id, category)``."""
    records: dict[str, int] = field(default_factory=dict)
    person_accounts: int = 0
    duplicate_ids: list[str] = field(default_factory=list)
    file_bytes: int = 0
    missing_files: list[str] = field(default_factory=list)
    size_mismatches: list[str] = field(default_factory=list)
    checksum_mismatches: list[str] = field(default_factory=list)
    unassigned: dict[str, int] = field(default_factory=dict)
    psl: dict[str, dict[str, int]] = field(default_factory=dict)
    header_only: list[str] = field(default_factory=list)
    parts: list[Path] = field(default_factory=list)
    extract: Path | None = None


class _Ids:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def new(self, prefix: str) -> str:
        while True:
            key = prefix + "".join(self.rng.choices(ALNUM, k=12))
            if key not in self.seen:
                self.seen.add(key)
                return key + checksum_suffix(key)


def _stamp(days: float, zulu: bool = True) -> str:
    moment = AS_OF - dt.timedelta(days=days)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.000")
    return text + ("Z" if zulu else "+0000")


def _csv_bytes(
    header: list[str], rows: list[list[str]], encoding: str = "utf-8", quote_all: bool = True
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\r\n"
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


BOOLEAN_SPELLINGS = (("true", "false"), ("TRUE", "FALSE"), ("1", "0"))


def generate_org(folder: str | Path, seed: int = 0, scale: int = 2) -> Plan:
    """Write a synthetic org under ``folder``: ``export/WE_<OrgId>_{1,2}.ZIP`` and ``extract/``.

    Parameters
    ----------
    folder
        An empty or new folder.
    seed
        Seeds every random choice: the same seed writes the same bytes.
    scale
        Users per category and the size of the data objects.

    Returns
    -------
    Plan
        The planted truths.
    """
    rng = random.Random(seed)
    ids = _Ids(rng)
    root = Path(folder)
    (root / "export").mkdir(parents=True, exist_ok=True)
    (root / "extract").mkdir(parents=True, exist_ok=True)
    plan = Plan()
    licenses = {FULL: ids.new("100"), PLATFORM: ids.new("100")}
    profiles = {FULL: ids.new("00e"), PLATFORM: ids.new("00e")}
    users: list[tuple[str, str, Category]] = []
    admin_id = ids.new("005")
    users.append(("admin@acme.example", admin_id, ADMIN))
    for name, category in CATEGORIES.items():
        for n in range(scale):
            username = f"{name}{n}@acme.example"
            key = ids.new("005")
            users.append((username, key, category))
            plan.users[username] = (key, name)
    plan.users["admin@acme.example"] = (admin_id, "admin")

    part1: dict[str, bytes] = {}
    part2: dict[str, bytes] = {}
    # Weekly-export User.csv: no license columns; IsActive in every boolean spelling.
    user_rows = []
    for i, (username, key, category) in enumerate(users):
        yes, no = BOOLEAN_SPELLINGS[i % 3]
        user_rows.append(
            [
                key,
                username,
                "Standard",
                yes if category.active_flag else no,
                profiles[category.license],
                "" if category.last_login_days is None else _stamp(category.last_login_days),
                _stamp(category.created_days, zulu=i % 2 == 0),
            ]
        )
    part1["User.csv"] = _csv_bytes(
        ["Id", "Username", "UserType", "IsActive", "ProfileId", "LastLoginDate", "CreatedDate"],
        user_rows,
        quote_all=False,
    )

    # Accounts: half in each part, a few repeated in part 2, a multi-line description, a BOM.
    accounts = [ids.new("001") for _ in range(10 * scale)]
    persons = set(rng.sample(accounts, 2))
    plan.person_accounts = len(persons)
    account_rows = {
        key: [
            key,
            f"Account {n}",
            'Line one\r\nLine "two", quoted',
            "1" if key in persons else "0",
            admin_id,
            _stamp(30 + n),
        ]
        for n, key in enumerate(accounts)
    }
    header = ["Id", "Name", "Description", "IsPersonAccount", "OwnerId", "CreatedDate"]
    half = len(accounts) // 2
    repeated = accounts[:2]
    plan.duplicate_ids = sorted(repeated)
    part1["Account.csv"] = b"\xef\xbb\xbf" + _csv_bytes(
        header, [account_rows[k] for k in accounts[:half]]
    )
    # The first repeat is an identical copy, the second names its Id in 15 characters.
    copies = [account_rows[repeated[0]], [repeated[1][:15], *account_rows[repeated[1]][1:]]]
    part2["Account.csv"] = _csv_bytes(header, [account_rows[k] for k in accounts[half:]] + copies)
    plan.records["Account"] = len(accounts)

    # Contacts: cp1252 bytes, 15-character Ids, upper-case Data Loader headers.
    contacts = [ids.new("003") for _ in range(6 * scale)]
    part1["Contact.csv"] = _csv_bytes(
        ["ID", "LASTNAME", "ACCOUNTID", "CREATEDDATE"],
        [
            [key[:15], f"Müller-Café {n}", accounts[n % len(accounts)][:15], _stamp(n, zulu=False)]
            for n, key in enumerate(contacts)
        ],
        encoding="cp1252",
    )
    plan.records["Contact"] = len(contacts)

    # Leads, opportunities, cases: owned by the admin, plus the planted activity per category.
    owned: dict[str, list[tuple[str, int]]] = {"Lead": [], "Opportunity": [], "Case": []}
    for n in range(3 * scale):
        owned["Lead"].append((admin_id, 50 + n))
        owned["Opportunity"].append((admin_id, 60 + n))
    owned["Case"].append((admin_id, ADMIN.activity_days))
    objects = ("Opportunity", "Lead", "Case")
    for i, (_, key, category) in enumerate(users[1:]):
        if category.activity_days is not None:
            owned[objects[i % 3]].append((key, category.activity_days))
    prefixes = {"Lead": "00Q", "Opportunity": "006", "Case": "500"}
    for name, rows in owned.items():
        data = [
            [ids.new(prefixes[name]), owner, admin_id, _stamp(days, zulu=name != "Opportunity")]
            for owner, days in rows
        ]
        target = part2 if name == "Case" else part1
        target[f"{name}.csv"] = _csv_bytes(
            ["Id", "OwnerId", "CreatedById", "CreatedDate"], data, quote_all=name != "Lead"
        )
        plan.records[name] = len(data)

    # Tasks (owned by Platform candidates too: tasks need no full license), events header-only.
    tasks = [
        [ids.new("00T"), users[1 + n % (len(users) - 1)][1], _stamp(n)] for n in range(8 * scale)
    ]
    part2["Task.csv"] = _csv_bytes(["Id", "OwnerId", "CreatedDate"], tasks)
    plan.records["Task"] = len(tasks)
    part1["Event.csv"] = _csv_bytes(["Id", "OwnerId", "CreatedDate"], [])
    plan.records["Event"] = 0
    plan.header_only = ["Event"]
    invoices = [[ids.new("a00"), f"INV-{n}"] for n in range(4 * scale)]
    part1["Invoice__c.csv"] = _csv_bytes(["Id", "Name"], invoices)
    plan.records["Invoice__c"] = len(invoices)

    # Binaries, all in part 2: one attachment missing, one with a wrong BodyLength, one
    # ContentVersion with a wrong Checksum.
    attachments = []
    for n in range(3 * scale):
        key = ids.new("00P")
        body = rng.randbytes(rng.randint(100, 5000))
        declared = len(body)
        if n == 0:
            plan.missing_files.append(key)
        else:
            part2[f"Attachments/{key}"] = body
        if n == 1:
            declared += 7
            plan.size_mismatches.append(key)
        # File storage: an exported binary at its real bytes, a missing one at its declared size.
        plan.file_bytes += declared if key in plan.missing_files else len(body)
        attachments.append([key, f"scan {n}.pdf", str(declared), accounts[n]])
    part1["Attachment.csv"] = _csv_bytes(["Id", "Name", "BodyLength", "ParentId"], attachments)
    plan.records["Attachment"] = len(attachments)
    versions = []
    for n in range(3 * scale):
        key = ids.new("068")
        body = rng.randbytes(rng.randint(100, 5000))
        checksum = hashlib.md5(body if n else b"other bytes", usedforsecurity=False).hexdigest()
        if n == 0:
            plan.checksum_mismatches.append(key)
        part2[f"ContentVersion/{key}"] = body
        plan.file_bytes += len(body)
        versions.append([key, f"Deck {n}.pptx", str(len(body)), checksum])
    part1["ContentVersion.csv"] = _csv_bytes(
        ["Id", "PathOnClient", "ContentSize", "Checksum"], versions
    )
    plan.records["ContentVersion"] = len(versions)
    plan.records["User"] = len(users)

    for n, files in enumerate((part1, part2), start=1):
        path = root / "export" / f"WE_{ORG_ID}_{n}.ZIP"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        plan.parts.append(path)

    _write_extract(root / "extract", users, licenses, profiles, admin_id, ids, plan)
    plan.extract = root / "extract"
    return plan


def _write_extract(
    folder: Path,
    users: list[tuple[str, str, Category]],
    licenses: dict,
    profiles: dict,
    admin_id: str,
    ids: _Ids,
    plan: Plan,
) -> None:
    header = [
        "ID",
        "Username",
        "IsActive",
        "UserType",
        "ProfileId",
        "Profile.Name",
        "Profile.UserLicense.Name",
        "Profile.UserLicense.LicenseDefinitionKey",
        "LastLoginDate",
        "CreatedDate",
    ]
    rows = [
        [
            key,
            username,
            "true" if c.active_flag else "false",
            "Standard",
            profiles[c.license],
            f"{c.license[0]} User",
            c.license[0],
            c.license[1],
            "" if c.last_login_days is None else _stamp(c.last_login_days, zulu=False),
            _stamp(c.created_days),
        ]
        for username, key, c in users
    ]
    (folder / "User.csv").write_bytes(_csv_bytes(header, rows))
    (folder / "Profile.csv").write_bytes(
        _csv_bytes(
            ["Id", "Name", "UserLicenseId", "UserType"],
            [
                [profiles[lic], f"{lic[0]} User", licenses[lic], "Standard"]
                for lic in (FULL, PLATFORM)
            ],
        )
    )
    plan.unassigned = {FULL[0]: 7, PLATFORM[0]: 3}
    license_rows = []
    for lic in (FULL, PLATFORM):
        assigned = sum(1 for _, _, c in users if c.license == lic and c.active_flag)
        total = assigned + plan.unassigned[lic[0]]
        license_rows.append(
            [licenses[lic], lic[0], lic[0], lic[1], "Active", str(total), str(assigned)]
        )
    (folder / "UserLicense.csv").write_bytes(
        _csv_bytes(
            [
                "Id",
                "Name",
                "MasterLabel",
                "LicenseDefinitionKey",
                "Status",
                "TotalLicenses",
                "UsedLicenses",
            ],
            license_rows,
            quote_all=False,
        )
    )
    console, analytics = ids.new("0PL"), ids.new("0PL")
    (folder / "PermissionSetLicense.csv").write_bytes(
        _csv_bytes(
            [
                "Id",
                "DeveloperName",
                "MasterLabel",
                "Status",
                "TotalLicenses",
                "UsedLicenses",
                "ExpirationDate",
            ],
            [
                [console, "SalesConsoleUser", "Sales Console User", "Active", "10", "4", ""],
                [
                    analytics,
                    "CRMAnalyticsPlus",
                    "CRM Analytics Plus",
                    "Active",
                    "5",
                    "0",
                    "2027-01-31",
                ],
            ],
        )
    )
    by_category = {}
    for _, key, category in users:
        by_category.setdefault(category, []).append(key)
    holders = [
        by_category[CATEGORIES["seller"]][0],
        by_category[CATEGORIES["viewer"]][0],
        by_category[CATEGORIES["stale"]][0],
        by_category[CATEGORIES["deactivated"]][0],
    ]
    plan.psl = {
        "Sales Console User": {"purchased": 10, "assigned": 4, "assigned_to_inactive": 2},
        "CRM Analytics Plus": {"purchased": 5, "assigned": 0, "assigned_to_inactive": 0},
    }
    (folder / "PermissionSetLicenseAssign.csv").write_bytes(
        _csv_bytes(
            ["Id", "AssigneeId", "PermissionSetLicenseId", "CreatedDate"],
            [[ids.new("2LA"), holder, console, _stamp(100)] for holder in holders],
        )
    )
    logins = []
    for _, key, category in users:
        for days, kind, status in category.logins:
            logins.append([key, _stamp(days, zulu=False), kind, status, "Browser"])
    (folder / "LoginHistory.csv").write_bytes(
        _csv_bytes(["UserId", "LoginTime", "LoginType", "Status", "Application"], logins)
    )
