"""Hostile input: every bad profile, upload or catalog file is a located error, never a traceback.

Each case edits one line of a known-good file and names where the error must point. The expected
``line:col`` is worked out by :func:`position_of` (a plain search of the edited text for the
marker the case names), never copied from the program's output.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.catalog import BUNDLED_CATALOG, load_catalog
from analyzer.errors import InputError
from analyzer.profile import EXAMPLE_PROFILE, load_profile, parse_profile
from analyzer.yamlio import MAX_NESTING, MAX_NODES, MAX_YAML_BYTES, parse_yaml, read_limited

EXAMPLE = EXAMPLE_PROFILE.read_text(encoding="utf-8")
GOLDEN = Path(__file__).parent / "fixtures" / "golden_catalog"


def position_of(text: str, marker: str, start: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``marker`` in ``text`` at or after ``start``."""
    index = text.index(marker, start)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def edited(old: str, new: str) -> str:
    """The example profile with its single ``old`` text replaced by ``new``."""
    assert EXAMPLE.count(old) == 1, old
    return EXAMPLE.replace(old, new)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# (id, old text, new text, marker where the error points, field, words the message must hold)
PROFILE_CASES = [
    (
        "seats-true",
        "sales_cloud: 90,",
        "sales_cloud: true,",
        "true,",
        "current.seats.sales_cloud",
        "valid integer",
    ),
    (
        "seats-float",
        "sales_cloud: 90,",
        "sales_cloud: 1.5,",
        "1.5,",
        "current.seats.sales_cloud",
        "valid integer",
    ),
    (
        "seats-whole-float",
        "sales_cloud: 90,",
        "sales_cloud: 90.0,",
        "90.0,",
        "current.seats.sales_cloud",
        "valid integer",
    ),
    (
        "seats-text",
        "sales_cloud: 90,",
        'sales_cloud: "90",',
        '"90",',
        "current.seats.sales_cloud",
        "valid integer",
    ),
    (
        "seats-over-bound",
        "sales_cloud: 90,",
        "sales_cloud: 1000001,",
        "1000001,",
        "current.seats.sales_cloud",
        "less than or equal to 1000000",
    ),
    (
        "seats-negative",
        "sales_cloud: 90,",
        "sales_cloud: -1,",
        "-1,",
        "current.seats.sales_cloud",
        "greater than or equal to 0",
    ),
    ("role-seats-true", "seats: 60", "seats: true", "true", "roles.0.seats", "valid integer"),
    ("role-seats-huge", "seats: 60", "seats: 1e9", "1e9", "roles.0.seats", "valid integer"),
    (
        "price-1e308",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: 1e308,",
        "1e308",
        "current.prices.sales_cloud",
        "less than or equal to 1000000",
    ),
    (
        "price-over-bound",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: 1000000.5,",
        "1000000.5",
        "current.prices.sales_cloud",
        "less than or equal to 1000000",
    ),
    (
        "price-inf",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: .inf,",
        ".inf",
        "current.prices.sales_cloud",
        "finite",
    ),
    (
        "price-minus-inf",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: -.Inf,",
        "-.Inf",
        "current.prices.sales_cloud",
        "finite",
    ),
    (
        "price-nan",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: .nan,",
        ".nan",
        "current.prices.sales_cloud",
        "finite",
    ),
    (
        "price-overflow",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: 1e309,",
        "1e309",
        "current.prices.sales_cloud",
        "finite",
    ),
    (
        "price-true",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: true,",
        "true",
        "current.prices.sales_cloud",
        "not true/false",
    ),
    (
        "price-400-digits",
        "prices: {sales_cloud: 150,",
        "prices: {sales_cloud: " + "9" * 400 + ",",
        "9999",
        "current.prices.sales_cloud",
        "integer too large",
    ),
    ("fx-zero", "fx: {}", "fx: {EUR: 0}", "0}", "fx.EUR", "greater than or equal to 0.000001"),
    ("fx-1e308", "fx: {}", "fx: {EUR: 1e308}", "1e308", "fx.EUR", "less than or equal to 1000000"),
    ("fx-inf", "fx: {}", "fx: {EUR: .inf}", ".inf", "fx.EUR", "finite"),
    ("fx-true", "fx: {}", "fx: {EUR: true}", "true", "fx.EUR", "not true/false"),
    (
        "discount-rate-1e308",
        "discount_rate: 0.08",
        "discount_rate: 1e308",
        "1e308",
        "discount_rate",
        "less than or equal to 1",
    ),
    (
        "discount-rate-nan",
        "discount_rate: 0.08",
        "discount_rate: .NaN",
        ".NaN",
        "discount_rate",
        "finite",
    ),
    (
        "horizon-121",
        "horizon_months: 36",
        "horizon_months: 121",
        "121",
        "horizon_months",
        "less than or equal to 120",
    ),
    (
        "horizon-float",
        "horizon_months: 36",
        "horizon_months: 36.5",
        "36.5",
        "horizon_months",
        "valid integer",
    ),
    (
        "horizon-true",
        "horizon_months: 36",
        "horizon_months: true",
        "true",
        "horizon_months",
        "valid integer",
    ),
    (
        "start-year-9999",
        "analysis_start: 2026-12-01",
        "analysis_start: 9999-12-01",
        "9999",
        "analysis_start",
        "from 2000 to 2100",
    ),
    (
        "start-year-1999",
        "analysis_start: 2026-12-01",
        "analysis_start: 1999-12-01",
        "1999",
        "analysis_start",
        "from 2000 to 2100",
    ),
    (
        "start-timestamp",
        "analysis_start: 2026-12-01",
        "analysis_start: 1700000000",
        "1700000000",
        "analysis_start",
        "not a number",
    ),
    (
        "start-true",
        "analysis_start: 2026-12-01",
        "analysis_start: true",
        "true",
        "analysis_start",
        "not a number",
    ),
    (
        "contract-feb-30",
        "start: 2024-09-01",
        "start: 2024-02-30",
        "2024-02-30",
        "current.contract.start",
        "not a valid value",
    ),
    (
        "contract-end-2101",
        "end: 2027-08-31",
        "end: 2101-08-31",
        "2101",
        "current.contract.end",
        "from 2000 to 2100",
    ),
    (
        "notice-true",
        "notice_days: 30",
        "notice_days: true",
        "true",
        "current.contract.notice_days",
        "valid integer",
    ),
    (
        "notice-float",
        "notice_days: 30",
        "notice_days: 30.0",
        "30.0",
        "current.contract.notice_days",
        "valid integer",
    ),
    (
        "uplift-inf",
        "uplift_pct: 7",
        "uplift_pct: .inf",
        ".inf",
        "current.contract.uplift_pct",
        "finite",
    ),
    (
        "uplift-1e308",
        "uplift_pct: 7",
        "uplift_pct: 1e308",
        "1e308",
        "current.contract.uplift_pct",
        "less than or equal to 100",
    ),
    (
        "termination-negative",
        "early_termination_fee_pct: 0",
        "early_termination_fee_pct: -1",
        "-1",
        "current.contract.early_termination_fee_pct",
        "greater than or equal to 0",
    ),
    ("records-1e400", "records: 1200000", "records: 1e400", "1e400", "migration.records", "finite"),
    (
        "records-true",
        "records: 1200000",
        "records: true",
        "true",
        "migration.records",
        "valid integer",
    ),
    (
        "fixed-cost-1e308",
        "fixed_cost: 25000",
        "fixed_cost: 1e308",
        "1e308",
        "migration.fixed_cost",
        "less than or equal to 1000000000",
    ),
    (
        "hourly-rate-nan",
        "hourly_rate: 120",
        "hourly_rate: .nan",
        ".nan",
        "migration.hourly_rate",
        "finite",
    ),
    (
        "integrations-true",
        "integrations: 4",
        "integrations: true",
        "true",
        "migration.integrations",
        "valid integer",
    ),
    (
        "overrun-1e308",
        "overrun_pct: [0, 20, 60]",
        "overrun_pct: [0, 20, 1e308]",
        "1e308",
        "migration.overrun_pct.2",
        "less than or equal to 1000",
    ),
    (
        "overrun-inf",
        "overrun_pct: [0, 20, 60]",
        "overrun_pct: [0, 20, .inf]",
        ".inf",
        "migration.overrun_pct.2",
        "finite",
    ),
    (
        "overrun-true",
        "overrun_pct: [0, 20, 60]",
        "overrun_pct: [true, 20, 60]",
        "true",
        "migration.overrun_pct.0",
        "not true/false",
    ),
    (
        "weights-1e308",
        "{cost: 0.5, fit: 0.35",
        "{cost: 1e308, fit: 0.35",
        "1e308",
        "criteria_weights.cost",
        "less than or equal to 1000",
    ),
    (
        "weights-all-zero",
        "{cost: 0.5, fit: 0.35, effort: 0.15}",
        "{cost: 0, fit: 0, effort: 0}",
        "{cost: 0, fit",
        "criteria_weights",
        "at least one weight must be above 0",
    ),
    (
        "weights-true",
        "{cost: 0.5, fit: 0.35",
        "{cost: true, fit: 0.35",
        "true",
        "criteria_weights.cost",
        "not true/false",
    ),
    (
        "weights-negative",
        "{cost: 0.5, fit: 0.35",
        "{cost: -1, fit: 0.35",
        "-1",
        "criteria_weights.cost",
        "greater than or equal to 0",
    ),
    (
        "discount-100",
        "discount_pct: 15",
        "discount_pct: 100",
        "100",
        "discount_pct",
        "less than 100",
    ),
    (
        "target-uplift-inf",
        "target_uplift_pct: 5",
        "target_uplift_pct: .inf",
        ".inf",
        "target_uplift_pct",
        "finite",
    ),
    (
        "downgrade-cost-1e12",
        "downgrade_one_time_cost: 0",
        "downgrade_one_time_cost: 1e12",
        "1e12",
        "downgrade_one_time_cost",
        "less than or equal to 1000000000",
    ),
    (
        "importance-true",
        "forecasting: 3,",
        "forecasting: true,",
        "true",
        "roles.0.needs.forecasting",
        "valid integer",
    ),
    (
        "importance-float",
        "forecasting: 3,",
        "forecasting: 3.0,",
        "3.0",
        "roles.0.needs.forecasting",
        "valid integer",
    ),
    (
        "name-bell-escape",
        "name: Acme Corp",
        'name: "Acme\\a Corp"',
        '"Acme',
        "name",
        "control character U+0007",
    ),
    # libyaml refuses a surrogate escape while parsing, before any field is known.
    (
        "name-lone-surrogate",
        "name: Acme Corp",
        'name: "\\ud83d"',
        '"\\ud83d"',
        "",
        "lone surrogate",
    ),
    (
        "role-name-carriage-return",
        "name: Sales reps",
        'name: "\\r=1+1"',
        '"\\r',
        "roles.0.name",
        "control character U+000D",
    ),
    ("name-too-long", "name: Acme Corp", "name: " + "x" * 201, "xxx", "name", "at most 200"),
    (
        "quote-unknown-license",
        "quotes: []",
        "quotes: [{product: zoho-crm, tier: enterprise, license_type: nosuch, amount: 40, "
        "currency: USD}]",
        "nosuch",
        "quotes.0.license_type",
        "unknown license type 'nosuch'",
    ),
    (
        "quote-unknown-tier",
        "quotes: []",
        "quotes: [{product: zoho-crm, tier: nosuch, amount: 40, currency: USD}]",
        "nosuch",
        "quotes.0.tier",
        "unknown tier 'nosuch'",
    ),
    (
        "quote-unknown-product",
        "quotes: []",
        "quotes: [{product: nosuch, tier: enterprise, amount: 40, currency: USD}]",
        "nosuch",
        "quotes.0.product",
        "unknown product 'nosuch'",
    ),
    (
        "quote-amount-true",
        "quotes: []",
        "quotes: [{product: zoho-crm, tier: enterprise, amount: true, currency: USD}]",
        "true",
        "quotes.0.amount",
        "not true/false",
    ),
    (
        "quote-amount-over-bound",
        "quotes: []",
        "quotes: [{product: zoho-crm, tier: enterprise, amount: 10000000, currency: USD}]",
        "10000000",
        "quotes.0.amount",
        "less than or equal to 1000000",
    ),
    (
        "quote-currency-without-fx",
        "quotes: []",
        "quotes: [{product: zoho-crm, tier: enterprise, amount: 40, currency: EUR}]",
        "{}",
        "fx",
        "no fx rate for EUR",
    ),
]


