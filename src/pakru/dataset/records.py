"""Reading each kind of record (source, topic, actor, event, claim) from its YAML mapping.

Every check of a record's fields lives here, with the message and FILE:LINE:COL it reports;
load.py reads the file, hands each record here, and checks what spans records (unique ids,
references, quotes). Claims, by far the most numerous, take a fast path when nothing about
them is unusual, and the full checks otherwise (tests/test_load_claims.py holds the two equal).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from sys import intern

from pakru.core import textnorm
from pakru.core.dates import EdtfDate, EdtfError, parse_edtf
from pakru.core.errors import Problem
from pakru.core.model import DATE_BASES, KINDS, Actor, Claim, Event, Outlook, Source, Topic
from pakru.dataset.yamlnodes import NULLS, Map, Node, Scalar, Seq, describe


class Reader:
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
                    node.key_node(key),
                    _named(node, context),
                    key,
                    f"unknown field (expected one of: {', '.join(allowed)})",
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
        before = len(self.problems)
        value = self.text(m, key, context, nullable=nullable)
        if value is None:  # null, or text found wrong (blank): then nothing follows from it
            is_null = node is not None and nullable and isinstance(node, Scalar)
            return None, is_null and len(self.problems) == before
        assert isinstance(node, Scalar)
        if node.plain and value[:1] in "“”‘’„" and value[-1:] in "“”‘’" and len(value) > 2:
            straight = value[1:-1]
            self.add(
                node, context, key, f'write the date in straight quotes ("{straight}"), not typographic ones'
            )
            return None, False
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
            if not self.one_line(item, context, key):
                continue
            out.append(item.value)
        return tuple(out)

    def one_line(self, node: Scalar, context: str, key: str) -> bool:
        """Whether a name (of a topic, an actor, an alias) is free of control characters, which a
        YAML escape ("\\x1f", "\\n") can put in any quoted text; else a problem. Names are joined
        and split on one (the store's SEP) and are shown on one line."""
        found = _CONTROL.search(node.value)
        if found is None:
            return True
        self.add(node, context, key, f"a name must not hold the control character U+{ord(found.group()):04X}")
        return False


# C0, DEL and C1: what no name needs, and what the raw file refuses unless a YAML escape writes it
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
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


def _ident(r: Reader, m: Map, what: str) -> str | None:
    value = r.text(m, "id", what)
    if value is not None and (
        not value.replace("-", "").replace("_", "").isalnum() or value != value.strip()
    ):
        r.add(m.items["id"], f"{what} {value}", "id", "ids use letters, digits, '-' and '_' only")
        return None
    return value


def _named(m: Map, context: str) -> str:
    """A record's context with its id (an actor's name) as written, as its other problems have
    it ("claim naseer-004"): a misspelt field is reported before the id is checked."""
    name = m.items.get("name" if context == "actor" else "id")
    if context and " " not in context and isinstance(name, Scalar) and name.value.strip():
        return f"{context} {name.value.strip()}"
    return context


def read_source(r: Reader, node: Node) -> tuple[Source, Map] | None:
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
    if published is not None and (".." in published.text or published.text.strip("/") != published.text):
        # a citation prints both ends of a span: an open one would read as year 9999 or year 1
        message = "a publication date needs both ends: give what is known, such as '2016~' or '2016/2018'"
        r.add(m.items["published"], ctx, "published", message)
        published = None
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


def _outlook(r: Reader, m: Map, ctx: str) -> Outlook | None:
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


def read_topic(r: Reader, node: Node) -> tuple[Topic, Map] | None:
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


def read_actor(r: Reader, node: Node) -> tuple[Actor, Map] | None:
    m = r.record(node, "actor", ("name", "aliases"))
    if m is None:
        return None
    name = r.text(m, "name", "actor")
    written = m.items.get("name")
    if name is not None and isinstance(written, Scalar) and not r.one_line(written, "actor", "name"):
        name = None
    aliases = r.text_list(m, "aliases", f"actor {name}", required=False)
    return (Actor(name, aliases), m) if name is not None else None


def read_event(r: Reader, node: Node) -> tuple[Event, Map] | None:
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


def read_claim(r: Reader, node: Node) -> tuple[Claim, Map] | None:
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
    without the Reader calls that let them report, ~1.5x faster; on anything
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
    """What Reader.text accepts from a required field: text, neither null nor blank."""
    if type(node) is Scalar:
        value = node.value
        if value.strip() and not (node.plain and value in NULLS):
            return value
    raise _Unusual


def _optional_text(node: Node | None) -> str | None:
    """What Reader.text accepts from an optional field that may be null."""
    if node is None or _is_null(node):
        return None
    return _text(node)


def _date(node: Scalar) -> EdtfDate:
    """What Reader.date accepts from a scalar that is not null."""
    value = node.value
    if not value.strip() or (node.plain and not _looks_quoted_safe(value)):
        raise _Unusual
    try:
        return _parse_date(value)
    except EdtfError:
        raise _Unusual from None


def _text_list(node: Node | None) -> tuple[str, ...]:
    """What Reader.text_list accepts from a list."""
    if type(node) is not Seq:
        raise _Unusual
    texts = tuple([_text(item) for item in node.items])
    if _CONTROL.search("".join(texts)):
        raise _Unusual
    return texts
