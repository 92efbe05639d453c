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
# # License waste from the org's own export
#
# For procurement before a renewal: read the Salesforce weekly Data Export and the small license
# extract (the queries are in the README's *Org scan* section), find the seats paid for and not
# used, price them a year at the profile's prices, and write the profile the scan suggests.
# Without an export of your own, a seeded synthetic org is generated, so every figure below can
# be checked against what was planted in it.

# %%
import tempfile
from pathlib import Path

import pandas as pd

from analyzer import load_catalog, load_profile
from analyzer.formatting import money
from analyzer.orgscan import ScanOptions, scan_org
from analyzer.orgscan.money import suggested_seats, updated_profile, waste
from analyzer.orgscan.synth import generate_org

# %% tags=["parameters"]
export_path = None  # a folder or ZIP parts of your export; None: a generated synthetic org
profile_path = None  # None: the bundled example, examples/acme-enterprise.yaml
inactive_days = 90
grace_days = 30

# %%
if export_path is None:
    export_path = Path(tempfile.mkdtemp(prefix="synthetic-org-"))
    plan = generate_org(export_path, seed=42, scale=3)
    print(f"Generated a synthetic org with {len(plan.users)} users in {export_path}")
document = scan_org([export_path], ScanOptions(inactive_days, grace_days))
catalog = load_catalog()
profile = load_profile(profile_path, catalog=catalog)
currency = profile.currency
print(f"Org {document['org_id']} as of {document['as_of']}: {len(document['scanned_files'])} files")

# %% [markdown]
# ## Licenses: purchased, assigned, used
#
# *Active* users had a human login (not an API login) in the last `inactive_days` days;
# *inactive* ones did not, and users created in the last `grace_days` days are never flagged.

# %%
pd.DataFrame(document["licenses"]).set_index("license")

# %% [markdown]
# ## The money wasted a year
#
# Unassigned seats and inactive users are certain waste. Integration users on full seats and
# Platform candidates are estimates: review them before acting.

# %%
lines = waste(document, profile, catalog)
table = pd.DataFrame([vars(line) for line in lines])
certain = table.loc[~table["estimate"], "annual_cost"].sum()
estimated = table.loc[table["estimate"], "annual_cost"].sum()
print(
    f"Certain waste: {money(certain, currency)} a year; estimated further: "
    f"{money(estimated, currency)}"
)
table.round(2)

# %% [markdown]
# ## Who to review

# %%
pd.DataFrame(document["users"]["inactive"])

# %%
pd.DataFrame(
    [
        {**u, "finding": "integration user on a full seat"}
        for u in document["users"]["integration_on_full_license"]
    ]
    + [
        {**u, "finding": "Platform candidate (estimate)"}
        for u in document["users"]["platform_candidates"]
    ]
)

# %% [markdown]
# ## The profile the scan suggests
#
# Seats kept = assigned minus inactive, split over the profile's license types as today;
# migration records = the records in the export. Everything else in the profile is unchanged.

# %%
seats = suggested_seats(document, profile, catalog)
pd.DataFrame({"today": pd.Series(dict(profile.current.seats)), "suggested": pd.Series(seats)})

# %%
suggested = updated_profile(document, profile, catalog)
print(f"migration.records: {profile.migration.records:,} -> {suggested.migration.records:,}")
print(f"Backup complete: {document['backup']['complete']}; storage {document['storage']}")
