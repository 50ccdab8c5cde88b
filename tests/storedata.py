"""A Store made from a Dataset held in memory: for tests whose data the YAML cannot say (hostile
ids) or that drop a claim of the fixture. The database is filled by the store's own sink, as a
streaming load fills it, so the rows are those a real build writes; only the YAML is skipped."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from unittest import mock

from pakru.core.model import Dataset
from pakru.dataset.load import Parts
from pakru.store import fresh
from pakru.store.build import build
from pakru.store.open import Store


def store_of(d: Dataset) -> Store:
    events_path = Path(d.path)

    def feed(_path: Any, sink: Any, progress: Any = None) -> Parts:
        for section in ("sources", "topics", "actors", "events"):
            for pos, record in enumerate(getattr(d, section)):
                sink.add_record(section, record, pos)
        sink.claims_begin({"sources", "topics", "actors", "events"})
        for n, claim in enumerate(d.claims, 1):
            sink.add(claim, n, 1, (n, n, 1))
        assert not list(sink.duplicates())
        return Parts(
            tuple(d.sources), d.topics, d.actors, tuple(d.events), d.path, d.sources_dir, len(d.claims)
        )

    conn = sqlite3.connect(":memory:", isolation_level=None)
    with mock.patch("pakru.store.build.stream", feed):
        build(conn, events_path, lambda: ("", None, fresh.texts(events_path, 0)))
    return Store(conn, events_path, None, False)
