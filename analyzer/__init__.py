"""CRM exit and license-cost analyzer: stay, downgrade or switch, in one honest model.

>>> import analyzer
>>> catalog = analyzer.load_catalog()
>>> result = analyzer.analyze(analyzer.load_profile(catalog=catalog), catalog)
>>> result.recommendation.scenario_id in result.scenarios.index
True

The names below are imported on first use (PEP 562): ``import analyzer`` alone loads nothing,
so the ``crm-analyzer`` console script (:mod:`analyzer.console`) decides how pandas and the
models are loaded before anything loads them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult, analyze
    from analyzer.catalog import Catalog, load_catalog
    from analyzer.errors import AnalyzerError, InputError, Problem
    from analyzer.profile import Profile, dump_profile, load_profile, parse_profile

    exit_plan = AnalysisResult.exit_plan

_HOMES = {
    "AnalysisResult": "analyzer.analysis",
    "analyze": "analyzer.analysis",
    "Catalog": "analyzer.catalog",
    "load_catalog": "analyzer.catalog",
    "AnalyzerError": "analyzer.errors",
    "InputError": "analyzer.errors",
    "Problem": "analyzer.errors",
    "Profile": "analyzer.profile",
    "dump_profile": "analyzer.profile",
    "load_profile": "analyzer.profile",
    "parse_profile": "analyzer.profile",
}
"""Where each public name lives."""


def __getattr__(name: str) -> Any:
    """The public names, imported when first used.

    ``exit_plan(result, scenario_id)`` is :meth:`AnalysisResult.exit_plan`: the dated checklist
    of one scenario of a result.
    """
    if name == "exit_plan":
        return import_module("analyzer.analysis").AnalysisResult.exit_plan
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
