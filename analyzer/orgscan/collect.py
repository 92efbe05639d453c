"""What the scan keeps of each CSV: Ids, a few columns, counts; never the whole table.

Every file is read into a fresh *sink* (see :func:`sink_for`), which is merged into the
:class:`Collection` once the file was read to its end, so a file read again in another
encoding is never counted twice. Ids are kept as 15 ASCII bytes in one ``bytearray`` per
object (about 15 bytes a record), so the de-duplication of millions of rows stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.orgscan.values import OrgScanError, id15, parse_bool, parse_datetime

LICENSE_OBJECTS = (
    "Profile",
    "UserLicense",
    "PermissionSetLicense",
    "PermissionSetLicenseAssign",
    "LoginHistory",
    "EntityDefinition",
)
"""Objects only the license extract holds (not records of the org to migrate); an
``EntityDefinition`` list (``SELECT QualifiedApiName FROM EntityDefinition``) names the custom
objects a complete backup must hold."""
FILE_OBJECTS = ("Attachment", "Document", "ContentVersion")
"""Objects whose rows describe binaries; their bytes are file storage."""
SIZE_COLUMNS = {
    "Attachment": "bodylength",
    "Document": "bodylength",
    "ContentVersion": "contentsize",
}
ACTIVITY_OBJECTS = ("Lead", "Opportunity", "Case")
"""Objects a Platform license cannot use: owning or creating one needs a full license."""
KNOWN_NAMES = {
    name.lower(): name
    for name in (*LICENSE_OBJECTS, *FILE_OBJECTS, *ACTIVITY_OBJECTS, "User", "Account")
}
ID_WIDTH = 15
FAST_COLUMNS = {
    "Account": ("id", "ispersonaccount"),
    **dict.fromkeys(ACTIVITY_OBJECTS, ("id", "ownerid", "createdbyid", "createddate")),
    "Attachment": ("id", "bodylength", "checksum"),
    "Document": ("id", "bodylength", "checksum"),
    "ContentVersion": ("id", "contentsize", "checksum"),
}
"""The columns the columnar reader materialises per object (``id`` alone for the others).
EmailMessage and User need whole rows: they are read row by row."""
UNDATED = dt.datetime.max.replace(tzinfo=dt.UTC)
"""The activity date of a record without a date: counted as inside any window."""


def object_name(stem: str, header: list[str]) -> str:
    """The object a CSV holds: its file name, or the license query its columns match.

    License extracts are often saved under other names (``users.csv``, ``query 3.csv``), so
    the columns of the queries of ``facts/salesforce-export.md`` identify them.

    >>> object_name("query_5", ["userid", "logintime", "logintype", "status"])
    'LoginHistory'
    >>> object_name("account", ["id", "name"]), object_name("Invoice__c", ["id"])
    ('Account', 'Invoice__c')
    """
    if stem.lower() in KNOWN_NAMES:
        return KNOWN_NAMES[stem.lower()]
    keys = set(header)
    signatures = (
        ({"logintime", "logintype"}, "LoginHistory"),
        ({"assigneeid", "permissionsetlicenseid"}, "PermissionSetLicenseAssign"),
        ({"totallicenses", "developername"}, "PermissionSetLicense"),
        ({"totallicenses", "usedlicenses"}, "UserLicense"),
        ({"username", "isactive"}, "User"),
        ({"qualifiedapiname"}, "EntityDefinition"),
    )
    for columns, name in signatures:
        if columns <= keys:
            return name
    if "userlicenseid" in keys and "username" not in keys:
        return "Profile"
    return stem


@dataclass
class Logins:
    """One user's LoginHistory: successful logins, human ones, the last human one."""

    successful: int = 0
    human: int = 0
    last_human: dt.datetime | None = None


API_LOGIN_WORDS = ("api", "remote access", "oauth", "partner product", "sync")
"""LoginType values that are programs, not people (``Remote Access 2.0``, ``Other Apex API``,
``Partner Product``, ``Remote Access Client``, ``Sync`` ...)."""


