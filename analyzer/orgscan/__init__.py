"""Org scan (DESIGN section 8): the customer's own Salesforce export turned into facts.

:func:`scan_org` reads a weekly Data Export (folder or ``WE_<OrgId>_<n>.ZIP`` parts) and/or a
license extract, streaming, and returns the org-scan document; :mod:`analyzer.orgscan.money`
prices the waste at a profile's prices and suggests the profile's seats and migration volume.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "SCHEMA_VERSION": "analyzer.orgscan.analysis",
    "ScanOptions": "analyzer.orgscan.analysis",
    "scan_org": "analyzer.orgscan.scan",
    "OrgScanError": "analyzer.orgscan.values",
}
"""Where each public name lives: imported on first use (PEP 562), so a command that only
registers ``org scan`` does not load the readers (and pyarrow's CSV module)."""

__all__ = ["SCHEMA_VERSION", "OrgScanError", "ScanOptions", "scan_org"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
