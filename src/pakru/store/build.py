"""Build a dataset's database: validate the YAML as load() does, streaming claims into SQLite.

The claims go in as they are read, a batch at a time (executemany), so memory holds one batch,
not the dataset; their quotes go aside to be checked (spool.py). Once the last claim is in
(``prepare``): the indexes (a sort each), the full-text index (fts.py) and the counts that
compare and topics read; once the dataset is found valid (``complete``): its key, committed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pakru import __version__
from pakru.core.model import DATE_BASES, KINDS, Actor, Claim, Event, Source, Topic
from pakru.dataset.load import NAMED_SECTIONS, Parts, stream
from pakru.store import fresh, fts, packing, spool, tally
from pakru.store.rows import CLAIM_COLUMNS, CLAIM_FROM, SEP, Names, claim_crc, claims_of, numbers, row_crc
from pakru.store.schema import APPLICATION_ID, ID_INDEX, INDEXES, SCHEMA_VERSION, TABLES

BATCH = 2000
Progress = Callable[[str, int, int], None]  # stage ("reading", "indexing"), done, total
# The dataset's key, its files' signature and its source texts' (name, size, time, digest)
Identity = Callable[[], tuple[str, Any, list[tuple[str, int, int | None, bytes]]]]
_KIND = {k: i for i, k in enumerate(KINDS)}
# What complete() needs of the Parts: the dataset file, its sources folder, its claims' number
Where = tuple[str, str, int]
# A claim as plain values, for values_of()
Values = tuple[Any, ...]
_BASIS = {b: i for i, b in enumerate(DATE_BASES)}


class _Sink:
    """load.ClaimSink into a database: each claim a row, numbered in dataset order."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: list[tuple[Any, ...]] = []
        self.topic_rows: list[tuple[int, int]] = []
        self.claim_at_rows: list[tuple[int, ...]] = []
        self.n = 0
        # id -> number, given at first sight (a claim may name a source before it is read)
        self.sources: dict[str, int] = {}
        self.pub: dict[int, int] = {}
        self.topics: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self.actors: dict[str, int] = {}  # every name claims give (undeclared ones too, when none are)
        self.packer: packing.Packer | None = None  # made at the first batch, from its texts
        self.late_pub = False  # some claim came before its source: its pub is filled at the end
        self.quotes_kept = spool.QuoteSpool()  # of the claims given to add(), not add_values()
        self.found_duplicates: list[tuple[str, int, int, int]] | None = None  # once looked for
        self.prepared = False
        # The full-text rows are made as the claims come, from the records read before them;
        # from the first claim that names one not read yet (or when a section it may name comes
        # after the claims), they are made at the end instead, from the rows read back.
        self.records: dict[str, dict[str, Any]] = {"sources": {}, "topics": {}, "events": {}}
        self.aliases: dict[str, tuple[str, ...]] = {}
        self.inline = False
        self.text_from: int | None = None  # the first claim whose text is indexed at the end
        self.text_rows: list[tuple[int, tuple[str, ...]]] = []
        self.index = fts.Indexer(conn)
        self.tally = tally.Tally()

    def claims_begin(self, complete: set[str]) -> None:
        self.inline = complete >= NAMED_SECTIONS

    def number(self, table: dict[str, int], key: str) -> int:
        got = table.get(key)
        if got is None:
            got = table[key] = len(table) + 1
        return got

    def add_record(self, section: str, record: Any, pos: int) -> None:
        conn = self.conn
        if section in self.records:
            self.records[section][record.id] = record
        elif section == "actors":
            self.aliases[record.name] = record.aliases
        if section == "sources":
            s: Source = record
            no = self.number(self.sources, s.id)
            pub = self.pub[no] = s.published.start.toordinal()
            o = s.outlook
            read_back: tuple[object, ...] = (s.id, s.title, s.author, s.author_note, s.outlet, s.outlet_basis)
            read_back += (s.published.text,)
            read_back += (s.published_basis, s.text, o.score, o.label, o.quote)
            conn.execute(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    no,
                    pos,
                    s.id,
                    s.title,
                    s.author,
                    s.author_note,
                    s.outlet,
                    s.outlet_basis,
                    s.published.text,
                    s.published_basis,
                    s.text,
                    o.score,
                    o.label,
                    o.quote,
                    pub,
                    s.published.end.toordinal(),
                    row_crc(read_back),
                ),
            )
        elif section == "topics":
            t: Topic = record
            values: tuple[object, ...] = (t.id, t.label, SEP.join(t.aliases))
            conn.execute(
                "INSERT INTO topics VALUES (?,?,?,?,?,?)",
                (self.number(self.topics, t.id), pos, *values, row_crc(values)),
            )
        elif section == "actors":
            a: Actor = record
            values = (a.name, SEP.join(a.aliases))
            conn.execute("INSERT INTO actors VALUES (?,?,?,?)", (pos, *values, row_crc(values)))
        elif section == "events":
            e: Event = record
            values = (e.id, e.label, e.note)
            conn.execute(
                "INSERT INTO events VALUES (?,?,?,?,?,?)",
                (self.number(self.events, e.id), pos, *values, row_crc(values)),
            )

    checks_ids = True

    def add(self, claim: Claim, quote_line: int, quote_column: int, at: tuple[int, int, int]) -> None:
        self.quotes_kept.add(claim.source, claim.id, claim.quote, quote_line, quote_column)
        self.add_values(values_of(claim), quote_line, quote_column, at)

    def add_values(
        self, values: Values, quote_line: int, quote_column: int, at: tuple[int, int, int]
    ) -> None:
        """add() of a claim as values_of() gives it (what worker.py's child is sent)."""
        cid, source_id, date_text, start, end, basis_name, kind_name, summary, quote = values[:9]
        topics, actors, note, event, stance = values[9:]
        self.n += 1
        n = self.n
        source = self.number(self.sources, source_id)
        pub = self.pub.get(source)
        if pub is None:
            self.late_pub, pub = True, 0
        basis, kind = _BASIS[basis_name], _KIND[kind_name]
        event_no = None if event is None else self.number(self.events, event)
        fields = (
            cid,
            source_id,
            date_text,
            basis,
            kind,
            SEP.join(topics),
            SEP.join(actors),
            note,
            event,
            stance,
        )
        self.rows.append(
            (
                n,
                cid,
                source,
                date_text,
                start,
                end,
                pub,
                basis,
                kind,
                summary,  # deflated with the quote when the batch is written
                quote,
                numbers(self.topics, topics),
                numbers(self.actors, actors),
                note,
                event_no,
                stance,
                fields,  # made claim_crc when the texts are deflated
            )
        )
        topic_nos = [self.number(self.topics, t) for t in dict.fromkeys(topics)]
        self.topic_rows.extend([(t, n) for t in topic_nos])
        self.tally.add(topic_nos, source, event_no, start, stance)
        self.claim_at_rows.append((n, *at))
        if self.text_from is None:
            self._text(n, source_id, summary, quote, topics, actors, event)
        if len(self.rows) >= BATCH:
            self.flush()

    def _text(
        self,
        n: int,
        source_id: str,
        summary: str,
        quote: str,
        topic_ids: tuple[str, ...],
        actors: tuple[str, ...],
        event_id: str | None,
    ) -> None:
        records = self.records
        source = records["sources"].get(source_id)
        topics = [records["topics"].get(t) for t in topic_ids]
        event = None if event_id is None else records["events"].get(event_id)
        if not self.inline or source is None or None in topics or (event_id is not None and event is None):
            self.text_from = n  # a record it names comes later: this claim's text and the rest at the end
            return
        texts = fts.texts(summary, quote, actors, source, topics, self.aliases, event)  # type: ignore[arg-type]
        self.index.names(topics, actors, self.aliases)  # type: ignore[arg-type]
        self.text_rows.append((n, texts))

    def flush(self) -> None:
        conn = self.conn
        self.index.insert(self.text_rows)
        self.text_rows = []
        packer = self.packer
        if packer is None:
            packer = self.packer = self.start_packing([(r[9], r[10]) for r in self.rows[:BATCH]])
        rows = []
        for r in self.rows:
            text = packer.pack(r[9], r[10])
            rows.append((*r[:9], text, *r[11:-1], claim_crc(r[-1], text)))
        conn.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO claim_topics VALUES (?,?)", self.topic_rows)
        self.tally.flush(conn)
        conn.executemany("INSERT INTO temp.claim_at VALUES (?,?,?,?)", self.claim_at_rows)
        self.rows, self.topic_rows, self.claim_at_rows = [], [], []

    def start_packing(self, texts: list[tuple[str, str]]) -> packing.Packer:
        zdict = packing.dictionary(texts)
        self.conn.execute("INSERT INTO text_dict VALUES (?)", (zdict,))
        return packing.Packer(zdict)

    def duplicates(self) -> list[tuple[str, int, int, int]]:
        """Made with the unique index on claims(id); only when that fails, the ids it refused."""
        if self.found_duplicates is None:
            self.found_duplicates = self._duplicates()
        return self.found_duplicates

    def _duplicates(self) -> list[tuple[str, int, int, int]]:
        self.flush()
        try:
            self.conn.execute(ID_INDEX)
            return []
        except sqlite3.IntegrityError:
            pass
        sql = (
            "SELECT c.id, q.id_line, q.id_col, q.claim_line "
            "FROM claims c JOIN temp.claim_at q ON q.claim = c.rowid "
            "WHERE c.id IN (SELECT id FROM claims GROUP BY id HAVING count(*) > 1) ORDER BY c.id, c.rowid"
        )
        out: list[tuple[str, int, int, int]] = []
        first: dict[str, int] = {}
        for ident, line, column, claim_line in self.conn.execute(sql):
            if ident in first:
                out.append((ident, line, column, first[ident]))
            else:
                first[ident] = claim_line
        return sorted(out, key=lambda d: (d[1], d[2]))

    def quotes(self, source_ids: Sequence[str]) -> Iterator[list[tuple[str, str, int, int]]]:
        return self.quotes_kept.by_source(source_ids)


