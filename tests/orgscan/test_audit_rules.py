"""An independent audit of the org scan against DESIGN section 8 and facts/salesforce-export.md.

The rules, read from DESIGN (section 8) and written down before the scanner's code was read:

1. ``org scan --format json`` holds exactly ``schema_version`` (1), ``org_id``, ``scanned_files``
   ``[{name, part, rows, encoding}]``, ``as_of``, ``licenses`` ``[{license, key, purchased,
   assigned, active, inactive, never_logged_in, unassigned}]``, ``users`` ``{total,
   active_humans, inactive: [{id, username, license, last_login, reason}],
   integration_on_full_license: [{id, username, license}], platform_candidates: [{id, username,
   license}]}``, ``permission_set_licenses`` ``[{name, purchased, assigned,
   assigned_to_inactive}]``, ``records`` ``{Object: count}``, ``storage`` ``{data_mb, file_mb}``
   and ``backup`` ``{complete, missing_objects, header_only, missing_files, size_mismatches,
   checksum_mismatches, duplicate_ids}``.
2. ``as_of`` is the newest LoginHistory ``LoginTime`` or User ``LastLoginDate``.
3. A human login has a ``LoginType`` other than the API ones (``Remote Access 2.0``, ``Other Apex
   API``, ``Partner Product``, ...).
4. An integration user has at least one login and all of them are API logins; it is never
   inactive, and it is listed in ``integration_on_full_license`` when its license is the full
   ``Salesforce`` one.
5. A user is *active* when ``IsActive`` and it has a human login at most ``inactive_days`` (90)
   before ``as_of``; ``licenses[].active`` and ``users.active_humans`` count these.
6. A user is *inactive* (listed) when ``IsActive``, not active, not an integration user and not
   created within ``grace_days`` (30) of ``as_of``; ``last_login`` is its last human login, and
   ``reason`` is ``never_logged_in`` when it never logged in. ``licenses[].inactive`` and
   ``never_logged_in`` count them per license; ``unassigned = purchased - assigned``.
7. A deactivated user is never active (nor inactive: inactivity needs ``IsActive``).
8. Platform candidates: active full-license humans who own or created no Lead, Opportunity or
   Case in the window.
9. Ids compare on their first 15 characters; headers match case-insensitively;
   ``true/false/TRUE/1/0`` all read.
10. Data storage: 2 KB a record; Person Account 4 KB, Campaign 8 KB, CampaignMember 1 KB, Article
    4 KB; file storage at the binaries' real bytes; 1 MB = 1,048,576 bytes (and 1 KB = 1,024).
11. Backup: the expected objects (Account, Contact, Lead, Opportunity, Case, Task, Event, User and
    the custom objects named) are present; every Attachment/ContentVersion row has its binary of
    ``BodyLength``/``ContentSize`` bytes and, for ContentVersion, the MD5 of ``Checksum``; ids seen
    twice are reported; one part scanned alone reports the other parts' binaries as missing.
12. An unsafe member name (absolute, ``..``), a compression ratio above the limit, a CSV field
    above the limit, a truncated archive: exit 2 with a message naming the archive (and member).
13. ``org scan --update-profile P -o NEW`` writes a profile whose migration records come from the
    scan.

Every expected figure below comes from :func:`reference_users` (rules 2-8, computed from the
people the test declares) or is counted by hand in a comment; the exports are written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.cli import main
from analyzer.orgscan import ScanOptions, scan_org
from analyzer.orgscan.tables import MAX_FIELD_CHARS
from analyzer.profile import load_profile
from tests.orgscan.conftest import assert_design_shape, zip_bytes

AS_OF = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
ORG_ID = "00D5g000000AbCdEAF"
FULL = ("Salesforce", "SFDC")
PLATFORM = ("Salesforce Platform", "AUL1")
API_LOGIN_TYPES = ("Remote Access 2.0", "Other Apex API", "Partner Product")
HUMAN_LOGIN_TYPES = ("Application", "SAML Idp Initiated SSO")
MB = 1_048_576
KB = 1_024


def stamp(days: float, style: str = "zulu") -> str:
    """AS_OF minus ``days`` days in one of the export's datetime spellings."""
    moment = AS_OF - dt.timedelta(days=days)
    if style == "zulu":  # Data Loader
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")  # Bulk API 2.0 / sf CLI


