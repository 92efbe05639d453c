"""``crm-analyzer compare`` on invalid profiles: exit 2 with path:line:col, never a traceback."""

import json

import pytest

from analyzer.cli import main
from analyzer.profile import EXAMPLE_PROFILE
from tests.conftest import FIXTURES

EXAMPLE = EXAMPLE_PROFILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    end: 2027-08-31",
            "    end: 2024-08-31",
            ":16:5: current.contract: end 2024-08-31 must be after start 2024-09-01",
        ),
        (
            "    seats: 60",
            "    seats: -60",
            ":28:12: roles.0.seats: Input should be greater than or equal to 0",
        ),
        (
            "  product: salesforce",
            "  product: sellforce",
            ":10:12: current.product: unknown product 'sellforce'",
        ),
        ("  tier: enterprise", "  tier: platinum", ":11:9: current.tier: unknown tier 'platinum'"),
        (
            "lead_management: must",
            "telepathy: must",
            ":30:24: roles.0.needs.telepathy: unknown feature 'telepathy'",
        ),
    ],
)
def test_invalid_profile_exits_2_with_located_problems(tmp_path, capsys, old, new, expected):
    path = tmp_path / "profile.yaml"
    path.write_text(EXAMPLE.replace(old, new, 1), encoding="utf-8")
    assert main(["compare", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{expected}" in err
    assert "Traceback" not in err


def test_missing_fx_rate_exits_2(tmp_path, capsys):
    # The fixture catalog prices one product in EUR; the example profile has no EUR rate.
    path = tmp_path / "profile.yaml"
    path.write_text(
        EXAMPLE.replace("product: salesforce", "product: legacy")
        .replace("seats: {sales_cloud: 90, service_cloud: 25}", "seats: {full: 115}")
        .replace("prices: {sales_cloud: 150, service_cloud: 150}", "prices: {full: 150}"),
        encoding="utf-8",
    )
    args = ["compare", str(path), "--catalog", str(FIXTURES / "golden_catalog")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{path}:5:5: fx: no fx rate for EUR" in err
    assert "Traceback" not in err


def test_missing_profile_file_exits_2(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_single_rankable_option_still_reports_without_rank_stability(tmp_path, capsys):
    # Musts no alternative meets: only staying can be ranked, so there is nothing to compare.
    path = tmp_path / "profile.yaml"
    path.write_text(
        EXAMPLE.replace(
            "org_needs: {",
            "org_needs: {self_hosting: must, ai_assistant: must, sla_management: must, ",
        ),
        encoding="utf-8",
    )
    assert main(["compare", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    ranked = [s for s in report["scenarios"] if s["rank"] is not None]
    assert [s["scenario_id"] for s in ranked] == ["stay"]
    assert report["sensitivity"] is None
