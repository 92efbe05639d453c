"""Data storage at Salesforce's per-record sizes, checked on small hand-made exports."""

from __future__ import annotations

import pytest

from analyzer.orgscan import scan_org


def write(folder, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_record_sizes_per_object(tmp_path):
    write(tmp_path, "Campaign.csv", "Id,Name\n701000000000001,a\n701000000000002,b\n")
    write(tmp_path, "CampaignMember.csv", "Id\n00v000000000001\n00v000000000002\n00v000000000003\n")
    write(tmp_path, "Account.csv", "Id,IsPersonAccount\n001000000000001,TRUE\n001000000000002,0\n")
    write(tmp_path, "Howto__kav.csv", "Id\nka0000000000001\n")
    # EmailMessage at its size: the bytes of its values, 15 + 5 + 1004 = 1,024 bytes = 1 KB.
    write(
        tmp_path,
        "EmailMessage.csv",
        "Id,Subject,TextBody\n02s000000000001,hello," + "x" * 1004 + "\n",
    )
    document = scan_org([tmp_path])
    # 2 campaigns x 8 + 3 members x 1 + person account 4 + business account 2 + article 4
    # + email 1 = 30 KB.
    assert document["storage"]["data_mb"] == pytest.approx(30 / 1024, abs=1e-6)
    assert document["storage"]["file_mb"] == 0


def test_files_count_at_their_declared_bytes(tmp_path):
    write(
        tmp_path,
        "Attachment.csv",
        "Id,BodyLength\n00P000000000001,1048576\n00P000000000002,524288\n",
    )
    write(tmp_path, "Document.csv", "Id,BodyLength\n015000000000001,524288\n")
    document = scan_org([tmp_path])
    # 1 MiB + 0.5 MiB + 0.5 MiB of files; file rows are not data storage.
    assert document["storage"] == {"data_mb": 0, "file_mb": 2}
    # No binaries at all: both attachments are missing. Checksum: "00P00" has an upper-case
    # letter at position 2 -> 4 -> "E"; the other blocks have none -> "A".
    assert document["backup"]["missing_files"] == ["00P000000000001EAA", "00P000000000002EAA"]