def moment_of(text: str) -> dt.datetime:
    """A datetime the scan wrote (``...Z`` or an ISO offset), as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@dataclass(frozen=True)
class Login:
    days_before: float
    login_type: str


@dataclass(frozen=True)
class Person:
    """A user as the test declares it; ``logins`` are successful LoginHistory rows."""

    number: int
    is_active: bool = True
    license: tuple[str, str] = FULL
    created_days: float = 400
    logins: tuple[Login, ...] = ()
    old_last_login_days: float | None = None
    """``LastLoginDate`` of a user whose logins are older than the LoginHistory extract."""

    @property
    def id15(self) -> str:
        return f"005{self.number:012d}"

    @property
    def id18(self) -> str:
        return self.id15 + "XYZ"  # the scan must compare on the first 15 characters only

    @property
    def username(self) -> str:
        return f"user{self.number}@example.com"

    @property
    def last_login_date(self) -> float | None:
        """Days before AS_OF of ``LastLoginDate``: the newest login of any kind."""
        if self.logins:
            return min(login.days_before for login in self.logins)
        return self.old_last_login_days


@dataclass(frozen=True)
class Verdict:
    """What rules 3-7 say about one user."""

    integration: bool
    active: bool
    inactive: bool
    never_logged_in: bool
    last_login: dt.datetime | None


def reference_as_of(people: list[Person]) -> dt.datetime:
    """Rule 2: the newest LoginTime or LastLoginDate."""
    days = [p.last_login_date for p in people if p.last_login_date is not None]
    return AS_OF - dt.timedelta(days=min(days))


def reference_users(
    people: list[Person], inactive_days: int = 90, grace_days: int = 30
) -> dict[str, Verdict]:
    """Rules 3-7 for every user, by 15-character id."""
    as_of = reference_as_of(people)
    verdicts = {}
    for person in people:
        human = [
            AS_OF - dt.timedelta(days=login.days_before)
            for login in person.logins
            if login.login_type not in API_LOGIN_TYPES
        ]
        integration = bool(person.logins) and not human
        if human:
            last_human = max(human)
        elif not person.logins and person.old_last_login_days is not None:
            last_human = AS_OF - dt.timedelta(days=person.old_last_login_days)
        else:
            last_human = None
        active = (
            person.is_active
            and last_human is not None
            and as_of - last_human <= dt.timedelta(days=inactive_days)
        )
        in_grace = as_of - (AS_OF - dt.timedelta(days=person.created_days)) <= dt.timedelta(
            days=grace_days
        )
        inactive = person.is_active and not integration and not active and not in_grace
        never = inactive and person.last_login_date is None
        verdicts[person.id15] = Verdict(integration, active, inactive, never, last_human)
    return verdicts


def reference_licenses(
    people: list[Person], verdicts: dict[str, Verdict], purchased: dict[str, int]
) -> list[dict]:
    """Rule 5 and 6 per license; ``assigned`` is the extract's UsedLicenses (active seats)."""
    rows = []
    for name, key in (FULL, PLATFORM):
        mine = [p for p in people if p.license == (name, key)]
        assigned = sum(p.is_active for p in mine)
        rows.append(
            {
                "license": name,
                "key": key,
                "purchased": purchased[name],
                "assigned": assigned,
                "active": sum(verdicts[p.id15].active for p in mine),
                "inactive": sum(verdicts[p.id15].inactive for p in mine),
                "never_logged_in": sum(verdicts[p.id15].never_logged_in for p in mine),
                "unassigned": purchased[name] - assigned,
            }
        )
    return rows


@dataclass
class Extract:
    """The license extract's CSVs, spelled as variously as real extracts are."""

    people: list[Person]
    purchased: dict[str, int]
    psl_holders: list[Person] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        header = [
            "ID",  # Data Loader's upper-case Id
            "Username",
            "ISACTIVE",
            "UserType",
            "Profile.Name",
            "Profile.UserLicense.Name",
            "profile.userlicense.licensedefinitionkey",
            "LastLoginDate",
            "CreatedDate",
        ]
        spellings = {True: ("true", "TRUE", "1"), False: ("false", "FALSE", "0")}
        users = [
            [
                p.id18,
                p.username,
                spellings[p.is_active][p.number % 3],
                "Standard",
                f"{p.license[0]} User",
                p.license[0],
                p.license[1],
                "" if p.last_login_date is None else stamp(p.last_login_date, "offset"),
                stamp(p.created_days, "offset" if p.number % 2 else "zulu"),
            ]
            for p in self.people
        ]
        logins = [
            [p.id15, stamp(login.days_before), login.login_type, "Success"]
            for p in self.people
            for login in p.logins
        ]
        licenses = []
        for number, (name, key) in enumerate((FULL, PLATFORM)):
            used = sum(p.is_active for p in self.people if p.license == (name, key))
            licenses.append(
                [f"100{number:012d}", name, name, key, str(self.purchased[name]), str(used)]
            )
        return {
            "User.csv": csv_bytes(header, users),
            "LoginHistory.csv": csv_bytes(["userid", "LOGINTIME", "LoginType", "Status"], logins),
            "UserLicense.csv": csv_bytes(
                [
                    "Id",
                    "Name",
                    "MasterLabel",
                    "LicenseDefinitionKey",
                    "TotalLicenses",
                    "UsedLicenses",
                ],
                licenses,
            ),
            "PermissionSetLicense.csv": csv_bytes(
                ["Id", "DeveloperName", "MasterLabel", "TotalLicenses", "UsedLicenses"],
                [["0PL000000000001", "SalesConsoleUser", "Sales Console User", "10", "3"]],
            ),
            "PermissionSetLicenseAssign.csv": csv_bytes(
                ["Id", "AssigneeId", "PermissionSetLicenseId"],
                [
                    [f"0PA{n:012d}", p.id18, "0PL000000000001AAA"]
                    for n, p in enumerate(self.psl_holders)
                ],
            ),
        }

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files().items():
            (folder / name).write_bytes(data)
        return folder


