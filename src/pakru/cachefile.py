"""The cache file: a validated dataset laid out so that a large one opens instantly.

Layout: a magic line, the sections, then a JSON table of contents (version,
key, the dataset's small parts, each section's offset, length and CRC-32), its
own BLAKE2 digest, and its length in the last 8 bytes. The sections:
native int64 columns for filtering and sorting, one row of text per
claim (what the columns do not hold; codec.py has its form) with an offsets
column, the claim ids, and the search index.

Nothing in it can run code: arrays are numbers and everything else is JSON or
text. Opening checks the magic, version, byte order, and every section's bounds
and length against the claim count; the columns are checked against their CRCs
then. Every other section is checked when a command first reads it, and rows a
block of ROW_BLOCK bytes at a time, so that showing 20 claims of 100,000 checks
~20 blocks, not 40 MB. Any failure is CacheError, which the store treats as a miss,
or DamagedCache once the command has begun. The file is read through mmap, so a
claim's row is decoded only when a command shows that claim.
"""

from __future__ import annotations

import json
import mmap
import sys
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from pakru import codec
from pakru.dates import EdtfDate
from pakru.errors import PakruError
from pakru.model import KINDS, Claim, Dataset
from pakru.ranges import within
from pakru.table import ClaimTable

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

MAGIC = b"PAKRU-CACHE\n"
FORMAT = 7
ROW_BLOCK = 16 * 1024  # bytes of rows under one CRC-32
ROW_BATCH = 2048  # rows decoded together
CHECKSUM_LIMIT = 8 * 1024 * 1024  # a smaller file is checked whole when opened (~4 ms at most)
COLUMNS = ("start", "end", "source", "kind", "event", "date", "rank", "topic_off", "topic_ids", "row_off")
_LENGTH = 8  # bytes of the table of contents' length
_DIGEST = 16  # bytes of the table of contents' own checksum, always verified
# Anything that reading untrusted JSON and numbers can raise; all of it means "damaged".
_DAMAGE = (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError, RecursionError)


class CacheError(Exception):
    """The cache file is damaged, of another version, or of another machine."""


class DamagedCache(PakruError):
    """Part of a cache failed its check or its decoding after the file was opened.

    The sections a command reads later (rows, search index, ids) are checked as they
    are read. The CLI treats this as a miss: it removes the file and runs the command
    again, which rebuilds the cache.
    """

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"the cache {path} is damaged ({detail})")


