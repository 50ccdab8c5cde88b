"""Full-text search tables: an FTS5 index over each claim's searchable texts, and its vocabulary.

A minimal version (issue 13): the search helper's version replaces it, under the same names.
The index is contentless (content=''): the texts live in `claims`, the index only finds rowids.
It is detail=none (no positions, no per-column postings): search.py scores the best bm25 candidates
itself, field by field, and the index is about half the size (the database ~1.1x the YAML).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from pakru import textnorm
from pakru.model import Claim, Event, Source, Topic

_fold_shared = functools.lru_cache(maxsize=1 << 16)(textnorm.fold)  # topics, actors, event, source repeat

COLUMNS = ("summary", "quote", "topics", "actors", "event", "source")
SCHEMA = """
CREATE VIRTUAL TABLE claim_fts USING fts5(
    summary, quote, topics, actors, event, source,
    content='', detail=none, tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE vocabulary(word TEXT PRIMARY KEY, claims INTEGER NOT NULL) WITHOUT ROWID;
"""


def row_text(
    claim: Claim,
    source: Source,
    topics: Sequence[Topic],
    actor_aliases: Mapping[str, tuple[str, ...]],
    event: Event | None,
) -> tuple[str, ...]:
    """The searchable texts of one claim, one per column of COLUMNS, folded (textnorm.fold)."""
    return (
        textnorm.fold(claim.summary),
        textnorm.fold(claim.quote),
        _fold_shared(" ".join(name for t in topics for name in t.names)),
        _fold_shared(" ".join(name for a in claim.actors for name in (a, *actor_aliases.get(a, ())))),
        _fold_shared(event.label) if event is not None else "",
        _fold_shared(" ".join(filter(None, [source.author, source.title]))),
    )


def insert(conn: sqlite3.Connection, rows: Iterable[tuple[int, tuple[str, ...]]]) -> None:
    conn.executemany(
        "INSERT INTO claim_fts(rowid, summary, quote, topics, actors, event, source) VALUES (?,?,?,?,?,?,?)",
        ((rowid, *texts) for rowid, texts in rows),
    )


def finish(conn: sqlite3.Connection) -> None:
    """The vocabulary, from the index once, so that no query scans fts5vocab."""
    conn.execute("CREATE VIRTUAL TABLE temp.claim_words USING fts5vocab(main, claim_fts, row)")
    conn.execute("INSERT INTO vocabulary SELECT term, doc FROM temp.claim_words")
    conn.execute("DROP TABLE temp.claim_words")
    conn.execute("INSERT INTO claim_fts(claim_fts) VALUES ('optimize')")
