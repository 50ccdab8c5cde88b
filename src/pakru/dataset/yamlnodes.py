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
from typing import IO, Any

from pakru.core.errors import DatasetError, Problem

MAX_DEPTH = 32
MAX_PROBLEMS = 50
REREAD_LIMIT = 1_000_000  # characters re-read to place a nesting error that libyaml's limit stopped


NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # what YAML reads as null, unquoted


class Scalar:
    __slots__ = ("column", "line", "plain", "value")

    def __init__(self, value: str, line: int, column: int, plain: bool) -> None:
        self.value = value  # one statement each: ~15% faster than one tuple assignment
        self.line = line
        self.column = column
        self.plain = plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULLS


class Seq:
    __slots__ = ("column", "items", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line, self.column = line, column


Key = tuple[str, int, int]  # a mapping key: its text, line and column (a node only when reported)


class Map:
    __slots__ = ("column", "items", "keys", "line")

    def __init__(self, line: int, column: int) -> None:
        self.items: dict[str, Node] = {}
        self.keys: dict[str, Key] = {}
        self.line, self.column = line, column

    def key_node(self, name: str) -> Scalar:
        """The key ``name`` as text at its place, for a problem reported there."""
        text, line, column = self.keys[name]
        return Scalar(text, line, column, True)


Node = Scalar | Seq | Map


def describe(node: Node) -> str:
    return "a mapping" if isinstance(node, Map) else "a list" if isinstance(node, Seq) else "text"


def parse(
    text: str | IO[bytes] | Any,
    filename: str,
    on_item: Callable[[str, Node], None] | None = None,
    on_key: Callable[[str], None] | None = None,
) -> Node:
    """Parse one YAML document into nodes, or raise DatasetError with every problem.

    With ``on_item``, each item of a top-level section's list (``claims: [...]``) is
    handed to ``on_item(section, node)`` as soon as it is complete, and not kept in
    the tree: a large dataset never holds all its nodes at once; ``on_key(section)`` is
    called as each top-level key is read. ``text`` may be a file (anything with ``read``),
    which libyaml then reads in chunks; such a file must have only LF or CRLF line breaks
    (load.py checks), as positions are then libyaml's own.
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
    # character offsets instead (rare, so the common case keeps libyaml's numbers). A text
    # without any LF has the old Mac's line breaks, CR, as editors that read it show them.
    newlines: list[int] | None = None
    if isinstance(text, str) and (
        any(c in text for c in ("\x85", "\u2028", "\u2029")) or text.count("\r") != text.count("\r\n")
    ):
        newlines = [m.start() for m in re.finditer("\n" if "\n" in text else "\r", text)]

    def where(mark: Any) -> tuple[int, int]:
        if newlines is None:
            return mark.line + 1, mark.column + 1
        index = mark.index
        line = bisect.bisect_left(newlines, index)
        return line + 1, index - (newlines[line - 1] + 1 if line else 0) + 1

    # The innermost open node and its state are kept in locals: the loop runs once per
    # event (millions in a large dataset), so each lookup and call in it counts.
    stack: list[Seq | Map] = []  # the open nodes, outermost first
    saved: list[Key | None] = []  # per open node: its parent's waiting key, for its end
    in_map: Map | None = None  # the innermost open node, if a mapping
    in_seq: Seq | None = None  # the innermost open node, if a list
    key: Key | None = None  # in a mapping: the key waiting for its value
    # in_seq is a top-level section's list (claims: [...]): its items go to on_item
    streams = False
    root: Node | None = None
    section = ""  # the top-level key whose value is being read
    documents = 0
    scalar_event, seq_start, map_start = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    seq_end, map_end, alias_event = yaml.SequenceEndEvent, yaml.MappingEndEvent, yaml.AliasEvent
    doc_start = yaml.DocumentStartEvent

    get_event = loader.get_event  # returns None after the last event
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            node: Node
            if kind is scalar_event:
                mark = event.start_mark
                if event.anchor is not None or event.tag is not None:
                    if event.anchor is not None:
                        problem(mark, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
                    tag = event.tag
                    if tag is not None and tag != "!":
                        problem(mark, f"YAML tags ({tag}) are not allowed; every value is text")
                if in_map is not None and key is None:  # a key: its text and place, no node
                    if newlines is None:
                        key = (event.value, mark.line + 1, mark.column + 1)
                    else:
                        key = (event.value, *where(mark))
                    continue
                if newlines is None:
                    node = Scalar(event.value, mark.line + 1, mark.column + 1, not event.style)
                else:
                    node = Scalar(event.value, *where(mark), not event.style)
            elif kind is map_start or kind is seq_start:
                mark = event.start_mark
                if event.anchor is not None:
                    problem(mark, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
                if event.tag is not None:
                    problem(mark, f"YAML tags ({event.tag}) are not allowed")
                if len(stack) >= MAX_DEPTH:
                    problem(mark, f"nested deeper than {MAX_DEPTH} levels")
                    raise DatasetError(problems)
                if kind is map_start:
                    node = Map(mark.line + 1, mark.column + 1)
                else:
                    node = Seq(mark.line + 1, mark.column + 1)
            elif kind is map_end or kind is seq_end:
                done = stack.pop()
                key = saved.pop()
                if not stack:
                    in_map = in_seq = None
                    continue
                if isinstance(top := stack[-1], Map):
                    in_map, in_seq, streams = top, None, False
                    continue
                in_map, in_seq = None, top
                streams = on_item is not None and len(stack) == 2 and type(stack[0]) is Map
                if streams and on_item is not None:
                    on_item(section, done)
                continue
            elif kind is alias_event:
                mark = event.start_mark
                problem(mark, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
                node = Scalar("", mark.line + 1, mark.column + 1, True)
            else:
                if kind is doc_start:
                    documents += 1
                    if documents > 1:
                        problem(
                            event.start_mark, "more than one YAML document ('---'); a dataset is one document"
                        )
                        break
                continue

            # The node goes into its parent.
            if in_map is not None:
                if key is None:  # a mapping or list as a key (a text key went on above)
                    problem(mark, "a mapping key must be plain text")
                    key = ("", node.line, node.column)
                else:
                    name = key[0]
                    if name in in_map.items:
                        first = in_map.keys[name]
                        problem(
                            _Mark(key[1], key[2]),
                            f"duplicate key {name!r} (first at line {first[1]}, again at line {key[1]})",
                        )
                    else:
                        in_map.items[name] = node
                        in_map.keys[name] = key
                        if in_map is root:  # a top-level key (root is stack[0])
                            section = name
                            if on_key is not None:
                                on_key(name)
                    key = None
            elif streams:
                # an item is handed over whole: a scalar now, a mapping or list at its end
                if kind is scalar_event and on_item is not None:
                    on_item(section, node)
            elif in_seq is not None:
                in_seq.items.append(node)
            else:
                root = node
            if kind is not scalar_event and not isinstance(node, Scalar):  # a mapping or list opens
                stack.append(node)
                saved.append(key)
                key = None
                if isinstance(node, Map):
                    in_map, in_seq, streams = node, None, False
                else:
                    in_map, in_seq = None, node
                    streams = on_item is not None and len(stack) == 2 and type(stack[0]) is Map
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _is_nesting_limit(exc):
            # libyaml's own limit (1,000 flow levels in newer builds) stops the scan before
            # the parser hands pakru the 33rd level; pakru's rule is the one users meet.
            problem(_too_deep_mark(_text_of(text), mark) or mark, f"nested deeper than {MAX_DEPTH} levels")
        else:
            problem(mark, _yaml_message(exc))
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


def _text_of(text: Any) -> str:
    """The document as text, read again from the start when it was handed over as a file."""
    if isinstance(text, str):
        return text
    try:
        text.seek(0)
        data = text.read()
    except (OSError, AttributeError, ValueError):
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _is_nesting_limit(exc: Any) -> bool:
    return "nesting depth" in str(getattr(exc, "problem", "") or "")


def _too_deep_mark(text: str, limit_mark: Any) -> Any:
    """Where the text first opens a 33rd level, or None: read by PyYAML's pure-Python
    parser, which has no nesting limit of its own, up to where libyaml stopped (a token's
    start, so the cut splits no scalar). That parser reads about 1 MB a second, so past
    REREAD_LIMIT characters the error stays at libyaml's mark, inside the same nesting.
    """
    import yaml

    end = getattr(limit_mark, "index", None)
    if end is None or end > REREAD_LIMIT:
        return None
    loader: Any = yaml.SafeLoader(text[:end])
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if depth >= MAX_DEPTH:
                    return event.start_mark
                depth += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line - 1, column - 1


def _yaml_message(exc: object) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(str(p) for p in parts if p)
    return f"invalid YAML: {text}" if text else "invalid YAML"
