"""Stacks (a CRM plus a service desk) and partial switches (keep the current subscription,
reduced, for the roles the new CRM cannot serve): golden costs worked out by hand, and
invariants.

The fixture catalog (tests/fixtures/stack_catalog) has the current product Cloudforce
Enterprise (Sales Cloud and Service Cloud seats, list 175, bought at 150), a sales-only CRM
Sellco (Basic 40, Pro 60, 10% renewal uplift, no cases) and a service desk Helpdesk (Team 20
with a 500 onboarding fee and a running cost of 2 per agent a month, Growth 35; no published
uplift, so the profile's 4% applies). The profile: 8 sellers who must have opportunities,
4 support agents who must have cases; 10 Sales Cloud and 5 Service Cloud seats bought.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import analysis, exit_plan
from analyzer.analysis import COMBINATIONS_LISTED, analyze, combination_plans
from analyzer.catalog import load_catalog
from analyzer.costs import (
    CASH_COMPONENTS,
    Current,
    cash_total,
    decision_total,
    monthly_cash_flows,
    stack_plan,
    stack_project_allocation,
)
from analyzer.licensing import license_mix
from analyzer.profile import Profile, load_profile
from tests.conftest import FIXTURES, GOLDEN_TODAY

D = dt.date
CATALOG = load_catalog(FIXTURES / "stack_catalog", today=GOLDEN_TODAY)
BUNDLED = load_catalog()
STACK = "stack:sellco/basic+helpdesk/team"
PARTIAL = "partial:sellco/basic+cloudforce/enterprise"

SELLERS = {"id": "sellers", "name": "Sellers", "seats": 8, "current_license": "sales"}
AGENTS = {"id": "agents", "name": "Agents", "seats": 4, "current_license": "service"}


def stack_profile(**changes) -> Profile:
    """The module's profile (docstring), with top-level ``changes`` (a ``migration`` mapping
    updates the migration)."""
    data = {
        "currency": "USD",
        "analysis_start": "2026-12-01",
        "horizon_months": 36,
        "discount_rate": 0.0,
        "current": {
            "product": "cloudforce",
            "tier": "enterprise",
            "seats": {"sales": 10, "service": 5},
            "prices": {"sales": 150, "service": 150},
            "billing": "annual",
            "contract": {
                "start": "2024-06-01",
                "end": "2027-05-31",
                "auto_renew": True,
                "renewal_term_months": 12,
                "notice_days": 30,
                "uplift_pct": 7,
            },
        },
        "roles": [
            SELLERS | {"needs": {"opportunity_management": "must", "dashboards": 3}},
            AGENTS | {"needs": {"case_management": "must", "dashboards": 2}},
        ],
        "migration": {
            "fixed_cost": 10_000,
            "hourly_rate": 100,
            "training_hours_per_user": 2,
            "months": 4,
            "overlap_months": 1,
            "project_seats": 5,
            "overrun_pct": [0, 10, 50],
        },
        "target_discount_pct": 10,
        "target_uplift_pct": 4,
    }
    migration = changes.pop("migration", {})
    data["migration"] = data["migration"] | migration
    return Profile.model_validate(data | changes)


@pytest.fixture(scope="module")
def result():
    return analyze(stack_profile(), CATALOG, samples=0)


def invoices(result, scenario_id, component):
    """Non-zero monthly amounts of one component, keyed by YYYY-MM."""
    table = result.monthly[scenario_id][component]
    return {str(month): round(amount, 4) for month, amount in table.items() if amount}


# --- Golden: the stack Sellco Basic + Helpdesk Team ----------------------------------------


def test_single_products_are_infeasible_so_the_stack_and_partial_switch_are_formed(result):
    rows = result.scenarios
    # Sellco has no cases for the agents; Helpdesk has no opportunities for the sellers.
    for single in ("switch:sellco/basic", "switch:sellco/pro"):
        assert rows.loc[single, "status"] == "infeasible"
        assert "Cases" in rows.loc[single, "problems"]
    for desk in ("switch:helpdesk/team", "switch:helpdesk/growth"):
        assert rows.loc[desk, "status"] == "infeasible"
        assert "Opportunities" in rows.loc[desk, "problems"]
    combos = rows[rows["shape"] != "single"]
    # One product pair each: Basic (40) and Team (20) are the cheapest tiers of their pair.
    assert set(combos.index) == {STACK, PARTIAL}
    assert result.unlisted_combinations == 0
    assert set(combos["kind"]) == {"switch"}
    assert rows.loc[STACK, "label"] == "Switch to Sellco Basic + Helpdesk Team"
    assert rows.loc[STACK, "products"] == "Sellco Basic + Helpdesk Team"
    assert rows.loc[PARTIAL, "label"] == (
        "Partial switch to Sellco Basic, keep Cloudforce Enterprise for Agents"
    )
    assert rows.loc[PARTIAL, "shape"] == "partial"
    assert rows.loc["stay", "shape"] == "single"


def test_stack_licenses_put_each_role_on_its_own_product(result):
    licenses = result.licenses.set_index(["scenario_id", "role_id"])
    got = licenses.loc[STACK][["product_id", "tier_id", "license_type_id"]]
    assert got.to_dict("index") == {
        "sellers": {"product_id": "sellco", "tier_id": "basic", "license_type_id": "seat"},
        "agents": {"product_id": "helpdesk", "tier_id": "team", "license_type_id": "agent"},
    }
    # Seats bought: 8 on Sellco + 4 on Helpdesk.
    assert result.scenarios.loc[STACK, "seats"] == 12


def test_stack_golden_invoices(result):
    # Go-live 2027-04-01 (4 project months), overlap to 2027-05-01. Project seats: 5 taken
    # from the roles in profile order -> all 5 sellers' seats on Sellco, 0 left for the
    # agents, raised to 1 so Helpdesk can be set up. Both products in 12-month terms from
    # 2026-12-01 (2026-12..2027-11, 2027-12..2028-11, 2028-12..2029-11), annual billing.
    # Sellco: 40 list - 10% = 36; renewals +10%: 39.60, then 43.56 capped at list 40.
    # Helpdesk: 20 - 10% = 18; renewals +4% (profile): 18.72, then 19.4688 (< 20).
    assert invoices(result, STACK, "licenses_target") == {
        "2026-12": 2_376.0,  # Sellco 5 x 36 x 12 = 2,160 + Helpdesk 1 x 18 x 12 = 216
        # At go-live, the other seats for Apr..Nov (8 months): 3 x 36 x 8 + 3 x 18 x 8.
        "2027-04": 1_296.0,  # 864 + 432
        "2027-12": 4_700.16,  # 8 x 39.60 x 12 = 3,801.60 + 4 x 18.72 x 12 = 898.56
        "2028-12": 4_774.5024,  # 8 x 40 x 12 = 3,840 + 4 x 19.4688 x 12 = 934.5024
    }
    assert invoices(result, STACK, "onboarding_fee") == {"2026-12": 500.0}  # Helpdesk Team
    # Support plan 2 per agent a month x 4 agents = 8 a month from go-live to 2029-11.
    running = invoices(result, STACK, "running_costs")
    assert set(running.values()) == {8.0}
    assert min(running) == "2027-04" and max(running) == "2029-11" and len(running) == 32
    # One migration project: 10,000 spread over 4 months, 10% most likely overrun, training of
    # all 12 users x 2 hours x 100 at go-live.
    months = {"2026-12", "2027-01", "2027-02", "2027-03"}
    assert invoices(result, STACK, "data_migration") == dict.fromkeys(sorted(months), 2_500.0)
    assert invoices(result, STACK, "project_overrun") == dict.fromkeys(sorted(months), 250.0)
    assert invoices(result, STACK, "training") == {"2027-04": 2_400.0}
    # The old contract ends at the term end 2027-05-31 (deadline 2027-05-01 is ahead): its
    # only invoices of the horizon would be the renewals from 2027-06, so none are paid.
    assert invoices(result, STACK, "licenses_current") == {}
    assert result.scenarios.loc[STACK, "exit_date"] == dt.date(2027, 6, 1)
    # Sellco 10,665.60 + Helpdesk 2,481.0624 + onboarding 500 + running 256
    # + project 10,000 + 1,000 + 2,400 = 27,302.6624; nothing is prepaid past 2029-11.
    table = result.monthly[STACK]
    assert cash_total(table) == pytest.approx(27_302.6624)
    assert decision_total(table) == pytest.approx(27_302.6624)


# --- Golden: the partial switch (keep Service Cloud for the agents) -------------------------


def test_partial_switch_golden_invoices(result):
    licenses = result.licenses.set_index(["scenario_id", "role_id"])
    got = licenses.loc[PARTIAL][["product_id", "tier_id", "license_type_id"]]
    assert got.to_dict("index") == {
        "sellers": {"product_id": "sellco", "tier_id": "basic", "license_type_id": "seat"},
        "agents": {
            "product_id": "cloudforce",
            "tier_id": "enterprise",
            "license_type_id": "service",
        },
    }
    # Kept: the contract is reduced at the term end 2027-05-31 to the agents' 4 Service Cloud
    # seats at the price paid (150, net: no renewal discount on top), +7% from the second
    # reduced term: 160.50, 171.735 (below list 175). The 2024-06..2026-06 invoices are sunk.
    assert invoices(result, PARTIAL, "licenses_current") == {
        "2027-06": 7_200.0,  # 4 x 150 x 12
        "2028-06": 7_704.0,  # 4 x 160.50 x 12
        "2029-06": 8_243.28,  # 4 x 171.735 x 12
    }
    # The 2029-06 invoice pays 2029-06..2030-05: 6 of 12 months after the horizon.
    assert invoices(result, PARTIAL, "prepaid_after_horizon") == {"2029-11": -4_121.64}
    # Moved: the 8 sellers to Sellco Basic as in the stack (5 project seats, all sellers).
    assert invoices(result, PARTIAL, "licenses_target") == {
        "2026-12": 2_160.0,  # 5 x 36 x 12
        "2027-04": 864.0,  # 3 x 36 x 8
        "2027-12": 3_801.6,  # 8 x 39.60 x 12
        "2028-12": 3_840.0,  # 8 x 40 (capped) x 12
    }
    assert invoices(result, PARTIAL, "onboarding_fee") == {}
    assert invoices(result, PARTIAL, "running_costs") == {}
    # Training only for the 8 moved users: 8 x 2 x 100.
    assert invoices(result, PARTIAL, "training") == {"2027-04": 1_600.0}
    assert sum(invoices(result, PARTIAL, "data_migration").values()) == pytest.approx(10_000)
    assert sum(invoices(result, PARTIAL, "project_overrun").values()) == pytest.approx(1_000)
    # No early exit, no refund, no fee: the contract continues.
    assert invoices(result, PARTIAL, "refund") == {}
    assert invoices(result, PARTIAL, "termination_fee") == {}
    table = result.monthly[PARTIAL]
    # 23,147.28 kept + 10,665.60 moved + 10,000 + 1,000 + 1,600 = 46,412.88
    assert cash_total(table) == pytest.approx(46_412.88)
    assert decision_total(table) == pytest.approx(42_291.24)  # 46,412.88 - 4,121.64
    row = result.scenarios.loc[PARTIAL]
    assert row["exit_kind"] == "term_end"
    assert row["effective_date"] == dt.date(2027, 6, 1)
    assert row["seats"] == 12  # 8 on Sellco + 4 kept
    # Fit: sellers 5 / (5 + 3) on Sellco Basic (no dashboards), agents 1.0 on Service Cloud.
    assert row["fit"] == pytest.approx((8 * 5 / 8 + 4 * 1.0) / 12)
    # Stack fit: the agents get 5 / (5 + 2) on Helpdesk Team (no dashboards).
    assert result.scenarios.loc[STACK, "fit"] == pytest.approx((8 * 5 / 8 + 4 * 5 / 7) / 12)


def test_partial_switch_key_dates_change_the_contract_instead_of_exiting(result):
    dates = result.scenario_key_dates(PARTIAL).set_index("event_id")["date"].to_dict()
    assert dates["effective"] == dt.date(2027, 6, 1)
    assert dates["notice_deadline"] == dt.date(2027, 5, 1)  # 2027-05-31 - 30 days
    assert "exit" not in dates
    assert result.scenario_key_dates(STACK).set_index("event_id").loc["exit", "date"] == (
        dt.date(2027, 6, 1)
    )


def test_sources_list_every_product_of_a_stack(result):
    products = set(result.sources["product"])
    assert {"Sellco", "Helpdesk", "Cloudforce"} <= products
    helpdesk = result.sources[result.sources["product"] == "Helpdesk"]
    assert set(helpdesk["kind"]) == {"license", "one_time_fee", "running_cost"}


def test_service_desks_alone_are_infeasible_for_the_bundled_example():
    catalog = BUNDLED
    example = analyze(load_profile(catalog=catalog), catalog, samples=0)
    rows = example.scenarios
    desks = {p.id for p in catalog.products if p.kind == "service_desk"}
    singles = rows[(rows["shape"] == "single") & rows["product_id"].isin(desks)]
    assert len(singles) > 0
    assert set(singles["status"]) == {"infeasible"}
    # Every stack pairs a CRM with a desk; every partial switch keeps the current product.
    for sid, row in rows[rows["shape"] != "single"].iterrows():
        products = set(example.licenses.loc[example.licenses["scenario_id"] == sid, "product_id"])
        assert len(products) == 2
        if row["shape"] == "stack":
            assert len(products & desks) == 1
        else:
            assert "salesforce" in products
    listed = rows[rows["shape"] != "single"]
    assert (listed["shape"].value_counts() <= COMBINATIONS_LISTED).all()


# --- Invariants -----------------------------------------------------------------------------

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def single_profile(role: dict, needs: dict, **changes) -> Profile:
    """The stack profile with only ``role`` (and its ``needs``)."""
    return stack_profile(roles=[role | {"needs": needs}], **changes)


@FAST
@given(
    sellers=st.integers(1, 40),
    agents=st.integers(1, 40),
    discount=st.integers(0, 50),
    months=st.integers(0, 6),
)
def test_stack_total_is_the_sum_of_its_parts(sellers, agents, discount, months):
    """With every seat bought from the start (project seats above the roles' seats), a
    stack's license, fee, running and training items are those of two single switches, one
    per product for its own roles; the other project costs are paid once."""
    migration = {"months": months, "project_seats": 100}
    seller_role = SELLERS | {"seats": sellers}
    agent_role = AGENTS | {"seats": agents}
    seller_needs = {"opportunity_management": "must", "dashboards": 3}
    agent_needs = {"case_management": "must", "dashboards": 2}
    changes = {"target_discount_pct": discount, "migration": migration}
    both = stack_profile(
        roles=[seller_role | {"needs": seller_needs}, agent_role | {"needs": agent_needs}],
        **changes,
    )
    combined = analyze(both, CATALOG, samples=0)
    (stack_id,) = combined.scenarios.index[combined.scenarios["shape"] == "stack"]
    stack = combined.monthly[stack_id]
    crm_id, desk_id = stack_id.removeprefix("stack:").split("+")
    crm = analyze(single_profile(seller_role, seller_needs, **changes), CATALOG, samples=0)
    desk = analyze(single_profile(agent_role, agent_needs, **changes), CATALOG, samples=0)
    crm_table = crm.monthly[f"switch:{crm_id}"]
    desk_table = desk.monthly[f"switch:{desk_id}"]
    for component in ("licenses_target", "onboarding_fee", "running_costs", "training"):
        expected = crm_table[component].sum() + desk_table[component].sum()
        assert stack[component].sum() == pytest.approx(expected)
    for component in ("data_migration", "project_overrun", "licenses_current"):
        assert stack[component].sum() == pytest.approx(crm_table[component].sum())
    cash = sum(stack[c].sum() for c in CASH_COMPONENTS)
    assert cash_total(stack) == pytest.approx(cash)


need_sets = st.fixed_dictionaries(
    {},
    optional={
        "opportunity_management": st.just("must"),
        "case_management": st.just("must"),
        "dashboards": st.sampled_from(["must", 1, 5]),
    },
)


@FAST
@given(seller_needs=need_sets, agent_needs=need_sets, viewer_needs=need_sets)
def test_every_role_is_on_exactly_one_product(seller_needs, agent_needs, viewer_needs):
    viewers = {"id": "viewers", "name": "Viewers", "seats": 3, "current_license": "sales"}
    profile = stack_profile(
        roles=[
            SELLERS | {"needs": seller_needs},
            AGENTS | {"needs": agent_needs},
            viewers | {"needs": viewer_needs},
        ]
    )
    result = analyze(profile, CATALOG, samples=0)
    role_ids = ["sellers", "agents", "viewers"]
    for sid in result.scenarios.index[result.scenarios["status"] == "ok"]:
        rows = result.licenses[result.licenses["scenario_id"] == sid]
        assert sorted(rows["role_id"]) == sorted(role_ids)
    for sid, row in result.scenarios[result.scenarios["shape"] != "single"].iterrows():
        rows = result.licenses[result.licenses["scenario_id"] == sid]
        assert rows["product_id"].nunique() == 2
        # Formed only when the CRM alone lacks a must of some roles: exactly those roles are
        # on the second product (the problems name them "Role: ...").
        single = result.scenarios.loc[f"switch:{row['product_id']}/{row['tier_id']}"]
        assert single["status"] == "infeasible"
        lacking = {r for r in ("Sellers", "Agents", "Viewers") if f"{r}:" in single["problems"]}
        assert set(rows.loc[rows["product_id"] != row["product_id"], "role"]) == lacking


@settings(max_examples=7, deadline=None)
@given(cap=st.integers(0, 6))
def test_no_combination_is_listed_beyond_the_cap(cap):
    profile = load_profile(catalog=BUNDLED)
    product = BUNDLED.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "COMBINATIONS_LISTED", cap)
        listed, unlisted = combination_plans(current, BUNDLED)
    stacks = [p for p in listed if p.shape == "stack"]
    partials = [p for p in listed if p.shape == "partial"]
    assert len(stacks) <= cap and len(partials) <= cap
    # The count of feasible product pairs does not depend on the cap.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "COMBINATIONS_LISTED", 1_000)
        everything, none_left = combination_plans(current, BUNDLED)
    assert none_left == 0
    assert len(listed) + unlisted == len(everything)
    # The listed ones are the cheapest of each shape.
    totals = {p.id: decision_total(monthly_cash_flows(p.items, profile)) for p in everything}
    for shape, shown in (("stack", stacks), ("partial", partials)):
        ranked = sorted(totals[p.id] for p in everything if p.shape == shape)
        assert [totals[p.id] for p in shown] == pytest.approx(ranked[:cap])


@FAST
@given(
    prices=st.tuples(*[st.integers(5, 200) for _ in range(4)]),
    sellers=st.integers(1, 30),
    agents=st.integers(1, 30),
)
def test_the_cheapest_tier_pair_is_kept(prices, sellers, agents):
    """Quoted net prices reorder the tiers; the one stack listed is the pair with the lowest
    decision total among all four tier pairs, each costed on its own."""
    tiers = [("sellco", "basic"), ("sellco", "pro"), ("helpdesk", "team"), ("helpdesk", "growth")]
    quotes = [
        {"product": p, "tier": t, "amount": amount, "currency": "USD"}
        for (p, t), amount in zip(tiers, prices, strict=True)
    ]
    seller_role = SELLERS | {"seats": sellers, "needs": {"opportunity_management": "must"}}
    agent_role = AGENTS | {"seats": agents, "needs": {"case_management": "must"}}
    profile = stack_profile(quotes=quotes, roles=[seller_role, agent_role])
    result = analyze(profile, CATALOG, samples=0)
    stacks = result.scenarios[result.scenarios["shape"] == "stack"]
    assert len(stacks) == 1
    product = CATALOG.product("cloudforce")
    current = Current(profile, product, product.tier("enterprise"))
    sellers_only, agents_only = profile.roles[:1], profile.roles[1:]
    totals = {}
    for crm_tier in ("basic", "pro"):
        for desk_tier in ("team", "growth"):
            crm = CATALOG.product("sellco")
            desk = CATALOG.product("helpdesk")
            parts = (
                license_mix(profile, crm, crm.tier(crm_tier), roles=sellers_only),
                license_mix(profile, desk, desk.tier(desk_tier), roles=agents_only),
            )
            plan = stack_plan(current, parts, "x")
            totals[crm_tier, desk_tier] = decision_total(monthly_cash_flows(plan.items, profile))
    assert stacks["total"].iloc[0] == pytest.approx(min(totals.values()))
    chosen = (stacks["tier_id"].iloc[0], stacks.index[0].split("/")[-1])
    assert totals[chosen] == pytest.approx(min(totals.values()))


# --- Golden: the partial switch's exit plan, date by date -----------------------------------


def test_partial_switch_exit_plan_date_by_date(result):
    # Term 2024-06-01 .. 2027-05-31, 30 days' notice: N = 2027-05-01, the reduced contract
    # starts X = 2027-06-01. Go-live 2027-04-01, the sellers need the old system until
    # 2027-05-01. Cloudforce gives no export cycle: 29 days are assumed, so the final export is
    # at most X - (29 + 7) days = 2027-04-26 (before the cutover 2027-05-01).
    # Seats: 10 + 5 bought, 4 kept -> reduce by 11.
    plan = exit_plan(result, PARTIAL)
    assert list(zip(plan["date"], plan["step"], strict=True)) == [
        (D(2026, 12, 1), "Baseline full data export"),  # the project's start
        (D(2027, 3, 2), "Renewal window opens"),  # 2027-05-31 - 90 days
        (D(2027, 4, 1), "Send written notice to reduce seats by 11 (recommended)"),  # N - 30
        (D(2027, 4, 1), "Check integrations and API access"),  # with the notice
        (D(2027, 4, 1), "Go-live on the new CRM"),  # 2026-12-01 + 4 months
        (D(2027, 4, 15), "Chase the written confirmation"),  # 04-01 + 14
        (D(2027, 4, 24), "Escalate if not confirmed"),  # N - 7 = 04-24 > chase + 7 = 04-22
        (D(2027, 4, 26), "Final full data export"),  # 2027-06-01 - 36 days
        (D(2027, 4, 26), "Retrieve the metadata"),
        (D(2027, 4, 27), "Verify the export"),  # the next day
        (D(2027, 5, 1), "Hard notice deadline"),
        (D(2027, 5, 1), "Freeze the moved users on the old CRM"),  # overlap ends
        (D(2027, 5, 1), "Reassign the moved users' records"),  # max(export + 2, freeze)
        (D(2027, 5, 2), "Deactivate the moved users"),  # the day after, before X
        (D(2027, 6, 1), "Reduced contract takes effect"),  # X
        (D(2027, 6, 1), "Check the first invoice"),  # the renewal invoice on X
    ]
    assert not plan["warning"].any()
    detail = plan.set_index("step")["detail"]
    assert "Sellers" in detail["Deactivate the moved users"]
    assert "Agents" not in detail["Deactivate the moved users"]
    assert "4 seats of Enterprise remain for Agents" in detail["Reduced contract takes effect"]
    # The org is kept: no end of access, no data-return window, no cancellation.
    steps = set(plan["step"])
    assert not steps & {"Old CRM access ends", "Last day to request missing data"}
    assert not any("Cancel" in step for step in steps)


def test_stack_exit_plan_is_the_switch_plan(result):
    # A stack leaves the old contract as a single switch does: access ends at the term end.
    plan = exit_plan(result, STACK)
    ends = plan.set_index("step")["date"]
    assert ends["Old CRM access ends"] == D(2027, 6, 1)
    assert ends["Last day to request missing data"] == D(2027, 7, 1)  # 30 days after X
    assert ends["Send written cancellation notice (recommended)"] == D(2027, 4, 1)


def test_a_stack_winner_says_which_roles_go_on_which_product():
    # Staying at 400 a sales seat and weighing cost alone makes the stack (the cheapest) win.
    current = stack_profile().current.model_dump(mode="json")
    current["prices"] = {"sales": 400, "service": 150}
    weights = {"cost": 1, "fit": 0.0001, "effort": 0.0001}
    result = analyze(stack_profile(current=current, criteria_weights=weights), CATALOG, samples=0)
    assert result.recommendation.scenario_id == STACK
    assert "Sellers on Sellco Basic; Agents on Helpdesk Team." in result.recommendation.reasons


def test_a_stack_leaves_the_old_contract_as_a_single_switch_does(catalog):
    # A prorated refund with a 10% fee: the bundled example's switches may leave early. The
    # old contract's items do not depend on the target, so every stack's equal the single
    # switch's, month by month.
    profile = load_profile(catalog=catalog)
    contract = profile.current.contract.model_copy(
        update={"refund": "prorated", "early_termination_fee_pct": 10}
    )
    current = profile.current.model_copy(update={"contract": contract})
    result = analyze(profile.model_copy(update={"current": current}), catalog, samples=0)
    rows = result.scenarios
    single = result.best("switch", shape="single")
    stacks = rows.index[(rows["shape"] == "stack") & (rows["status"] == "ok")]
    assert len(stacks) > 0
    # Needed until 2027-05-01 inside the term to 2027-08-31: the refund of the unused months
    # less the fee beats paying to the term end.
    assert rows.loc[single, "exit_kind"] == "early"
    # A partial switch never leaves early: the contract continues, reduced, at the term end.
    partials = rows[rows["shape"] == "partial"]
    assert set(partials["exit_kind"]) == {"term_end"}
    assert set(partials["exit_date"]) == {dt.date(2027, 9, 1)}
    old = ["licenses_current", "refund", "termination_fee"]
    for sid in stacks:
        assert rows.loc[sid, ["exit_kind", "exit_date"]].tolist() == (
            rows.loc[single, ["exit_kind", "exit_date"]].tolist()
        )
        assert result.monthly[sid][old].equals(result.monthly[single][old])


def test_project_seats_of_a_stack_respect_each_tiers_minimum():
    # 5 project seats from the roles in profile order: reps 4, then 1 of the agents'. The
    # desk's tier asks for at least 3 seats: it gets 3 (of the agents' 6), the CRM keeps 4.
    role = lambda role_id, seats: SimpleNamespace(role=SimpleNamespace(id=role_id, seats=seats))  # noqa: E731
    limits = lambda least: SimpleNamespace(limits=SimpleNamespace(min_seats=least))  # noqa: E731
    crm = SimpleNamespace(roles=(role("reps", 4),), tier=limits(None))
    desk = SimpleNamespace(roles=(role("agents", 6),), tier=limits(3))
    order = ["reps", "agents"]
    assert stack_project_allocation((crm, desk), 5, order) == [{"reps": 4}, {"agents": 3}]
    # With the agents first in the profile, they take all 5; the CRM still gets one seat.
    assert stack_project_allocation((crm, desk), 5, order[::-1]) == [{"reps": 1}, {"agents": 5}]
    # No project seats at all: none on either product (a tier minimum still applies).
    assert stack_project_allocation((crm, desk), 0, order) == [{"reps": 0}, {"agents": 3}]