def write(out: IO[bytes], d: Dataset, key: str, stat: list[Any] | None) -> None:
    """Write ``d`` and its search index to the open binary file ``out``, section by section.

    Each section goes to the file as soon as it is made, and the table of contents
    comes last, so that writing a large dataset never holds a second copy of it.
    """
    from array import array  # only here: a run that reads the cache never needs it

    from pakru.searchindex import IndexBuilder

    t = d.claims
    sections: dict[str, list[Any]] = {}  # name: [offset, length, CRC-32 or None]
    position = 0

    def emit(data: bytes) -> None:
        nonlocal position
        out.write(data)
        position += len(data)

    def section(name: str, data: bytes) -> None:
        emit(b"\0" * (-(len(MAGIC) + position) % 8))  # aligned, to be read in place as int64s
        sections[name] = [position, len(data), zlib.crc32(data)]
        emit(data)

    out.write(MAGIC)
    for name, column in (
        ("start", t.start),
        ("end", t.end),
        ("source", t.source),
        ("kind", t.kind),
        ("event", t.event),
        ("rank", t.date_ranks()),
    ):
        section(name, array("q", column).tobytes())
    topic_off, topic_ids = array("q", [0]), array("q")  # per claim, its topics
    postings: list[array[int]] = [array("q") for _ in d.topics]  # per topic, its claims in order
    for i in range(len(t)):
        topics = t.topics_of(i)
        topic_ids.extend(topics)
        topic_off.append(len(topic_ids))
        for topic in topics:
            postings[topic].append(i)
    section("topic_off", topic_off.tobytes())
    section("topic_ids", topic_ids.tobytes())
    posting_off = array("q", [0])
    for p in postings:
        posting_off.append(posting_off[-1] + len(p))
    section("posting_off", posting_off.tobytes())
    section("postings", b"".join(p.tobytes() for p in postings))
    # Each distinct date once, and per claim its place in that table (-1: undated): dates
    # repeat across claims, and a row without one decodes ~1/3 faster.
    date_index: dict[str, int] = {}
    date_rows: list[list[Any]] = []
    date_column = array("q")
    for claim in t:
        if claim.date is None:
            date_column.append(-1)
            continue
        k = date_index.get(claim.date.text)
        if k is None:
            k = date_index[claim.date.text] = len(date_rows)
            date_rows.append(codec.encode_date(claim.date))
        date_column.append(k)
    section("date", date_column.tobytes())
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    section("dates", encode(date_rows).encode())
    row_off, begin = array("q", [0]), position
    row_crcs, pending = array("q"), bytearray()  # a CRC per ROW_BLOCK bytes of rows
    for claim in t:
        row = codec.encode_claim(claim).encode()
        emit(row)
        row_off.append(position - begin)
        pending += row
        while len(pending) >= ROW_BLOCK:
            row_crcs.append(zlib.crc32(memoryview(pending)[:ROW_BLOCK]))
            del pending[:ROW_BLOCK]
    if pending:
        row_crcs.append(zlib.crc32(pending))
    sections["rows"] = [begin, position - begin, None]
    section("row_off", row_off.tobytes())
    section("row_crcs", row_crcs.tobytes())
    section("ids", "\n".join(t.ids()).encode())
    index, begin, crc = IndexBuilder(), position, 0
    for chunk in index.chunks(d):
        data = chunk.encode()
        emit(data)
        crc = zlib.crc32(data, crc)
    sections["corpus"] = [begin, position - begin, crc]
    section("starts", index.starts.tobytes())
    section("vocabulary", "\n".join(sorted(index.vocabulary)).encode())
    toc = {
        "format": FORMAT,
        "pakru": _version(),
        "byteorder": sys.byteorder,
        "key": key,
        "stat": stat,
        "claims": len(t),
        "dates": len(date_rows),
        "header": codec.encode_header(d),
        "sections": sections,
    }
    trailer = json.dumps(toc, ensure_ascii=False, separators=(",", ":")).encode()
    out.write(
        trailer + blake2b(trailer, digest_size=_DIGEST).digest() + len(trailer).to_bytes(_LENGTH, "little")
    )


def _text(x: Any) -> str:
    if type(x) is not str:
        raise TypeError("expected text")
    return x


def _version() -> str:
    from pakru import __version__

    return __version__