def keep_latest(activity: dict[str, dt.datetime], more: dict[str, dt.datetime]) -> None:
    """Merge ``more`` into ``activity``, keeping each user's latest moment."""
    for user, moment in more.items():
        if moment > activity.get(user, moment.min.replace(tzinfo=dt.UTC)):
            activity[user] = moment


def is_api_login(login_type: str) -> bool:
    """Whether a LoginHistory ``LoginType`` is an API or integration login.

    >>> [is_api_login(t) for t in ("Application", "Remote Access 2.0", "Other Apex API", "")]
    [False, True, True, False]
    """
    kind = login_type.strip().lower()
    return any(word in kind for word in API_LOGIN_WORDS)


class Sink:
    """The base sink: the position of named columns and located value errors.

    ``fast_columns`` names the columns a columnar reader may give to :meth:`add_columns`
    instead of whole rows to :meth:`add` (``None``: whole rows only).
    """

    fast_columns: tuple[str, ...] | None = None

    def __init__(self, name: str, header: list[str], where: str):
        self.name = name
        self.where = where
        self.columns = {key: index for index, key in reversed(list(enumerate(header)))}
        self.header = header

    def column(self, key: str) -> int | None:
        return self.columns.get(key)

    def value(self, row: list[str], key: str) -> str:
        index = self.columns.get(key)
        return row[index].strip() if index is not None else ""

    def parsed(self, parse: Callable[[str], object], row: list[str], key: str, number: int):
        try:
            return parse(self.value(row, key))
        except ValueError as exc:
            raise OrgScanError(self.where, f"{key}: {exc}", number) from None


class Records(Sink):
    """A data object of the weekly export: Ids, and what the analysis reads of some objects."""

    def __init__(self, name: str, header: list[str], where: str):
        super().__init__(name, header, where)
        self.ids = bytearray()
        self.without_id = 0
        self.person_ids = bytearray()
        self.activity: dict[str, dt.datetime] = {}
        self.email_bytes: dict[str, int] = {}
        self.files: dict[str, FileRow] = {}
        self.users: dict[str, dict[str, str]] = {}
        self._id = self.column("id")
        self._extra = {
            "Account": self._account,
            "EmailMessage": self._email,
            "User": self._user,
            **dict.fromkeys(ACTIVITY_OBJECTS, self._activity),
            **dict.fromkeys(FILE_OBJECTS, self._file),
        }.get(name)
        whole_rows = name in ("EmailMessage", "User") or self._id is None
        self.fast_columns = None if whole_rows else FAST_COLUMNS.get(name, ("id",))

    def add_columns(self, columns: dict[str, pa.Array], number: int) -> None:
        """Add a batch read by the columnar reader: only :attr:`fast_columns`, as strings.

        ``number`` is the row number of the batch's first row (for messages).
        """
        if self._extra is not None:
            keys = list(columns)
            compact = Records(self.name, keys, self.where)
            values = [columns[key].to_pylist() for key in keys]
            for offset, row in enumerate(zip(*values, strict=True)):
                compact.add(list(row), number + offset)
            self.absorb(compact)
            return
        trimmed = pc.utf8_trim_whitespace(columns["id"])
        kept = trimmed.filter(pc.not_equal(trimmed, ""))
        self.without_id += len(trimmed) - len(kept)
        if not len(kept):
            return
        fixed = pc.utf8_rpad(pc.utf8_slice_codeunits(kept, 0, ID_WIDTH), width=ID_WIDTH)
        offsets = np.frombuffer(fixed.buffers()[1], dtype=np.int32)[fixed.offset :][
            : len(fixed) + 1
        ]
        start, end = int(offsets[0]), int(offsets[-1])
        if end - start != ID_WIDTH * len(fixed):
            raise ValueError("an Id with characters outside ASCII")
        self.ids += memoryview(fixed.buffers()[2])[start:end]

    def absorb(self, other: Records) -> None:
        """Take over what another sink of the same object collected."""
        self.ids += other.ids
        self.without_id += other.without_id
        self.person_ids += other.person_ids
        self.email_bytes.update(other.email_bytes)
        self.files.update(other.files)
        self.users.update(other.users)
        keep_latest(self.activity, other.activity)

    def add(self, row: list[str], number: int) -> None:
        key = id15(row[self._id]) if self._id is not None else ""
        if key:
            self.ids += key.encode("ascii", "replace")[:ID_WIDTH].ljust(ID_WIDTH)
        else:
            self.without_id += 1
        if self._extra is not None:
            self._extra(key, row, number)

    def _account(self, key: str, row: list[str], number: int) -> None:
        if key and self.parsed(parse_bool, row, "ispersonaccount", number):
            self.person_ids += key.encode("ascii", "replace")[:ID_WIDTH].ljust(ID_WIDTH)

    def _email(self, key: str, row: list[str], number: int) -> None:
        self.email_bytes[key] = sum(len(value.encode("utf-8")) for value in row)

    def _activity(self, key: str, row: list[str], number: int) -> None:
        created = self.parsed(parse_datetime, row, "createddate", number) or UNDATED
        for column in ("ownerid", "createdbyid"):
            user = id15(self.value(row, column))
            if user and created > self.activity.get(user, dt.datetime.min.replace(tzinfo=dt.UTC)):
                self.activity[user] = created

    def _file(self, key: str, row: list[str], number: int) -> None:
        size_text = self.value(row, SIZE_COLUMNS[self.name])
        try:
            size = int(float(size_text)) if size_text else None
        except ValueError:
            raise OrgScanError(
                self.where, f"{SIZE_COLUMNS[self.name]}: not a size: {size_text[:40]!r}", number
            ) from None
        if key:
            self.files[key] = FileRow(
                id=self.value(row, "id"), size=size, checksum=self.value(row, "checksum").lower()
            )

    def _user(self, key: str, row: list[str], number: int) -> None:
        if key:
            self.users[key] = user_fields(self, row, number)


