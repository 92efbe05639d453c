"""Frozen dataclasses that an analysis makes by the hundred, created in one step.

A frozen dataclass's generated ``__init__`` sets each field with its own
``object.__setattr__`` call. :func:`dict_init` gives such a class the same constructor
(same parameters, same defaults) writing every field into the instance's dict at once, which
is what the class's other methods, ``dataclasses.replace``, comparison and pickling read.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def dict_init(cls: T) -> T:
    """Give ``cls``, a dataclass declared with ``frozen=True, init=False``, the constructor
    the dataclass would generate, setting its fields in one update of the instance's dict.

    The source is written from the class's own field names (identifiers of our code, never
    data), as :mod:`dataclasses` itself writes ``__init__``; defaults are passed by name.

    >>> from dataclasses import dataclass
    >>> @dict_init
    ... @dataclass(frozen=True, init=False)
    ... class Point:
    ...     x: float
    ...     y: float = 0.0
    >>> Point(1.5), Point(1.0, y=2.0) == Point(1.0, 2.0)
    (Point(x=1.5, y=0.0), True)
    """
    parameters, names, defaults = [], [], {}
    for field in fields(cls):
        if not field.init:
            raise TypeError(f"{cls.__name__}.{field.name}: dict_init sets every field")
        if field.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: dict_init takes plain defaults")
        names.append(field.name)
        if field.default is MISSING:
            parameters.append(field.name)
        else:
            defaults[f"_default_{field.name}"] = field.default
            parameters.append(f"{field.name}=_default_{field.name}")
    assigned = ", ".join(f"{name}={name}" for name in names)
    source = f"def __init__(self, {', '.join(parameters)}):\n    self.__dict__.update({assigned})\n"
    namespace: dict[str, Any] = {}
    exec(source, defaults, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = f"{cls.__name__}({', '.join(names)}), its fields set in one step."
    cls.__init__ = init
    return cls
