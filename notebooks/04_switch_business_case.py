# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The business case for switching
#
# The best-ranked alternatives against staying: cost over the horizon and its net present value,
# the one-time cost of moving, when the switch pays for itself, how sure the ranking is, and the
# report to hand to the CFO (HTML that opens offline, and a spreadsheet).

# %%
import tempfile
from pathlib import Path

import pandas as pd

from analyzer import analyze, exit_plan, load_catalog, load_profile
from analyzer.charts import (
    contract_timeline,
    cost_breakdown_chart,
    cumulative_cost_chart,
    rank_stability_chart,
    tornado_chart,
)
from analyzer.formatting import money
from analyzer.reports import report_html, report_xlsx

# %% tags=["parameters"]
profile_path = None  # None: the bundled example, examples/acme-enterprise.yaml
alternatives = 3  # best-ranked switch scenarios compared with staying
samples = 2000  # Monte Carlo samples for rank stability
seed = 0  # Monte Carlo seed, for reproducible probabilities
output_dir = None  # folder for the exported reports; None: a new temporary folder

# %%
catalog = load_catalog()
profile = load_profile(profile_path, catalog=catalog)
result = analyze(profile, catalog, samples=samples, seed=seed)
currency = profile.currency
scenarios = result.scenarios
switches = scenarios[(scenarios["kind"] == "switch") & scenarios["rank"].notna()]
if switches.empty:
    raise ValueError(
        "No switch scenario is ranked: every alternative misses a must-have or needs a quote "
        "(01_quickstart lists why)."
    )
case_ids = ["stay", *switches.index[:alternatives]]
print(f"Comparing {', '.join(scenarios.loc[case_ids, 'label'])}.")

# %% [markdown]
# ## Cost over the horizon
#
# Break-even is the month (from the analysis start) from which the switch's cumulative cost
# stays at or below Stay's; empty means never within the horizon.

# %%
money_columns = ["total", "npv", "one_time_total", "exit_costs", "saving_vs_stay"]
case = scenarios.loc[
    case_ids,
    ["rank", "label", "fit", *money_columns, "break_even_month", "go_live", "exit_date"],
]
case.style.format(lambda amount: money(amount, currency), subset=money_columns).format(
    "{:.0%}", subset="fit"
)

# %% [markdown]
# The totals by cost component:

# %%
components = (
    result.cash_flows[result.cash_flows["scenario_id"].isin(case_ids)]
    .pivot_table(index="component", columns="scenario_id", values="amount", aggfunc="sum")
    .reindex(columns=case_ids)
    .rename(columns=scenarios["label"])
)
components = components[(components != 0).any(axis=1)]
components.style.format(lambda amount: money(amount, currency))

# %%
cumulative_cost_chart(result, scenario_ids=case_ids)

# %%
cost_breakdown_chart(result, scenario_ids=case_ids)

# %% [markdown]
# ## How sure is the ranking?
#
# Weights drawn around the profile's and costs drawn within their uncertainty (renewal uplift,
# migration overrun of up to 60%): the probability that each scenario ranks first. The tornado
# shows which single weight, moved from its low to its high value, moves the leader's score most.

# %%
sensitivity = result.sensitivity  # the rank stability every analysis carries
pd.DataFrame(
    {
        "label": scenarios.loc[case_ids, "label"],
        "P(first)": sensitivity.monte_carlo.p_first.reindex(case_ids),
        "expected rank": sensitivity.monte_carlo.expected_rank.reindex(case_ids),
    }
).style.format({"P(first)": "{:.1%}", "expected rank": "{:.2f}"})

# %%
rank_stability_chart(sensitivity)

# %%
tornado_chart(sensitivity)

# %% [markdown]
# ## Leaving the current contract
#
# The dated steps for the best alternative: notice, the last full data export, offboarding and
# the billing statements to watch.

# %%
best_switch = result.best("switch")
exit_plan(result, best_switch)

# %%
contract_timeline(result, best_switch)

# %% [markdown]
# ## The report
#
# The same numbers, tables and charts as one self-contained HTML file and one spreadsheet.

# %%
folder = Path(output_dir) if output_dir is not None else Path(tempfile.mkdtemp())
folder.mkdir(parents=True, exist_ok=True)
html_path = folder / "business-case.html"
xlsx_path = folder / "business-case.xlsx"
html_path.write_text(report_html(result), encoding="utf-8")
xlsx_path.write_bytes(report_xlsx(result))
print(f"HTML report: {html_path}")
print(f"Spreadsheet: {xlsx_path}")
