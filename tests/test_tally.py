"""store/tally.py: the counts tallied batch by batch are those a query over all the claims gives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT, SHIPPED
from pakru.store import tally
from pakru.store.open import open_store
from pakru.store.schema import UNDATED_LO

# The counts as the database's own claims give them: what the tally must equal
ORACLE = {
    "topic_source": (
        "SELECT ct.topic, c.source, count(*), ifnull(sum(c.stance), 0), count(c.stance) "
        "FROM claim_topics ct JOIN claims c ON c.rowid = ct.claim GROUP BY ct.topic, c.source"
    ),
    "source_claims": "SELECT source, count(*) FROM claims GROUP BY source",
    "topic_event": (
        "SELECT ct.topic, c.event, count(DISTINCT c.source), min(ifnull(c.lo, 10000000)) "
        "FROM claim_topics ct JOIN claims c ON c.rowid = ct.claim WHERE c.event IS NOT NULL "
        "GROUP BY ct.topic, c.event"
    ),
    "event_sources": (
        "SELECT event, count(DISTINCT source) FROM claims WHERE event IS NOT NULL GROUP BY event"
    ),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several batches of claims, with events that many sources share, stances and undated claims."""
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "7000", str(out)], check=True)
    return out / "events.yaml"


def tables_and_oracle(
    data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, list, list]]:
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(cache))
    open_store(data).conn.close()
    (file,) = cache.glob("*.pakru.sqlite")
    conn = sqlite3.connect(file)
    try:
        return [
            (table, sorted(conn.execute(f"SELECT * FROM {table}")), sorted(conn.execute(sql)))
            for table, sql in ORACLE.items()
        ]
    finally:
        conn.close()


@pytest.mark.parametrize("which", ["fixture", "shipped", "generated"])
@pytest.mark.parametrize("worker", ["0", "1"], ids=["one process", "with a child"])
def test_the_tallies_are_the_counts_of_the_claims(
    which: str, worker: str, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = {"fixture": FIXTURE, "shipped": SHIPPED, "generated": generated}[which]
    monkeypatch.setenv("PAKRU_BUILD_WORKER", worker)
    for table, rows, want in tables_and_oracle(data, tmp_path, monkeypatch):
        assert rows == want, table
        assert rows, table  # each dataset has events shared by sources, and stances
    if which == "generated":
        conn = sqlite3.connect(next(tmp_path.glob("*.pakru.sqlite")))
        (shared,) = conn.execute("SELECT count(*) FROM topic_event WHERE sources > 1").fetchone()
        (temp,) = conn.execute("SELECT count(*) FROM sqlite_temp_schema").fetchone()
        conn.close()
        assert shared > 0 and temp == 0


def test_a_tally_adds_across_batches() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(tally.TABLES)
    t = tally.Tally()
    t.add([1, 2], 7, 3, 740000, 2)
    t.add([1], 7, 3, None, None)  # undated, no stance
    t.flush(conn)
    t.add([1], 7, 3, 739000, -1)  # an earlier day, in a later batch
    t.add([1], 8, None, 739500, 0)  # a stance of 0 is a stance
    t.flush(conn)
    assert sorted(conn.execute("SELECT * FROM topic_source")) == [
        (1, 7, 3, 1, 2),
        (1, 8, 1, 0, 1),
        (2, 7, 1, 2, 1),
    ]
    assert sorted(conn.execute("SELECT * FROM temp.topic_event_source")) == [
        (1, 3, 7, 739000),
        (2, 3, 7, 740000),
    ]
    assert sorted(conn.execute("SELECT * FROM temp.event_source")) == [(3, 7)]
    t.add([1], 9, 4, None, None)  # undated: after every real day
    t.flush(conn)
    assert conn.execute("SELECT first FROM temp.topic_event_source WHERE event = 4").fetchone() == (
        UNDATED_LO,
    )
