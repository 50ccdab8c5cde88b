"""The base of pakru's immutable values: typing.NamedTuple to a type checker, at run time the
class that collections.namedtuple makes, made without compiling anything.

typing.NamedTuple makes the same class, but first type-checks each field's annotation; under
postponed annotations (``from __future__ import annotations``) each is compiled as a
ForwardRef: ~0.3 ms a class, ~4.8 ms of every ``pakru search`` for its fifteen records.
collections.namedtuple in turn compiles a ``__new__`` for each class with eval (~0.12 ms of
its ~0.2 ms). Here ``__new__`` takes the fields positionally, as every constructor in pakru's
loops does, and binds keywords and defaults otherwise: ~0.03 ms a class. A record is written as
with NamedTuple:

    class Topic(Record):
        id: str
        aliases: tuple[str, ...] = ()

        def names(self) -> tuple[str, ...]: ...
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

__all__ = ["Record"]

# What namedtuple() defines itself, or typing.NamedTuple refuses to have overwritten
_OWN = frozenset(
    {"__module__", "__qualname__", "__annotations__", "__slots__", "__orig_bases__", "__weakref__"}
)
_REFUSED = frozenset(
    {"__new__", "__init__", "__getnewargs__", "_fields", "_field_defaults", "_make", "_replace", "_asdict"}
)

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class _RecordType(type):
        def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> type:
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, ns)
            if bases != (Record,):
                raise TypeError(f"{name}: a record derives from Record alone")
            fields = list(ns.get("__annotations__", {}))
            defaults = [ns[f] for f in fields if f in ns]
            if any(f not in ns for f in fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            refused = _REFUSED & ns.keys()
            if refused:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {min(refused)}")
            cls = _tuple_class(name, fields, defaults, ns["__module__"])
            cls.__qualname__ = ns.get("__qualname__", name)
            cls.__annotations__ = dict(ns.get("__annotations__", {}))
            for key, value in ns.items():
                if key not in _OWN and key not in fields and (key != "__doc__" or value is not None):
                    setattr(cls, key, value)
            return cls

    class Record(metaclass=_RecordType):
        """Derive from it as from typing.NamedTuple."""


# namedtuple's own field accessor (in C), where this Python has it
_getter: Any = getattr(collections, "_tuplegetter", None) or (lambda i, doc: property(itemgetter(i), doc=doc))


def _tuple_class(name: str, fields: list[str], defaults: list[Any], module: str) -> type:
    """The class collections.namedtuple(name, fields, defaults=defaults, module=module) makes:
    the same fields, defaults, methods, repr and pickling, but a ``__new__`` written once."""
    for f in fields:
        if not f.isidentifier() or f.startswith("_"):
            raise ValueError(f"{name}: {f!r} cannot be a field name")
    n = len(fields)
    field_names = tuple(fields)
    field_defaults = dict(zip(fields[n - len(defaults) :], defaults, strict=True))
    tuple_new = tuple.__new__

    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != n:
            args = _bind(name, field_names, field_defaults, args, kwargs)
        return tuple_new(cls, args)

    def _make(cls: type, iterable: Iterable[Any]) -> Any:
        result: tuple[Any, ...] = tuple_new(cls, iterable)
        if len(result) != n:
            raise TypeError(f"Expected {n} arguments, got {len(result)}")
        return result

    def _replace(self: Any, **changes: Any) -> Any:
        result = self._make(map(changes.pop, field_names, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    repr_format = "(" + ", ".join(f"{f}=%r" for f in fields) + ")"

    def __repr__(self: Any) -> str:
        return f"{self.__class__.__name__}{repr_format % tuple(self)}"

    def _asdict(self: Any) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        return tuple(self)

    __new__.__qualname__ = f"{name}.__new__"
    namespace: dict[str, Any] = {
        "__doc__": f"{name}({', '.join(fields)})",
        "__slots__": (),
        "__module__": module,
        "_fields": field_names,
        "_field_defaults": field_defaults,
        "__new__": __new__,
        "_make": classmethod(_make),
        "_replace": _replace,
        "__repr__": __repr__,
        "_asdict": _asdict,
        "__getnewargs__": __getnewargs__,
        "__match_args__": field_names,
    }
    for index, f in enumerate(fields):
        namespace[f] = _getter(index, f"Alias for field number {index}")
    return type(name, (tuple,), namespace)


def _bind(
    name: str,
    fields: tuple[str, ...],
    defaults: dict[str, Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[Any, ...]:
    """The values of a record's fields from arguments by position, by keyword and by default."""
    if len(args) > len(fields):
        raise TypeError(f"{name}() takes {len(fields)} positional arguments but {len(args)} were given")
    values = list(args)
    for f in fields[len(args) :]:
        if f in kwargs:
            values.append(kwargs.pop(f))
        elif f in defaults:
            values.append(defaults[f])
        else:
            raise TypeError(f"{name}() missing required argument: {f!r}")
    for key in kwargs:
        if key in fields:
            raise TypeError(f"{name}() got multiple values for argument {key!r}")
        raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
    return tuple(values)
