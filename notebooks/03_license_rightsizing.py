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
# # License right-sizing within the current product
#
# Before looking elsewhere: what would the same vendor cost with the right license per role and
# no unused seats? This notebook lists the license mix each edition offers the roles, what each
# downgrade saves against staying, and the evidence to bring to the renewal negotiation: the
# dates that bound it, the seats paid for and not used, and the price paid against list.

# %%
import pandas as pd

from analyzer import analyze, load_catalog, load_profile
from analyzer.charts import contract_timeline, cumulative_cost_chart
from analyzer.formatting import money

# %% tags=["parameters"]
profile_path = None  # None: the bundled example, examples/acme-enterprise.yaml

# %%
catalog = load_catalog()
profile = load_profile(profile_path, catalog=catalog)
result = analyze(profile, catalog)
currency = profile.currency
scenarios = result.scenarios
downgrades = scenarios[scenarios["kind"] == "downgrade"]
print(f"{scenarios.loc['stay', 'label']}: {len(downgrades)} editions up to it considered.")

# %% [markdown]
# ## The license mix per role
#
# Each role gets the cheapest license type of the edition that covers all its must-haves (an
# add-on is bought where a must is only sold as one). Stay is the seats held today.

# %%
mix_ids = ["stay", *downgrades.index[downgrades["status"] == "ok"]]
mix = result.licenses[result.licenses["scenario_id"].isin(mix_ids)]
money_columns = ["price", "monthly_cost"]
(
    mix.assign(scenario=mix["scenario_id"].map(scenarios["label"]))
    .set_index(["scenario", "role"])[
        ["seats", "license_type", "addons", "price", "monthly_cost", "fit"]
    ]
    .style.format(lambda amount: money(amount, currency, 2), subset=money_columns)
    .format("{:.0%}", subset="fit")
)

# %% [markdown]
# Editions that cannot serve the roles, and why:

# %%
downgrades.loc[downgrades["status"] != "ok", ["label", "problems"]]

# %% [markdown]
# ## Savings against staying
#
# Totals over the horizon and their net present value; a positive saving is money kept. The fit
# change says what the roles give up (negative) or gain for it.

# %%
savings = scenarios.loc[mix_ids, ["label", "effective_date", "total", "npv", "saving_vs_stay"]]
savings["fit change"] = scenarios.loc[mix_ids, "fit"] - scenarios.loc["stay", "fit"]
savings.style.format(
    lambda amount: money(amount, currency), subset=["total", "npv", "saving_vs_stay"]
).format(lambda change: f"{100 * change:+.1f} points", subset="fit change")

# %%
cumulative_cost_chart(result, scenario_ids=mix_ids)

# %% [markdown]
# ## Evidence for the renewal negotiation
#
# ### The dates
#
# Notice given after the deadline renews the contract as it is, uplift included. Give notice (or
# the counter-proposal) by the recommended date to leave room for a reply.

# %%
dates = result.decision_key_dates[["event", "date"]].copy()
dates["days from analysis start"] = (
    pd.to_datetime(dates["date"]) - pd.Timestamp(profile.analysis_start)
).dt.days
dates.set_index("event")

# %%
contract_timeline(result, "stay")

# %% [markdown]
# ### Unused seats and the price paid
#
# Seats bought per license type against the seats the roles use, and the price paid per seat
# against today's list price. Unused seats are the easiest saving to argue: they are dropped at
# the renewal in every downgrade scenario.

# %%
# The analysis's own table: prices paid (else list) in the profile's currency, quotes included.
seats = result.seat_usage.set_index("license_type").drop(columns="license_type_id")
seats["discount off list"] = 1 - seats["price_paid"] / seats["list_price"]
seats.style.format(
    lambda amount: money(amount, currency, 2), subset=["list_price", "price_paid"]
).format(lambda amount: money(amount, currency), subset="unused_cost_per_year").format(
    "{:.0%}", subset="discount off list"
)

# %%
unused_cost = seats["unused_cost_per_year"].sum()
print(
    f"{seats['unused'].sum()} seats are paid for and not used: "
    f"{money(unused_cost, currency)} a year at today's price."
)
best = result.best("downgrade")
if best is not None:
    print(
        f"Best right-sizing: {scenarios.loc[best, 'label']}, saving "
        f"{money(scenarios.loc[best, 'saving_vs_stay'], currency)} over "
        f"{profile.horizon_months} months against staying, from "
        f"{scenarios.loc[best, 'effective_date']}."
    )
deadline = dates.set_index("event").loc["Notice deadline", "date"]
print(f"Notice deadline: {deadline}.")
