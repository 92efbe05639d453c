"""Org scan (DESIGN section 8): the customer's own Salesforce export turned into facts.

:func:`scan_org` reads a weekly Data Export (folder or ``WE_<OrgId>_<n>.ZIP`` parts) and/or a
license extract, streaming, and returns the org-scan document; :mod:`analyzer.orgscan.money`
prices the waste at a profile's prices and suggests the profile's seats and migration volume.
"""

from analyzer.orgscan.analysis import SCHEMA_VERSION, ScanOptions
from analyzer.orgscan.scan import scan_org
from analyzer.orgscan.values import OrgScanError

__all__ = ["SCHEMA_VERSION", "OrgScanError", "ScanOptions", "scan_org"]
