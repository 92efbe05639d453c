"""Catalog: every product, edition and license type with its price, source and date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analyzer.catalog import STALE_AFTER_MONTHS, Catalog
from analyzer.profile_edits import with_staleness
from app_pages import state


def blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as an empty cell rather than the word "None"."""
    text = frame.select_dtypes(include=["object", "string"]).columns
    return frame.assign(**{column: frame[column].fillna("") for column in text})


@st.cache_resource(max_entries=8, show_spinner=False)
def price_tables(
    analysis_start: dt.date, catalog_id: int, _catalog: Catalog
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalog's prices judged at ``analysis_start``: the table the filters read and the same
    rows as shown (missing text empty). Built once per catalog (``catalog_id``) and date for
    every session: the catalog never changes, and neither table is changed after."""
    prices = with_staleness(_catalog.to_frame(analysis_start), analysis_start)
    return prices, blank_cells(prices)


@st.cache_resource(max_entries=2, show_spinner=False)
def feature_table(catalog_id: int, _catalog: Catalog) -> pd.DataFrame:
    """The catalog's features as shown (missing text empty), built once per catalog."""
    return blank_cells(pd.DataFrame([f.model_dump() for f in _catalog.features]))


catalog = state.catalog()
analysis_start = state.profile().analysis_start
prices, shown_prices = price_tables(analysis_start, id(catalog), catalog)
KINDS = {"crm": "CRM", "service_desk": "Service desk"}
CONFIDENCE = {
    "vendor": "vendor (read on the vendor's page)",
    "secondary": "secondary (dated third-party copy)",
    "estimate": "estimate (modelled, see the catalog note)",
}

st.title("Catalog")
st.caption(
    "List prices as published, per user per month unless the unit says otherwise. Each price "
    f"links to its source; prices read more than {STALE_AFTER_MONTHS} months before the "
    "analysis start are flagged as possibly stale. Confidence says how each price was read: on "
    "the vendor's own page, from a dated third-party copy, or estimated."
)
prices_tab, features_tab = st.tabs(["Prices", "Features"])
with prices_tab:
    left, middle, right = st.columns([2, 2, 1])
    products = left.multiselect(
        "Products", sorted(prices["product"].unique()), placeholder="All products"
    )
    search = middle.text_input("Search editions and license types", placeholder="e.g. platform")
    full_only = right.toggle("Full seats only")
    hide_not_sold = right.toggle("Hide products no longer sold", value=True)
    kind_column, confidence_column, stale_column = st.columns([1, 2, 1])
    kinds = kind_column.multiselect(
        "Kind", list(KINDS), format_func=KINDS.get, placeholder="CRMs and service desks"
    )
    confidences = confidence_column.multiselect(
        "Confidence", list(CONFIDENCE), format_func=CONFIDENCE.get, placeholder="Any confidence"
    )
    staleness = stale_column.radio(
        "Age", ["All prices", "Current only", "Possibly stale only"], horizontal=False
    )
    keep = pd.Series(True, index=prices.index)
    if products:
        keep &= prices["product"].isin(products)
    if search:
        text = prices["tier"] + " " + prices["license_type"]
        keep &= text.str.contains(search, case=False, regex=False)
    if full_only:
        keep &= prices["full_seat"]
    if hide_not_sold:
        keep &= prices["status"] == "active"
    if kinds:
        keep &= prices["kind"].isin(kinds)
    if confidences:
        keep &= prices["confidence"].isin(confidences)
    if staleness == "Current only":
        keep &= ~prices["stale"]
    elif staleness == "Possibly stale only":
        keep &= prices["stale"]
    stale = int((keep & prices["stale"]).sum())
    if stale:
        st.warning(f"{stale} of the prices shown are older than {STALE_AFTER_MONTHS} months.")
    st.dataframe(
        shown_prices[keep],
        hide_index=True,
        column_order=[
            "product",
            "tier",
            "license_type",
            "amount",
            "currency",
            "unit",
            "billing",
            "quote_only",
            "as_of",
            "stale",
            "confidence",
            "kind",
            "source",
        ],
        column_config={
            "product": "Product",
            "tier": "Edition",
            "license_type": "License type",
            "amount": st.column_config.NumberColumn("Price", format="%.2f"),
            "currency": "Currency",
            "unit": "Unit",
            "billing": "Billing",
            "quote_only": st.column_config.CheckboxColumn("Quote only"),
            "as_of": st.column_config.DateColumn("As of", format="YYYY-MM-DD"),
            "stale": st.column_config.CheckboxColumn("Possibly stale"),
            "confidence": "Confidence",
            "kind": "Kind",
            "source": st.column_config.LinkColumn("Source", display_text="source"),
        },
        key="prices",
    )
with features_tab:
    st.dataframe(
        feature_table(id(catalog), catalog),
        hide_index=True,
        column_config={
            "id": "Id",
            "name": "Feature",
            "category": "Category",
            "description": st.column_config.TextColumn("Description", width="large"),
        },
        key="features",
    )