def values_of(claim: Claim) -> Values:
    """A claim as plain values: id, source, date (text, first and last day's ordinals), date basis,
    kind, summary, quote, topics, actors, date note, event, stance. What worker.py sends its child:
    tuples of text and numbers pickle and unpickle several times faster than records (whose
    pickling calls Python per claim and per date)."""
    date = claim.date
    if date is None:
        day: tuple[Any, ...] = (None, None, None)
    else:
        day = (date.text, date.start.toordinal(), date.end.toordinal())
    return (claim.id, claim.source, *day, *claim[3:])


def build(
    conn: sqlite3.Connection,
    events_path: Path,
    identity: Identity,
    *,
    progress: Progress | None = None,
) -> Parts:
    """Fill an empty database from the dataset; DatasetError (nothing committed) if it is invalid.

    ``identity()`` gives the dataset's key and its files' signature (fresh.py) once it has been
    validated: a file that is not a dataset (gigabytes of NUL) is refused before it is hashed.
    (worker.py does the same in two processes: this one reading, a child writing.)
    """
    sink = begin(conn)
    try:
        parts = stream(events_path, sink, progress=reading(progress))
    finally:
        sink.quotes_kept.close()
    prepare(conn, sink, progress)
    complete(conn, (parts.path, parts.sources_dir, parts.claims), identity)
    return parts


