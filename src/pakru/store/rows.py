"""Records read back from the database: a claim, a source, an event, and the lazy collections
that give a Dataset its sources and events without reading them all."""

from __future__ import annotations

import functools
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from pakru.core.dates import EdtfDate, parse_edtf
from pakru.core.model import DATE_BASES, KINDS, Claim, Event, Outlook, Source
from pakru.store import packing

T = TypeVar("T")
CODES_KEPT = 4096  # topic and actor codes resolved, per connection
SEP = "\x1f"  # joins a claim's topics and actors; no id or name holds it (records.Reader.one_line)
IN_MAX = 500  # values bound in one "IN (...)": well under SQLite's limit (999 before 3.32)

# A claim with its source's and event's ids, from `claims` joined to `sources` and `events`
CLAIM_COLUMNS = (
    "claims.rowid, claims.id, sources.id, claims.date, claims.date_basis, claims.kind, claims.text, "
    "claims.topics, claims.actors, claims.date_note, events.id, claims.stance, claims.crc"
)
CLAIM_FROM = "claims JOIN sources ON sources.no = claims.source LEFT JOIN events ON events.no = claims.event"
SOURCE_COLUMNS = (
    "id, title, author, author_note, outlet, outlet_basis, published, published_basis, text, "
    "outlook_score, outlook_label, outlook_quote, crc"
)
EVENT_COLUMNS = "id, label, note, crc"

# What reading a damaged row as its record raises: the row is damage, not a bug
UNREADABLE = (TypeError, ValueError, IndexError, KeyError, AttributeError, zlib.error)

_date = functools.lru_cache(maxsize=4096)(parse_edtf)


class DamagedCache(Exception):
    """A database found damaged while a command reads it: remove it and run the command again."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(f"the cache {path} is damaged ({reason})" if path else f"damaged cache ({reason})")
        self.reason, self.path = reason, path


class StaleCache(DamagedCache):
    """A source text changed since the database was built (found when a claim of it is shown):
    an ordinary miss, rebuilt without a warning."""


def row_crc(values: Sequence[object]) -> int:
    """A checksum of a record's values as they are read back, types included (repr quotes text,
    not numbers): a row altered by damage (a changed letter, a number stored as text) no longer
    matches the one it was written with."""
    return zlib.crc32(repr(tuple(values)).encode("utf-8", "surrogatepass")) - (1 << 31)  # 4 bytes in SQLite


def claim_crc(fields: tuple[object, ...], text: bytes) -> int:
    """A claim row's checksum: of its fields as read back (row_crc's way) but its summary and
    quote, and of their deflated bytes as stored (crc32 of bytes, not repr of a long text)."""
    head = zlib.crc32(repr(fields).encode("utf-8", "surrogatepass"))
    return zlib.crc32(text, head) - (1 << 31)


def typed(rows: Iterable[Sequence[Any]], types: tuple[type, ...], table: str) -> Iterator[Sequence[Any]]:
    """The rows of an index table (the vocabulary, the synonyms: no checksum of their own), each
    value of the type pakru wrote, or DamagedCache: damage that leaves the file well formed reads
    back as a NULL or a number where a word was."""
    for row in rows:
        if tuple(map(type, row)) != types:  # in C: a search reads every synonym row
            raise DamagedCache(f"a row of {table} is not as pakru writes it")
        yield row


def checked(row: Sequence[Any]) -> Sequence[Any]:
    """The row's values without its checksum (its last column), or DamagedCache."""
    values, crc = row[:-1], row[-1]
    if zlib.crc32(repr(tuple(values)).encode("utf-8", "surrogatepass")) - (1 << 31) != crc:
        raise DamagedCache("a record does not match its checksum")
    return values


