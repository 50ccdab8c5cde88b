"""The cache file: a validated dataset laid out so that a large one opens instantly.

Layout: a magic line, the sections, then a JSON table of contents (version,
key, the dataset's small parts, section offsets, a checksum of the sections),
its own BLAKE2 digest, and its length in the last 8 bytes. The sections:
native-endian ``array`` columns for filtering and sorting, one JSON row per
claim with an offsets column, the claim ids, and the search index.

Nothing in it can run code: arrays are numbers and everything else is JSON or
text. Opening checks the magic, version, byte order, every section's bounds and
length against the claim count, and, for files up to CHECKSUM_LIMIT, a BLAKE2
checksum of the whole; any failure is CacheError, which the store treats as a
miss. The file is read through mmap, so a claim's row is decoded only when a
command shows that claim.
"""

from __future__ import annotations

import json
import mmap
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from pakru import codec
from pakru.errors import PakruError
from pakru.model import KINDS, Claim, Dataset
from pakru.table import ClaimTable

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

MAGIC = b"PAKRU-CACHE\n"
FORMAT = 2
CHECKSUM_LIMIT = 8 * 1024 * 1024
_LENGTH = 8  # bytes of the table of contents' length
_DIGEST = 16  # bytes of the table of contents' own checksum, always verified
# Anything that reading untrusted JSON and numbers can raise; all of it means "damaged".
_DAMAGE = (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError, RecursionError)


class CacheError(Exception):
    """The cache file is damaged, of another version, or of another machine."""


class DamagedCache(PakruError):
    """Part of a large cache failed to decode after the file passed its checks when opened.

    Files over CHECKSUM_LIMIT are not hashed whole on every run; their rows and search
    index are checked as they are read. The CLI treats this as a miss: it removes the
    file and runs the command again, which rebuilds the cache.
    """

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"the cache {path} is damaged ({detail})")


