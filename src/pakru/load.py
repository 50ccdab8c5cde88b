"""Read a dataset from disk and validate all of it, reporting every problem at once.

The result is fully checked: schema, unique ids, references, dates, and every
quote found in its source's text. A Dataset that exists is a valid one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from pakru import textnorm
from pakru.errors import DatasetError, Problem
from pakru.model import Actor, Claim, Dataset, Event, Source, Topic
from pakru.records import Reader, read_actor, read_claim, read_event, read_source, read_topic
from pakru.store.locate import events_file
from pakru.yamlnodes import Map, Node, Scalar, Seq, describe, parse

# A guard against endless or absurd inputs, not a dataset size limit: the dataset file is
# streamed to the parser, so a million-claim dataset (~440 MB) is read in constant memory.
MAX_FILE_BYTES = 4 * 1024**3
# A file read whole (a source text, or a dataset with unusual line breaks) is held in memory.
MAX_TEXT_BYTES = 256 * 1024 * 1024
FORMAT_VERSION = "1"
CHUNK = 1 << 20


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


def read_text(path: Path, what: str = "file", limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is allowed) with errors fit for a user."""
    name = str(path)
    with _opened(path, what, limit) as fh:
        data = fh.read(limit + 1)  # bounded, should it grow while being read
    if len(data) > limit:
        raise DatasetError([Problem(name, None, None, f"{what} is over the {limit:,}-byte limit")])
    return decode(data, name)


class _opened:
    """A regular file opened for reading, with the errors of read_text."""

    def __init__(self, path: Path, what: str, limit: int) -> None:
        self.path, self.what, self.limit = path, what, limit

    def __enter__(self) -> IO[bytes]:
        name, what = str(self.path), self.what

        def fail(message: str) -> DatasetError:
            return DatasetError([Problem(name, None, None, message)])

        try:
            size = regular_file_size(self.path)
            if size > self.limit:
                raise fail(f"{what} is {size:,} bytes, over the {self.limit:,}-byte limit")
            self.fh = open(self.path, "rb")
            return self.fh
        except FileNotFoundError:
            raise fail(f"no such {what}") from None
        except IsADirectoryError:
            raise fail(f"is a directory, expected a {what}") from None
        except PermissionError:
            raise fail(f"permission denied reading the {what}") from None
        except OSError as exc:
            raise fail(f"cannot read the {what}: {exc.strerror or exc}") from None

    def __exit__(self, *_exc: object) -> None:
        self.fh.close()


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

    def quotes(self, source_id: str) -> Iterable[tuple[str, str, int, int]]:
        """The source's claims as (id, quote, line and column of the quote), in any order."""
        ...


class Parts(NamedTuple):
    """A validated dataset without its claims, which went to a ClaimSink."""

    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    path: str
    sources_dir: str
    claims: int  # how many


Progress = Callable[[int, int], None]  # bytes of the dataset file read so far, its size


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

    def quotes(self, source_id: str) -> Iterator[tuple[str, str, int, int]]:
        for i, line, column in self.by_source.get(source_id, ()):
            claim = self.claims[i]
            yield claim.id, claim.quote, line, column

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
    if _scan(events_path):  # unusual line breaks: positions need the whole text (see yamlnodes)
        text = read_text(events_path, "dataset file")
        check_control_characters(text, name)
        root = parse(text, name, on_item=builder.item, on_key=builder.key)
        del text
    else:
        with _opened(events_path, "dataset file", MAX_FILE_BYTES) as fh:
            size = os.fstat(fh.fileno()).st_size
            root = parse(_Counted(fh, name, size, progress), name, on_item=builder.item, on_key=builder.key)
    return builder.finish(root, events_path, check_quotes=check_quotes)


class _Counted:
    """The dataset file as the parser reads it, bounded, reporting how far it has got."""

    def __init__(self, fh: IO[bytes], name: str, size: int, progress: Progress | None) -> None:
        self.fh, self.name, self.size, self.progress, self.done = fh, name, size, progress, 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(CHUNK if n is None or n < 0 else n)
        self.done += len(data)
        if self.done > MAX_FILE_BYTES:  # it grew while being read
            message = f"dataset file is over the {MAX_FILE_BYTES:,}-byte limit"
            raise DatasetError([Problem(self.name, None, None, message)])
        if self.progress is not None:
            self.progress(self.done, self.size)
        return data


