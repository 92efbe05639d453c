"""The scan for floats orjson writes its own way finds exactly what a text search finds."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.json import _orjson_own_floats

SHORT_EXPONENT = re.compile(rb"e-[0-9](?![0-9])")


def text_search(encoded: bytes) -> bool:
    """The reference: ``0.0000`` anywhere, or ``e-`` followed by exactly one digit."""
    return b"0.0000" in encoded or SHORT_EXPONENT.search(encoded) is not None


# Texts made of the bytes the patterns are built from, so that near misses are common.
texts = st.lists(st.sampled_from(list(b"0123456789.-e x,\n")), max_size=40).map(bytes)


@given(texts)
@settings(max_examples=3000)
def test_the_scan_agrees_with_a_text_search(encoded):
    assert _orjson_own_floats(encoded) == text_search(encoded)


def test_floats_at_the_edges_of_the_text():
    assert _orjson_own_floats(b"0.0000")  # at the very start and end
    assert _orjson_own_floats(b"e-1")  # exponent digit is the last byte
    assert not _orjson_own_floats(b"e-12")  # two exponent digits: Python's own way
    assert not _orjson_own_floats(b"-1 .0000")  # the dot has no 0 before it
    assert not _orjson_own_floats(b"")
