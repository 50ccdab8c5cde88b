"""Read a dataset from disk and validate all of it, reporting every problem at once.

The result is fully checked: schema, unique ids, references, dates, and every
quote found in its source's text. A Dataset that exists is a valid one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pakru import textnorm
from pakru.errors import DatasetError, Problem
from pakru.model import Claim, Dataset, Source
from pakru.records import Reader, read_actor, read_claim, read_event, read_source, read_topic
from pakru.store import events_file
from pakru.yamlnodes import Map, Node, Scalar, Seq, describe, parse

MAX_FILE_BYTES = 100 * 1024 * 1024
FORMAT_VERSION = "1"


def regular_file_size(path: Path) -> int:
    """The size of a regular file; raises OSError for anything else, without opening it.

    Opening a FIFO blocks until a writer comes, and a device such as /dev/zero never
    ends, so the type is checked with stat() before any read.
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    return st.st_size


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file (a BOM is allowed) with errors fit for a user."""
    name = str(path)

    def fail(message: str) -> DatasetError:
        return DatasetError([Problem(name, None, None, message)])

    try:
        size = regular_file_size(path)
        if size > MAX_FILE_BYTES:
            raise fail(f"{what} is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # bounded, should it grow while being read
        if len(data) > MAX_FILE_BYTES:
            raise fail(f"{what} is over the {MAX_FILE_BYTES:,}-byte limit")
    except FileNotFoundError:
        raise fail(f"no such {what}") from None
    except IsADirectoryError:
        raise fail(f"is a directory, expected a {what}") from None
    except PermissionError:
        raise fail(f"permission denied reading the {what}") from None
    except OSError as exc:
        raise fail(f"cannot read the {what}: {exc.strerror or exc}") from None
    return decode(data, name)


# What YAML forbids in a file's text; PyYAML's own error for it carries no position.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError(
            [
                Problem(
                    name,
                    line,
                    column,
                    f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        raise DatasetError([Problem(name, *_position(text, nul), "contains a NUL byte; not a text file")])
    return text


def check_control_characters(text: str, name: str) -> None:
    m = _FORBIDDEN.search(text)
    if m:
        raise DatasetError(
            [
                Problem(
                    name,
                    *_position(text, m.start()),
                    f"contains the control character U+{ord(m.group()):04X}, which YAML "
                    "forbids; in a double-quoted string write it as an escape such as \\x1b",
                )
            ]
        )


def default_sources_dir(events_path: Path) -> Path:
    return events_path.parent / "sources"


def load(path: str | os.PathLike[str], *, check_quotes: bool = True) -> Dataset:
    """Load and fully validate the dataset at ``path`` (events.yaml or its folder)."""
    events_path = events_file(Path(path))
    text = read_text(events_path, "dataset file")
    check_control_characters(text, str(events_path))
    builder = _Builder(str(events_path))
    root = parse(text, str(events_path), on_item=builder.item)
    del text
    return builder.finish(root, events_path, check_quotes=check_quotes)


# What each top-level section holds: (name of one item, reader, key field, required)
SECTIONS: dict[str, tuple[str, Callable[[Reader, Node], Any], str, bool]] = {}
# Where a claim's fields were, kept after the claim's nodes are dropped, for later errors
CLAIM_POSITIONS = ("source", "topics", "actors", "event", "quote")


class _Builder:
    """Validates items one at a time, as the parser completes them, keeping only the records.

    At 100,000 claims the YAML nodes would hold ~300 MB; each claim's nodes are dropped as
    soon as the claim is read, keeping only where a few fields were, for later errors.
    """

    def __init__(self, file: str) -> None:
        self.problems: list[Problem] = []
        self.r = Reader(file, self.problems)
        self.made: dict[str, list[tuple[Any, Map]]] = {name: [] for name in SECTIONS}
        self.seen: dict[str, dict[str, int]] = {name: {} for name in SECTIONS}
        self.claims: list[Claim] = []
        self.claim_positions = array("q")  # per claim, line and column of each CLAIM_POSITIONS field

    def item(self, section: str, node: Node) -> None:
        spec = SECTIONS.get(section)
        if spec is None:
            return  # an unknown section: reported once, at the top level
        what, read, key, _ = spec
        made = read(self.r, node)
        if made is None:
            return
        record, m = made
        ident = getattr(record, key)
        seen = self.seen[section]
        if ident in seen:
            self.r.add(
                m.items.get(key),
                f"{what} {ident}",
                key,
                f"duplicate {what} {key} {ident!r} (first at line {seen[ident]})",
            )
            return
        seen[ident] = m.line
        if section == "claims":  # keep where its fields were (for later errors), not its nodes
            self.claims.append(record)
            positions = self.claim_positions
            for name in CLAIM_POSITIONS:
                field = m.items.get(name, m)
                positions.append(field.line)
                positions.append(field.column)
            return
        self.made[section].append((record, m))

    def finish(self, root: Node, events_path: Path, *, check_quotes: bool) -> Dataset:
        r, problems = self.r, self.problems
        top = r.record(root, "", ("format", *SECTIONS))
        if top is None:
            raise DatasetError(sorted_problems(problems))
        fmt = r.text(top, "format", "", required=False)
        if fmt is not None and fmt != FORMAT_VERSION:
            r.add(
                top.items["format"],
                "",
                "format",
                f"unsupported format {fmt!r} (this pakru reads {FORMAT_VERSION})",
            )
        for section, (_, _, _, required) in SECTIONS.items():
            node = top.items.get(section)
            if node is None:
                if required:
                    r.add(top, "", section, "missing top-level section")
            elif isinstance(node, Seq):
                for item in node.items:  # empty when the parser streamed them to item()
                    self.item(section, item)
            elif not (isinstance(node, Scalar) and node.is_null and not required):
                r.add(node, "", section, f"expected a list, found {describe(node)}")
        sources, claims = self.made["sources"], self.claims
        _check_references(r, self.made, claims, self.position)
        sources_dir = default_sources_dir(events_path)
        if check_quotes:  # even when other records are broken: every problem is reported at once
            _check_quotes(r, sources, claims, sources_dir, self.position)
        if problems:
            raise DatasetError(sorted_problems(problems))
        return Dataset.of(
            sources=tuple(s for s, _ in sources),
            topics=tuple(t for t, _ in self.made["topics"]),
            actors=tuple(a for a, _ in self.made["actors"]),
            events=tuple(e for e, _ in self.made["events"]),
            claims=claims,
            path=str(events_path),
            sources_dir=str(sources_dir),
        )

    def position(self, claim: int, field: str) -> Scalar:
        """Where a field of the n-th claim was, as a node the reader can report."""
        at = 2 * (len(CLAIM_POSITIONS) * claim + CLAIM_POSITIONS.index(field))
        return Scalar("", self.claim_positions[at], self.claim_positions[at + 1], False)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then line and column; a problem of a whole file (no line) first."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0))


def build(root: Node, events_path: Path, *, check_quotes: bool = True) -> Dataset:
    """Validate an already parsed document."""
    return _Builder(str(events_path)).finish(root, events_path, check_quotes=check_quotes)


def _check_references(
    r: Reader,
    made: dict[str, list[tuple[Any, Map]]],
    claims: list[Claim],
    position: Callable[[int, str], Scalar],
) -> None:
    source_ids = {s.id for s, _ in made["sources"]}
    topic_ids = {t.id for t, _ in made["topics"]}
    actor_names = {a.name for a, _ in made["actors"]}
    event_ids = {e.id for e, _ in made["events"]}
    for n, claim in enumerate(claims):
        ctx = f"claim {claim.id}"
        if claim.source not in source_ids:
            r.add(position(n, "source"), ctx, "source", f"unknown source {claim.source!r}")
        for topic in claim.topics:
            if topic not in topic_ids:
                r.add(position(n, "topics"), ctx, "topics", f"unknown topic {topic!r}")
        if actor_names:
            for actor in claim.actors:
                if actor not in actor_names:
                    message = f"unknown actor {actor!r} (add it to actors:)"
                    r.add(position(n, "actors"), ctx, "actors", message)
        if claim.event is not None and claim.event not in event_ids:
            r.add(position(n, "event"), ctx, "event", f"unknown event {claim.event!r}")


def _check_quotes(
    r: Reader,
    sources: list[tuple[Source, Map]],
    claims: list[Claim],
    sources_dir: Path,
    position: Callable[[int, str], Scalar],
) -> None:
    texts: dict[str, str] = {}
    for source, node in sources:
        try:
            raw = read_text(sources_dir / source.text, "source text")
        except DatasetError as exc:
            for p in exc.problems:
                r.add(node.items.get("text"), f"source {source.id}", "text", f"{p.file}: {p.message}")
            continue
        texts[source.id] = textnorm.for_quotes(raw)
        if textnorm.for_quotes(source.outlook.quote) not in texts[source.id]:
            outlook = node.items["outlook"]
            quote_node = outlook.items.get("quote") if isinstance(outlook, Map) else None
            r.add(quote_node, f"source {source.id}", "outlook.quote", "quote not found in the source text")
    for n, claim in enumerate(claims):
        text = texts.get(claim.source)
        if text is not None and textnorm.for_quotes(claim.quote) not in text:
            r.add(
                position(n, "quote"),
                f"claim {claim.id}",
                "quote",
                f"quote not found in source {claim.source!r} ({textnorm.first_mismatch(claim.quote, text)})",
            )


SECTIONS.update(
    sources=("source", read_source, "id", True),
    topics=("topic", read_topic, "id", True),
    actors=("actor", read_actor, "name", False),
    events=("event", read_event, "id", False),
    claims=("claim", read_claim, "id", True),
)
