"""Read YAML as a tree of text, refusing what a hand-edited data file never needs.

PyYAML's constructors turn ``NO`` into False, ``1.10`` into 1.1 and
``2017-02-30`` into a ValueError; ``!!python/...`` tags build objects; aliases
expand into bombs once something walks the result. pakru avoids all of it by
never constructing: it reads the parser's event stream and builds its own
nodes, keeping every scalar as the text that was written, with its position.
"""

from __future__ import annotations

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


def _kind(node: Node) -> str:
    return "a mapping" if isinstance(node, Map) else "a list" if isinstance(node, Seq) else "text"


def describe(node: Node) -> str:
    return _kind(node)


def parse(text: str, filename: str) -> Node:
    """Parse one YAML document into nodes, or raise DatasetError with every problem."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    problems: list[Problem] = []

    def problem(mark: object, message: str) -> None:
        line = getattr(mark, "line", None)
        col = getattr(mark, "column", None)
        problems.append(
            Problem(filename, None if line is None else line + 1, None if col is None else col + 1, message)
        )
        if len(problems) >= MAX_PROBLEMS:
            raise DatasetError(problems)

    stack: list[Seq | Map] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node, mark: object) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                problem(mark, "a mapping key must be plain text")
                pending_key[-1] = Scalar("", node.line, node.column, False)
                return
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.value in parent.items:
            first = parent.keys[key.value]
            problem(
                _Mark(key.line, key.column),
                f"duplicate key {key.value!r} (first at line {first.line}, again at line {key.line})",
            )
            return
        parent.items[key.value] = node
        parent.keys[key.value] = key

    loader = loader_cls(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problem(mark, "more than one YAML document ('---'); a dataset is one document")
                    break
                continue
            if isinstance(event, yaml.AliasEvent):
                problem(mark, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
                attach(Scalar("", line, col, True), mark)
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                problem(mark, f"YAML anchors (&{anchor}) are not allowed; write the value out")
            tag = getattr(event, "tag", None)
            if isinstance(event, yaml.ScalarEvent):
                if tag is not None and tag != "!":
                    problem(mark, f"YAML tags ({tag}) are not allowed; every value is text")
                attach(Scalar(event.value, line, col, not event.style), mark)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if tag is not None:
                    problem(mark, f"YAML tags ({tag}) are not allowed")
                if len(stack) >= MAX_DEPTH:
                    problem(mark, f"nested deeper than {MAX_DEPTH} levels")
                    raise DatasetError(problems)
                node: Seq | Map = (
                    Seq(line, col) if isinstance(event, yaml.SequenceStartEvent) else Map(line, col)
                )
                attach(node, mark)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        problem(where, _yaml_message(exc))
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