@dataclass(frozen=True)
class FileRow:
    """An Attachment, Document or ContentVersion row: its Id, declared size and MD5."""

    id: str
    size: int | None
    checksum: str


def user_fields(sink: Sink, row: list[str], number: int) -> dict[str, str]:
    """The non-empty values of a User row by header key, dates and booleans checked."""
    for key in ("lastlogindate", "createddate"):
        sink.parsed(parse_datetime, row, key, number)
    sink.parsed(parse_bool, row, "isactive", number)
    return {key: row[index].strip() for key, index in sink.columns.items() if row[index].strip()}


class Table(Sink):
    """A small license-extract table kept whole, by 15-character Id (or in order)."""

    def __init__(self, name: str, header: list[str], where: str):
        super().__init__(name, header, where)
        self.rows: dict[str, dict[str, str]] = {}
        self._id = self.column("id")

    def add(self, row: list[str], number: int) -> None:
        if self.name == "User":
            fields = user_fields(self, row, number)
        else:
            fields = {key: row[index].strip() for key, index in self.columns.items()}
        key = id15(row[self._id]) if self._id is not None else ""
        self.rows[key or f"#{len(self.rows)}"] = fields


class LoginTable(Sink):
    """LoginHistory, summed up per user as it streams (it can be millions of rows)."""

    def __init__(self, name: str, header: list[str], where: str):
        super().__init__(name, header, where)
        self.users: dict[str, Logins] = {}
        self.newest: dt.datetime | None = None

    def add(self, row: list[str], number: int) -> None:
        moment = self.parsed(parse_datetime, row, "logintime", number)
        if moment is None:
            return
        if self.newest is None or moment > self.newest:
            self.newest = moment
        status = self.value(row, "status").lower()
        if status and status != "success":
            return
        logins = self.users.setdefault(id15(self.value(row, "userid")), Logins())
        logins.successful += 1
        if not is_api_login(self.value(row, "logintype")):
            logins.human += 1
            if logins.last_human is None or moment > logins.last_human:
                logins.last_human = moment