class Names:
    """The topic ids and actor names a claim row refers to by number (claims.topics and
    claims.actors hold numbers joined by spaces: a name is stored once, in `topics` or
    `actor_names`, not in every claim). Read once per connection, when first needed; each code
    is resolved once (claims share their topics' and actors' combinations)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._tables: dict[str, dict[str, str]] = {}  # by the query that reads one: number -> name
        self._zdict: bytes | None = None
        self._codes: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}

    def topics(self, code: str) -> tuple[str, tuple[str, ...]]:
        """(the ids joined by SEP, as the checksum has them; the ids) of a claims.topics code."""
        return self._names("SELECT no, id FROM topics", code)

    def actors(self, code: str) -> tuple[str, tuple[str, ...]]:
        """As topics(), of a claims.actors code."""
        return self._names("SELECT no, name FROM actor_names", code)

    def _names(self, table_sql: str, code: str) -> tuple[str, tuple[str, ...]]:
        got = self._codes.get((table_sql, code))
        if got is None:
            table = self._tables.get(table_sql)
            if table is None:  # keyed by the number's text, as the codes spell it: no int() per name
                table = self._tables[table_sql] = {str(no): name for no, name in self.conn.execute(table_sql)}
            names = tuple(map(table.__getitem__, code.split()))
            if len(self._codes) >= CODES_KEPT:  # a pass over a million claims: memory stays flat
                self._codes.clear()
            got = self._codes[(table_sql, code)] = (SEP.join(names), names)
        return got

    def dictionary(self) -> bytes:
        """The deflate dictionary of claims.text (table text_dict), read once."""
        if self._zdict is None:
            self._zdict = bytes(self.conn.execute("SELECT data FROM text_dict").fetchone()[0])
        return self._zdict


def numbers(table: dict[str, int], keys: Sequence[str]) -> str:
    """The code of claims.topics or claims.actors: each key's number (given at first sight)."""
    out = []
    for key in keys:
        got = table.get(key)
        if got is None:
            got = table[key] = len(table) + 1
        out.append(str(got))
    return " ".join(out)


def claim_of(row: Sequence[Any], names: Names) -> Claim:
    """A Claim from a row of CLAIM_COLUMNS (its rowid first, dropped)."""
    return claims_of([row], names)[0]


def claims_of(rows: Iterable[Sequence[Any]], names: Names) -> list[Claim]:
    """The Claims of rows of CLAIM_COLUMNS, or DamagedCache. The checksum (claim_crc) is of the
    names the numbers stand for: a damaged name table fails it too.

    One loop, not a call per step: a whole timeline is decoded here (~8 µs a claim of the shipped
    dataset, not 16).
    """
    out: list[Claim] = []
    append, make, inflate, split = out.append, tuple.__new__, packing.inflate, packing.split
    topics, actors, bases, kinds = names.topics, names.actors, DATE_BASES, KINDS
    try:
        zdict = names.dictionary()
        for row in rows:
            _rowid, cid, source, date, basis, kind, text, tcode, acode, note, event, stance, crc = row
            topic_text, topic_ids = topics(tcode)
            actor_text, actor_names = actors(acode)
            fields = (cid, source, date, basis, kind, topic_text, actor_text, note, event, stance)
            if claim_crc(fields, text) != crc:
                raise DamagedCache("a record does not match its checksum")
            summary, quote = split(inflate(text, zdict))
            when = None if date is None else _date(date)
            # Claim's fields in order, made as its tuple: no Python __new__ per claim
            head = (cid, source, when, bases[basis], kinds[kind], summary, quote, topic_ids, actor_names)
            append(make(Claim, (*head, note, event, stance)))
    except UNREADABLE as exc:
        raise DamagedCache(f"a record cannot be read: {type(exc).__name__}: {exc}") from None
    return out


def source_of(row: Sequence[Any]) -> Source:
    sid, title, author, note, outlet, basis, published, pbasis, text, score, label, quote = checked(row)
    return Source(
        sid, title, author, note, outlet, basis, _date(published), pbasis, text, Outlook(score, label, quote)
    )


def event_of(row: Sequence[Any]) -> Event:
    return Event(*checked(row))


def date_of(text: str) -> EdtfDate:
    return _date(text)


def decoded(make: Callable[[Sequence[Any]], T], row: Sequence[Any]) -> T:
    """make(row); a row that cannot be read as its record is damage."""
    try:
        return make(row)
    except DamagedCache:
        raise
    except UNREADABLE as exc:
        raise DamagedCache(f"a record cannot be read: {type(exc).__name__}: {exc}") from None


class Rows(Sequence[T]):
    """A table's records in dataset order, read when asked for (all of them only by iteration)."""

    def __init__(
        self, conn: sqlite3.Connection, table: str, columns: str, make: Callable[[Sequence[Any]], T]
    ):
        self.conn, self.table, self.columns, self.make = conn, table, columns, make
        self._all: list[T] | None = None
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            self._len = self.conn.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]
        return self._len

    def _every(self) -> list[T]:
        if self._all is None:
            rows = self.conn.execute(f"SELECT {self.columns} FROM {self.table} ORDER BY pos")
            self._all = [decoded(self.make, r) for r in rows]
        return self._all

    def __iter__(self) -> Iterator[T]:
        return iter(self._every())

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        return self._every()[i]


