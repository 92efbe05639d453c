"""CRM exit and license-cost analyzer: stay, downgrade or switch, in one honest model."""

from analyzer.catalog import Catalog, load_catalog
from analyzer.errors import AnalyzerError, InputError, Problem

__all__ = ["AnalyzerError", "Catalog", "InputError", "Problem", "load_catalog"]