def reading(progress: Progress | None) -> Callable[[int, int], None] | None:
    """The build's progress as load.stream reports it: bytes of the dataset file read."""
    return None if progress is None else (lambda done, total: progress("reading", done, total))


def begin(conn: sqlite3.Connection) -> _Sink:
    """An empty database, its tables made and a transaction open, and the sink that fills it."""
    conn.execute("PRAGMA page_size = 8192")  # before anything is written
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # the pages FTS5's merges free are given back
    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file, renamed only when complete
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -32000")  # KiB
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("BEGIN")
    _script(conn, TABLES + fts.SCHEMA + tally.TABLES)
    conn.execute(  # where each claim and its id are, should its id be a duplicate
        "CREATE TEMP TABLE claim_at(claim INTEGER PRIMARY KEY, claim_line INTEGER, id_line INTEGER, "
        "id_col INTEGER)"
    )
    return _Sink(conn)


def prepare(conn: sqlite3.Connection, sink: _Sink, progress: Progress | None) -> None:
    """Once every claim and record is in (the dataset not yet known valid): duplicate ids looked
    for, the indexes, the full-text index, the counts."""
    if sink.prepared:
        return
    sink.prepared = True
    if sink.duplicates():
        return  # the dataset is invalid: it will not be completed
    if sink.packer is None:  # no claims
        sink.start_packing([])
    conn.executemany("INSERT INTO actor_names VALUES (?, ?)", [(n, a) for a, n in sink.actors.items()])
    conn.execute("DROP TABLE temp.claim_at")
    if sink.late_pub:
        conn.execute("UPDATE claims SET pub = (SELECT pub FROM sources WHERE sources.no = claims.source)")
    _script(conn, INDEXES)
    if sink.text_from is not None:
        _index_text(conn, sink, sink.text_from, progress)
    sink.index.flush()
    fts.finish(conn)
    _script(conn, tally.FINISH)


