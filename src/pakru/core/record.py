"""The base of pakru's immutable values: typing.NamedTuple to a type checker, the class that
collections.namedtuple makes at run time.

typing.NamedTuple makes the same class, but first type-checks each field's annotation; under
postponed annotations (``from __future__ import annotations``) each is compiled as a
ForwardRef. That was ~0.3 ms a class, ~4.8 ms of every ``pakru search`` for its fifteen
records, against ~0.1 ms a class here. A record is written as with NamedTuple:

    class Topic(Record):
        id: str
        aliases: tuple[str, ...] = ()

        def names(self) -> tuple[str, ...]: ...
"""

from __future__ import annotations

import collections
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
            cls = collections.namedtuple(name, fields, defaults=defaults, module=ns["__module__"])
            cls.__qualname__ = ns.get("__qualname__", name)
            cls.__annotations__ = dict(ns.get("__annotations__", {}))
            for key, value in ns.items():
                if key not in _OWN and key not in fields and (key != "__doc__" or value is not None):
                    setattr(cls, key, value)
            return cls

    class Record(metaclass=_RecordType):
        """Derive from it as from typing.NamedTuple."""
