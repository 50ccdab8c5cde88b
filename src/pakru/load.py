"""Read a dataset from disk and validate all of it, reporting every problem at once.

The result is fully checked: schema, unique ids, references, dates, and every
quote found in its source's text. A Dataset that exists is a valid one.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from array import array
from collections.abc import Callable
from pathlib import Path
from sys import intern
from typing import Any

from pakru import textnorm
from pakru.dates import EdtfDate, EdtfError, parse_edtf
from pakru.errors import DatasetError, Problem
from pakru.model import DATE_BASES, KINDS, Actor, Claim, Dataset, Event, Outlook, Source, Topic
from pakru.yamlnodes import NULLS, Map, Node, Scalar, Seq, describe, parse

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


class _Reader:
    """Collects problems while turning one mapping node into typed values."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, node: Node | None, context: str, field: str, message: str) -> None:
        line = node.line if node is not None else None
        column = node.column if node is not None else None
        self.problems.append(Problem(self.file, line, column, message, context, field))

    def record(self, node: Node, context: str, allowed: tuple[str, ...]) -> Map | None:
        if not isinstance(node, Map):
            self.add(node, context, "", f"expected a mapping, found {describe(node)}")
            return None
        for key in node.items:
            if key not in allowed:
                self.add(
                    node.keys[key], context, key, f"unknown field (expected one of: {', '.join(allowed)})"
                )
        return node

    def text(
        self, m: Map, key: str, context: str, *, required: bool = True, nullable: bool = False
    ) -> str | None:
        node = m.items.get(key)
        if node is None:
            if required:
                self.add(m, context, key, "missing")
            return None
        if not isinstance(node, Scalar):
            self.add(node, context, key, f"expected text, found {describe(node)}")
            return None
        if node.is_null:
            if not nullable:
                self.add(node, context, key, "must not be empty or null")
            return None
        if not node.value.strip():
            self.add(node, context, key, "must not be blank")
            return None
        return node.value

    def choice(self, m: Map, key: str, context: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(m, key, context)
        if value is not None and value not in choices:
            self.add(m.items[key], context, key, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def score(self, m: Map, key: str, context: str, *, required: bool) -> int | None:
        value = self.text(m, key, context, required=required, nullable=not required)
        if value is None:
            return None
        if value.strip() not in ("-2", "-1", "0", "1", "2", "+1", "+2"):
            self.add(m.items[key], context, key, f"{value!r} is not a whole number from -2 to 2")
            return None
        return int(value)

    def date(self, m: Map, key: str, context: str, *, nullable: bool) -> tuple[EdtfDate | None, bool]:
        """The parsed date, and whether the field was valid (null counts as valid when allowed)."""
        node = m.items.get(key)
        value = self.text(m, key, context, nullable=nullable)
        if value is None:
            return None, node is not None and nullable and isinstance(node, Scalar)
        assert isinstance(node, Scalar)
        if node.plain and not _looks_quoted_safe(value):
            self.add(node, context, key, f'write the date in quotes ("{value}") so YAML keeps it as text')
            return None, False
        try:
            return _parse_date(value), True
        except EdtfError as exc:
            self.add(node, context, key, str(exc))
            return None, False

    def text_list(self, m: Map, key: str, context: str, *, required: bool = True) -> tuple[str, ...]:
        node = m.items.get(key)
        if node is None:
            if required:
                self.add(m, context, key, "missing")
            return ()
        if isinstance(node, Scalar) and node.is_null and not required:
            return ()
        if not isinstance(node, Seq):
            self.add(node, context, key, f"expected a list, found {describe(node)}")
            return ()
        out: list[str] = []
        for item in node.items:
            if not isinstance(item, Scalar) or item.is_null or not item.value.strip():
                self.add(item, context, key, "list items must be non-empty text")
                continue
            out.append(item.value)
        return tuple(out)


_parse_date = functools.lru_cache(maxsize=4096)(parse_edtf)  # dates repeat across claims


def _looks_quoted_safe(value: str) -> bool:
    # An unquoted 2016 or 2018-04 would be an int or a date to any other YAML tool;
    # pakru reads it as text either way, but insists on quotes so the file means
    # the same to everyone. Only values with a qualifier or X are unambiguous.
    return any(ch in value for ch in "X~?%/")


SOURCE_FIELDS = (
    "id",
    "title",
    "author",
    "author_note",
    "outlet",
    "outlet_basis",
    "published",
    "published_basis",
    "text",
    "outlook",
)
CLAIM_FIELDS = (
    "id",
    "source",
    "date",
    "date_basis",
    "date_note",
    "event",
    "kind",
    "summary",
    "quote",
    "topics",
    "actors",
    "stance",
)


def default_sources_dir(events_path: Path) -> Path:
    return events_path.parent / "sources"


def events_file(path: Path) -> Path:
    """A folder stands for the events.yaml in it, unless it is itself named events.yaml."""
    if path.is_dir() and (path.name != "events.yaml" or (path / "events.yaml").exists()):
        return path / "events.yaml"
    return path


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
SECTIONS: dict[str, tuple[str, Callable[[_Reader, Node], Any], str, bool]] = {}
# Where a claim's fields were, kept after the claim's nodes are dropped, for later errors
CLAIM_POSITIONS = ("source", "topics", "actors", "event", "quote")


class _Builder:
    """Validates items one at a time, as the parser completes them, keeping only the records.

    At 100,000 claims the YAML nodes would hold ~300 MB; each claim's nodes are dropped as
    soon as the claim is read, keeping only where a few fields were, for later errors.
    """

    def __init__(self, file: str) -> None:
        self.problems: list[Problem] = []
        self.r = _Reader(file, self.problems)
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
            raise DatasetError(problems)
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
        if check_quotes and not problems:
            _check_quotes(r, sources, claims, sources_dir, self.position)
        if problems:
            raise DatasetError(problems)
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


def build(root: Node, events_path: Path, *, check_quotes: bool = True) -> Dataset:
    """Validate an already parsed document."""
    return _Builder(str(events_path)).finish(root, events_path, check_quotes=check_quotes)


def _check_references(
    r: _Reader,
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


def _ident(r: _Reader, m: Map, what: str) -> str | None:
    value = r.text(m, "id", what)
    if value is not None and (
        not value.replace("-", "").replace("_", "").isalnum() or value != value.strip()
    ):
        r.add(m.items["id"], f"{what} {value}", "id", "ids use letters, digits, '-' and '_' only")
        return None
    return value


def _source(r: _Reader, node: Node) -> tuple[Source, Map] | None:
    m = r.record(node, "source", SOURCE_FIELDS)
    if m is None:
        return None
    sid = _ident(r, m, "source")
    ctx = f"source {sid or '?'}"
    before = len(r.problems)
    title = r.text(m, "title", ctx)
    author = r.text(m, "author", ctx, nullable=True)
    author_note = r.text(m, "author_note", ctx, required=False, nullable=True)
    if "author" in m.items and author is None and not author_note:
        r.add(m, ctx, "author_note", "an unsigned source needs author_note (what it says of its writer)")
    outlet = r.text(m, "outlet", ctx, nullable=True)
    outlet_basis = r.text(m, "outlet_basis", ctx, required=False, nullable=True)
    published, _ = r.date(m, "published", ctx, nullable=False)
    basis = r.text(m, "published_basis", ctx)
    if basis is not None and not (basis == "stated" or basis.startswith(("stated:", "inferred:"))):
        r.add(
            m.items["published_basis"],
            ctx,
            "published_basis",
            "must be 'stated', 'stated: …' or 'inferred: how'",
        )
    text = r.text(m, "text", ctx)
    if text is not None and (Path(text).is_absolute() or ".." in Path(text).parts or "\\" in text):
        r.add(m.items["text"], ctx, "text", "must be a file name under the dataset's sources/ folder")
        text = None
    outlook = _outlook(r, m, ctx)
    if len(r.problems) > before or sid is None:
        return None
    assert title and published and basis and text and outlook
    return Source(sid, title, author, author_note, outlet, outlet_basis, published, basis, text, outlook), m


def _outlook(r: _Reader, m: Map, ctx: str) -> Outlook | None:
    node = m.items.get("outlook")
    if node is None:
        r.add(m, ctx, "outlook", "missing")
        return None
    o = r.record(node, ctx, ("score", "label", "quote"))
    if o is None:
        return None
    score = r.score(o, "score", ctx, required=True)
    label = r.text(o, "label", ctx)
    quote = r.text(o, "quote", ctx)
    if score is None or label is None or quote is None:
        return None
    return Outlook(score, label, quote)


def _topic(r: _Reader, node: Node) -> tuple[Topic, Map] | None:
    m = r.record(node, "topic", ("id", "label", "aliases"))
    if m is None:
        return None
    tid = _ident(r, m, "topic")
    ctx = f"topic {tid or '?'}"
    label = r.text(m, "label", ctx)
    aliases = r.text_list(m, "aliases", ctx, required=False)
    if tid is None or label is None:
        return None
    return Topic(tid, label, aliases), m


def _actor(r: _Reader, node: Node) -> tuple[Actor, Map] | None:
    m = r.record(node, "actor", ("name", "aliases"))
    if m is None:
        return None
    name = r.text(m, "name", "actor")
    aliases = r.text_list(m, "aliases", f"actor {name}", required=False)
    return (Actor(name, aliases), m) if name is not None else None


def _event(r: _Reader, node: Node) -> tuple[Event, Map] | None:
    m = r.record(node, "event", ("id", "label", "note"))
    if m is None:
        return None
    eid = _ident(r, m, "event")
    ctx = f"event {eid or '?'}"
    label = r.text(m, "label", ctx)
    note = r.text(m, "note", ctx, required=False, nullable=True)
    if eid is None or label is None:
        return None
    return Event(eid, label, note), m


def _claim(r: _Reader, node: Node) -> tuple[Claim, Map] | None:
    if type(node) is Map:
        claim = _plain_claim(node)
        if claim is not None:
            return claim, node
    m = r.record(node, "claim", CLAIM_FIELDS)
    if m is None:
        return None
    cid = _ident(r, m, "claim")
    ctx = f"claim {cid or '?'}"
    before = len(r.problems)
    source = r.text(m, "source", ctx)
    date, date_ok = r.date(m, "date", ctx, nullable=True)
    basis = r.choice(m, "date_basis", ctx, DATE_BASES)
    note = r.text(m, "date_note", ctx, required=False, nullable=True)
    if date_ok and basis is not None:
        if date is None and basis != "undated":
            r.add(m.items["date_basis"], ctx, "date_basis", f"is {basis!r} but date is null; use 'undated'")
        elif date is not None and basis == "undated":
            r.add(m.items["date_basis"], ctx, "date_basis", "is 'undated' but a date is given")
        elif basis == "resolved" and not note:
            r.add(
                m,
                ctx,
                "date_note",
                "a resolved date needs date_note: the phrase and what it was resolved against",
            )
    event = r.text(m, "event", ctx, required=False, nullable=True)
    kind = r.choice(m, "kind", ctx, KINDS)
    summary = r.text(m, "summary", ctx)
    quote = r.text(m, "quote", ctx)
    topics = r.text_list(m, "topics", ctx)
    actors = r.text_list(m, "actors", ctx, required=False)
    stance = r.score(m, "stance", ctx, required=False)
    if (
        summary is not None
        and quote is not None
        and abs(len(summary) - len(quote)) <= 3  # only then can they fold to the same text
        and textnorm.fold(summary) == textnorm.fold(quote)
    ):
        r.add(m.items["summary"], ctx, "summary", "repeats the quote; say it in your own words")
    if len(r.problems) > before or cid is None:
        return None
    assert source and basis and kind and summary and quote
    # Ids, kinds, topics and actors repeat across claims: one copy of each saves ~40 MB
    # at 100,000 claims.
    event = None if event is None else intern(event)
    topics, actors = tuple(map(intern, topics)), tuple(map(intern, actors))
    claim = Claim(
        cid,
        intern(source),
        date,
        intern(basis),
        intern(kind),
        summary,
        quote,
        topics,
        actors,
        note,
        event,
        stance,
    )
    return claim, m


_CLAIM_FIELD_SET = frozenset(CLAIM_FIELDS)
_SCORES = frozenset(("-2", "-1", "0", "1", "2", "+1", "+2"))


class _Unusual(Exception):
    """Something _plain_claim does not decide: _claim's full checks will say what."""


def _plain_claim(m: Map) -> Claim | None:
    """The claim, when every field passes _claim's checks at a glance; else None.

    A large dataset has ~100,000 claims, nearly all valid. These are _claim's checks
    without the _Reader calls that let them report, ~1.5x faster; on anything
    unusual they give up, and _claim's checks run and report it.
    tests/test_load_claims.py holds the two together.
    """
    items = m.items
    if not items.keys() <= _CLAIM_FIELD_SET:
        return None
    get = items.get
    try:
        cid = _text(get("id"))
        source = _text(get("source"))
        node = get("date")
        if type(node) is not Scalar:
            return None
        date = None if node.plain and node.value in NULLS else _date(node)
        basis = _text(get("date_basis"))
        note = _optional_text(get("date_note"))
        event = _optional_text(get("event"))
        kind = _text(get("kind"))
        summary = _text(get("summary"))
        quote = _text(get("quote"))
        topics = _text_list(get("topics"))
        node = get("actors")
        actors = () if node is None or _is_null(node) else _text_list(node)
        stance = _optional_text(get("stance"))
    except _Unusual:
        return None
    if (
        cid != cid.strip()
        or not cid.replace("-", "").replace("_", "").isalnum()
        or basis not in DATE_BASES
        or (date is None) != (basis == "undated")
        or (basis == "resolved" and not note)
        or kind not in KINDS
        or (stance is not None and stance.strip() not in _SCORES)
        or (abs(len(summary) - len(quote)) <= 3 and textnorm.fold(summary) == textnorm.fold(quote))
    ):
        return None
    source, basis, kind = intern(source), intern(basis), intern(kind)  # as _claim does
    event = None if event is None else intern(event)
    topics, actors = tuple(map(intern, topics)), tuple(map(intern, actors))
    score = None if stance is None else int(stance)
    return Claim(cid, source, date, basis, kind, summary, quote, topics, actors, note, event, score)


def _is_null(node: Node) -> bool:
    return type(node) is Scalar and node.plain and node.value in NULLS


def _text(node: Node | None) -> str:
    """What _Reader.text accepts from a required field: text, neither null nor blank."""
    if type(node) is Scalar:
        value = node.value
        if value.strip() and not (node.plain and value in NULLS):
            return value
    raise _Unusual


def _optional_text(node: Node | None) -> str | None:
    """What _Reader.text accepts from an optional field that may be null."""
    if node is None or _is_null(node):
        return None
    return _text(node)


def _date(node: Scalar) -> EdtfDate:
    """What _Reader.date accepts from a scalar that is not null."""
    value = node.value
    if not value.strip() or (node.plain and not _looks_quoted_safe(value)):
        raise _Unusual
    try:
        return _parse_date(value)
    except EdtfError:
        raise _Unusual from None


def _text_list(node: Node | None) -> tuple[str, ...]:
    """What _Reader.text_list accepts from a list."""
    if type(node) is not Seq:
        raise _Unusual
    return tuple([_text(item) for item in node.items])


def _check_quotes(
    r: _Reader,
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
    sources=("source", _source, "id", True),
    topics=("topic", _topic, "id", True),
    actors=("actor", _actor, "name", False),
    events=("event", _event, "id", False),
    claims=("claim", _claim, "id", True),
)
