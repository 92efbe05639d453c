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
# # Quickstart: stay, downgrade or switch?
#
# Load the product catalog and an organisation's profile, cost and rank every scenario, and read
# the recommendation with its reasons. Everything below calls the `analyzer` library, the same
# code the app and the CLI run.
#
# Set `profile_path` to your own profile (built in the app and downloaded, or written by hand);
# `None` uses the bundled example, a Salesforce Enterprise org before its renewal.

# %%
from analyzer import analyze, load_catalog, load_profile
from analyzer.charts import cost_breakdown_chart, cumulative_cost_chart
from analyzer.formatting import money

# %% tags=["parameters"]
profile_path = None  # None: the bundled example, examples/acme-enterprise.yaml
top = 10  # scenarios shown in the ranking table

# %%
catalog = load_catalog()
profile = load_profile(profile_path, catalog=catalog)
result = analyze(profile, catalog)
currency = profile.currency
ranked = result.scenarios["rank"].notna().sum()
print(
    f"{profile.name}: {len(result.scenarios)} scenarios over {profile.horizon_months} months "
    f"from {profile.analysis_start}, {ranked} ranked, the others infeasible or needing a quote."
)

# %% [markdown]
# ## The recommendation
#
# The best-ranked scenario, why it wins against staying, and the deadlines not to miss.

# %%
recommendation = result.recommendation
print(recommendation.headline)
print()
for reason in recommendation.reasons:
    print(f"- {reason}")
for warning in recommendation.warnings:
    print(f"Warning: {warning}")

# %% [markdown]
# ## The ranking
#
# Total cost over the horizon, its net present value, the saving against Stay (positive: cheaper
# than staying), the seat-weighted feature fit (0 to 1) and the weighted score.

# %%
money_columns = ["total", "npv", "saving_vs_stay", "one_time_total"]
(
    result.scenarios.head(top)[["rank", "label", "fit", *money_columns, "score"]]
    .set_index("rank")
    .style.format(lambda amount: money(amount, currency), subset=money_columns)
    .format("{:.0%}", subset="fit")
    .format("{:.3f}", subset="score")
)

# %% [markdown]
# Scenarios that are not ranked, and why: a must-have a role does not get, a seat limit, or a
# tier that is sold only on quote (add the quote to the profile's `quotes` to cost it).

# %%
unranked = result.scenarios[result.scenarios["rank"].isna()]
unranked[["label", "status", "problems"]].head(top)

# %% [markdown]
# ## Cumulative cost
#
# Money out, month by month. Where a line crosses below Stay's and stays there is its break-even
# month.

# %%
cumulative_cost_chart(result)

# %% [markdown]
# ## Where the money goes
#
# Each scenario's total split into licenses, add-ons and the one-time costs of changing:
# migration, integrations, customization, training and exit fees.

# %%
cost_breakdown_chart(result)
