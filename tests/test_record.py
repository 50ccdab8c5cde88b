"""core/record.py: a Record is the class typing.NamedTuple would make from the same body."""

from __future__ import annotations

import pickle
from typing import NamedTuple

import pytest

from pakru.core.model import Claim
from pakru.core.record import Record


class Point(Record):
    """A point on a line, with a label."""

    x: int
    label: str = "origin"
    tags: tuple[str, ...] = ()
    UNIT = "km"

    def shifted(self, by: int) -> Point:
        return self._replace(x=self.x + by)

    @property
    def named(self) -> bool:
        return self.label != "origin"


class TypedPoint(NamedTuple):
    """A point on a line, with a label."""

    x: int
    label: str = "origin"
    tags: tuple[str, ...] = ()
    UNIT = "km"

    def shifted(self, by: int) -> TypedPoint:
        return self._replace(x=self.x + by)

    @property
    def named(self) -> bool:
        return self.label != "origin"


def test_a_record_behaves_as_the_named_tuple_of_the_same_body() -> None:
    p, t = Point(3, tags=("a",)), TypedPoint(3, tags=("a",))
    assert tuple(p) == tuple(t) == (3, "origin", ("a",))
    assert Point._fields == TypedPoint._fields
    assert Point._field_defaults == TypedPoint._field_defaults
    assert Point.__doc__ == TypedPoint.__doc__
    assert list(Point.__annotations__) == list(TypedPoint.__annotations__)  # as written: unchecked
    assert Point.UNIT == "km"
    assert p.shifted(2) == Point(5, "origin", ("a",)) and isinstance(p.shifted(2), Point)
    assert not p.named and Point(1, "A").named
    assert repr(p) == repr(t).replace("TypedPoint", "Point")
    assert p._asdict() == t._asdict()
    assert Point._make([1, "b", ()]) == Point(1, "b")
    assert isinstance(p, tuple) and hash(p) == hash(tuple(p))
    with pytest.raises(AttributeError):
        p.x = 4  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((3,), {}), ((), {"x": 3}), ((3, "b"), {}), ((3,), {"tags": ("t",)}), ((), {"tags": (), "x": 1}),
     ((3, "b", ("t",)), {})],
)  # fmt: skip
def test_a_record_binds_its_arguments_as_the_named_tuple(args: tuple, kwargs: dict) -> None:  # type: ignore[type-arg]
    assert tuple(Point(*args, **kwargs)) == tuple(TypedPoint(*args, **kwargs))


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), ((1, "a", (), 4), {}), ((1,), {"x": 2}), ((1,), {"colour": "red"}), ((), {"label": "a"})],
)
def test_a_record_refuses_the_arguments_the_named_tuple_refuses(args: tuple, kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(TypeError):
        TypedPoint(*args, **kwargs)
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


def test_replace_and_make_check_their_fields() -> None:
    with pytest.raises(ValueError, match="colour"):
        Point(1)._replace(colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point._make([1, "a"])
    assert Point(1)._replace(label="b") == Point(1, "b")
    assert Point.__match_args__ == TypedPoint.__match_args__ == ("x", "label", "tags")


def test_a_record_pickles_by_its_name_and_keeps_its_module() -> None:
    c = Claim("c-1", "s", None, "undated", "event", "summary", "quote", ("india",))
    assert pickle.loads(pickle.dumps(c)) == c
    assert (Claim.__module__, Claim.__qualname__) == ("pakru.core.model", "Claim")
    assert Point.__qualname__ == "Point"


def test_a_record_refuses_what_named_tuple_refuses() -> None:
    with pytest.raises(TypeError, match="without a default follows"):

        class Bad(Record):
            a: int = 1
            b: int

    with pytest.raises(AttributeError, match="_replace"):

        class Overwrites(Record):
            a: int

            def _replace(self) -> None: ...

    with pytest.raises(TypeError, match="Record alone"):

        class Mixed(Record, int):  # type: ignore[misc]
            a: int
