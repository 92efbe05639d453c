"""Archives at the boundary: unsafe names, zip bombs, truncation, corrupt data (exit 2)."""

from __future__ import annotations

import hashlib
import os
import zipfile

import pytest

from analyzer.cli import main
from analyzer.orgscan import OrgScanError, scan_org
from analyzer.orgscan.sources import MAX_RATIO
from tests.orgscan.conftest import zip_bytes

ACCOUNTS = b"Id,Name\r\n" + b"".join(b"001%012d,Name %d\r\n" % (n, n) for n in range(2000))


@pytest.mark.parametrize(
    "name", ["../evil.csv", "/etc/Account.csv", "a/../../Account.csv", "C:\\Account.csv"]
)
def test_unsafe_member_names_are_refused_and_nothing_is_written(tmp_path, capsys, name):
    part = tmp_path / "WE_00D000000000001AAA_1.ZIP"
    part.write_bytes(zip_bytes({"Account.csv": ACCOUNTS, name: ACCOUNTS}))
    before = sorted(os.listdir(tmp_path.parent))
    assert main(["org", "scan", str(part)]) == 2
    err = capsys.readouterr().err
    assert f"{part.name}!{name}" in err and "unsafe member name" in err
    assert sorted(os.listdir(tmp_path.parent)) == before
    assert sorted(os.listdir(tmp_path)) == [part.name]


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = b"0" * (64 * 1024 * 1024)  # deflates about 1000 times
    part = tmp_path / "bomb.zip"
    part.write_bytes(zip_bytes({"Account.csv": ACCOUNTS, "Task.csv": bomb}))
    with pytest.raises(
        OrgScanError, match=rf"bomb\.zip!Task\.csv: compression ratio .* {MAX_RATIO}"
    ):
        scan_org([part])


def test_small_compressible_members_are_not_bombs(tmp_path):
    part = tmp_path / "small.zip"
    part.write_bytes(
        zip_bytes({"Account.csv": ACCOUNTS, "Attachments/00P000000000001": b"x" * 900_000})
    )
    assert scan_org([part])["records"]["Account"] == 2000


def test_a_truncated_archive_is_a_located_error(tmp_path, capsys):
    whole = zip_bytes({"Account.csv": ACCOUNTS})
    part = tmp_path / "WE_00D000000000001AAA_1.ZIP"
    part.write_bytes(whole[: len(whole) // 2])
    assert main(["org", "scan", str(part)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {part.name}: not a readable ZIP archive")


def test_corrupt_member_data_is_a_located_error(tmp_path, capsys):
    whole = bytearray(zip_bytes({"Account.csv": ACCOUNTS}))
    whole[60:80] = bytes(20)  # inside the compressed data, after the local header
    part = tmp_path / "part.zip"
    part.write_bytes(bytes(whole))
    assert main(["org", "scan", str(part)]) == 2
    assert "part.zip!Account.csv" in capsys.readouterr().err


def test_a_malformed_csv_inside_an_archive_names_archive_member_and_row(tmp_path, capsys):
    bad = ACCOUNTS + b'9,"open\r\n'
    part = tmp_path / "file.zip"
    part.write_bytes(zip_bytes({"Account.csv": bad}))
    assert main(["org", "scan", str(part)]) == 2
    # 2,000 data rows after the header (row 1): the open quote starts row 2002.
    assert "error: file.zip!Account.csv:row 2002: malformed CSV" in capsys.readouterr().err


def test_a_bad_datetime_is_located(tmp_path):
    csv_file = tmp_path / "LoginHistory.csv"
    csv_file.write_text(
        "UserId,LoginTime,LoginType,Status\n005000000000001,yesterday,Application,Success\n"
    )
    with pytest.raises(OrgScanError, match=r"LoginHistory\.csv:row 2: logintime: not a date"):
        scan_org([csv_file])


def test_member_names_are_never_paths(tmp_path, monkeypatch):
    """Binaries are hashed from the archive stream: nothing is created in the working folder."""
    monkeypatch.chdir(tmp_path)
    part = tmp_path / "p.zip"
    body = os.urandom(3000)

    rows = (
        b"Id,ContentSize,Checksum\r\n068000000000001,"
        + str(len(body)).encode()
        + b","
        + (hashlib.md5(body).hexdigest().encode() + b"\r\n")
    )
    part.write_bytes(
        zip_bytes({"ContentVersion.csv": rows, "ContentVersion/068000000000001": body})
    )
    backup = scan_org([part])["backup"]
    assert backup["missing_files"] == backup["checksum_mismatches"] == []
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]
    with zipfile.ZipFile(part) as archive:
        assert archive.namelist() == ["ContentVersion.csv", "ContentVersion/068000000000001"]
