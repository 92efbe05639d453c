"""``crm-analyzer org scan`` and the money: JSON, reports, the updated profile, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.catalog import load_catalog
from analyzer.cli import main
from analyzer.orgscan import scan_org
from analyzer.orgscan.money import suggested_seats, waste
from analyzer.profile import load_profile

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "acme-enterprise.yaml")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def example(catalog):
    return load_profile(catalog=catalog)


def platform_plus_list_price(catalog) -> float:
    tier = catalog.product("salesforce").tier("enterprise")
    return float(tier.license_type("platform_plus").price.amount)


def test_json_on_stdout_is_the_scan_document(synthetic_org, capsys):
    root, _ = synthetic_org
    assert main(["org", "scan", str(root)]) == 0
    assert json.loads(capsys.readouterr().out) == scan_org([root])


def test_the_waste_in_money_at_the_example_profiles_prices(synthetic_org, catalog, example):
    root, _ = synthetic_org
    lines = waste(scan_org([root]), example, catalog)
    platform = platform_plus_list_price(catalog)  # not priced by the profile: list price
    # The example pays 150 a month for each of its 90 sales and 25 service seats, so a full
    # Salesforce seat costs 150. Seats from the planted plan at scale 2 (test_synthetic_org).
    assert [(w.license, w.seats, w.annual_cost, w.estimate) for w in lines] == [
        ("Salesforce", 7, 7 * 150 * 12, False),  # unassigned
        ("Salesforce", 8, 8 * 150 * 12, False),  # stale, dormant, failed, never (x2)
        ("Salesforce Platform", 3, 3 * platform * 12, False),
        ("Salesforce Platform", 2, 2 * platform * 12, False),  # platform_idle x2
        ("Salesforce", 2, 2 * 150 * 12, True),  # integration users on full seats
        ("Salesforce", 2, 2 * (150 - platform) * 12, True),  # Platform candidates
    ]


def test_markdown_report_shows_the_priced_waste(synthetic_org, capsys):
    root, _ = synthetic_org
    assert (
        main(
            [
                "org",
                "scan",
                str(root),
                "--format",
                "md",
                "--profile",
                EXAMPLE,
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    # Certain waste: (7 + 8) x 150 x 12 + (3 + 2) x 100 x 12 = 27,000 + 6,000.
    assert "| Total | certain waste | – | – | $33,000 | no |" in out
    assert "Platform license candidates (an estimate to review, not advice)" in out


def test_suggested_seats_and_the_updated_profile(synthetic_org, catalog, example, tmp_path, capsys):
    root, plan = synthetic_org
    # Full seats kept: 17 assigned - 8 inactive = 9, split 90:25 -> 7.04 / 1.96 -> 7 and 2.
    # Platform: 6 assigned - 2 inactive = 4 Platform Plus seats.
    expected = {"sales_cloud": 7, "service_cloud": 2, "platform_plus": 4}
    assert suggested_seats(scan_org([root]), example, catalog) == expected
    target = tmp_path / "new.yaml"
    code = main(
        [
            "org",
            "scan",
            str(root),
            "--update-profile",
            EXAMPLE,
            "-o",
            str(target),
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = target.read_text()
    assert text.startswith("# Seats and migration.records from an org scan of 00D4J000000CuzUUAS")
    updated = load_profile(target, catalog=catalog)
    assert dict(updated.current.seats) == expected
    assert updated.migration.records == sum(plan.records.values())
    before, after = example.model_dump(), updated.model_dump()
    for data in (before, after):
        del data["current"]["seats"], data["migration"]["records"]
    assert after == before  # nothing else the user had is lost


def test_update_profile_needs_an_output_file(synthetic_org, capsys):
    root, _ = synthetic_org
    assert main(["org", "scan", str(root), "--update-profile", EXAMPLE]) == 2
    assert "give it a name with -o FILE" in capsys.readouterr().err


def test_an_existing_output_needs_force(synthetic_org, tmp_path, capsys):
    root, _ = synthetic_org
    target = tmp_path / "scan.json"
    target.write_text("keep")
    assert main(["org", "scan", str(root), "-o", str(target)]) == 2
    assert target.read_text() == "keep"
    assert main(["org", "scan", str(root), "-o", str(target), "--force"]) == 0
    assert json.loads(target.read_text())["schema_version"] == 1
    capsys.readouterr()


def test_a_missing_path_and_bad_thresholds_exit_2(tmp_path, capsys):
    assert main(["org", "scan", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["org", "scan", str(tmp_path)]) == 2
    assert "no CSV file found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["org", "scan", str(tmp_path), "--inactive-days", "-1"])
    assert stop.value.code == 2


def test_reports_make_export_values_inert(tmp_path, capsys):
    (tmp_path / "User.csv").write_text(
        "Id,Username,IsActive,CreatedDate,LastLoginDate\n"
        '005000000000001,"<script>alert(1)</script>",true,2020-01-01,2020-02-01\n'
        "005000000000002,admin,true,2020-01-01,2026-01-01\n"
    )
    assert main(["org", "scan", str(tmp_path), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert main(["org", "scan", str(tmp_path), "--format", "md"]) == 0
    assert "\\<script\\>" in capsys.readouterr().out