def is_license_extract_user(header: list[str]) -> bool:
    """A User file of the license extract has relationship columns (``Profile.Name``)."""
    return any("." in key for key in header)


def sink_for(stem: str, where: str) -> Callable[[list[str]], Sink]:
    """The ``start(header)`` of :func:`~analyzer.orgscan.tables.read_table` for one file."""

    def start(header: list[str]) -> Sink:
        name = object_name(stem, header)
        if name == "LoginHistory":
            return LoginTable(name, header, where)
        if name in LICENSE_OBJECTS or (name == "User" and is_license_extract_user(header)):
            return Table(name, header, where)
        return Records(name, header, where)

    return start


@dataclass
class ObjectData:
    """One object of the weekly export, merged over every file and part that holds it."""

    name: str
    ids: dict[tuple[str, frozenset[str]], bytearray] = field(default_factory=dict)
    """15-byte Ids per source (weekly-export parts or other files) and file layout (its set of
    columns): an Id repeated within one group is a copy; the same Id in another group (a
    license extract's User next to the export's) is one record read twice, not a duplicate."""
    without_id: int = 0
    person_ids: bytearray = field(default_factory=bytearray)
    email_bytes: dict[str, int] = field(default_factory=dict)
    files: dict[str, FileRow] = field(default_factory=dict)


@dataclass
class Collection:
    """Everything the analysis needs, merged over all files of all parts."""

    objects: dict[str, ObjectData] = field(default_factory=dict)
    activity: dict[str, dt.datetime] = field(default_factory=dict)
    export_users: dict[str, dict[str, str]] = field(default_factory=dict)
    extract_users: dict[str, dict[str, str]] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    logins: dict[str, Logins] = field(default_factory=dict)
    has_login_history: bool = False
    newest_login: dt.datetime | None = None

    def merge(self, sink: Sink, source: str = "") -> None:
        """Add one file's sink; later files win for the values of a repeated Id.

        ``source`` groups files whose repeated Ids are duplicates (the weekly export's parts).
        """
        if isinstance(sink, LoginTable):
            self._merge_logins(sink)
        elif isinstance(sink, Table):
            target = (
                self.extract_users if sink.name == "User" else self.tables.setdefault(sink.name, {})
            )
            target.update(sink.rows)
        else:
            self._merge_records(sink, source)

    def _merge_records(self, sink: Records, source: str) -> None:
        data = self.objects.get(sink.name.lower())
        if data is None:
            data = self.objects[sink.name.lower()] = ObjectData(sink.name)
        data.ids.setdefault((source, frozenset(sink.header)), bytearray()).extend(sink.ids)
        data.without_id += sink.without_id
        data.person_ids += sink.person_ids
        data.email_bytes.update(sink.email_bytes)
        data.files.update(sink.files)
        self.export_users.update(sink.users)
        keep_latest(self.activity, sink.activity)

    def _merge_logins(self, sink: LoginTable) -> None:
        self.has_login_history = True
        if sink.newest is not None and (
            self.newest_login is None or sink.newest > self.newest_login
        ):
            self.newest_login = sink.newest
        for user, logins in sink.users.items():
            total = self.logins.setdefault(user, Logins())
            total.successful += logins.successful
            total.human += logins.human
            if logins.last_human is not None and (
                total.last_human is None or logins.last_human > total.last_human
            ):
                total.last_human = logins.last_human

    def users(self) -> dict[str, dict[str, str]]:
        """Every user, the export's User rows completed (and overridden) by the extract's."""
        merged = {key: dict(fields) for key, fields in self.export_users.items()}
        for key, fields in self.extract_users.items():
            merged.setdefault(key, {}).update(fields)
        return merged
