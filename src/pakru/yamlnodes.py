"""Read YAML as a tree of text, refusing what a hand-edited data file never needs.

PyYAML's constructors turn ``NO`` into False, ``1.10`` into 1.1 and
``2017-02-30`` into a ValueError; ``!!python/...`` tags build objects; aliases
expand into bombs once something walks the result. pakru avoids all of it by
never constructing: it reads the parser's event stream and builds its own
nodes, keeping every scalar as the text that was written, with its position.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from pakru.errors import DatasetError, Problem

MAX_DEPTH = 32
MAX_PROBLEMS = 50


class Scalar:
    __slots__ = ("column", "line", "plain", "value")

    def __init__(self, value: str, line: int, column: int, plain: bool) -> None:
        self.value, self.line, self.column, self.plain = value, line, column, plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


class Seq:
    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line, self.column = line, column


class Map:
    __slots__ = ("column", "items", "keys", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: dict[str, Node] = {}
        self.keys: dict[str, Scalar] = {}
        self.line, self.column = line, column


Node = Scalar | Seq | Map


def describe(node: Node) -> str:
    return "a mapping" if isinstance(node, Map) else "a list" if isinstance(node, Seq) else "text"


def parse(text: str, filename: str, on_item: Callable[[str, Node], None] | None = None) -> Node:
    """Parse one YAML document into nodes, or raise DatasetError with every problem.

    With ``on_item``, each item of a top-level section's list (``claims: [...]``) is
    handed to ``on_item(section, node)`` as soon as it is complete, and not kept in
    the tree: a large dataset never holds all its nodes at once.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    problems: list[Problem] = []

    def problem(mark: Any, message: str) -> None:
        line: int | None
        col: int | None
        if isinstance(mark, _Mark):
            line, col = mark.line + 1, mark.column + 1
        elif mark is None or getattr(mark, "index", None) is None:
            line = col = None
        else:
            line, col = where(mark)
        problems.append(Problem(filename, line, col, message))
        if len(problems) >= MAX_PROBLEMS:
            raise DatasetError(problems)

    # libyaml also counts CR, NEL, U+2028 and U+2029 as line breaks; editors and grep -n
    # count only LF. Where the text holds any of them, positions come from the marks'
    # character offsets instead (rare, so the common case keeps libyaml's numbers).
    newlines: list[int] | None = None
    if any(c in text for c in ("\x85", "\u2028", "\u2029")) or text.count("\r") != text.count("\r\n"):
        newlines = [m.start() for m in re.finditer("\n", text)]

    def where(mark: Any) -> tuple[int, int]:
        if newlines is None:
            return mark.line + 1, mark.column + 1
        index = mark.index
        line = bisect.bisect_left(newlines, index)
        return line + 1, index - (newlines[line - 1] + 1 if line else 0) + 1

    stack: list[Seq | Map] = []
    keys: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    root: Node | None = None
    section = ""  # the top-level key whose value is being read
    documents = 0
    scalar_event, seq_start, map_start = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end, alias_event = yaml.SequenceEndEvent, yaml.MappingEndEvent, yaml.AliasEvent
    doc_start = yaml.DocumentStartEvent

    def streaming(open_nodes: list[Seq | Map]) -> bool:
        """The open nodes are a top-level mapping and one of its lists: items go to on_item."""
        return isinstance(open_nodes[0], Map) and isinstance(open_nodes[1], Seq)

    def attach(node: Node, mark: Any) -> bool:
        """Put a node in its parent; False when it was streamed to on_item instead."""
        nonlocal root, section
        if not stack:
            root = node
            return True
        parent = stack[-1]
        if isinstance(parent, Seq):
            if on_item is not None and len(stack) == 2 and streaming(stack):
                return False
            parent.items.append(node)
            return True
        key = keys[-1]
        if key is None:
            if type(node) is not Scalar:
                problem(mark, "a mapping key must be plain text")
                keys[-1] = Scalar("", node.line, node.column, False)
            else:
                keys[-1] = node
            return True
        keys[-1] = None
        if key.value in parent.items:
            first = parent.keys[key.value]
            problem(
                _Mark(key.line, key.column),
                f"duplicate key {key.value!r} (first at line {first.line}, again at line {key.line})",
            )
            return True
        parent.items[key.value] = node
        parent.keys[key.value] = key
        if len(stack) == 1:
            section = key.value
        return True

    get_event = loader.get_event  # returns None after the last event
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar_event:
                mark = event.start_mark
                if event.anchor is not None:
                    problem(mark, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
                tag = event.tag
                if tag is not None and tag != "!":
                    problem(mark, f"YAML tags ({tag}) are not allowed; every value is text")
                if newlines is None:
                    node: Node = Scalar(event.value, mark.line + 1, mark.column + 1, not event.style)
                else:
                    node = Scalar(event.value, *where(mark), not event.style)
                if not attach(node, mark) and on_item is not None:
                    on_item(section, node)
            elif kind is map_start or kind is seq_start:
                mark = event.start_mark
                if event.anchor is not None:
                    problem(mark, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
                if event.tag is not None:
                    problem(mark, f"YAML tags ({event.tag}) are not allowed")
                if len(stack) >= MAX_DEPTH:
                    problem(mark, f"nested deeper than {MAX_DEPTH} levels")
                    raise DatasetError(problems)
                container: Seq | Map = (
                    Map(mark.line + 1, mark.column + 1)
                    if kind is map_start
                    else Seq(mark.line + 1, mark.column + 1)
                )
                attach(container, mark)  # a streamed item is handed over when it ends
                stack.append(container)
                keys.append(None)
            elif kind is map_end or kind is seq_end:
                done = stack.pop()
                keys.pop()
                if (
                    on_item is not None
                    and len(stack) == 2
                    and type(stack[1]) is Seq
                    and type(stack[0]) is Map
                ):
                    on_item(section, done)
            elif kind is alias_event:
                problem(
                    event.start_mark, f"YAML aliases (*{event.anchor}) are not allowed; write the value out"
                )
                alias = Scalar("", event.start_mark.line + 1, event.start_mark.column + 1, True)
                attach(alias, event.start_mark)
            elif kind is doc_start:
                documents += 1
                if documents > 1:
                    problem(
                        event.start_mark, "more than one YAML document ('---'); a dataset is one document"
                    )
                    break
    except yaml.MarkedYAMLError as exc:
        problem(exc.problem_mark or exc.context_mark, _yaml_message(exc))
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        problems.append(Problem(filename, None, None, f"cannot parse YAML: {exc}"))
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()
    if problems:
        raise DatasetError(problems)
    if root is None:
        raise DatasetError([Problem(filename, 1, 1, "the file is empty; expected a YAML mapping")])
    return root


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line - 1, column - 1


def _yaml_message(exc: object) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(str(p) for p in parts if p)
    return f"invalid YAML: {text}" if text else "invalid YAML"