@pytest.mark.parametrize("reader", ["file", "upload"])
@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in PROFILE_CASES],
)
def test_bad_profile_value_is_a_located_error(
    reader, old, new, marker, field, words, catalog, tmp_path
):
    text = edited(old, new)
    # The error points at the marker inside the edited text (searched from the edit on).
    after_edit = EXAMPLE.index(old) if marker in text[EXAMPLE.index(old) :] else 0
    line, col = position_of(text, marker, start=after_edit)
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        if reader == "file":
            load_profile(path, catalog=catalog)
        else:
            parse_profile(text.encode("utf-8"), catalog, source=str(path))
    matching = [p for p in caught.value.problems if p.field == field]
    assert matching, [str(p) for p in caught.value.problems]
    (problem,) = matching
    assert (problem.path, problem.line, problem.col) == (str(path), line, col), str(problem)
    assert words in problem.message, str(problem)


def _role(index: int) -> str:
    return f"  - {{id: r{index}, name: Role {index}, seats: 1}}\n"


# Raw documents that break the YAML layer itself: (id, text or bytes, marker or (line, col),
# words). A marker is searched in the text; a tuple is the position worked out by hand.
SYNTAX_CASES = [
    ("nul-byte", b"name: Acme\x00 Corp\n", (1, 11), "control character U+0000"),
    ("esc-byte", b"name: Acme\x1b[31m\n", (1, 11), "control character U+001B"),
    ("c1-control", "name: Acme\u0085\n".encode(), (1, 11), "control character U+0085"),
    ("delete-byte", b"a: 1\nname: x\x7f\n", (2, 8), "control character U+007F"),
    # 400 levels in 806 bytes. The document's mapping is level 1, so the first "[" (column 4)
    # is level 2 and level MAX_NESTING + 1 opens at column 4 + MAX_NESTING - 1.
    (
        "nesting-806-bytes",
        "a: " + "[" * 400 + "]" * 400 + "\n",
        (1, 4 + MAX_NESTING - 1),
        f"nesting deeper than {MAX_NESTING} levels",
    ),
    (
        "nesting-block-mappings",
        "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1\n",
        (MAX_NESTING + 1, 2 * MAX_NESTING + 1),
        "nesting deeper than",
    ),
    (
        "nesting-unclosed",
        "a: " + "{b: " * 100000 + "\n",
        (1, 4 + 4 * (MAX_NESTING - 1)),
        "nesting deeper than",
    ),
    (
        "unclosed-double-quote",
        'name: Acme\nrole: "Sales\nseats: 3\n',
        '"Sales',
        "while scanning a quoted scalar",
    ),
    ("unclosed-single-quote", "a: 1\nb: 'x\n", "'x", "while scanning a quoted scalar"),
    ("unclosed-flow-mapping", "a: {b: 1\nc: 2\n", "{b", "while parsing a flow mapping"),
    ("lone-surrogate-escape", 'a: "\\ud83d"\n', '"\\u', "lone surrogate"),
    ("lone-surrogate-key", '"\\udc00": 1\n', '"\\u', "lone surrogate"),
    # Node 1 is the document's mapping, 2 the key "a", 3 the list, so item k is node 3 + k and
    # the first one over MAX_NODES is item MAX_NODES - 2, at column 5 + 2 * (MAX_NODES - 3).
    (
        "too-many-values",
        "a: [" + "1," * 450_000 + "1]\n",
        (1, 5 + 2 * (MAX_NODES - 3)),
        f"more than {MAX_NODES:,} values and keys",
    ),
    ("huge-integer", "a: " + "1" * 400 + "\n", "1111", "integer too large"),
    ("huge-negative-integer", "a: -" + "7" * 30 + "\n", "-777", "integer too large"),
    ("infinity", "a: .inf\n", ".inf", "finite"),
    ("float-overflow", "a: 2e308\n", "2e308", "finite"),
    ("anchor", "a: &x 1\nb: 2\n", "&x", "anchor &x is not allowed"),
    ("duplicate-key", "a: 1\na: 2\n", ("a: 2", 0), "duplicate key 'a'"),
    ("not-utf8", b"a: \xff\xfe\n", (1, 1), "not UTF-8"),
    ("empty", "", (1, 1), "the document is empty"),
    ("root-list", "- a\n", (1, 1), "must be a mapping"),
    ("bad-key", "[1]: x\n", (1, 1), "must be a string"),
    ("oversize", "a: " + "x" * MAX_YAML_BYTES, (1, 1), "the limit is 1,000,000 bytes"),
]


