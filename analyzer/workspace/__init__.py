"""Saved analyses (DESIGN section 9): a workspace that remembers, compares and re-runs.

>>> import tempfile, pathlib
>>> from analyzer import load_catalog, load_profile
>>> from analyzer.analysis import analyze
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog, samples=0)
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_workspace(pathlib.Path(folder) / "ws.sqlite3") as workspace:
...         saved = workspace.save(new_analysis(result, catalog, by="ana"))
...         [a.saved_by for a in workspace.list()]
['ana']
"""

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
from analyzer.workspace.store import (
    Workspace,
    WorkspaceError,
    default_workspace,
    open_workspace,
    workspace_url,
)

__all__ = [
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