# The hand-picked org: one person per rule, as_of is alice's login (AS_OF itself).
ALICE = Person(1, logins=(Login(0, "Application"),))
BOB = Person(2, logins=(Login(10, "SAML Idp Initiated SSO"),))
CAROL = Person(3, logins=(Login(90, "Application"),))  # exactly on the window's first day
DAVE = Person(4, logins=(Login(91, "Application"), Login(2, "Remote Access 2.0")))
ERIN = Person(5, created_days=200)  # never logged in
FRANK = Person(6, created_days=10)  # never logged in, new: grace
INTEGRATION = Person(7, logins=(Login(1, "Remote Access 2.0"), Login(3, "Other Apex API")))
PARTNER_APP = Person(8, license=PLATFORM, logins=(Login(4, "Partner Product"),))
GONE = Person(9, is_active=False, logins=(Login(1, "Application"),))
IVAN = Person(10, license=PLATFORM, logins=(Login(5, "Application"),))
JUDY = Person(11, license=PLATFORM, logins=(Login(120, "Application"),))
KEN = Person(12, created_days=29)  # never logged in, inside the grace
LENA = Person(13, created_days=31)  # never logged in, just past the grace
OLD = Person(14, old_last_login_days=400)  # logged in long before the LoginHistory extract
PAT = Person(15, logins=(Login(1, "Application"),))  # owns only an old Case and a Task
PEOPLE = [
    ALICE,
    BOB,
    CAROL,
    DAVE,
    ERIN,
    FRANK,
    INTEGRATION,
    PARTNER_APP,
    GONE,
    IVAN,
    JUDY,
    KEN,
    LENA,
    OLD,
    PAT,
]
PURCHASED = {"Salesforce": 20, "Salesforce Platform": 5}
EXTRACT = Extract(PEOPLE, PURCHASED, psl_holders=[ALICE, DAVE, ERIN])


def owned(prefix: str, number: int, owner: Person, creator: Person, days: float) -> list[str]:
    """A Lead/Opportunity/Case row: Id, OwnerId, CreatedById, CreatedDate."""
    return [f"{prefix}{number:012d}", owner.id18, creator.id18, stamp(days)]


ACTIVITY_HEADER = ["Id", "OwnerId", "CreatedById", "CreatedDate"]
BINARY_OK = b"attachment body " * 64  # 1,024 bytes
CV_OK = b"file one " * 100  # 900 bytes
CV_SHORT = b"short file"  # 10 bytes, declared 12
CV_WRONG_SUM = b"checksummed" * 10  # 110 bytes, Checksum of other bytes
CONTACT_ROWS = [[f"003{n:012d}", f"Contact {n}"] for n in range(1, 5)]


