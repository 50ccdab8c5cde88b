"""The counts that compare, topics and the timeline read, tallied as the claims are written:
(topic, source) -> claims, stance sum and stances; (topic, event) -> sources and first day;
event -> sources; source -> claims.

Counted once all claims were in, by joining claim_topics to claims, they took 4.5 s of a
million-claim first run (2026-12-07), on its longest path: the child making its indexes while
the parent checks the quotes. Tallied a batch at a time instead, while the writer waits for the
reader anyway, they leave ~0.5 s for the end. A batch's counts go into tables that SQLite keeps
on disk (the per-event ones in its temp file): memory holds one batch's, not the dataset's.
"""

from __future__ import annotations

import sqlite3

from pakru.store.schema import UNDATED_LO

TABLES = """
CREATE TABLE topic_source(topic INTEGER NOT NULL, source INTEGER NOT NULL, claims INTEGER NOT NULL,
    stance_sum INTEGER NOT NULL, stances INTEGER NOT NULL, PRIMARY KEY(topic, source)) WITHOUT ROWID;
CREATE TEMP TABLE topic_event_source(topic INTEGER NOT NULL, event INTEGER NOT NULL,
    source INTEGER NOT NULL, first INTEGER NOT NULL, PRIMARY KEY(topic, event, source)) WITHOUT ROWID;
CREATE TEMP TABLE event_source(event INTEGER NOT NULL, source INTEGER NOT NULL,
    PRIMARY KEY(event, source)) WITHOUT ROWID;
"""

# Once every claim is in: the per-event counts from their (already sorted) tallies
FINISH = """
CREATE TABLE source_claims(source INTEGER PRIMARY KEY, claims INTEGER NOT NULL);
INSERT INTO source_claims SELECT source, count(*) FROM claims GROUP BY source;
CREATE TABLE topic_event(topic INTEGER NOT NULL, event INTEGER NOT NULL, sources INTEGER NOT NULL,
    first INTEGER NOT NULL, PRIMARY KEY(topic, event)) WITHOUT ROWID;
INSERT INTO topic_event
    SELECT topic, event, count(*), min(first) FROM temp.topic_event_source GROUP BY topic, event;
CREATE INDEX topic_event_shared ON topic_event(topic, first) WHERE sources > 1;
CREATE TABLE event_sources(event INTEGER PRIMARY KEY, sources INTEGER NOT NULL);
INSERT INTO event_sources SELECT event, count(*) FROM temp.event_source GROUP BY event;
DROP TABLE temp.topic_event_source;
DROP TABLE temp.event_source;
"""

ADD_TOPIC_SOURCE = (
    "INSERT INTO topic_source VALUES (?, ?, ?, ?, ?) ON CONFLICT(topic, source) DO UPDATE SET "
    "claims = claims + excluded.claims, stance_sum = stance_sum + excluded.stance_sum, "
    "stances = stances + excluded.stances"
)
ADD_TOPIC_EVENT = (
    "INSERT INTO temp.topic_event_source VALUES (?, ?, ?, ?) ON CONFLICT(topic, event, source) "
    "DO UPDATE SET first = min(first, excluded.first)"
)
ADD_EVENT = "INSERT OR IGNORE INTO temp.event_source VALUES (?, ?)"


class Tally:
    """One batch's counts, added to the tables by flush()."""

    def __init__(self) -> None:
        self.topic_source: dict[tuple[int, int], list[int]] = {}
        self.topic_event: dict[tuple[int, int, int], int] = {}  # (topic, event, source) -> first day
        self.event_source: set[tuple[int, int]] = set()

    def add(
        self, topics: list[int], source: int, event: int | None, lo: int | None, stance: int | None
    ) -> None:
        """One claim: its topics' numbers (each once), its source's and event's, first day, stance."""
        by_source = self.topic_source
        for topic in topics:
            got = by_source.get((topic, source))
            if got is None:
                by_source[(topic, source)] = [1, stance or 0, int(stance is not None)]
            else:
                got[0] += 1
                if stance is not None:
                    got[1] += stance
                    got[2] += 1
        if event is None:
            return
        self.event_source.add((event, source))
        first = UNDATED_LO if lo is None else lo  # an undated claim's: after every real day
        by_event = self.topic_event
        for topic in topics:
            key = (topic, event, source)
            known = by_event.get(key)
            if known is None or first < known:
                by_event[key] = first

    def flush(self, conn: sqlite3.Connection) -> None:
        conn.executemany(ADD_TOPIC_SOURCE, [(t, s, *counts) for (t, s), counts in self.topic_source.items()])
        conn.executemany(ADD_TOPIC_EVENT, [(*key, first) for key, first in self.topic_event.items()])
        conn.executemany(ADD_EVENT, self.event_source)
        self.topic_source, self.topic_event, self.event_source = {}, {}, set()