def complete(conn: sqlite3.Connection, where: Where, identity: Identity) -> None:
    """Once the dataset is valid (and prepare() done): its key, where it is; committed."""
    path, sources_dir, claims = where
    key, stat, texts = identity()
    conn.executemany("INSERT INTO source_files VALUES (?, ?, ?, ?)", texts)
    meta = {
        "schema": SCHEMA_VERSION,
        "pakru": __version__,
        "key": key,
        "stat": "" if stat is None else fresh.as_text(stat),
        "dataset": path,
        "sources_dir": os.path.abspath(sources_dir),
        "claims": str(claims),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.execute("COMMIT")
    conn.executescript("PRAGMA incremental_vacuum;")  # stepped to its end, unlike execute()


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Each statement of a script, inside the open transaction (executescript would commit)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _index_text(conn: sqlite3.Connection, sink: _Sink, first: int, progress: Progress | None) -> None:
    """The full-text rows of the claims from ``first`` on, from the rows read back."""
    index, records, aliases, total = sink.index, sink.records, sink.aliases, sink.n
    sources, topics, events = records["sources"], records["topics"], records["events"]
    cursor = conn.cursor()  # a second cursor reads while the first writes the index
    sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE claims.rowid >= ? ORDER BY claims.rowid"
    rows = cursor.execute(sql, (first,))
    names = Names(conn)
    done = 0
    while batch := rows.fetchmany(BATCH):
        texts = []
        for row, c in zip(batch, claims_of(batch, names), strict=True):
            source, its_topics = sources.get(c.source), [topics.get(t) for t in c.topics]
            event = events.get(c.event) if c.event is not None else None
            if source is None or None in its_topics or (c.event is not None and event is None):
                continue  # it names a record the dataset lacks: invalid, never committed
            texts.append((row[0], fts.row_text(c, source, its_topics, aliases, event)))  # type: ignore[arg-type]
            index.names(its_topics, c.actors, aliases)  # type: ignore[arg-type]
        index.insert(texts)
        done += len(batch)
        if progress is not None:
            progress("indexing", done, total - first + 1)
