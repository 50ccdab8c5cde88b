"""DEV ONLY (branch h14): an in-memory SQLite database of a loaded Dataset, with the FTS index.

It stands in for the SQLite Store of issue 13 (h13's branch), with the same members search
uses: ``conn``, ``dataset``, ``claims_at``, ``where`` and ``attested_by``. The lead replaces its
use in the CLI by the real Store on merge, and this module goes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pakru.store import fts

if TYPE_CHECKING:
    from pakru.model import Claim, Dataset
    from pakru.query import Filters


class MemoryStore:
    def __init__(self, conn: sqlite3.Connection, dataset: Dataset) -> None:
        self.conn = conn
        self.dataset = dataset

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> MemoryStore:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE claims(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE)")
        conn.executescript(fts.SCHEMA)
        claims = list(dataset.claims)
        conn.executemany(
            "INSERT INTO claims(rowid, id) VALUES (?, ?)", [(n, c.id) for n, c in enumerate(claims, 1)]
        )
        rows = []
        for n, c in enumerate(claims, 1):
            event = dataset.event_by_id.get(c.event) if c.event else None
            topics = [dataset.topic_by_id[t] for t in c.topics]
            rows.append(
                (n, fts.row_text(c, dataset.source_by_id[c.source], topics, dataset.actor_aliases, event))
            )
        fts.insert(conn, rows)
        fts.finish(conn)
        conn.commit()
        return cls(conn, dataset)

    def claims_at(self, rowids: Sequence[int]) -> list[Claim]:
        claims = self.dataset.claims
        return [claims[r - 1] for r in rowids]

    def where(self, f: Filters) -> tuple[str, tuple[Any, ...]]:
        from pakru import query

        if f == query.Filters():
            return "1", ()
        rowids = [i + 1 for i in query.select(self.dataset, f)]
        return f"claims.rowid IN ({', '.join(map(str, rowids)) or 'NULL'})", ()

    def attested_by(self, event_ids: Iterable[str]) -> dict[str, int]:
        return {e: len({c.source for c in self.dataset.attestations(e)}) for e in event_ids}
