"""CRM exit and license-cost analyzer: stay, downgrade or switch, in one honest model.

>>> import analyzer
>>> catalog = analyzer.load_catalog()
>>> result = analyzer.analyze(analyzer.load_profile(catalog=catalog), catalog)
>>> result.recommendation.scenario_id in result.scenarios.index
True
"""

from analyzer.analysis import AnalysisResult, analyze
from analyzer.catalog import Catalog, load_catalog
from analyzer.errors import AnalyzerError, InputError, Problem
from analyzer.profile import Profile, dump_profile, load_profile, parse_profile

exit_plan = AnalysisResult.exit_plan
"""``exit_plan(result, scenario_id)``: the dated checklist of one scenario of a result."""

__all__ = [
    "AnalysisResult",
    "AnalyzerError",
    "Catalog",
    "InputError",
    "Problem",
    "Profile",
    "analyze",
    "dump_profile",
    "exit_plan",
    "load_catalog",
    "load_profile",
    "parse_profile",
]