def write(out: IO[bytes], d: Dataset, key: str, stat: list[Any] | None) -> None:
    """Write ``d`` and its search index to the open binary file ``out``, section by section.

    Each section goes to the file as soon as it is made, and the table of contents
    comes last, so that writing a large dataset never holds a second copy of it.
    """
    from pakru.search import IndexBuilder

    t = d.claims
    checksum = blake2b(digest_size=16)
    sections: dict[str, list[int]] = {}
    position = 0

    def emit(data: bytes) -> None:
        nonlocal position
        out.write(data)
        checksum.update(data)
        position += len(data)

    def section(name: str, data: bytes) -> None:
        sections[name] = [position, len(data)]
        emit(data)

    out.write(MAGIC)
    for name, column in (
        ("start", t.start),
        ("end", t.end),
        ("source", t.source),
        ("kind", t.kind),
        ("event", t.event),
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
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    row_off, begin = array("q", [0]), position
    for claim in t:
        emit(encode(codec.encode_claim(claim)).encode())
        row_off.append(position - begin)
    sections["rows"] = [begin, position - begin]
    section("row_off", row_off.tobytes())
    section("ids", "\n".join(t.ids()).encode())
    index, begin = IndexBuilder(), position
    for chunk in index.chunks(d):
        emit(chunk.encode())
    sections["corpus"] = [begin, position - begin]
    section("starts", index.starts.tobytes())
    section("vocabulary", "\n".join(sorted(index.vocabulary)).encode())
    toc = {
        "format": FORMAT,
        "pakru": _version(),
        "byteorder": sys.byteorder,
        "key": key,
        "stat": stat,
        "claims": len(t),
        "header": codec.encode_header(d),
        "sections": sections,
        "checksum": checksum.hexdigest(),
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
        try:
            self.key: str = _text(toc["key"])
            self.stat: list[Any] | None = toc.get("stat")
            n = toc["claims"]
            if type(n) is not int or n < 0:
                raise CacheError("bad claim count")
            for name, (offset, length) in toc["sections"].items():
                if not (type(offset) is int and type(length) is int and offset >= 0 and length >= 0):
                    raise CacheError(f"bad section {name}")
                if self._base + offset + length > end:
                    raise CacheError("truncated")
                self._sections[name] = (self._base + offset, length)
            for name in ("start", "end", "source", "kind", "event", "topic_off", "row_off", "starts"):
                expected = {"topic_off": n + 1, "row_off": n + 1, "starts": 6 * n}.get(name, n)
                if self._sections[name][1] != 8 * expected:
                    raise CacheError(f"section {name} does not match {n} claims")
        except _DAMAGE as exc:
            raise CacheError(f"bad table of contents ({type(exc).__name__}: {exc})") from None
        checksum = toc.get("checksum")
        if (
            end - self._base <= CHECKSUM_LIMIT
            and blake2b(m[self._base : end], digest_size=16).hexdigest() != checksum
        ):
            raise CacheError("checksum mismatch")
        self.claims = n
        self.path = path

    def raw(self, name: str) -> bytes:
        offset, length = self._sections[name]
        return self._map[offset : offset + length]

    def ints(self, name: str) -> array[int]:
        a = array("q")
        a.frombytes(self.raw(name))
        return a

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

    def index_parts(self) -> tuple[str, array[int], tuple[str, ...]]:
        try:
            corpus = self.raw("corpus").decode()
            vocabulary = tuple(self.raw("vocabulary").decode().split("\n"))
        except (KeyError, UnicodeDecodeError) as exc:
            raise DamagedCache(self.path, f"search index: {exc}") from None
        return corpus, self.ints("starts"), vocabulary


class CachedTable(ClaimTable):
    """Claims read from a cache file: columns at once, rows when asked for."""

    def __init__(self, opened: Opened, header: codec.Header) -> None:
        n_sources, n_topics, n_events = len(header.sources), len(header.topics), len(header.events)
        # What a row may name: a row that names anything else is damage, not data.
        self._source_ids = [s.id for s in header.sources]
        self._topic_ids_known = {t.id for t in header.topics}
        self._event_ids = {e.id for e in header.events}
        self._file = opened
        self._n_topics = n_topics
        self._posting_off: array[int] | None = None
        self._postings = array("q")
        self.start = opened.ints("start")
        self.end = opened.ints("end")
        self.source = opened.ints("source")
        self.kind = opened.ints("kind")
        self.event = opened.ints("event")
        self._topic_off = opened.ints("topic_off")
        self._topic_ids = opened.ints("topic_ids")
        self._row_off = opened.ints("row_off")
        self._rows = opened._sections["rows"][0]
        # min() and max() run in C: a damaged column is caught for ~1 ms at 100,000 claims
        if len(self.source) and (
            not 0 <= min(self.source) <= max(self.source) < n_sources
            or not 0 <= min(self.kind) <= max(self.kind) < len(KINDS)
            or not -1 <= min(self.event) <= max(self.event) < n_events
            or (len(self._topic_ids) and not 0 <= min(self._topic_ids) <= max(self._topic_ids) < n_topics)
            or self._topic_off[0] != 0
            or self._topic_off[-1] != len(self._topic_ids)
            or self._row_off[0] != 0
            or self._row_off[-1] != opened._sections["rows"][1]
        ):
            raise CacheError("columns out of range")
        self._cache: dict[int, Claim] = {}
        self._dates: dict[str, Any] = {}
        self._by_id: dict[str, int] | None = None

    def topics_of(self, i: int) -> Sequence[int]:
        return self._topic_ids[self._topic_off[i] : self._topic_off[i + 1]]

    def _row(self, i: int) -> Claim:
        claim = self._cache.get(i)
        if claim is None:
            a, b = self._rows + self._row_off[i], self._rows + self._row_off[i + 1]
            try:
                claim = self._checked(i, codec.decode_claim(json.loads(self._file._map[a:b]), self._dates))
            except _DAMAGE as exc:
                raise DamagedCache(self._file.path, f"claim {i}: {exc}") from None
            self._cache[i] = claim
        return claim

    def take(self, indices: Sequence[int]) -> list[Claim]:
        """Many rows in one json.loads call: ~3x faster than one call per row."""
        missing = [i for i in indices if i not in self._cache]
        if len(missing) > 1:
            m, base, off = self._file._map, self._rows, self._row_off
            joined = b"[" + b",".join(m[base + off[i] : base + off[i + 1]] for i in missing) + b"]"
            try:
                rows = json.loads(joined)
                if type(rows) is not list or len(rows) != len(missing):
                    raise ValueError("rows do not match their offsets")
                for i, row in zip(missing, rows, strict=True):
                    self._cache[i] = self._checked(i, codec.decode_claim(row, self._dates))
            except _DAMAGE as exc:
                raise DamagedCache(self._file.path, str(exc)) from None
        return [self._row(i) for i in indices]

    def _checked(self, i: int, claim: Claim) -> Claim:
        if (
            claim.source != self._source_ids[self.source[i]]
            or (claim.event is not None and claim.event not in self._event_ids)
            or not self._topic_ids_known.issuperset(claim.topics)
        ):
            raise ValueError(f"claim {i} names a source, event or topic the cache does not hold")
        return claim

    def with_topics(self, topics: set[int]) -> set[int]:
        """From the topics' posting lists: as many steps as matches, not as claims."""
        if self._posting_off is None:
            self._posting_off = self._file.ints("posting_off")
            self._postings = self._file.ints("postings")
            off = self._posting_off
            if len(off) != self._n_topics + 1 or off[0] != 0 or off[-1] != len(self._postings):
                raise DamagedCache(self._file.path, "topic postings do not match the topics")
            if len(self._postings) and not 0 <= min(self._postings) <= max(self._postings) < len(self):
                raise DamagedCache(self._file.path, "topic postings out of range")
        out: set[int] = set()
        for t in topics:
            out.update(self._postings[self._posting_off[t] : self._posting_off[t + 1]])
        return out

    def ids(self) -> Sequence[str]:
        return self._file.raw("ids").decode().split("\n") if len(self) else []

    def index_of(self, claim_id: str) -> int | None:
        if self._by_id is None:
            self._by_id = {cid: i for i, cid in enumerate(self.ids())}
        return self._by_id.get(claim_id)
