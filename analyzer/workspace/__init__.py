"""Saved analyses (DESIGN section 9): a workspace that remembers, compares and re-runs.

>>> import tempfile, pathlib
>>> from analyzer import load_catalog, load_profile
>>> from analyzer.analysis import analyze
>>> from analyzer.workspace import new_analysis, open_workspace
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "AnalysisDiff": "analyzer.workspace.diff",
    "diff_analyses": "analyzer.workspace.diff",
    "format_diff": "analyzer.workspace.diff",
    "CatalogFingerprint": "analyzer.workspace.record",
    "NewAnalysis": "analyzer.workspace.record",
    "SavedAnalysis": "analyzer.workspace.record",
    "analysis_summary": "analyzer.workspace.record",
    "catalog_fingerprint": "analyzer.workspace.record",
    "current_user": "analyzer.workspace.record",
    "new_analysis": "analyzer.workspace.record",
    "Workspace": "analyzer.workspace.store",
    "WorkspaceError": "analyzer.workspace.store",
    "default_workspace": "analyzer.workspace.store",
    "open_workspace": "analyzer.workspace.store",
    "workspace_url": "analyzer.workspace.store",
}
"""Where each public name lives, imported on first use (PEP 562): every command of the CLI
registers ``workspace``, few use it, and SQLAlchemy takes a while to load."""


def __getattr__(name: str) -> Any:
    """``analyzer.workspace.open_workspace`` and the other public names, loaded when first used."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)


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
