"""Strict YAML reading, run twice: with libyaml composing the node tree where it may, and with
the Python composer only (the fallback when PyYAML has no libyaml)."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import yamlio
from analyzer.errors import InputError
from analyzer.yamlio import MAX_NESTING, MAX_NODES, MAX_YAML_BYTES, parse_yaml


@pytest.fixture(autouse=True, params=["libyaml composer", "python composer"])
def composer(request, monkeypatch):
    """Every test here runs with each composer; ``composed`` counts libyaml's documents."""
    if request.param == "libyaml composer" and not yamlio.C_COMPOSER:
        pytest.skip("PyYAML is built without libyaml")
    if request.param == "python composer":
        monkeypatch.setattr(yamlio, "C_COMPOSER", False)
    return request.param


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "doc.yaml")
    return [str(p) for p in caught.value.problems]


def test_yaml_1_1_traps_are_disarmed():
    data = parse_yaml("country: NO\nanswer: yes\ncode: 012\nversion: 1.10\nok: true\n").data
    assert data == {"country": "NO", "answer": "yes", "code": 12, "version": 1.1, "ok": True}


def test_duplicate_keys_are_all_reported_with_their_lines():
    text = "a: 1\nb: 2\na: 3\nnested:\n  x: 1\n  x: 2\n"
    assert problems_of(text) == [
        "doc.yaml:3:1: a: duplicate key 'a' (first defined on line 1)",
        "doc.yaml:6:3: nested.x: duplicate key 'x' (first defined on line 5)",
    ]


def test_alias_expansion_is_refused_before_it_grows():
    laughs = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b]\n'
    (message,) = problems_of(laughs)
    assert message.startswith("doc.yaml:1:4: anchor &a is not allowed")


def test_root_must_be_a_mapping():
    assert problems_of("- a\n- b\n") == [
        "doc.yaml:1:1: the document must be a mapping of field names to values"
    ]


def test_empty_document_and_syntax_error_are_located():
    assert problems_of("") == ["doc.yaml:1:1: the document is empty"]
    (message,) = problems_of("a: [1, 2\nb: 3\n")
    # Located where the unclosed "[" opens (line 1, column 4); the message names where the
    # parser noticed (line 2, column 2: the ":" after "b").
    assert message.startswith("doc.yaml:1:4: while parsing a flow sequence: ")
    assert message.endswith(" at line 2, column 2")


def test_size_cap():
    (message,) = problems_of("a: " + "x" * MAX_YAML_BYTES)
    assert "the limit is 1,000,000" in message


def test_marks_point_at_values():
    doc = parse_yaml("a:\n  b: [10, 20]\n")
    assert doc.locate(("a", "b", 1)) == (2, 11)
    # A missing field points at the mapping that should hold it.
    assert doc.locate(("a", "missing")) == (2, 3)


def test_nesting_limit_is_located_on_both_composers():
    # The document's mapping is level 1 and each "[" one more, so level MAX_NESTING + 1 is the
    # "[" at column 4 + MAX_NESTING - 1 (the first "[" is at column 4).
    (message,) = problems_of("a: " + "[" * 60 + "]" * 60 + "\n")
    assert message == (
        f"doc.yaml:1:{4 + MAX_NESTING - 1}: nesting deeper than {MAX_NESTING} levels is not allowed"
    )


def test_block_nesting_limit_is_located_on_both_composers():
    # Line i + 1 holds "k<i>:" indented 2i; the mapping of level i + 1 starts there, so level
    # MAX_NESTING + 1 is on line MAX_NESTING + 1 at column 2 * MAX_NESTING + 1.
    text = "".join("  " * i + f"k{i}:\n" for i in range(50)) + "  " * 50 + "x: 1\n"
    (message,) = problems_of(text)
    assert message.startswith(f"doc.yaml:{MAX_NESTING + 1}:{2 * MAX_NESTING + 1}: nesting deeper")


