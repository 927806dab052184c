"""Pickling of the records that go from the worker processes to the writer."""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

__all__ = ["pickled_by_fields"]

T = TypeVar("T")


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Pickle a frozen dataclass as its class and its field values, in order.

    Unpickling then calls the class with those values. The default for frozen,
    slotted dataclasses (Python 3.11) goes through ``__getstate__`` and
    ``__setstate__``, which call :func:`dataclasses.fields` and set every field
    one by one, every time: more than half of the writer's cost of receiving a
    page from a worker (docs/performance.md). Every field must be an ``__init__``
    argument.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    if any(not f.init for f in dataclasses.fields(cls)):  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    values = operator.attrgetter(*names)
    if len(names) == 1:

        def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
            return cls, (values(self),)
    else:

        def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
            return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls
