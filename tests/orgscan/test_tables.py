"""Reading exported CSVs: Data Loader and Bulk API quoting, byte-order marks, encodings, errors.

The samples follow the public formats of forcedotcom/dataloader (``sample/data/accountData.csv``
and its BOM and escaped-quote test files; BSD-3-Clause): every value quoted, doubled quotes,
line breaks inside values, ``"ID"`` upper-case headers.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.orgscan import OrgScanError, tables
from analyzer.orgscan.collect import sink_for
from analyzer.orgscan.sources import Member
from analyzer.orgscan.tables import MAX_FIELD_CHARS, read_table

DATA_LOADER_SAMPLE = (
    '"NAME","BILLINGCITY","DESCRIPTION","ID"\r\n'
    '"Acme ""Best"" Corp","San Francisco","first line\r\nsecond, line","001000000000001"\r\n'
    '"Global Media","Toronto","","001000000000002AAA"\r\n'
)
BULK_SAMPLE = "Id,Name,CreatedDate\n001000000000003,Plain,2026-01-01T00:00:00.000+0000\n"


class Rows:
    """A sink keeping every row with its header, for the tests (whole rows only)."""

    fast_columns = None

    def __init__(self, header):
        self.header = header
        self.rows = []

    def add(self, row, number):
        self.rows.append((number, row))


def member(tmp_path: Path, data: bytes, name: str = "Account.csv") -> Member:
    path = tmp_path / name
    path.write_bytes(data)
    return Member(name, None, name, len(data), lambda: path.open("rb"))


def test_data_loader_quoting_doubled_quotes_and_line_breaks(tmp_path):
    sink, rows, encoding = read_table(member(tmp_path, DATA_LOADER_SAMPLE.encode()), Rows)
    assert sink.header == ["name", "billingcity", "description", "id"]
    assert rows == 2 and encoding == "utf-8"
    number, first = sink.rows[0]
    assert number == 2
    assert first[0] == 'Acme "Best" Corp'
    assert first[2] == "first line\r\nsecond, line"
    # The second record starts on line 4 of the file but is row 3 (the header is row 1).
    assert sink.rows[1][0] == 3


@pytest.mark.parametrize(
    ("bom", "codec", "reported"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    ],
)
def test_a_byte_order_mark_is_honoured(tmp_path, bom, codec, reported):
    data = bom + "Id,Name\r\n001000000000001,Zoë\r\n".encode(codec)
    sink, _, encoding = read_table(member(tmp_path, data), Rows)
    assert encoding == reported
    assert sink.header == ["id", "name"] and sink.rows[0][1] == ["001000000000001", "Zoë"]


def test_cp1252_when_not_utf8_and_the_whole_file_is_read_again(tmp_path):
    # A UTF-8 first row, then a cp1252 byte (0x80 is the euro sign) far into the file.
    data = ("Id,Name\r\n" + "001000000000001,Plain\r\n" * 5000).encode() + "x,5 €\r\n".encode(
        "cp1252"
    )
    sink, rows, encoding = read_table(member(tmp_path, data), Rows)
    assert encoding == "cp1252" and rows == 5001 and len(sink.rows) == 5001
    assert sink.rows[-1][1] == ["x", "5 €"]


def test_bytes_cp1252_does_not_define_fall_back_to_latin1(tmp_path):
    data = b"Id,Name\r\n1,\x81\xe9\r\n"
    sink, _, encoding = read_table(member(tmp_path, data), Rows)
    assert encoding == "latin-1" and sink.rows[0][1][1] == "\x81é"


def test_bulk_api_minimal_quoting(tmp_path):
    sink, rows, _ = read_table(member(tmp_path, BULK_SAMPLE.encode()), Rows)
    assert rows == 1 and sink.rows[0][1][2] == "2026-01-01T00:00:00.000+0000"


def test_an_empty_file_and_a_header_only_file(tmp_path):
    assert read_table(member(tmp_path, b""), Rows)[1] == 0
    sink, rows, _ = read_table(member(tmp_path, b'"Id","Name"\r\n'), Rows)
    assert rows == 0 and sink.header == ["id", "name"]


def test_a_quote_left_open_is_located(tmp_path):
    data = b'Id,Name\r\n1,ok\r\n2,"never closed\r\n3,x\r\n'
    with pytest.raises(OrgScanError, match=r"^Account\.csv:row 3: malformed CSV"):
        read_table(member(tmp_path, data), Rows)


def test_too_many_values_are_located(tmp_path):
    data = b"Id,Name\r\n1,a\r\n2,b\r\n3,c,d\r\n"
    with pytest.raises(OrgScanError, match=r"^Account\.csv:row 4: 3 values for 2 columns"):
        read_table(member(tmp_path, data), Rows)


def test_a_field_above_the_limit_is_refused(tmp_path):
    data = b'Id,Body\r\n1,"' + b"x" * (MAX_FIELD_CHARS + 1) + b'"\r\n'
    with pytest.raises(OrgScanError, match=r"row 2: malformed CSV: field larger than field limit"):
        read_table(member(tmp_path, data), Rows)


def test_the_field_limit_is_restored_after_a_read(tmp_path):
    before = csv.field_size_limit()
    read_table(member(tmp_path, BULK_SAMPLE.encode()), Rows)
    assert csv.field_size_limit() == before


# The columnar reader and the row reader must collect the same things from any file.
VALUE = st.text(alphabet=st.sampled_from('ab,"\r\n é1'), max_size=6)
ID = st.one_of(
    st.just(""),
    st.sampled_from(["001000000000001", "001000000000001AAA", "001000000000002", " 001x "]),
)
DATE = st.sampled_from(["", "2026-01-02T03:04:05.000Z", "2025-05-06T00:00:00.000+0000"])


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL).writerows([header, *rows])
    return buffer.getvalue().encode()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["Task", "Account", "Opportunity", "Attachment"]),
    rows=st.lists(
        st.tuples(
            ID, VALUE, st.sampled_from(["true", "0", ""]), ID, DATE, st.sampled_from(["", "12"])
        ),
        max_size=30,
    ),
)
def test_the_columnar_and_the_row_reader_agree(tmp_path, name, rows):
    header = ["Id", "Subject", "IsPersonAccount", "OwnerId", "CreatedDate", "BodyLength"]
    data = csv_bytes(header, [list(row) for row in rows])
    start = sink_for(name, name)
    # The columnar reader takes these files itself (no fall-back to the row reader).
    assert isinstance(tables._read_columns(member(tmp_path, data), start, data, None), tuple)
    columnar, count, _ = read_table(member(tmp_path, data, f"{name}.csv"), start)
    by_rows, row_count = tables._read(member(tmp_path, data, f"{name}.csv"), "utf-8", start)
    assert count == row_count == len(rows)
    for attribute in ("ids", "without_id", "person_ids", "activity", "files"):
        assert getattr(columnar, attribute) == getattr(by_rows, attribute), attribute


def test_a_value_opening_with_an_escaped_quote_and_no_final_line_break(tmp_path):
    # The shape of Data Loader's escaped-quote test file: doubled quotes at the very start
    # of a quoted value, and a last row without a line break.
    data = b'Id,Name\n1,"""The Best"" Account"\n2,"The ""Best"" Account"'
    sink, rows, _ = read_table(member(tmp_path, data), Rows)
    assert rows == 2
    assert [row[1] for _, row in sink.rows] == ['"The Best" Account', 'The "Best" Account']
