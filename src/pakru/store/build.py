"""Build a dataset's database: validate the YAML as load() does, streaming claims into SQLite.

The claims go in as they are read, a batch at a time (executemany), so memory holds one batch,
not the dataset. Indexes are made once the rows are in (a sort each), then the full-text index
(fts.py) and the counts that compare and topics read.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pakru import __version__
from pakru.load import Parts, stream
from pakru.model import KINDS, Actor, Claim, Event, Source, Topic
from pakru.store import fts
from pakru.store.rows import CLAIM_COLUMNS, CLAIM_FROM, SEP, claim_of
from pakru.store.schema import APPLICATION_ID, INDEXES, SCHEMA_VERSION, SOURCE_INDEX, STATS, TABLES

BATCH = 2000
Progress = Callable[[str, int, int], None]  # stage ("reading", "indexing"), done, total
_KIND = {k: i for i, k in enumerate(KINDS)}


class _Sink:
    """load.ClaimSink into a database: each claim a row, numbered in dataset order."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: list[tuple[Any, ...]] = []
        self.topic_rows: list[tuple[int, int]] = []
        self.quote_rows: list[tuple[int, int, int]] = []
        self.n = 0
        # id -> number, given at first sight (a claim may name a source before it is read)
        self.sources: dict[str, int] = {}
        self.pub: dict[int, int] = {}
        self.topics: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self.late_pub = False  # some claim came before its source: its pub is filled at the end
        self.indexed = False

    def number(self, table: dict[str, int], key: str) -> int:
        got = table.get(key)
        if got is None:
            got = table[key] = len(table) + 1
        return got

    def add_record(self, section: str, record: Any, pos: int) -> None:
        conn = self.conn
        if section == "sources":
            s: Source = record
            no = self.number(self.sources, s.id)
            pub = self.pub[no] = s.published.start.toordinal()
            o = s.outlook
            conn.execute(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                ),
            )
        elif section == "topics":
            t: Topic = record
            conn.execute(
                "INSERT INTO topics VALUES (?,?,?,?,?)",
                (self.number(self.topics, t.id), pos, t.id, t.label, SEP.join(t.aliases)),
            )
        elif section == "actors":
            a: Actor = record
            conn.execute("INSERT INTO actors VALUES (?,?,?)", (pos, a.name, SEP.join(a.aliases)))
        elif section == "events":
            e: Event = record
            conn.execute(
                "INSERT INTO events VALUES (?,?,?,?,?)",
                (self.number(self.events, e.id), pos, e.id, e.label, e.note),
            )

    def add(self, claim: Claim, quote_line: int, quote_column: int) -> None:
        self.n += 1
        n = self.n
        source = self.number(self.sources, claim.source)
        pub = self.pub.get(source)
        if pub is None:
            self.late_pub, pub = True, 0
        date = claim.date
        self.rows.append(
            (
                n,
                claim.id,
                source,
                None if date is None else date.text,
                None if date is None else date.start.toordinal(),
                None if date is None else date.end.toordinal(),
                pub,
                claim.date_basis,
                _KIND[claim.kind],
                claim.summary,
                claim.quote,
                SEP.join(claim.topics),
                SEP.join(claim.actors),
                claim.date_note,
                None if claim.event is None else self.number(self.events, claim.event),
                claim.stance,
            )
        )
        for t in dict.fromkeys(claim.topics):
            self.topic_rows.append((self.number(self.topics, t), n))
        self.quote_rows.append((n, quote_line, quote_column))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        conn = self.conn
        conn.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.rows)
        conn.executemany("INSERT INTO claim_topics VALUES (?,?)", self.topic_rows)
        conn.executemany("INSERT INTO temp.quote_at VALUES (?,?,?)", self.quote_rows)
        self.rows, self.topic_rows, self.quote_rows = [], [], []

    def quotes(self, source_id: str) -> Iterator[tuple[str, str, int, int]]:
        if not self.indexed:
            self.flush()
            self.conn.execute(SOURCE_INDEX)
            self.indexed = True
        no = self.sources.get(source_id)
        if no is None:
            return iter(())
        sql = (
            "SELECT c.id, c.quote, q.line, q.col FROM claims c JOIN temp.quote_at q ON q.claim = c.rowid "
            "WHERE c.source = ?"
        )
        return iter(self.conn.execute(sql, (no,)).fetchall())


def build(
    conn: sqlite3.Connection,
    events_path: Path,
    identity: Callable[[], tuple[str, Any]],
    *,
    progress: Progress | None = None,
) -> Parts:
    """Fill an empty database from the dataset; DatasetError (nothing committed) if it is invalid.

    ``identity()`` gives the dataset's key and its files' signature (fresh.py) once it has been
    validated: a file that is not a dataset (gigabytes of NUL) is refused before it is hashed.
    """
    import json

    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file, renamed only when complete
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -32000")  # KiB
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("BEGIN")
    _script(conn, TABLES + fts.SCHEMA)
    conn.execute("CREATE TEMP TABLE quote_at(claim INTEGER PRIMARY KEY, line INTEGER, col INTEGER)")
    sink = _Sink(conn)
    reading = None if progress is None else (lambda done, total: progress("reading", done, total))
    parts = stream(events_path, sink, progress=reading)
    sink.flush()
    conn.execute("DROP TABLE temp.quote_at")
    if sink.late_pub:
        conn.execute("UPDATE claims SET pub = (SELECT pub FROM sources WHERE sources.no = claims.source)")
    if not sink.indexed:
        conn.execute(SOURCE_INDEX)
    _script(conn, INDEXES)
    _index_text(conn, parts, progress)
    _script(conn, STATS)
    key, stat = identity()
    meta = {
        "schema": SCHEMA_VERSION,
        "pakru": __version__,
        "key": key,
        "stat": json.dumps(stat),
        "dataset": parts.path,
        "sources_dir": os.path.abspath(parts.sources_dir),
        "claims": str(parts.claims),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.execute("COMMIT")
    return parts


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Each statement of a script, inside the open transaction (executescript would commit)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _index_text(conn: sqlite3.Connection, parts: Parts, progress: Progress | None) -> None:
    sources = {s.id: s for s in parts.sources}
    topics = {t.id: t for t in parts.topics}
    events = {e.id: e for e in parts.events}
    aliases = {a.name: a.aliases for a in parts.actors}
    total = parts.claims
    cursor = conn.cursor()  # a second cursor reads while the first writes the index
    rows = cursor.execute(f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} ORDER BY claims.rowid")
    done = 0
    while batch := rows.fetchmany(BATCH):
        texts = []
        for row in batch:
            c = claim_of(row)
            event = events[c.event] if c.event is not None else None
            texts.append(
                (row[0], fts.row_text(c, sources[c.source], [topics[t] for t in c.topics], aliases, event))
            )
        fts.insert(conn, texts)
        done += len(batch)
        if progress is not None:
            progress("indexing", done, total)
    fts.finish(conn)
