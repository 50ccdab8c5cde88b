"""Read a dataset from disk and validate all of it, reporting every problem at once.

The result is fully checked: schema, unique ids, references, dates, and every
quote found in its source's text. A Dataset that exists is a valid one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from pakru.core import textnorm
from pakru.core.errors import DatasetError, Problem
from pakru.core.model import Actor, Claim, Dataset, Event, Source, Topic
from pakru.core.record import Record
from pakru.dataset.locate import events_file
from pakru.dataset.records import Reader, read_actor, read_claim, read_event, read_source, read_topic
from pakru.dataset.textfile import (
    MAX_FILE_BYTES,
    Counted,
    Progress,
    check_control_characters,
    opened,
    read_text,
    scan,
)
from pakru.dataset.yamlnodes import Map, Node, Scalar, Seq, describe, parse

FORMAT_VERSION = "1"


def default_sources_dir(events_path: Path) -> Path:
    return events_path.parent / "sources"


class ClaimSink(Protocol):
    """Where a streaming load puts each valid claim as it is read (a list, or a database).

    A sink that ``checks_ids`` is given every claim, duplicates too, with where it and its id are,
    and names the duplicates at the end (duplicates()): a database finds them with its unique
    index, where a dict of a million ids would hold ~120 MB.
    """

    checks_ids: bool

    def add(self, claim: Claim, quote_line: int, quote_column: int, at: tuple[int, int, int]) -> None:
        """``at``: the line of the claim, and the line and column of its id."""
        ...

    def duplicates(self) -> Iterable[tuple[str, int, int, int]]:
        """Each later claim with an id already used: (id, line and column of its id, first line)."""
        ...

    def add_record(self, section: str, record: Any, pos: int) -> None:
        """A valid source, topic, actor or event, the ``pos``-th of its section."""
        ...

    def claims_begin(self, complete: set[str]) -> None:
        """The claims section begins; the sections in ``complete`` came before it, whole."""
        ...

    def quotes(self, source_ids: Sequence[str]) -> Iterator[Iterable[tuple[str, str, int, int]]]:
        """For each of the sources in turn, its claims as (id, quote, line and column of the
        quote), in any order: asked all at once, so that a sink may read ahead."""
        ...


class Parts(Record):
    """A validated dataset without its claims, which went to a ClaimSink."""

    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    path: str
    sources_dir: str
    claims: int  # how many


class _Kept:
    """A ClaimSink that keeps every claim in memory, for load()."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []
        self.by_source: dict[str, list[tuple[int, int, int]]] = {}

    checks_ids = False

    def duplicates(self) -> Iterable[tuple[str, int, int, int]]:
        return ()

    def add(self, claim: Claim, quote_line: int, quote_column: int, at: tuple[int, int, int]) -> None:
        self.by_source.setdefault(claim.source, []).append((len(self.claims), quote_line, quote_column))
        self.claims.append(claim)

    def quotes(self, source_ids: Sequence[str]) -> Iterator[Iterable[tuple[str, str, int, int]]]:
        claims = self.claims
        for source_id in source_ids:
            places = self.by_source.get(source_id, ())
            yield [(claims[i].id, claims[i].quote, line, column) for i, line, column in places]

    def add_record(self, section: str, record: Any, pos: int) -> None:
        pass  # load() takes them from the builder

    def claims_begin(self, complete: set[str]) -> None:
        pass


def load(path: str | os.PathLike[str], *, check_quotes: bool = True) -> Dataset:
    """Load and fully validate the dataset at ``path`` (events.yaml or its folder), in memory."""
    kept = _Kept()
    parts = stream(path, kept, check_quotes=check_quotes)
    return Dataset.of(
        parts.sources, parts.topics, parts.actors, parts.events, kept.claims, parts.path, parts.sources_dir
    )


def stream(
    path: str | os.PathLike[str],
    sink: ClaimSink,
    *,
    check_quotes: bool = True,
    progress: Progress | None = None,
) -> Parts:
    """Validate the dataset at ``path`` as load() does, handing each claim to ``sink`` as it is read.

    Memory does not grow with the number of claims beyond their ids (for duplicates): the file
    is read in chunks (checked for encoding and control characters first, in a pass of its own),
    each claim's nodes are dropped once it is read, and quotes are checked one source at a time
    against the claims the sink gives back.
    """
    events_path = events_file(Path(path))
    name = str(events_path)
    builder = _Builder(name, sink)
    if scan(events_path):  # unusual line breaks: positions need the whole text (see yamlnodes)
        text = read_text(events_path, "dataset file")
        check_control_characters(text, name)
        root = parse(text, name, on_item=builder.item, on_key=builder.key)
        del text
    else:
        with opened(events_path, "dataset file", MAX_FILE_BYTES) as fh:
            size = os.fstat(fh.fileno()).st_size
            root = parse(Counted(fh, name, size, progress), name, on_item=builder.item, on_key=builder.key)
    return builder.finish(root, events_path, check_quotes=check_quotes)


