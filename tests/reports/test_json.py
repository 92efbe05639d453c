"""The JSON report carries the analysis, rounded, and is byte-identical across runs."""

import json

import pytest

from analyzer.analysis import analyze
from analyzer.profile import EXAMPLE_PROFILE, load_profile, parse_profile
from analyzer.reports import report_data, report_json
from analyzer.reports.json import SCHEMA_VERSION
from tests.reports.conftest import SAMPLES


def test_json_is_byte_identical_across_runs(catalog):
    def run():
        fresh = analyze(load_profile(catalog=catalog), catalog, samples=SAMPLES, seed=7)
        return report_json(fresh)

    first, second = run(), run()
    assert first == second
    assert json.loads(first)["sensitivity"]["seed"] == 7


def test_json_carries_the_analysis(result):
    data = json.loads(report_json(result))
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert data["recommendation"]["scenario_id"] == result.recommendation.scenario_id
    scenarios = {row["scenario_id"]: row for row in data["scenarios"]}
    assert list(scenarios) == list(result.scenarios.index)
    for sid, row in result.scenarios.iterrows():
        expected = None if row["total"] != row["total"] else round(row["total"], 2)
        assert scenarios[sid]["total"] == expected
    stay = data["cash_flows"]["scenarios"]["stay"]
    assert sum(map(sum, stay.values())) == pytest.approx(result.scenarios.loc["stay", "total"])
    assert len(data["cash_flows"]["months"]) == result.profile.horizon_months
    # Acme's running term started 2024-09-01 and is the one that can next be changed.
    assert data["key_dates"][0] == {"event": "Term start", "date": "2024-09-01"}
    assert data["exit_plan"]["steps"] and data["exit_plan"]["scenario_id"] == (
        result.recommendation.scenario_id
    )
    p_first = {r["scenario_id"]: r["p_first"] for r in data["sensitivity"]["rank_stability"]}
    assert p_first == {
        sid: round(p, 4) for sid, p in result.sensitivity.monte_carlo.p_first.items()
    }


def test_json_profile_section_is_the_example(result):
    profile = report_data(result)["profile"]
    # examples/acme-enterprise.yaml: 90 Sales Cloud and 25 Service Cloud seats, term from
    # 2024-09-01 to 2027-08-31, four roles of 60 + 10 + 25 + 12 = 107 seats.
    assert profile["name"] == "Acme Corp"
    assert profile["current"]["seats"] == {"sales_cloud": 90, "service_cloud": 25}
    assert profile["current"]["contract_start"] == "2024-09-01"
    assert profile["current"]["contract_end"] == "2027-08-31"
    assert sum(role["seats"] for role in profile["roles"]) == 107


def test_json_without_sensitivity_says_so(unsampled):
    assert json.loads(report_json(unsampled))["sensitivity"] is None


def test_sources_list_every_catalog_price_a_costed_scenario_uses(result):
    sources = result.sources
    used = result.licenses[result.licenses["scenario_id"] != "stay"]
    listed = set(zip(sources["item"], sources["source"], strict=True))
    # A price the profile states (paid today, quoted) is listed with the profile as its source.
    from_profile = {"price paid (profile)", "quote in profile"}
    for item, source in zip(used["license_type"], used["source"], strict=True):
        assert (item, "profile" if source in from_profile else source) in listed
    # Today's net prices come from the profile, next to the list prices a downgrade pays.
    net = sources[sources["kind"] == "net price paid"]
    assert sorted(net["amount"]) == [150.0, 150.0]
    assert sources["as_of"].notna().sum() == len(sources) - len(net)


def test_sources_list_the_onboarding_fees_of_every_costed_switch(catalog):
    # Cases as a weight rather than a gate, so that sales CRMs are costed too.
    text = EXAMPLE_PROFILE.read_text(encoding="utf-8").replace(
        "case_management: must", "case_management: 3"
    )
    result = analyze(parse_profile(text, catalog), catalog, samples=0)
    sources = result.sources
    fees = sources[sources["kind"] == "one_time_fee"]
    expected = set()
    for sid in result.monthly:
        row = result.scenarios.loc[sid]
        if row["kind"] == "switch":
            tier = catalog.product(row["product_id"]).tier(row["tier_id"])
            expected |= {(row["product"], fee.name) for fee in tier.one_time_fees}
    assert expected, "no costed switch has an onboarding fee: the test proves nothing"
    assert set(zip(fees["product"], fees["item"], strict=True)) == expected