def export_parts() -> dict[str, dict[str, bytes]]:
    """Two weekly-export parts; counts and problems are listed in the tests using them."""
    first = {
        "Account.csv": csv_bytes(
            ["Id", "Name", "IsPersonAccount"],
            [["001000000000001", "Acme", "false"], ["001000000000002", "Zoe", "1"]],
        ),
        "Contact.csv": csv_bytes(["Id", "LastName"], CONTACT_ROWS[:3]),
        "Lead.csv": csv_bytes(ACTIVITY_HEADER, [owned("00Q", 1, ALICE, BOB, 10)]),
        "Opportunity.csv": csv_bytes(ACTIVITY_HEADER, [owned("006", 1, ALICE, CAROL, 5)]),
        "Case.csv": csv_bytes(ACTIVITY_HEADER, [owned("500", 1, PAT, PAT, 200)]),
        "Task.csv": csv_bytes(ACTIVITY_HEADER, []),  # header only
        "User.csv": csv_bytes(
            ["Id", "Username", "IsActive"],
            [[p.id18, p.username, "true" if p.is_active else "false"] for p in PEOPLE],
        ),
        "Project__c.csv": csv_bytes(["Id", "Name"], [["a01000000000001", "P1"]]),
        "Attachment.csv": csv_bytes(
            ["Id", "Name", "BodyLength"],
            [["00P000000000001", "a.txt", "1024"], ["00P000000000002", "b.txt", "2048"]],
        ),
        "ContentVersion.csv": csv_bytes(
            ["Id", "PathOnClient", "ContentSize", "Checksum"],
            [
                ["068000000000001", "one.txt", str(len(CV_OK)), hashlib.md5(CV_OK).hexdigest()],
                ["068000000000002", "two.txt", "12", hashlib.md5(CV_SHORT).hexdigest()],
                [
                    "068000000000003",
                    "three.txt",
                    str(len(CV_WRONG_SUM)),
                    hashlib.md5(b"other bytes").hexdigest(),
                ],
            ],
        ),
        "Attachments/00P000000000001": BINARY_OK,
        "ContentVersion/068000000000001": CV_OK,
    }
    second = {
        # Contact 3 again, identical, and contact 4: four contacts, one duplicate id.
        "Contact.csv": csv_bytes(["Id", "LastName"], CONTACT_ROWS[2:]),
        "ContentVersion/068000000000002": CV_SHORT,
        "ContentVersion/068000000000003": CV_WRONG_SUM,
    }
    return {f"WE_{ORG_ID}_1.ZIP": first, f"WE_{ORG_ID}_2.ZIP": second}


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-picked org: both export parts and the license extract in one folder."""
    root = tmp_path_factory.mktemp("audit_org")
    for name, members in export_parts().items():
        (root / name).write_bytes(zip_bytes(members))
    EXTRACT.write(root / "extract")
    return root


@pytest.fixture(scope="module")
def document(org: Path) -> dict:
    return scan_org([org])


def by_id15(entries: list[dict]) -> dict[str, dict]:
    return {entry["id"][:15]: entry for entry in entries}


def test_cli_json_has_exactly_the_design_fields_and_shapes(org, capsys):
    assert main(["org", "scan", str(org), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert_design_shape(out)
    assert out["org_id"][:15] == ORG_ID[:15]
    for key in ("integration_on_full_license", "platform_candidates"):
        assert out["users"][key], key  # entries to check the shape of


def test_scanned_files_name_each_csv_with_its_part_and_data_rows(document):
    files = {(entry["part"], entry["name"]): entry for entry in document["scanned_files"]}
    first, second = (f"WE_{ORG_ID}_{n}.ZIP" for n in (1, 2))
    # Part 1 holds 3 contacts, part 2 holds 2 (one of them a copy); export and extract list
    # 15 users each.
    assert files[(first, "Contact.csv")]["rows"] == 3
    assert files[(second, "Contact.csv")]["rows"] == 2
    assert files[(first, "Task.csv")]["rows"] == 0
    extract_users = [e for (part, name), e in files.items() if name.endswith("User.csv")]
    assert sorted(e["rows"] for e in extract_users) == [len(PEOPLE), len(PEOPLE)]
    assert {entry["encoding"] for entry in document["scanned_files"]} == {"utf-8"}


def test_as_of_is_the_newest_login(document):
    assert moment_of(document["as_of"]) == reference_as_of(PEOPLE) == AS_OF


def test_as_of_can_come_from_last_login_date_alone(tmp_path):
    # The User extract was taken after LoginHistory: its LastLoginDate (2 days after the newest
    # LoginTime) is the newest moment seen.
    extract = Extract([ALICE, BOB], PURCHASED).files()
    users = extract["User.csv"].decode().replace(stamp(0, "offset"), stamp(-2, "offset"))
    extract["User.csv"] = users.encode()
    for name, data in extract.items():
        (tmp_path / name).write_bytes(data)
    assert moment_of(scan_org([tmp_path])["as_of"]) == AS_OF + dt.timedelta(days=2)


def test_license_table_follows_the_rules(document):
    verdicts = reference_users(PEOPLE)
    expected = reference_licenses(PEOPLE, verdicts, PURCHASED)
    # By hand, Salesforce: 12 users, 11 with IsActive (GONE is not) -> unassigned 20 - 11 = 9;
    # active: alice, bob, carol (day 90), pat = 4; inactive: dave (human login day 91), erin,
    # lena, old = 4, of which erin and lena never logged in (old did, before the extract).
    # Platform: ivan active, judy inactive (day 120), the partner app is an integration user.
    assert expected == [
        {
            "license": "Salesforce",
            "key": "SFDC",
            "purchased": 20,
            "assigned": 11,
            "active": 4,
            "inactive": 4,
            "never_logged_in": 2,
            "unassigned": 9,
        },
        {
            "license": "Salesforce Platform",
            "key": "AUL1",
            "purchased": 5,
            "assigned": 3,
            "active": 1,
            "inactive": 1,
            "never_logged_in": 0,
            "unassigned": 2,
        },
    ]
    assert sorted(document["licenses"], key=lambda row: row["license"]) == expected


def test_users_section_follows_the_rules(document):
    verdicts = reference_users(PEOPLE)
    users = document["users"]
    assert users["total"] == len(PEOPLE) == 15  # every user, the deactivated one included
    assert users["active_humans"] == sum(v.active for v in verdicts.values()) == 5
    inactive = by_id15(users["inactive"])
    assert set(inactive) == {p.id15 for p in PEOPLE if verdicts[p.id15].inactive}
    assert set(inactive) == {p.id15 for p in (DAVE, ERIN, LENA, OLD, JUDY)}
    for person in (DAVE, ERIN, LENA, OLD, JUDY):
        entry = inactive[person.id15]
        verdict = verdicts[person.id15]
        assert entry["username"] == person.username
        assert entry["license"] == person.license[0]
        assert (entry["reason"] == "never_logged_in") == verdict.never_logged_in
        if verdict.last_login is None:
            assert entry["last_login"] is None
        else:
            assert moment_of(entry["last_login"]) == verdict.last_login
    # Dave's last login is his last *human* one (91 days), not the API login 2 days ago.
    assert moment_of(inactive[DAVE.id15]["last_login"]) == AS_OF - dt.timedelta(days=91)
    integration = by_id15(users["integration_on_full_license"])
    assert set(integration) == {INTEGRATION.id15}  # PARTNER_APP is on a Platform license
    assert integration[INTEGRATION.id15] == {
        "id": integration[INTEGRATION.id15]["id"],
        "username": INTEGRATION.username,
        "license": "Salesforce",
    }


def test_ids_compare_on_15_case_sensitive_characters(tmp_path):
    # Two users whose 15-character ids differ only in letter case are two users; the login
    # (a 15-character UserId) belongs to the lower-case one, written with 18 characters.
    lower, upper = "005000000000abc", "005000000000ABC"
    users = [
        [lower + "AAA", "lower@x", "true", stamp(400)],
        [upper + "AAH", "upper@x", "1", stamp(400)],
    ]
    (tmp_path / "User.csv").write_bytes(
        csv_bytes(["Id", "Username", "IsActive", "CreatedDate"], users)
    )
    (tmp_path / "LoginHistory.csv").write_bytes(
        csv_bytes(["UserId", "LoginTime", "LoginType"], [[lower, stamp(0), "Application"]])
    )
    users_section = scan_org([tmp_path])["users"]
    assert users_section["total"] == 2 and users_section["active_humans"] == 1
    assert [(u["username"], u["reason"]) for u in users_section["inactive"]] == [
        ("upper@x", "never_logged_in")
    ]


def test_platform_candidates_own_or_created_no_lead_opportunity_or_case_in_the_window(document):
    # Full-license active humans: alice (owns a lead), bob (created that lead), carol (created
    # an opportunity), pat (owns only a case created 200 days ago: outside the window).
    candidates = by_id15(document["users"]["platform_candidates"])
    assert set(candidates) == {PAT.id15}
    assert candidates[PAT.id15]["username"] == PAT.username
    assert candidates[PAT.id15]["license"] == "Salesforce"


def test_permission_set_licenses_count_assignments_to_inactive_users(document):
    # Held by alice (active), dave and erin (both inactive).
    assert document["permission_set_licenses"] == [
        {"name": "Sales Console User", "purchased": 10, "assigned": 3, "assigned_to_inactive": 2}
    ]


def test_a_deactivated_users_permission_set_license_is_unused(tmp_path):
    # facts: "deactivated users can keep managed-package licenses": GONE's assignment is
    # unused; alice's is used. (DESIGN does not define assigned_to_inactive further.)
    Extract([ALICE, GONE], PURCHASED, psl_holders=[ALICE, GONE]).write(tmp_path)
    (psl,) = scan_org([tmp_path])["permission_set_licenses"]
    assert (psl["assigned"], psl["assigned_to_inactive"]) == (2, 1)


def test_records_count_unique_ids_per_object(document):
    records = document["records"]
    # Contacts: 3 in part 1, 3 and 4 in part 2 -> 4 unique; the rest as written.
    assert {name: records.get(name) for name in ("Account", "Contact", "Lead", "Project__c")} == {
        "Account": 2,
        "Contact": 4,
        "Lead": 1,
        "Project__c": 1,
    }
    assert records["User"] == len(PEOPLE)
    assert records.get("Task", 0) == 0


def test_backup_of_both_parts_lists_each_problem(document):
    backup = document["backup"]
    assert backup["complete"] is False
    assert backup["missing_objects"] == ["Event"]
    assert backup["header_only"] == ["Task"]
    assert [i[:15] for i in backup["missing_files"]] == ["00P000000000002"]
    assert [i[:15] for i in flat_ids(backup["size_mismatches"])] == ["068000000000002"]
    assert [i[:15] for i in flat_ids(backup["checksum_mismatches"])] == ["068000000000003"]
    assert [i[:15] for i in flat_ids(backup["duplicate_ids"])] == ["003000000000003"]


def test_a_record_in_two_parts_as_15_and_18_characters_is_one_record_seen_twice(tmp_path):
    (tmp_path / f"WE_{ORG_ID}_1.ZIP").write_bytes(
        zip_bytes({"Contact.csv": csv_bytes(["Id"], [["003000000000003"]])})
    )
    (tmp_path / f"WE_{ORG_ID}_2.ZIP").write_bytes(
        zip_bytes(
            {"Contact.csv": csv_bytes(["ID"], [["003000000000003AAA"], ["003000000000004AAA"]])}
        )
    )
    document = scan_org([tmp_path])
    assert document["records"] == {"Contact": 2}  # contacts 3 and 4
    assert [i[:15] for i in flat_ids(document["backup"]["duplicate_ids"])] == ["003000000000003"]


def test_custom_objects_named_by_the_extract_are_expected(tmp_path):
    # The extract's object list (EntityDefinition) names Invoice__c and Project__c; the
    # export holds Project__c only, so Invoice__c is missing.
    (tmp_path / "EntityDefinition.csv").write_bytes(
        csv_bytes(["QualifiedApiName"], [["Account"], ["Invoice__c"], ["Project__c"]])
    )
    (tmp_path / "Project__c.csv").write_bytes(csv_bytes(["Id"], [["a01000000000001"]]))
    missing = scan_org([tmp_path])["backup"]["missing_objects"]
    assert "Invoice__c" in missing and "Project__c" not in missing and "Account" in missing


def flat_ids(entries: list) -> list[str]:
    """Ids out of a list of ids or of ``{id, ...}`` entries (DESIGN does not fix the items)."""
    return [entry if isinstance(entry, str) else entry["id"] for entry in entries]


def test_one_part_alone_reports_the_other_parts_binaries_missing(org):
    backup = scan_org([org / f"WE_{ORG_ID}_1.ZIP"])["backup"]
    # Attachment 2 was never exported; content versions 2 and 3 are in part 2.
    assert sorted(i[:15] for i in backup["missing_files"]) == [
        "00P000000000002",
        "068000000000002",
        "068000000000003",
    ]
    assert backup["size_mismatches"] == backup["checksum_mismatches"] == []
    assert backup["complete"] is False


def test_a_complete_backup(tmp_path):
    members = {
        f"{name}.csv": csv_bytes(["Id"], [[f"{prefix}000000000001"]])
        for name, prefix in (
            ("Account", "001"),
            ("Contact", "003"),
            ("Lead", "00Q"),
            ("Opportunity", "006"),
            ("Case", "500"),
            ("Task", "00T"),
            ("Event", "00U"),
            ("User", "005"),
        )
    }
    members["Invoice__c.csv"] = csv_bytes(["Id"], [])  # a custom object with no rows: present
    members["ContentVersion.csv"] = csv_bytes(
        ["ID", "CONTENTSIZE", "CHECKSUM"],
        [["068000000000001AAA", str(len(CV_OK)), hashlib.md5(CV_OK).hexdigest().upper()]],
    )
    members["ContentVersion/068000000000001"] = CV_OK
    (tmp_path / f"WE_{ORG_ID}_1.ZIP").write_bytes(zip_bytes(members))
    backup = scan_org([tmp_path])["backup"]
    assert backup == {
        "complete": True,
        "missing_objects": [],
        "header_only": ["Invoice__c"],
        "missing_files": [],
        "size_mismatches": [],
        "checksum_mismatches": [],
        "duplicate_ids": [],
    }


def test_storage_at_per_object_record_sizes_and_real_file_bytes(tmp_path):
    accounts = [[f"001{n:012d}", "1" if n < 50 else "false"] for n in range(300)]
    files = {
        "Account.csv": csv_bytes(["Id", "IsPersonAccount"], accounts),
        "Contact.csv": csv_bytes(["Id"], [[f"003{n:012d}"] for n in range(212)]),
        "Campaign.csv": csv_bytes(["Id"], [[f"701{n:012d}"] for n in range(3)]),
        "CampaignMember.csv": csv_bytes(["Id"], [[f"00v{n:012d}"] for n in range(8)]),
        "Project__c.csv": csv_bytes(["Id"], [[f"a01{n:012d}"] for n in range(256)]),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    storage = scan_org([tmp_path])["storage"]
    # 250 business accounts x 2 + 50 person accounts x 4 + 212 contacts x 2 + 3 campaigns x 8
    # + 8 members x 1 + 256 projects x 2 = 500 + 200 + 424 + 24 + 8 + 512 = 1,668 KB.
    assert storage["data_mb"] == pytest.approx(1_668 * KB / MB, abs=0.005)
    assert storage["file_mb"] == 0


def test_file_storage_counts_the_binaries_real_bytes(tmp_path):
    big, half = b"a" * MB, b"b" * (MB // 2)
    members = {
        "ContentVersion.csv": csv_bytes(
            ["Id", "ContentSize", "Checksum"],
            [
                ["068000000000001", str(MB), hashlib.md5(big).hexdigest()],
                # Declared 1 byte, really half a MiB: a size mismatch, stored at its real size.
                ["068000000000002", "1", hashlib.md5(half).hexdigest()],
            ],
        ),
        "ContentVersion/068000000000001": big,
        "ContentVersion/068000000000002": half,
    }
    (tmp_path / f"WE_{ORG_ID}_1.ZIP").write_bytes(zip_bytes(members))
    document = scan_org([tmp_path])
    assert [i[:15] for i in flat_ids(document["backup"]["size_mismatches"])] == ["068000000000002"]
    # 1 MiB + 0.5 MiB of real bytes (DESIGN: "files at their real bytes").
    assert document["storage"]["file_mb"] == pytest.approx(1.5, abs=0.005)


def scan_dict(members: dict[str, bytes], folder: Path) -> int:
    part = folder / "WE_00D000000000001AAA_1.ZIP"
    part.write_bytes(zip_bytes(members))
    return part


@pytest.mark.parametrize(
    ("member", "data", "why"),
    [
        ("/abs/Account.csv", b"Id\r\n001000000000001\r\n", "absolute name"),
        ("x/../../Account.csv", b"Id\r\n001000000000001\r\n", "parent directory"),
        ("Task.csv", b"0" * (16 * 1024 * 1024), "compression ratio"),
        ("Note.csv", b'Id,Body\r\n1,"' + b"y" * (MAX_FIELD_CHARS + 1) + b'"\r\n', "field"),
    ],
)
def test_unsafe_archives_exit_2_naming_archive_and_member(tmp_path, capsys, member, data, why):
    part = scan_dict({"Account.csv": b"Id\r\n001000000000001\r\n", member: data}, tmp_path)
    assert main(["org", "scan", str(part)]) == 2, why
    err = capsys.readouterr().err
    assert part.name in err and member in err, err
    assert "Traceback" not in err


def test_a_member_larger_than_its_header_says_exits_2_naming_archive_and_member(tmp_path, capsys):
    # The headers claim 100 bytes for a 17,004-byte member: read no further, refuse it.
    data = bytearray(zip_bytes({"Account.csv": b"Id\r\n" + b"001000000000001\r\n" * 1000}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature) + offset
        assert int.from_bytes(data[at : at + 4], "little") == 4 + 17 * 1000
        data[at : at + 4] = (100).to_bytes(4, "little")
    part = tmp_path / f"WE_{ORG_ID}_1.ZIP"
    part.write_bytes(bytes(data))
    assert main(["org", "scan", str(part)]) == 2
    assert f"{part.name}!Account.csv" in capsys.readouterr().err


def test_a_truncated_archive_exits_2_naming_it(tmp_path, capsys):
    whole = zip_bytes({"Account.csv": b"Id\r\n" + b"001000000000001\r\n" * 500})
    part = tmp_path / f"WE_{ORG_ID}_1.ZIP"
    part.write_bytes(whole[:-30])  # the end of the central directory is cut off
    assert main(["org", "scan", str(part)]) == 2
    assert part.name in capsys.readouterr().err


def test_update_profile_takes_migration_records_from_the_scan(org, tmp_path):
    example = Path(__file__).resolve().parents[2] / "examples" / "acme-enterprise.yaml"
    new = tmp_path / "new.yaml"
    assert main(["org", "scan", str(org), "--update-profile", str(example), "-o", str(new)]) == 0
    written = yaml.safe_load(new.read_text())
    original = yaml.safe_load(example.read_text())
    records = scan_org([org])["records"]
    # 2 accounts + 2 attachments + 1 case + 4 contacts + 3 content versions + 1 lead
    # + 1 opportunity + 1 project + 15 users = 30 records.
    assert written["migration"]["records"] == sum(records.values()) == 30
    assert written["migration"]["records"] != original["migration"]["records"]
    # Seats (one reading; DESIGN only says they "come from the scan"): the Salesforce seats in
    # use, assigned 11 - inactive 4 = 7, spread 90:25 over the example's two CRM license types
    # (5.48 / 1.52 -> 5 and 2), and the Platform seats in use, 3 - 1 = 2.
    assert written["current"]["seats"] == {"sales_cloud": 5, "service_cloud": 2, "platform_plus": 2}
    load_profile(new)  # a valid profile


def test_update_profile_needs_an_output(org, capsys):
    example = Path(__file__).resolve().parents[2] / "examples" / "acme-enterprise.yaml"
    assert main(["org", "scan", str(org), "--update-profile", str(example)]) == 2
    assert "-o" in capsys.readouterr().err


LOGIN_TYPES = st.sampled_from(API_LOGIN_TYPES + HUMAN_LOGIN_TYPES)
BOUNDARY_DAYS = st.sampled_from([0, 1, 29, 30, 31, 59, 60, 61, 89, 90, 91, 150, 179])
PEOPLE_FAMILY = st.lists(
    st.tuples(
        st.booleans(),
        st.sampled_from([FULL, PLATFORM]),
        BOUNDARY_DAYS,
        st.lists(st.tuples(BOUNDARY_DAYS, LOGIN_TYPES), max_size=3),
        st.sampled_from([None, 200, 500]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None)
@given(
    family=PEOPLE_FAMILY,
    inactive_days=st.sampled_from([30, 60, 90]),
    grace_days=st.sampled_from([0, 30]),
)
def test_user_rules_match_the_reference_over_a_family_of_orgs(family, inactive_days, grace_days):
    people = [
        Person(
            number + 1,
            is_active=is_active,
            license=license,
            created_days=max([created, old or 0, *(days for days, _ in logins)]),
            logins=tuple(Login(days, kind) for days, kind in logins),
            old_last_login_days=None if logins else old,
        )
        for number, (is_active, license, created, logins, old) in enumerate(family)
    ]
    if all(p.last_login_date is None for p in people):
        people.append(Person(len(people) + 1, logins=(Login(0, "Application"),)))
    purchased = {"Salesforce": 40, "Salesforce Platform": 40}
    verdicts = reference_users(people, inactive_days, grace_days)
    with tempfile.TemporaryDirectory() as folder:
        Extract(people, purchased).write(Path(folder))
        document = scan_org([folder], ScanOptions(inactive_days, grace_days))
    as_of = reference_as_of(people)
    assert moment_of(document["as_of"]) == as_of
    assert sorted(document["licenses"], key=lambda row: row["license"]) == reference_licenses(
        people, verdicts, purchased
    )
    users = document["users"]
    assert users["active_humans"] == sum(v.active for v in verdicts.values())
    inactive = by_id15(users["inactive"])
    assert set(inactive) == {key for key, v in verdicts.items() if v.inactive}
    for key, entry in inactive.items():
        assert (entry["reason"] == "never_logged_in") == verdicts[key].never_logged_in
        last = verdicts[key].last_login
        assert (None if entry["last_login"] is None else moment_of(entry["last_login"])) == last
    assert set(by_id15(users["integration_on_full_license"])) == {
        p.id15 for p in people if verdicts[p.id15].integration and p.is_active and p.license == FULL
    }
    # No Lead, Opportunity or Case at all: every active full-license human is a candidate.
    assert set(by_id15(users["platform_candidates"])) == {
        p.id15 for p in people if verdicts[p.id15].active and p.license == FULL
    }


RECORD_KB_REFERENCE = {"Campaign": 8, "CampaignMember": 1, "Lead": 2, "Invoice__c": 2}


@settings(max_examples=15, deadline=None)
@given(
    counts=st.fixed_dictionaries({name: st.integers(0, 40) for name in RECORD_KB_REFERENCE}),
    persons=st.integers(0, 30),
    businesses=st.integers(0, 30),
)
def test_data_storage_matches_the_per_record_sizes(counts, persons, businesses):
    with tempfile.TemporaryDirectory() as folder:
        for name, count in counts.items():
            rows = [[f"a{name[:2]}{n:012d}"] for n in range(count)]
            (Path(folder) / f"{name}.csv").write_bytes(csv_bytes(["Id"], rows))
        accounts = [
            [f"001{n:012d}", "TRUE" if n < persons else "0"] for n in range(persons + businesses)
        ]
        (Path(folder) / "Account.csv").write_bytes(csv_bytes(["ID", "ISPERSONACCOUNT"], accounts))
        storage = scan_org([folder])["storage"]
    kb = sum(RECORD_KB_REFERENCE[name] * count for name, count in counts.items())
    kb += 4 * persons + 2 * businesses
    assert storage["data_mb"] == pytest.approx(kb * KB / MB, abs=1e-6)
    assert storage["file_mb"] == 0


FILE_STATES = st.sampled_from(["ok", "missing", "short", "bad_sum"])


@settings(max_examples=15, deadline=None)
@given(
    attachments=st.lists(st.sampled_from(["ok", "missing", "short"]), max_size=5),
    versions=st.lists(FILE_STATES, max_size=5),
)
def test_backup_file_checks_match_the_reference(attachments, versions):
    """Each row's binary is exported intact, left out, shorter than declared, or (for a
    ContentVersion) of other bytes than its Checksum; file storage counts what is there."""
    members: dict[str, bytes] = {}
    expected: dict[str, list[str]] = {"missing": [], "short": [], "bad_sum": []}
    real_bytes = 0
    tables = {}
    for name, prefix, folder, states in (
        ("Attachment", "00P", "Attachments", attachments),
        ("ContentVersion", "068", "ContentVersion", versions),
    ):
        rows = []
        for number, state in enumerate(states):
            key = f"{prefix}{number:012d}"
            body = bytes([65 + number]) * (100 * (number + 1))
            declared = len(body) + (5 if state == "short" else 0)
            checksum = hashlib.md5(b"else" if state == "bad_sum" else body).hexdigest()
            rows.append([key, str(declared), checksum])
            if state != "ok":
                expected[state].append(key)
            if state == "missing":
                real_bytes += declared  # no binary: only its declared size is known
            else:
                members[f"{folder}/{key}"] = body
                real_bytes += len(body)
        size_column = "BodyLength" if name == "Attachment" else "ContentSize"
        header = ["Id", size_column] + (["Checksum"] if name == "ContentVersion" else [])
        tables[f"{name}.csv"] = csv_bytes(header, [row[: len(header)] for row in rows])
    with tempfile.TemporaryDirectory() as folder:
        part = Path(folder) / f"WE_{ORG_ID}_1.ZIP"
        part.write_bytes(zip_bytes({**tables, **members}))
        document = scan_org([part])
    backup = document["backup"]
    assert sorted(i[:15] for i in backup["missing_files"]) == sorted(expected["missing"])
    assert sorted(i[:15] for i in flat_ids(backup["size_mismatches"])) == sorted(expected["short"])
    assert sorted(i[:15] for i in flat_ids(backup["checksum_mismatches"])) == sorted(
        expected["bad_sum"]
    )
    assert document["storage"]["file_mb"] == pytest.approx(real_bytes / MB, abs=1e-6)


def test_a_license_found_through_profile_and_user_license(tmp_path):
    # The User file has only ProfileId: Profile -> UserLicense gives the license (facts:
    # "a full seat is found through Profile -> UserLicense").
    (tmp_path / "User.csv").write_bytes(
        csv_bytes(
            ["Id", "Username", "IsActive", "ProfileId", "LastLoginDate", "CreatedDate"],
            [
                [
                    "005000000000001AAA",
                    "full@x",
                    "true",
                    "00e000000000001AAA",
                    stamp(0),
                    stamp(400),
                ],
                ["005000000000002AAA", "light@x", "true", "00e000000000002", "", stamp(400)],
            ],
        )
    )
    (tmp_path / "Profile.csv").write_bytes(
        csv_bytes(
            ["Id", "Name", "UserLicenseId", "UserType"],
            [
                ["00e000000000001", "Sales User", "100000000000001AAA", "Standard"],
                ["00e000000000002AAA", "Viewer", "100000000000002", "Standard"],
            ],
        )
    )
    (tmp_path / "UserLicense.csv").write_bytes(
        csv_bytes(
            ["Id", "Name", "LicenseDefinitionKey", "TotalLicenses", "UsedLicenses"],
            [
                ["100000000000001", "Salesforce", "SFDC", "3", "1"],
                ["100000000000002", *PLATFORM, "2", "1"],
            ],
        )
    )
    (tmp_path / "LoginHistory.csv").write_bytes(
        csv_bytes(
            ["UserId", "LoginTime", "LoginType"], [["005000000000001", stamp(0), "Application"]]
        )
    )
    licenses = {row["license"]: row for row in scan_org([tmp_path])["licenses"]}
    # full@x logged in today; light@x never did (created 400 days ago).
    assert {
        name: (r["active"], r["inactive"], r["never_logged_in"], r["unassigned"])
        for name, r in licenses.items()
    } == {
        "Salesforce": (1, 0, 0, 2),
        "Salesforce Platform": (0, 1, 1, 1),
    }


def test_cli_thresholds_are_the_scan_options(org, capsys):
    assert main(["org", "scan", str(org), "--inactive-days", "60", "--grace-days", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    verdicts = reference_users(PEOPLE, inactive_days=60, grace_days=0)
    # FRANK and KEN (new, never logged in) lose their grace; CAROL (day 90) is now inactive.
    assert set(by_id15(out["users"]["inactive"])) == {k for k, v in verdicts.items() if v.inactive}
    assert {FRANK.id15, KEN.id15, CAROL.id15} <= set(by_id15(out["users"]["inactive"]))
