import json

import pytest

from analyzer.catalog import CATALOG_COLUMNS
from analyzer.cli import main
from tests.conftest import FIXTURES


def test_validate_bundled_catalog(capsys):
    assert main(["catalog", "validate"]) == 0
    assert capsys.readouterr().out.startswith("catalog OK: ")


def test_validate_bad_catalog_exits_2_listing_every_problem(capsys):
    assert main(["catalog", "validate", "--catalog", str(FIXTURES / "bad_catalog")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("9 problem(s):")
    assert "Traceback" not in err


def test_list_json_fields(capsys):
    assert main(["catalog", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and list(rows[0]) == CATALOG_COLUMNS


def test_list_csv_and_table(capsys):
    assert main(["catalog", "list", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ",".join(CATALOG_COLUMNS)
    assert main(["catalog", "list"]) == 0
    assert "salesforce" in capsys.readouterr().out


def test_missing_folder_is_a_clean_error(capsys, tmp_path):
    assert main(["catalog", "validate", "--catalog", str(tmp_path / "nope")]) == 2
    assert "catalog folder not found" in capsys.readouterr().err


def test_list_as_of_judges_staleness_on_that_day(capsys):
    golden = str(FIXTURES / "golden_catalog")
    # The golden prices are dated 2026-01-01: fresh twelve months on, stale a day later.
    assert (
        main(["catalog", "list", "--catalog", golden, "--format", "json", "--as-of", "2027-01-01"])
        == 0
    )
    fresh = [row["stale"] for row in json.loads(capsys.readouterr().out)]
    assert (
        main(["catalog", "list", "--catalog", golden, "--format", "json", "--as-of", "2027-01-02"])
        == 0
    )
    stale = [row["stale"] for row in json.loads(capsys.readouterr().out)]
    # Six rows; the quote-only seat (fifth, file-name order) has no price and no staleness.
    assert fresh == [False, False, False, False, None, False]
    assert stale == [True, True, True, True, None, True]


def test_list_json_carries_confidence_and_kind(capsys):
    assert main(["catalog", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    kinds = {row["product_id"]: row["kind"] for row in rows}
    assert kinds["salesforce"] == "crm" and kinds["zendesk-suite"] == "service_desk"
    assert {row["confidence"] for row in rows if row["amount"] is not None} <= {
        "vendor",
        "secondary",
        "estimate",
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/01/2027", "expected a date such as 2027-01-31, got '31/01/2027'"),
        ("1999-12-31", "the year must be from 2000 to 2100, got 1999"),
    ],
)
def test_list_as_of_refuses_a_bad_date_with_exit_2(capsys, value, message):
    with pytest.raises(SystemExit) as exited:
        main(["catalog", "list", "--as-of", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