class ById(Mapping[str, T]):
    """A table's records by id (the first of ``columns``), each read once, when first asked for."""

    def __init__(
        self, conn: sqlite3.Connection, table: str, columns: str, make: Callable[[Sequence[Any]], T]
    ):
        self.conn, self.table, self.columns, self.make = conn, table, columns, make
        self._memo: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        got = self._memo.get(key)
        if got is None:
            row = self.conn.execute(
                f"SELECT {self.columns} FROM {self.table} WHERE id = ?", (key,)
            ).fetchone()
            if row is None:
                raise KeyError(key)
            got = self._memo[key] = decoded(self.make, row)
        return got

    def having(self, keys: Iterable[str]) -> list[str]:
        """Those of ``keys`` that are ids of the table, once each, in order; the records of those
        not yet read are read together, in one query per IN_MAX."""
        wanted = list(dict.fromkeys(keys))
        unread = [k for k in wanted if k not in self._memo]
        for row in rows_in(self.conn, f"SELECT {self.columns} FROM {self.table} WHERE id IN ({{}})", unread):
            self._memo[row[0]] = decoded(self.make, row)
        return [k for k in wanted if k in self._memo]

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.conn.execute(f"SELECT id FROM {self.table} ORDER BY pos"))

    def __len__(self) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0])

    def __contains__(self, key: object) -> bool:
        if key in self._memo:
            return True
        return self.conn.execute(f"SELECT 1 FROM {self.table} WHERE id = ?", (key,)).fetchone() is not None


class SqlClaims:
    """The claims of a database, as model.ClaimSet: every answer a query."""

    def __init__(
        self, conn: sqlite3.Connection, names: Names, check: Callable[[Claim], Claim] = lambda c: c
    ) -> None:
        self.conn, self.names = conn, names
        self.check = check  # Store.checked: is the claim's source text as validated

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT max(rowid) FROM claims").fetchone()[0] or 0)

    def __iter__(self) -> Iterator[Claim]:
        rows = self.conn.execute(f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} ORDER BY claims.rowid")
        while batch := rows.fetchmany(500):
            yield from map(self.check, claims_of(batch, self.names))

    def claim(self, row: Sequence[Any]) -> Claim:
        return claim_of(row, self.names)

    def get(self, claim_id: str) -> Claim | None:
        row = self.conn.execute(
            f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE claims.id = ?", (claim_id,)
        ).fetchone()
        return None if row is None else self.check(self.claim(row))

    def count_by_source(self) -> dict[str, int]:
        sql = "SELECT sources.id, sc.claims FROM source_claims sc JOIN sources ON sources.no = sc.source"
        return dict(self.conn.execute(sql))

    def count_by_topic_and_source(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        sql = (
            "SELECT topics.id, sources.id, ts.claims FROM topic_source ts "
            "JOIN topics ON topics.no = ts.topic JOIN sources ON sources.no = ts.source"
        )
        for topic, source, n in self.conn.execute(sql):
            out.setdefault(topic, {})[source] = n
        return out

    def of_event(self, event_id: str) -> list[Claim]:
        sql = (
            f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE claims.event = "
            "(SELECT no FROM events WHERE id = ?) ORDER BY claims.rowid"
        )
        return [self.check(c) for c in claims_of(self.conn.execute(sql, (event_id,)), self.names)]

    def near_ids(self, claim_id: str, n: int = 25) -> list[str]:
        """Ids either side of one in sort order, and ids sharing its first letters."""
        conn = self.conn
        after = conn.execute("SELECT id FROM claims WHERE id >= ? ORDER BY id LIMIT ?", (claim_id, n))
        before = conn.execute("SELECT id FROM claims WHERE id < ? ORDER BY id DESC LIMIT ?", (claim_id, n))
        return [r[0] for r in [*before, *after]]


def rows_in(conn: sqlite3.Connection, sql: str, values: Sequence[Any]) -> Iterator[Any]:
    """The rows of ``sql`` for all of ``values``, bound into its one ``IN ({})`` IN_MAX at a time."""
    for first in range(0, len(values), IN_MAX):
        chunk = values[first : first + IN_MAX]
        yield from conn.execute(sql.format(",".join("?" * len(chunk))), tuple(chunk))