class Opened:
    """A cache file, open and checked; read its key before trusting its contents."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:
            try:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                raise CacheError("the file is empty") from None
        m = self._map
        # Slices of a memoryview share the map's bytes: rows and blocks are read without a copy
        # (the map is never closed or resized while the file is open, which a view forbids).
        self._view = memoryview(m)
        if m[: len(MAGIC)] != MAGIC or len(m) < len(MAGIC) + _DIGEST + _LENGTH:
            raise CacheError("not a pakru cache file")
        size = int.from_bytes(m[len(m) - _LENGTH :], "little")
        toc_end = len(m) - _LENGTH - _DIGEST
        end = toc_end - size  # where the table of contents begins
        if not len(MAGIC) <= end:
            raise CacheError("truncated")
        trailer = m[end:toc_end]
        if blake2b(trailer, digest_size=_DIGEST).digest() != m[toc_end : toc_end + _DIGEST]:
            raise CacheError("the table of contents fails its checksum")
        try:
            toc = json.loads(trailer)
        except _DAMAGE as exc:
            raise CacheError(f"unreadable table of contents ({exc})") from None
        if not isinstance(toc, dict) or toc.get("format") != FORMAT or toc.get("pakru") != _version():
            raise CacheError("written by another version of pakru")
        if toc.get("byteorder") != sys.byteorder:
            raise CacheError("written on a machine of another byte order")
        self.toc = toc
        self._base = len(MAGIC)
        self._sections: dict[str, tuple[int, int]] = {}
        self._crcs: dict[str, int] = {}  # of the sections not yet checked
        try:
            self.key: str = _text(toc["key"])
            self.stat: list[Any] | None = toc.get("stat")
            n = toc["claims"]
            if type(n) is not int or n < 0:
                raise CacheError("bad claim count")
            self.dates: int = toc["dates"]
            if type(self.dates) is not int or self.dates < 0:
                raise CacheError("bad date count")
            for name, (offset, length, crc) in toc["sections"].items():
                if not (type(offset) is int and type(length) is int and offset >= 0 and length >= 0):
                    raise CacheError(f"bad section {name}")
                if self._base + offset + length > end:
                    raise CacheError("truncated")
                self._sections[name] = (self._base + offset, length)
                if type(crc) is int:
                    self._crcs[name] = crc
                elif name != "rows" or crc is not None:  # rows have a CRC per block instead
                    raise CacheError(f"bad checksum of section {name}")
            for name in (*COLUMNS, "starts"):
                expected = {"topic_off": n + 1, "row_off": n + 1, "starts": 6 * n}.get(name, n)
                if name != "topic_ids" and self._sections[name][1] != 8 * expected:
                    raise CacheError(f"section {name} does not match {n} claims")
            rows = self._sections["rows"][1]
            if self._sections["row_crcs"][1] != 8 * -(-rows // ROW_BLOCK):
                raise CacheError("the row checksums do not match the rows")
        except _DAMAGE as exc:
            raise CacheError(f"bad table of contents ({type(exc).__name__}: {exc})") from None
        self._row_crcs: Sequence[int] | None = None
        self._blocks = self._sections["row_crcs"][1] // 8  # matched to the rows' length above
        self._rows_checked = bytearray(self._blocks)  # per block of rows: 1 once its CRC matched
        self._unchecked_blocks = self._blocks
        self.claims = n
        self.path = path
        if end - self._base <= CHECKSUM_LIMIT:
            for name in list(self._crcs):
                self._checked(name)
            self._check_blocks(range(self._blocks))

    def text(self, name: str) -> str:
        """A section of UTF-8 text, checked against its CRC the first time it is read."""
        return str(self._checked(name), "utf-8")

    def _checked(self, name: str) -> memoryview:
        offset, length = self._sections[name]
        data = self._view[offset : offset + length]
        crc = self._crcs.pop(name, None)
        if crc is not None and zlib.crc32(data) != crc:
            self._crcs[name] = crc
            raise CacheError(f"section {name} fails its checksum")
        return data

    def ints(self, name: str) -> memoryview:
        """A section of native int64s, read in place from the map: a copy would fault in
        fresh pages (~5 µs each here, ~2,000 for the columns of 100,000 claims)."""
        try:
            return self._checked(name).cast("q")
        except TypeError:
            raise CacheError(f"section {name} is not a whole number of integers") from None

    def rows(self, begins: Sequence[int], ends: Sequence[int]) -> list[memoryview]:
        """The bytes of rows, each from begins[n] to ends[n] within the rows section; the
        blocks they lie in are checked against their CRCs first (each block once)."""
        if self._unchecked_blocks:
            if len(begins) * 4 >= self._unchecked_blocks:  # many rows: cheaper to check every block
                self._check_blocks(range(self._blocks))
            else:
                wanted = {a // ROW_BLOCK for a in begins}  # where each row begins and ends
                wanted.update((b - 1) // ROW_BLOCK for b in ends)
                for a, b in zip(begins, ends, strict=True):
                    if b - a > ROW_BLOCK:  # and, for a row longer than a block, the blocks between
                        wanted.update(range(a // ROW_BLOCK, (b - 1) // ROW_BLOCK))
                self._check_blocks(wanted)
        base, length = self._sections["rows"]
        section = self._view[base : base + length]
        return list(map(section.__getitem__, map(slice, begins, ends)))

    def _check_blocks(self, blocks: Iterable[int]) -> None:
        if self._row_crcs is None:
            self._row_crcs = self.ints("row_crcs")
        crcs, checked, view = self._row_crcs, self._rows_checked, self._view
        base, length = self._sections["rows"]
        for k in blocks:
            if not checked[k]:
                begin = base + k * ROW_BLOCK
                if zlib.crc32(view[begin : min(begin + ROW_BLOCK, base + length)]) != crcs[k]:
                    raise CacheError(f"rows fail their checksum (block {k})")
                checked[k] = 1
                self._unchecked_blocks -= 1

    def dataset(self, events_path: str) -> Dataset:
        try:
            header = codec.decode_header(self.toc["header"])
        except _DAMAGE as exc:
            raise CacheError(f"bad header ({type(exc).__name__}: {exc})") from None
        table = CachedTable(self, header)
        return Dataset.of(
            header.sources,
            header.topics,
            header.actors,
            header.events,
            table,
            events_path,
            header.sources_dir,
        )

    def index_parts(self) -> tuple[str, Sequence[int], tuple[str, ...]]:
        try:
            corpus = self.text("corpus")
            vocabulary = tuple(self.text("vocabulary").split("\n"))
            starts = self.ints("starts")
        except (KeyError, UnicodeDecodeError, CacheError) as exc:
            raise DamagedCache(self.path, f"search index: {exc}") from None
        return corpus, starts, vocabulary


class CachedTable(ClaimTable):
    """Claims read from a cache file: columns at once, rows when asked for."""

    def __init__(self, opened: Opened, header: codec.Header) -> None:
        n_sources, n_topics, n_events = len(header.sources), len(header.topics), len(header.events)
        # What the columns' numbers stand for, in a claim
        self._source_ids = [s.id for s in header.sources]
        self._topic_names = [t.id for t in header.topics]
        self._event_ids = [*(e.id for e in header.events), None]  # -1: no event
        self._file = opened
        self._n_topics = n_topics
        self._posting_off: Sequence[int] | None = None
        self._postings: Sequence[int] = ()
        self.start = opened.ints("start")
        self.end = opened.ints("end")
        self.source = source = opened.ints("source")
        self.kind = kind = opened.ints("kind")
        self.event = event = opened.ints("event")
        self._date = date = opened.ints("date")
        self._date_table: list[EdtfDate | None] | None = None
        self._ranks = opened.ints("rank")  # only ever compared, never an index: not range-checked
        self._topic_off = opened.ints("topic_off")
        self._topic_ids = topic_ids = opened.ints("topic_ids")
        self._topic_names_flat: tuple[str, ...] | None = None
        self._row_off = opened.ints("row_off")
        if len(source) and (
            not within(source, 0, n_sources)
            or not within(kind, 0, len(KINDS))
            or not within(event, -1, n_events)
            or not within(date, -1, opened.dates)
            or not within(topic_ids, 0, n_topics)
            or self._topic_off[0] != 0
            or self._topic_off[-1] != len(self._topic_ids)
            or self._row_off[0] != 0
            or self._row_off[-1] != opened._sections["rows"][1]
        ):
            raise CacheError("columns out of range")
        self._cache: dict[int, Claim] = {}
        self._by_id: dict[str, int] | None = None

    def topics_of(self, i: int) -> Sequence[int]:
        return self._topic_ids[self._topic_off[i] : self._topic_off[i + 1]]

    def _row(self, i: int) -> Claim:
        claim = self._cache.get(i)
        if claim is None:
            claim = self._cache[i] = self._decode([i])[0]
        return claim

    def take(self, indices: Sequence[int]) -> list[Claim]:
        """Rows decoded together, a batch at a time: ~3x faster than one row at a time.

        Claims are kept for the next take, but not those of a large one while none are kept:
        a command makes one large take (22,000 claims of a compare at 100,000), and keeping
        them cost a dict of them and two more passes.
        """
        cache = self._cache
        if not cache and len(indices) > ROW_BATCH:
            return self._decode(list(indices))
        missing = [i for i in indices if i not in cache]
        if missing:
            cache.update(zip(missing, self._decode(missing), strict=True))
        return [cache[i] for i in indices]

    def _decode(self, indices: list[int]) -> list[Claim]:
        claims: list[Claim] = []
        try:
            # A batch at a time: the buffers of one batch are reused for the next, where one
            # pass over 22,000 rows took ~20,000 fresh pages (a page fault is ~5 µs here).
            for first in range(0, len(indices), ROW_BATCH):
                claims += self._decode_batch(indices[first : first + ROW_BATCH])
        except (*_DAMAGE, CacheError) as exc:
            raise DamagedCache(self._file.path, str(exc)) from None
        return claims

    def _decode_batch(self, indices: list[int]) -> list[Claim]:
        off, topic_off, topics = self._row_off, self._topic_off, self._topics_named()
        rows = self._file.rows(
            list(map(off.__getitem__, indices)), list(map(off.__getitem__, map((1).__add__, indices)))
        )
        # What the columns say of each claim, looked up with map() (the loop runs in C)
        return codec.decode_claims(
            rows,
            list(map(self._source_ids.__getitem__, map(self.source.__getitem__, indices))),
            list(map(KINDS.__getitem__, map(self.kind.__getitem__, indices))),
            list(map(self._event_ids.__getitem__, map(self.event.__getitem__, indices))),
            [topics[topic_off[i] : topic_off[i + 1]] for i in indices],
            list(map(self._dates_table().__getitem__, map(self._date.__getitem__, indices))),
        )

    def _topics_named(self) -> tuple[str, ...]:
        """The topic_ids column as topic ids, made once (~3 ms at 100,000 claims): a claim's
        topics are then a slice of it, not a tuple built name by name."""
        if self._topic_names_flat is None:
            self._topic_names_flat = tuple(map(self._topic_names.__getitem__, self._topic_ids))
        return self._topic_names_flat

    def _dates_table(self) -> list[EdtfDate | None]:
        """The table of dates, decoded when a row is first read; -1 (undated) is its last item."""
        if self._date_table is None:
            table = json.loads(self._file.text("dates"))
            if type(table) is not list or len(table) != self._file.dates:
                raise ValueError("the table of dates does not match its count")
            self._date_table = [*map(codec.decode_date, table), None]
        return self._date_table

    def with_topics(self, topics: set[int]) -> set[int]:
        """From the topics' posting lists: as many steps as matches, not as claims."""
        out: set[int] = set()
        for t in topics:
            out.update(self.with_topic(t))
        return out

    def with_topic(self, topic: int) -> Sequence[int]:
        if self._posting_off is None:
            try:
                self._posting_off = off = self._file.ints("posting_off")
                self._postings = postings = self._file.ints("postings")
            except CacheError as exc:
                raise DamagedCache(self._file.path, str(exc)) from None
            if len(off) != self._n_topics + 1 or off[0] != 0 or off[-1] != len(postings):
                raise DamagedCache(self._file.path, "topic postings do not match the topics")
            if not within(postings, 0, len(self)):
                raise DamagedCache(self._file.path, "topic postings out of range")
        return self._postings[self._posting_off[topic] : self._posting_off[topic + 1]]

    def date_ranks(self) -> Sequence[int]:
        return self._ranks

    def ids(self) -> Sequence[str]:
        if not len(self):
            return []
        try:
            return self._file.text("ids").split("\n")
        except (CacheError, UnicodeDecodeError) as exc:
            raise DamagedCache(self._file.path, f"ids: {exc}") from None

    def index_of(self, claim_id: str) -> int | None:
        if self._by_id is None:
            self._by_id = {cid: i for i, cid in enumerate(self.ids())}
        return self._by_id.get(claim_id)
