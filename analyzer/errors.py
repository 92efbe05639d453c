"""The one exceptions module: every bad input becomes a typed error with a human message.

A :class:`Problem` names the file, line, column and field path of one defect. A
:class:`InputError` carries every problem found in one run, so a user fixes them all at once
instead of one per attempt. The CLI turns it into exit code 2; the app into ``st.error``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in an input file: ``path:line:col: field.path: message``."""

    path: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{self.col}:{field} {self.message}"


class AnalyzerError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(AnalyzerError):
    """One or more problems in user-supplied input (catalog, profile, upload)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ScenarioError(AnalyzerError):
    """A request the engine cannot answer (for example an unknown scenario id)."""


class ScoringError(AnalyzerError, ValueError):
    """Weights or scoring input that cannot be used (negative, all zero, an unknown criterion)."""


class TooFewRankedOptions(ScenarioError):
    """Rank stability compares options, and fewer than two can be ranked."""
