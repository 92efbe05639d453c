"""The one exceptions module: located problems, sorted, and a hierarchy the CLI and app catch."""

from analyzer.errors import (
    AnalyzerError,
    InputError,
    Problem,
    ScenarioError,
    ScoringError,
    TooFewRankedOptions,
)


def test_a_problem_reads_path_line_column_field_and_message():
    assert str(Problem("p.yaml", 3, 7, "roles.0.seats", "must be 0 or more")) == (
        "p.yaml:3:7: roles.0.seats: must be 0 or more"
    )
    # Without a field the message follows the location directly.
    assert str(Problem("p.yaml", 1, 1, "", "file is empty")) == "p.yaml:1:1: file is empty"


def test_an_input_error_lists_every_problem_in_file_and_line_order():
    late = Problem("b.yaml", 9, 1, "x", "late")
    early = Problem("a.yaml", 2, 5, "y", "early")
    error = InputError([late, early])
    assert error.problems == [early, late]
    assert str(error) == "a.yaml:2:5: y: early\nb.yaml:9:1: x: late"


def test_every_error_a_user_can_cause_is_an_analyzer_error():
    for kind in (InputError, ScenarioError, ScoringError, TooFewRankedOptions):
        assert issubclass(kind, AnalyzerError)
    # Scoring errors stay ValueErrors for code that caught those before.
    assert issubclass(ScoringError, ValueError)