# What each top-level section holds: (name of one item, reader, key field, required)
SECTIONS: dict[str, tuple[str, Callable[[Reader, Node], Any], str, bool]] = {}
SUGGESTED = 20  # unknown references that get a "did you mean": each looks through every name
# The fields of a claim that name another record, in the order their problems are reported
REFERENCES = (("source", "sources"), ("topics", "topics"), ("actors", "actors"), ("event", "events"))
NAMED_SECTIONS = frozenset(section for _field, section in REFERENCES)  # what a claim may name


class _Builder:
    """Validates items one at a time, as the parser completes them, keeping only what it must.

    A claim goes to the sink as soon as it is read; its references are checked at once against
    the sections that came before it in the file (the usual order), or kept to be checked at the
    end when a section it names comes later. Only sources keep their nodes (for errors in their
    texts); a claim keeps its id and line (for duplicates).
    """

    def __init__(self, file: str, sink: ClaimSink) -> None:
        self.problems: list[Problem] = []
        self.r = Reader(file, self.problems)
        self.sink = sink
        self.made: dict[str, list[tuple[Any, Map | None]]] = {name: [] for name in SECTIONS}
        self.seen: dict[str, dict[str, int]] = {name: {} for name in SECTIONS}
        # ids of records written but invalid (their problems reported): a claim naming one is
        # not also told the record is unknown (one bad date of a source, not 60 problems)
        self.invalid: dict[str, set[str]] = {name: set() for name in SECTIONS}
        self.closed: set[str] = set()  # top-level sections read to their end
        self.section: str | None = None
        self.claims = 0
        # (claim number, field number, problem) for reference problems, reported in claim order
        self.late: list[tuple[int, int, Problem]] = []
        self.suggested = 0  # unknown references given a "did you mean"
        # references to a section not read yet: (claim number, field number, ctx, field, value, line, column)
        self.pending: list[tuple[int, int, str, str, str, int, int]] = []

    def key(self, name: str) -> None:
        if self.section is not None:
            self.closed.add(self.section)
        self.section = name
        if name == "claims":
            self.sink.claims_begin(set(self.closed))

    def item(self, section: str, node: Node) -> None:
        spec = SECTIONS.get(section)
        if spec is None:
            return  # an unknown section: reported once, at the top level
        what, read, key, _ = spec
        made = read(self.r, node)
        if made is None:
            written = node.items.get(key) if isinstance(node, Map) else None
            if isinstance(written, Scalar) and written.value.strip():
                self.invalid[section].add(written.value.strip())
            return
        record, m = made
        ident = getattr(record, key)
        if section == "claims" and self.sink.checks_ids:
            self._claim(record, m)
            return
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
        if section == "claims":
            self._claim(record, m)
            return
        made_here = self.made[section]
        self.sink.add_record(section, record, len(made_here))
        made_here.append((record, _quote_places(m) if section == "sources" else None))

    def _claim(self, record: Claim, m: Map) -> None:
        """A claim read: its references checked, then handed to the sink with where it stood."""
        self._references(record, m)
        quote, id_node = m.items.get("quote", m), m.items.get("id", m)
        self.sink.add(record, quote.line, quote.column, (m.line, id_node.line, id_node.column))
        self.claims += 1

    def _references(self, claim: Claim, m: Map) -> None:
        if self._all_known(claim):
            return
        n, ctx = self.claims, f"claim {claim.id}"
        for k, (field, section) in enumerate(REFERENCES):
            value = getattr(claim, field)
            values = value if isinstance(value, tuple) else () if value is None else (value,)
            if not values:
                continue
            node = m.items.get(field, m)
            if section not in self.closed:
                self.pending.extend((n, k, ctx, field, v, node.line, node.column) for v in values)
                continue
            for v in values:
                self._check(n, k, ctx, field, v, node.line, node.column)

    def _all_known(self, claim: Claim) -> bool:
        """Whether every record the claim names was read already: nearly every claim of a dataset
        whose sections come before its claims, checked here without a context or positions."""
        seen = self.seen
        if not self.closed >= NAMED_SECTIONS or claim.source not in seen["sources"]:
            return False
        if claim.event is not None and claim.event not in seen["events"]:
            return False
        topics, actors = seen["topics"], seen["actors"]
        if not all(t in topics for t in claim.topics):
            return False
        return not actors or all(a in actors for a in claim.actors)

    def _check(self, n: int, k: int, ctx: str, field: str, value: str, line: int, column: int) -> None:
        section = REFERENCES[k][1]
        known = self.seen[section]
        if value in known or (section == "actors" and not known):  # no actors listed: any name goes
            return
        if value in self.invalid[section]:
            return
        near = self._nearest(value, known)
        if section == "actors":
            guess = f"did you mean {near!r}? else " if near else ""
            message = f"unknown actor {value!r} ({guess}add it to actors:)"
        else:
            message = f"unknown {field.rstrip('s')} {value!r}" + (f"; did you mean {near!r}?" if near else "")
        self.late.append((n, k, Problem(self.r.file, line, column, message, ctx, field)))

    def _nearest(self, value: str, known: Collection[str]) -> str | None:
        """The known name a misspelt reference most likely means, for the first SUGGESTED of
        them (each is a pass over the names: a dataset with thousands of typos stays fast)."""
        if self.suggested >= SUGGESTED:
            return None
        self.suggested += 1
        import difflib

        folded = {k.casefold(): k for k in known}
        if value.casefold() in folded:
            return folded[value.casefold()]
        close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.75)
        return folded[close[0]] if close else None

    def finish(self, root: Node, events_path: Path, *, check_quotes: bool) -> Parts:
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
        self.closed.update(SECTIONS)
        for entry in self.pending:
            self._check(*entry)
        self.pending = []
        self.late.sort(key=lambda x: (x[0], x[1]))
        problems.extend(p for _, _, p in self.late)
        sources_dir = default_sources_dir(events_path)
        sources = self.made["sources"]
        if check_quotes:  # even when other records are broken: every problem is reported at once
            _check_quotes(r, sources, self.sink, sources_dir)
        # after the quotes: a sink writing a database may find them meanwhile (store/worker.py)
        for ident, line, column, first in self.sink.duplicates():
            message = f"duplicate claim id {ident!r} (first at line {first})"
            problems.append(Problem(r.file, line, column, message, f"claim {ident}", "id"))
        if problems:
            raise DatasetError(sorted_problems(problems))
        return Parts(
            sources=tuple(s for s, _ in sources),
            topics=tuple(t for t, _ in self.made["topics"]),
            actors=tuple(a for a, _ in self.made["actors"]),
            events=tuple(e for e, _ in self.made["events"]),
            path=str(events_path),
            sources_dir=str(sources_dir),
            claims=self.claims,
        )


