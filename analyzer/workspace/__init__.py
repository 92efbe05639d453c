"""Saved analyses (DESIGN section 9): a workspace that remembers, compares and re-runs.

>>> import tempfile, pathlib
>>> from analyzer import load_catalog, load_profile
>>> from analyzer.analysis import analyze
>>> from analyzer.workspace import open_workspace
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog, samples=0)
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_workspace(pathlib.Path(folder) / "ws.sqlite3") as workspace:
...         saved = workspace.save(new_analysis(result, catalog, by="ana"))
...         [a.saved_by for a in workspace.list()]
['ana']
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from analyzer.workspace.diff import AnalysisDiff, diff_analyses, format_diff
from analyzer.workspace.record import (
    CatalogFingerprint,
    NewAnalysis,
    SavedAnalysis,
    analysis_summary,
    catalog_fingerprint,
    current_user,
    new_analysis,
)

_STORE_NAMES = frozenset(
    {"Workspace", "WorkspaceError", "default_workspace", "open_workspace", "workspace_url"}
)
"""Names of :mod:`analyzer.workspace.store`, imported on first use: SQLAlchemy takes a while
to load and most commands of the CLI never open a workspace."""


def __getattr__(name: str) -> Any:
    """``analyzer.workspace.open_workspace`` and the other store names, loaded when first used."""
    if name not in _STORE_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module("analyzer.workspace.store"), name)


WORKSPACE_ENV = "CRM_ANALYZER_WORKSPACE"
"""The environment variable naming the workspace when no ``--workspace`` is given."""

__all__ = [
    "WORKSPACE_ENV",
    "AnalysisDiff",
    "CatalogFingerprint",
    "NewAnalysis",
    "SavedAnalysis",
    "Workspace",
    "WorkspaceError",
    "analysis_summary",
    "catalog_fingerprint",
    "current_user",
    "default_workspace",
    "diff_analyses",
    "format_diff",
    "new_analysis",
    "open_workspace",
    "workspace_url",
]
