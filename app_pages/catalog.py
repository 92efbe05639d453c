"""Catalog: every product, edition and license type with its price, source and date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analyzer.catalog import STALE_AFTER_MONTHS
from analyzer.profile_edits import with_staleness
from app_pages import state


def blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as an empty cell rather than the word "None"."""
    text = frame.select_dtypes(include=["object", "string"]).columns
    return frame.assign(**{column: frame[column].fillna("") for column in text})


catalog = state.catalog()
analysis_start = state.profile().analysis_start
prices = with_staleness(catalog.to_frame(analysis_start), analysis_start)
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
    shown = prices
    if products:
        shown = shown[shown["product"].isin(products)]
    if search:
        text = shown["tier"] + " " + shown["license_type"]
        shown = shown[text.str.contains(search, case=False, regex=False)]
    if full_only:
        shown = shown[shown["full_seat"]]
    if hide_not_sold:
        shown = shown[shown["status"] == "active"]
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if confidences:
        shown = shown[shown["confidence"].isin(confidences)]
    if staleness == "Current only":
        shown = shown[~shown["stale"]]
    elif staleness == "Possibly stale only":
        shown = shown[shown["stale"]]
    stale = int(shown["stale"].sum())
    if stale:
        st.warning(f"{stale} of the prices shown are older than {STALE_AFTER_MONTHS} months.")
    st.dataframe(
        blank_cells(shown),
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
        blank_cells(pd.DataFrame([f.model_dump() for f in catalog.features])),
        hide_index=True,
        column_config={
            "id": "Id",
            "name": "Feature",
            "category": "Category",
            "description": st.column_config.TextColumn("Description", width="large"),
        },
        key="features",
    )
