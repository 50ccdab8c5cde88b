"""The cache file: a validated dataset laid out so that a large one opens instantly.

Layout: a magic line, the length of a JSON table of contents, the table of
contents (version, key, the dataset's small parts, section offsets), then the
sections: native-endian ``array`` columns for filtering and sorting, one JSON
row per claim with an offsets column, the claim ids, and the search index.

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


class CacheError(Exception):
    """The cache file is damaged, of another version, or of another machine."""


class DamagedCache(PakruError):
    """A claim row failed to decode after the file passed its checks when opened."""


def write(out: IO[bytes], d: Dataset, key: str, stat: list[Any] | None, index: Any) -> None:
    """Write ``d`` and its search index to the open binary file ``out``."""
    t = d.claims
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = bytearray()
    row_off = array("q", [0])
    topic_off, topic_ids = array("q", [0]), array("q")
    for i, claim in enumerate(t):
        rows += encode(codec.encode_claim(claim)).encode()
        row_off.append(len(rows))
        topic_ids.extend(t.topics_of(i))
        topic_off.append(len(topic_ids))
    sections: dict[str, bytes] = {
        "start": array("q", t.start).tobytes(),
        "end": array("q", t.end).tobytes(),
        "source": array("q", t.source).tobytes(),
        "kind": array("q", t.kind).tobytes(),
        "event": array("q", t.event).tobytes(),
        "topic_off": topic_off.tobytes(),
        "topic_ids": topic_ids.tobytes(),
        "row_off": row_off.tobytes(),
        "rows": bytes(rows),
        "ids": "\n".join(t.ids()).encode(),
        "corpus": index.corpus.encode(),
        "starts": array("q", index.starts).tobytes(),
        "vocabulary": "\n".join(index.vocabulary).encode(),
    }
    offsets, pos = {}, 0
    for name, data in sections.items():
        offsets[name] = [pos, len(data)]
        pos += len(data)
    body = b"".join(sections.values())
    toc = {
        "format": FORMAT,
        "pakru": _version(),
        "byteorder": sys.byteorder,
        "key": key,
        "stat": stat,
        "claims": len(t),
        "header": codec.encode_header(d),
        "sections": offsets,
        "checksum": blake2b(body, digest_size=16).hexdigest() if len(body) <= CHECKSUM_LIMIT else None,
    }
    head = json.dumps(toc, ensure_ascii=False, separators=(",", ":")).encode()
    out.write(MAGIC + len(head).to_bytes(_LENGTH, "little") + head)
    out.write(body)


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
        if m[: len(MAGIC)] != MAGIC:
            raise CacheError("not a pakru cache file")
        start = len(MAGIC) + _LENGTH
        size = int.from_bytes(m[len(MAGIC) : start], "little")
        if start + size > len(m):
            raise CacheError("truncated")
        try:
            toc = json.loads(m[start : start + size])
        except ValueError as exc:
            raise CacheError(f"unreadable table of contents ({exc})") from None
        if not isinstance(toc, dict) or toc.get("format") != FORMAT or toc.get("pakru") != _version():
            raise CacheError("written by another version of pakru")
        if toc.get("byteorder") != sys.byteorder:
            raise CacheError("written on a machine of another byte order")
        self.toc = toc
        self.key: str = toc.get("key", "")
        self.stat: list[Any] | None = toc.get("stat")
        self._base = start + size
        self._sections: dict[str, tuple[int, int]] = {}
        try:
            n = int(toc["claims"])
            for name, (offset, length) in toc["sections"].items():
                if not (isinstance(offset, int) and isinstance(length, int) and offset >= 0 and length >= 0):
                    raise CacheError(f"bad section {name}")
                if self._base + offset + length > len(m):
                    raise CacheError("truncated")
                self._sections[name] = (self._base + offset, length)
            for name in ("start", "end", "source", "kind", "event", "topic_off", "row_off", "starts"):
                expected = {"topic_off": n + 1, "row_off": n + 1, "starts": 6 * n}.get(name, n)
                if self._sections[name][1] != 8 * expected:
                    raise CacheError(f"section {name} does not match {n} claims")
        except (KeyError, TypeError, ValueError) as exc:
            raise CacheError(f"bad table of contents ({exc})") from None
        checksum = toc.get("checksum")
        if checksum is not None and blake2b(m[self._base :], digest_size=16).hexdigest() != checksum:
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
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise CacheError(f"bad header ({exc})") from None
        table = CachedTable(self, len(header.sources), len(header.topics), len(header.events))
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
            raise CacheError(f"bad search index ({exc})") from None
        return corpus, self.ints("starts"), vocabulary


class CachedTable(ClaimTable):
    """Claims read from a cache file: columns at once, rows when asked for."""

    def __init__(self, opened: Opened, n_sources: int, n_topics: int, n_events: int) -> None:
        self._file = opened
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
                claim = codec.decode_claim(json.loads(self._file._map[a:b]), self._dates)
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                raise DamagedCache(
                    f"the cache {self._file.path} is damaged (claim {i}: {exc}); "
                    "delete it or run with --no-cache"
                ) from None
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
                    self._cache[i] = codec.decode_claim(row, self._dates)
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                raise DamagedCache(
                    f"the cache {self._file.path} is damaged ({exc}); delete it or run with --no-cache"
                ) from None
        return [self._row(i) for i in indices]

    def with_topics(self, topics: set[int]) -> set[int]:
        from bisect import bisect_right

        off, ids = self._topic_off, self._topic_ids
        return {bisect_right(off, j) - 1 for j, t in enumerate(ids) if t in topics}

    def ids(self) -> Sequence[str]:
        return self._file.raw("ids").decode().split("\n") if len(self) else []

    def index_of(self, claim_id: str) -> int | None:
        if self._by_id is None:
            self._by_id = {cid: i for i, cid in enumerate(self.ids())}
        return self._by_id.get(claim_id)