def _quote_places(source: Map) -> Map:
    """Of a source's nodes, those the quote check may report a problem at (its text and its
    outlook's quote): a million-claim dataset has 20,000 sources, ~5 KB each whole."""
    kept = Map(source.line, source.column)
    if "text" in source.items:
        kept.items["text"] = source.items["text"]
    outlook = source.items.get("outlook")
    if isinstance(outlook, Map):
        quote_at = kept.items["outlook"] = Map(outlook.line, outlook.column)
        if "quote" in outlook.items:
            quote_at.items["quote"] = outlook.items["quote"]
    elif outlook is not None:
        kept.items["outlook"] = outlook
    return kept


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then line and column; a problem of a whole file (no line) first."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0))


def build(root: Node, events_path: Path, *, check_quotes: bool = True) -> Dataset:
    """Validate an already parsed document."""
    kept = _Kept()
    p = _Builder(str(events_path), kept).finish(root, events_path, check_quotes=check_quotes)
    return Dataset.of(p.sources, p.topics, p.actors, p.events, kept.claims, p.path, p.sources_dir)


def _check_quotes(
    r: Reader, sources: list[tuple[Source, Map | None]], sink: ClaimSink, sources_dir: Path
) -> None:
    """Every quote in its source's text, one source text in memory at a time."""
    found: list[Problem] = []
    quotes = sink.quotes([source.id for source, _ in sources])
    for (source, node), its_quotes in zip(sources, quotes, strict=True):
        assert node is not None
        try:
            raw = read_text(sources_dir / source.text, "source text")
        except DatasetError as exc:
            for p in exc.problems:
                r.add(node.items.get("text"), f"source {source.id}", "text", f"{p.file}: {p.message}")
            continue
        text = textnorm.for_quotes(raw)
        del raw
        if textnorm.for_quotes(source.outlook.quote) not in text:
            outlook = node.items["outlook"]
            quote_node = outlook.items.get("quote") if isinstance(outlook, Map) else None
            message = (
                f"quote not found in the source text ({textnorm.first_mismatch(source.outlook.quote, text)})"
            )
            r.add(quote_node, f"source {source.id}", "outlook.quote", message)
        for claim_id, quote, line, column in its_quotes:
            if textnorm.for_quotes(quote) not in text:
                message = f"quote not found in source {source.id!r} ({textnorm.first_mismatch(quote, text)})"
                found.append(Problem(r.file, line, column, message, f"claim {claim_id}", "quote"))
    found.sort(key=lambda p: (p.line or 0, p.column or 0))
    r.problems.extend(found)


SECTIONS.update(
    sources=("source", read_source, "id", True),
    topics=("topic", read_topic, "id", True),
    actors=("actor", read_actor, "name", False),
    events=("event", read_event, "id", False),
    claims=("claim", read_claim, "id", True),
)