@pytest.mark.parametrize(
    ("raw", "where", "words"), [pytest.param(*case[1:], id=case[0]) for case in SYNTAX_CASES]
)
def test_broken_document_is_a_located_error(raw, where, words):
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if isinstance(where, str):
        line, col = position_of(text, where)
    elif isinstance(where[0], str):
        line, col = position_of(text, where[0])
    else:
        line, col = where
    with pytest.raises(InputError) as caught:
        parse_yaml(raw, "doc.yaml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.col) == ("doc.yaml", line, col), str(problem)
    assert words in problem.message, str(problem)


def test_too_many_roles_is_located_at_the_roles(catalog):
    # 4 roles in the example + 497 = 501; the bound is 500 (DESIGN section 4).
    roles = "".join(_role(i) for i in range(497))
    document = EXAMPLE.replace("\norg_needs:", "\n" + roles + "org_needs:")
    # The list starts at the first role's dash.
    line, col = position_of(document, "- id: sales_reps")
    with pytest.raises(InputError) as caught:
        parse_profile(document, catalog, source="p.yaml")
    (problem,) = [p for p in caught.value.problems if p.field == "roles"]
    assert (problem.line, problem.col) == (line, col)
    assert "at most 500" in problem.message


def test_five_hundred_roles_are_accepted(catalog):
    roles = "".join(_role(i) for i in range(496))
    document = EXAMPLE.replace("\norg_needs:", "\n" + roles + "org_needs:")
    assert len(parse_profile(document, catalog).roles) == 4 + 496


def test_seats_true_never_becomes_one_seat(catalog):
    with pytest.raises(InputError):
        parse_profile(edited("seats: 60", "seats: true"), catalog)
    with pytest.raises(InputError):
        parse_profile(edited("seats: 60", "seats: True"), catalog)


def test_fx_for_a_currency_nobody_uses_is_allowed(catalog):
    # Documented choice: a rate that is never read is harmless (catalog_problems docstring).
    profile = parse_profile(edited("fx: {}", "fx: {JPY: 0.0066}"), catalog)
    assert profile.fx == {"JPY": 0.0066}


# --- Reading any kind of file -----------------------------------------------------------------


def test_read_limited_stops_at_the_limit_on_an_endless_device():
    with pytest.raises(InputError) as caught:
        read_limited("/dev/zero", limit=1000)
    (problem,) = caught.value.problems
    assert problem.message == "file is over 1,000 bytes; the limit is 1,000,000 bytes"


def test_read_limited_reads_a_fifo_without_a_writer_as_empty(tmp_path):
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    assert read_limited(fifo) == b""


def _waiting_bytes(fd: int) -> int:
    """Bytes written to the pipe ``fd`` and not read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def test_read_limited_reads_a_pipe_that_has_a_writer(tmp_path):
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    # Opening read-write never blocks; the bytes wait in the pipe until the reader takes them,
    # and closing the last writer gives the reader its end of file.
    writer = os.open(fifo, os.O_RDWR)
    os.write(writer, b"a: 1\n")
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(read_limited(fifo)))
    reader.start()
    # Close only once the reader has taken the bytes (none left waiting in the pipe).
    deadline = time.monotonic() + 10
    while _waiting_bytes(writer) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.close(writer)
    reader.join(timeout=10)
    assert result == [b"a: 1\n"]


def test_a_folder_as_profile_is_a_located_error(tmp_path, catalog):
    with pytest.raises(InputError) as caught:
        load_profile(tmp_path, catalog=catalog)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.col) == (str(tmp_path), 1, 1)
    assert problem.message == "cannot read: Is a directory"


# --- Catalog folders --------------------------------------------------------------------------


@pytest.fixture
def golden_copy(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(GOLDEN, folder)
    return folder


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def _make_zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _make_folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize("make", [_make_fifo, _make_zero_link, _make_folder])
@pytest.mark.parametrize("name", ["products/zz.yaml", "features.yaml"])
def test_catalog_refuses_files_that_are_not_regular_without_hanging(golden_copy, make, name):
    target = golden_copy / name
    if target.exists():
        target.unlink()
    make(target)
    expected = f"{target}:1:1: not a regular file (a pipe, device or folder)"
    if make is not _make_fifo:
        with pytest.raises(InputError) as caught:
            load_catalog(golden_copy)
        assert expected in [str(p) for p in caught.value.problems]
        return
    # In a subprocess with a timeout: a FIFO opened for reading would block the test run.
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "analyzer.cli",
            "catalog",
            "validate",
            "--catalog",
            str(golden_copy),
        ],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert run.returncode == 2, run.stderr
    assert expected in run.stderr.splitlines()
    assert "Traceback" not in run.stderr


def _product(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / "products" / f"{name}.yaml"
    return path, path.read_text(encoding="utf-8")


# (id, file, old, new, marker, field, words): one edit of a golden catalog product file.
CATALOG_CASES = [
    (
        "amount-1e308",
        "target",
        "amount: 100",
        "amount: 1e308",
        "1e308",
        "tiers.0.license_types.0.price.amount",
        "less than or equal to 1000000",
    ),
    (
        "amount-inf",
        "target",
        "amount: 100",
        "amount: .inf",
        ".inf",
        "tiers.0.license_types.0.price.amount",
        "finite",
    ),
    (
        "amount-true",
        "target",
        "amount: 100",
        "amount: true",
        "true",
        "tiers.0.license_types.0.price.amount",
        "not true/false",
    ),
    (
        "as-of-2101",
        "target",
        "as_of: 2026-",
        "as_of: 2101-",
        "2101-",
        "tiers.0.one_time_fees.0.price.as_of",
        "from 2000 to 2100",
    ),
    (
        "as-of-1999",
        "target",
        "as_of: 2026-",
        "as_of: 1999-",
        "1999-",
        "tiers.0.one_time_fees.0.price.as_of",
        "from 2000 to 2100",
    ),
    (
        "name-control",
        "target",
        "name: Target CRM",
        'name: "Target\\e"',
        '"Target',
        "name",
        "control character U+001B",
    ),
    (
        "name-surrogate",
        "target",
        "name: Target CRM",
        'name: "\\udfff"',
        '"\\u',
        "",
        "lone surrogate",
    ),
]


@pytest.mark.parametrize(
    ("product", "old", "new", "marker", "field", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in CATALOG_CASES],
)
def test_bad_catalog_value_is_a_located_error(golden_copy, product, old, new, marker, field, words):
    path, text = _product(golden_copy, product)
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line, col = position_of(text, marker)
    with pytest.raises(InputError) as caught:
        load_catalog(golden_copy)
    matching = [p for p in caught.value.problems if p.field == field and p.path == str(path)]
    assert matching, [str(p) for p in caught.value.problems]
    assert (matching[0].line, matching[0].col) == (line, col), str(matching[0])
    assert words in matching[0].message


def test_catalog_limits_are_strict_integers(golden_copy):
    path, text = _product(golden_copy, "target")
    data = yaml.safe_load(text)
    data["tiers"][0]["limits"] = {"min_seats": True}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(golden_copy)
    fields = {p.field for p in caught.value.problems}
    assert "tiers.0.limits.min_seats" in fields


def test_bundled_catalog_and_example_still_load():
    catalog = load_catalog(BUNDLED_CATALOG)
    assert load_profile(catalog=catalog).name == "Acme Corp"


# --- Invariants -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_fail_with_an_input_error(raw):
    try:
        parse_yaml(raw, "doc.yaml")
    except InputError as exc:
        assert all(p.path == "doc.yaml" and p.line >= 1 and p.col >= 1 for p in exc.problems)


NUMERIC_LINES = [
    "horizon_months: 36",
    "discount_rate: 0.08",
    "notice_days: 30",
    "uplift_pct: 7",
    "seats: 60",
    "fixed_cost: 25000",
    "hourly_rate: 120",
    "discount_pct: 15",
    "target_uplift_pct: 5",
]


@settings(max_examples=150, deadline=None)
@given(
    line=st.sampled_from(NUMERIC_LINES),
    value=st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from([".inf", "-.inf", ".nan", "true", "false", "null", "1e309", "~", "[]"]),
    ),
)
def test_any_number_in_a_numeric_field_is_accepted_in_bounds_or_located(line, value, catalog):
    key = line.split(":")[0]
    text = edited(line, f"{key}: {value}")
    try:
        profile = parse_profile(text, catalog)
    except InputError as exc:
        row = text.count("\n", 0, text.index(f"{key}: {value}")) + 1
        assert any(p.line == row for p in exc.problems), [str(p) for p in exc.problems]
    else:
        # Accepted: then it is finite and inside the bounds the README lists.
        dumped = profile.model_dump()
        assert 1 <= dumped["horizon_months"] <= 120
        assert all(0 <= role["seats"] <= 1_000_000 for role in dumped["roles"])
        assert 0 <= dumped["discount_rate"] <= 1
