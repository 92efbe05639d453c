"""``analyzer.records.dict_init``: the constructor a frozen dataclass would have, in one step."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.costs import ScenarioPlan, SeatLine
from analyzer.licensing import SeatPrice
from analyzer.records import dict_init


@dataclasses.dataclass(frozen=True)
class Generated:
    """The reference: the dataclass's own generated constructor."""

    name: str
    amount: float
    count: int = 0
    note: str | None = None


@dict_init
@dataclasses.dataclass(frozen=True, init=False)
class OneStep:
    name: str
    amount: float
    count: int = 0
    note: str | None = None


@given(
    st.text(),
    st.floats(allow_nan=False),
    st.lists(st.integers() | st.none(), max_size=2),
)
def test_the_same_fields_as_the_generated_constructor_whatever_is_passed(name, amount, rest):
    expected = Generated(name, amount, *rest)
    made = OneStep(name, amount, *rest)
    assert dataclasses.asdict(made) == dataclasses.asdict(expected)
    optional = dict(zip(("count", "note")[: len(rest)], rest, strict=True))
    by_name = OneStep(amount=amount, name=name, **optional)
    assert by_name == made
    assert pickle.loads(pickle.dumps(made)) == made
    assert dataclasses.replace(made, amount=amount + 1).amount == amount + 1


def test_frozen_and_refusing_what_the_generated_constructor_refuses():
    made = OneStep("a", 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.amount = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        OneStep("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        OneStep("a", 1.0, 2, "b", "extra")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        OneStep("a", 1.0, colour="red")  # type: ignore[call-arg]


def test_fields_it_cannot_set_plainly_are_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="plain defaults"):

        @dict_init
        @dataclasses.dataclass(frozen=True, init=False)
        class WithFactory:
            items: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="sets every field"):

        @dict_init
        @dataclasses.dataclass(frozen=True, init=False)
        class Derived:
            total: float = dataclasses.field(init=False, default=0.0)


@pytest.mark.parametrize("cls", [SeatPrice, SeatLine, ScenarioPlan])
def test_the_analysis_records_take_their_fields_in_order_with_their_defaults(cls):
    # The parameters written out from the fields, as the dataclass would generate them.
    expected = [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(cls)
    ]
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in parameters] == expected
