"""The examples in the reports package's docstrings run and hold."""

import doctest

import pytest

from analyzer import reports
from analyzer.reports import markdown, tables, xlsx


@pytest.mark.parametrize("module", [reports, tables, markdown, xlsx], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0
