import pytest

from analyzer.errors import InputError
from analyzer.yamlio import MAX_YAML_BYTES, parse_yaml


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
