"""The strict reader's shortcuts decide as the checks they stand in front of would."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import yamlio

pytestmark = pytest.mark.skipif(not yamlio.C_COMPOSER, reason="PyYAML built without libyaml")

SMALL_DEPTH = 12
"""A composer depth limit small enough for short generated texts to cross it."""


def reference_fits(text: str) -> bool:
    """:func:`yamlio._fits_c_composer` as first written: every start found by the pattern."""
    if len(text) > yamlio.C_COMPOSER_MAX_CHARACTERS:
        return False
    if yamlio._ANCHOR_OR_ALIAS.search(text):
        return False
    if text.count("[") + text.count("{") > yamlio.C_COMPOSER_MAX_DEPTH:
        return False
    return yamlio._nesting_bound(text) <= yamlio.C_COMPOSER_MAX_DEPTH


@settings(max_examples=400)
@given(st.text(alphabet=" \t\n-?:!&*[{ab", max_size=60))
def test_the_c_composer_is_chosen_as_before(text):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "C_COMPOSER_MAX_DEPTH", SMALL_DEPTH)
        assert yamlio._fits_c_composer(text) == reference_fits(text)


def test_a_tag_can_carry_a_block_start_past_the_longest_line(monkeypatch):
    # "!t" then a line feed then 20 letters and a space: the tag pattern runs over the line
    # feed, so the start found ends at column 24, beyond the 21 characters of the longest line;
    # the bound is 2 * (24 + 1) = 50, over the limit of 40.
    monkeypatch.setattr(yamlio, "C_COMPOSER_MAX_DEPTH", 40)
    text = "!t\n" + "a" * 20 + " "
    assert yamlio._nesting_bound(text) == 50
    assert not yamlio._fits_c_composer(text)


def ordered_walk_passes(node: yaml.Node) -> bool:
    """Whether the walk in document order finds nothing over the limits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "_within_limits", lambda root: False)
        try:
            yamlio._check_tree(node)
        except yaml.MarkedYAMLError:
            return False
    return True


documents = st.recursive(
    st.integers(0, 9),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("abcdef"), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from("abc"), documents, min_size=1),
    st.integers(1, 40),
    st.integers(0, 6),
)
def test_the_level_count_agrees_with_the_ordered_walk(data, nodes, nesting):
    node = yaml.compose(yaml.safe_dump(data), Loader=yaml.CSafeLoader)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlio, "MAX_NODES", nodes)
        patch.setattr(yamlio, "MAX_NESTING", nesting)
        assert yamlio._within_limits(node) == ordered_walk_passes(node)


def test_the_limits_are_met_exactly(monkeypatch):
    # {a: [1, 2]}: the mapping, the key, the list and two items are 5 nodes; the list is a
    # collection at depth 1.
    node = yaml.compose("a: [1, 2]\n", Loader=yaml.CSafeLoader)
    monkeypatch.setattr(yamlio, "MAX_NESTING", 2)
    monkeypatch.setattr(yamlio, "MAX_NODES", 5)
    assert yamlio._within_limits(node)
    monkeypatch.setattr(yamlio, "MAX_NODES", 4)
    assert not yamlio._within_limits(node)
    monkeypatch.setattr(yamlio, "MAX_NODES", 5)
    monkeypatch.setattr(yamlio, "MAX_NESTING", 1)
    assert not yamlio._within_limits(node)