def test_node_limit_is_located_on_both_composers():
    # Node 1 is the mapping, 2 the key "a", 3 the list, so item k (from 1) is node 3 + k: the
    # first over MAX_NODES is item MAX_NODES - 2, which starts at column 5 + 2 * (k - 1).
    (message,) = problems_of("a: [" + "1," * (MAX_NODES + 10) + "1]\n")
    assert message == (
        f"doc.yaml:1:{5 + 2 * (MAX_NODES - 3)}: more than {MAX_NODES:,} values and keys in one "
        "document"
    )


def test_an_alias_without_its_anchor_is_still_refused():
    (message,) = problems_of("a: 1\nb: *a\n")
    assert message.startswith("doc.yaml:2:4: ")


def test_a_second_document_is_refused():
    (message,) = problems_of("a: 1\n---\nb: 2\n")
    assert message.startswith("doc.yaml:1:1: ") and "single document" in message


def test_text_that_only_looks_like_an_anchor_is_read(composer):
    data = parse_yaml("note: R&D *bold* & more\nstar: '*x'\n").data
    assert data == {"note": "R&D *bold* & more", "star": "*x"}


def test_bundled_files_go_to_libyaml_and_anchors_or_deep_text_do_not():
    assert yamlio.C_COMPOSER is False or all(
        yamlio._fits_c_composer(path.read_text(encoding="utf-8"))
        for path in yamlio.Path(__file__).parent.parent.glob("catalog/**/*.yaml")
    )
    assert not yamlio._fits_c_composer("a: &x 1\n")
    assert not yamlio._fits_c_composer("a: [*x]\n")
    assert not yamlio._fits_c_composer("a: " + "[" * (yamlio.C_COMPOSER_MAX_DEPTH + 1))
    deep_block = "".join(" " * i + "- \n" for i in range(0, 2000, 2))
    assert not yamlio._fits_c_composer(deep_block)
    # Too long to compose whole before counting its nodes.
    many_values = "a: [" + "1," * (yamlio.C_COMPOSER_MAX_CHARACTERS // 2) + "1]\n"
    assert not yamlio._fits_c_composer(many_values)


scalars = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=8),
)
documents = st.dictionaries(
    st.text("abcxyz_", min_size=1, max_size=4),
    st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text("abcxyz_", min_size=1, max_size=4), inner, max_size=3)
        ),
        max_leaves=30,
    ),
    min_size=1,
    max_size=4,
)


def depth(node: yaml.Node) -> int:
    """How deep collections nest under ``node`` (a collection is 1 plus its deepest child)."""
    if isinstance(node, yaml.ScalarNode):
        return 0
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    else:
        children = node.value
    return 1 + max(map(depth, children), default=0)


@pytest.mark.parametrize(
    "text",
    [
        "a:\n- b:\n  - c:\n    - d\n",
        "- - - - - x\n",
        "? - - k\n: - - v\n",
        "a: !!seq\n- !!map\n  b: [{c: [d]}]\n",
        "--- [[x]]\n",
        "a:\n  b:\n    c: {d: [[[1]]]}\n",
    ],
)
def test_the_depth_bound_holds_for_compact_and_same_column_nesting(text):
    real = depth(yaml.compose(text, Loader=yaml.SafeLoader))
    assert yamlio._nesting_bound(text) >= real


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=documents,
    flow=st.sampled_from([False, True, None]),
    indent=st.integers(2, 6),
)
def test_the_depth_bound_is_never_below_the_real_depth(document, flow, indent):
    text = yaml.safe_dump(document, default_flow_style=flow, indent=indent, allow_unicode=True)
    real = depth(yaml.compose(text, Loader=yaml.SafeLoader))
    assert yamlio._nesting_bound(text) >= real


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=documents, flow=st.sampled_from([False, True, None]))
def test_both_composers_read_the_same_values_at_the_same_places(document, flow, monkeypatch):
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    with monkeypatch.context() as patched:
        patched.setattr(yamlio, "C_COMPOSER", False)
        python = parse_yaml(text)
    fast = parse_yaml(text)
    assert (fast.data, fast.marks) == (python.data, python.marks)
