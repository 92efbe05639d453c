import json

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