def _scan(events_path: Path) -> bool:
    """Check the dataset file's bytes as read_text() and check_control_characters() would,
    a chunk at a time; True if it has line breaks other than LF and CRLF."""
    import codecs

    name = str(events_path)
    nul: tuple[int, int] | None = None
    control: tuple[int, int, str] | None = None
    odd = False
    lines, column = 0, 0  # line breaks so far; characters (and bytes) since the last one
    byte_column = 0
    pending = b""
    first = True
    with _opened(events_path, "dataset file", MAX_FILE_BYTES) as fh:
        total = 0
        while True:
            chunk = fh.read(CHUNK)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise DatasetError(
                    [Problem(name, None, None, f"dataset file is over the {MAX_FILE_BYTES:,}-byte limit")]
                )
            data = pending + chunk
            if first and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            first = False
            try:
                text, used = codecs.utf_8_decode(data, "strict", not chunk)
            except UnicodeDecodeError as exc:
                nl = data.rfind(b"\n", 0, exc.start)
                line = lines + data.count(b"\n", 0, exc.start) + 1
                col = exc.start - nl if nl >= 0 else byte_column + exc.start + 1
                message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
                raise DatasetError([Problem(name, line, col, message)]) from None
            pending = data[used:]

            def at(i: int, text: str = text, lines: int = lines, column: int = column) -> tuple[int, int]:
                nl = text.rfind("\n", 0, i)
                return lines + text.count("\n", 0, i) + 1, (i - nl if nl >= 0 else column + i + 1)

            if nul is None and (i := text.find("\x00")) != -1:
                nul = at(i)
            if control is None and (m := _FORBIDDEN.search(text)) is not None:
                control = (*at(m.start()), m.group())
            if not odd and ("\x85" in text or "\u2028" in text or "\u2029" in text or "\r" in text):
                odd = any(c in text for c in ("\x85", "\u2028", "\u2029")) or bool(
                    re.search("\r(?!\n)", text[:-1] if text.endswith("\r") and chunk else text)
                )
            breaks = text.count("\n")
            if breaks:
                lines += breaks
                tail = text[text.rfind("\n") + 1 :]
                column, byte_column = len(tail), len(tail.encode("utf-8", "surrogatepass"))
            else:
                column += len(text)
                byte_column += used
            if not chunk:
                break
    if nul is not None:
        raise DatasetError([Problem(name, *nul, "contains a NUL byte; not a text file")])
    if control is not None:
        line, col, char = control
        raise DatasetError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"contains the control character U+{ord(char):04X}, which YAML "
                    "forbids; in a double-quoted string write it as an escape such as \\x1b",
                )
            ]
        )
    return odd


# What each top-level section holds: (name of one item, reader, key field, required)
SECTIONS: dict[str, tuple[str, Callable[[Reader, Node], Any], str, bool]] = {}
# The fields of a claim that name another record, in the order their problems are reported
REFERENCES = (("source", "sources"), ("topics", "topics"), ("actors", "actors"), ("event", "events"))


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
        self.closed: set[str] = set()  # top-level sections read to their end
        self.section: str | None = None
        self.claims = 0
        # (claim number, field number, problem) for reference problems, reported in claim order
        self.late: list[tuple[int, int, Problem]] = []
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
            return
        record, m = made
        ident = getattr(record, key)
        if section == "claims" and self.sink.checks_ids:
            self._references(record, m)
            quote, id_node = m.items.get("quote", m), m.items.get("id", m)
            self.sink.add(record, quote.line, quote.column, (m.line, id_node.line, id_node.column))
            self.claims += 1
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
            self._references(record, m)
            quote, id_node = m.items.get("quote", m), m.items.get("id", m)
            self.sink.add(record, quote.line, quote.column, (m.line, id_node.line, id_node.column))
            self.claims += 1
            return
        made_here = self.made[section]
        self.sink.add_record(section, record, len(made_here))
        made_here.append((record, m if section == "sources" else None))

    def _references(self, claim: Claim, m: Map) -> None:
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

    def _check(self, n: int, k: int, ctx: str, field: str, value: str, line: int, column: int) -> None:
        section = REFERENCES[k][1]
        known = self.seen[section]
        if value in known or (section == "actors" and not known):  # no actors listed: any name goes
            return
        if section == "actors":
            message = f"unknown actor {value!r} (add it to actors:)"
        else:
            message = f"unknown {field.rstrip('s')} {value!r}"
        self.late.append((n, k, Problem(self.r.file, line, column, message, ctx, field)))

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
        for ident, line, column, first in self.sink.duplicates():
            message = f"duplicate claim id {ident!r} (first at line {first})"
            problems.append(Problem(r.file, line, column, message, f"claim {ident}", "id"))
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
    for source, node in sources:
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
            r.add(quote_node, f"source {source.id}", "outlook.quote", "quote not found in the source text")
        for claim_id, quote, line, column in sink.quotes(source.id):
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
