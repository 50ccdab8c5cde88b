"""The store: when the database is trusted on file times, when the files are hashed again, and
what it records."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SHIPPED
from pakru.store import build, fresh, fts
from pakru.store.open import open_store
from pakru.store.rows import IN_MAX, StaleCache, rows_in


def age(folder: Path, seconds: int) -> None:
    """Set every file of a dataset to look ``seconds`` old."""
    then = time.time_ns() - seconds * 10**9
    for path in [folder / "events.yaml", *(folder / "sources").iterdir()]:
        os.utime(path, ns=(then, then))


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = fresh.fingerprint

    def counting(path: Path) -> str:
        calls.append(1)
        return real(path)

    monkeypatch.setattr(fresh, "fingerprint", counting)
    return calls


def test_settled_files_are_trusted_on_their_times(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(dataset_copy.parent, 60)
    assert open_store(dataset_copy).from_cache is False
    calls = count_hashing(monkeypatch)
    store = open_store(dataset_copy)
    assert store.from_cache is True and calls == []
    assert len(store.dataset.claims) == 11


def test_racy_build_is_hashed_then_remembered(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(dataset_copy)  # files written just now: their times cannot be trusted yet
    age(dataset_copy.parent, 60)  # later, the same bytes
    calls = count_hashing(monkeypatch)
    assert open_store(dataset_copy).from_cache is True
    assert calls == [1]  # hashed once, found unchanged, remembered beside the cache
    assert open_store(dataset_copy).from_cache is True
    assert calls == [1]


def test_an_edit_is_never_missed(dataset_copy: Path) -> None:
    age(dataset_copy.parent, 60)
    open_store(dataset_copy)
    text = dataset_copy.read_text(encoding="utf-8")
    dataset_copy.write_text(text.replace("Russia ended its arms", "RUSSIA ended its arms"), encoding="utf-8")
    age(dataset_copy.parent, 30)  # a different, settled time; same size
    store = open_store(dataset_copy)
    assert store.from_cache is False
    assert store.dataset.claim("alpha-001").summary.startswith("RUSSIA")  # type: ignore[union-attr]


def test_no_cache_builds_in_memory(dataset_copy: Path) -> None:
    store = open_store(dataset_copy, use_cache=False)
    assert store.from_cache is False and store.file is None
    assert not any(Path(os.environ["PAKRU_CACHE_DIR"]).iterdir())
    assert store.conn.execute("SELECT count(*) FROM fts_vocab").fetchone()[0] > 0


def test_a_first_run_hashes_once(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(dataset_copy.parent, 0)  # written just now: too recent for their times to be trusted
    calls = count_hashing(monkeypatch)
    store = open_store(dataset_copy)
    assert store.from_cache is False and calls == [1]
    assert len(store.dataset.claims) == 11


def test_the_database_records_its_key_versions_and_absolute_paths(dataset_copy: Path) -> None:
    from pakru import __version__
    from pakru.store.schema import SCHEMA_VERSION

    store = open_store(dataset_copy)
    assert store.file is not None and store.file.name.endswith(".pakru.sqlite")
    meta = dict(sqlite3.connect(store.file).execute("SELECT key, value FROM meta"))
    assert meta["schema"] == SCHEMA_VERSION and meta["pakru"] == __version__
    assert meta["key"] == fresh.fingerprint(dataset_copy)
    assert Path(meta["dataset"]).is_absolute() and Path(meta["sources_dir"]).is_absolute()


def test_the_indexes_serve_the_warm_commands(fixture_store) -> None:  # type: ignore[no-untyped-def]
    """show by id, a timeline page by the date-order index, attestations by the event index."""
    from pakru.store.schema import TIMELINE_ORDER

    def plan(sql: str, *params: object) -> str:
        return " ".join(r[-1] for r in fixture_store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))

    assert "claims_id" in plan("SELECT rowid FROM claims WHERE id = ?", "x")
    timeline = plan(f"SELECT claims.rowid FROM claims WHERE 1 ORDER BY {TIMELINE_ORDER} LIMIT 50")
    assert "claims_timeline" in timeline and "TEMP B-TREE" not in timeline
    assert "claims_event" in plan("SELECT rowid FROM claims WHERE event = ?", 1)


def test_a_relative_data_path_works_from_another_folder(tmp_path: Path) -> None:
    """The cache built from `--data data/ds` is used, and its source texts found, from elsewhere."""
    import shutil

    from conftest import FIXTURE

    shutil.copytree(FIXTURE, tmp_path / "data" / "ds")
    env = {**os.environ, "PAKRU_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PAKRU_DATA", None)

    def pakru(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "pakru", *args], cwd=cwd, env=env, capture_output=True)

    assert pakru(tmp_path, "--data", "data/ds", "search", "gwadar").returncode == 0
    other = tmp_path / "elsewhere"
    other.mkdir()
    r = pakru(other, "--data", str(tmp_path / "data" / "ds"), "show", "alpha-002")
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    assert b"In context" in r.stdout


def test_a_source_text_rewritten_in_place_is_noticed_when_shown(dataset_copy: Path) -> None:
    """A warm run stats events.yaml and the sources folder, and the text of each source whose claims
    it shows; a text rewritten in place (the folder's time unchanged) is found then, and the
    database rebuilt: here the rebuild finds the quote gone."""
    from pakru.core.errors import DatasetError
    from pakru.store.rows import StaleCache

    age(dataset_copy.parent, 60)
    open_store(dataset_copy)
    assert [name for name, *_ in fresh.signature(dataset_copy) or []] == ["events.yaml", "sources/"]
    folder = dataset_copy.parent / "sources"
    folder_time = folder.stat().st_mtime_ns
    beta = folder / "beta.txt"
    beta.write_text(beta.read_text(encoding="utf-8").replace("reached", "REACHED"), encoding="utf-8")
    assert folder.stat().st_mtime_ns == folder_time
    store = open_store(dataset_copy)
    assert store.from_cache and store.dataset.claim("alpha-001") is not None  # alpha's text is as it was
    with pytest.raises(StaleCache):
        store.dataset.claim("beta-002")
    assert store.file is not None
    store.file.unlink()
    with pytest.raises(DatasetError, match="quote not found in source 'beta'"):
        open_store(dataset_copy)


def test_open_interval_ends_survive_the_cache(dataset_copy: Path) -> None:
    """An open end (2016/..) and an open start (../2016) read back from the database, built and
    then from the cache, as the YAML says them: labels, and date.max / date.min as the open end."""
    from datetime import date

    from pakru.core.dates import parse_edtf

    text = dataset_copy.read_text(encoding="utf-8")
    assert text.count('date: "2016/.."') == 1
    for _ in range(2):  # built, then from the cache
        since = open_store(dataset_copy).dataset.claim("alpha-006")
        assert since is not None and since.date == parse_edtf("2016/..")
        assert since.date.label == "since 2016" and since.date.end == date.max
    dataset_copy.write_text(text.replace('date: "2016/.."', 'date: "../2016"'), encoding="utf-8")
    for expect_cached in (False, True):
        store = open_store(dataset_copy)
        until = store.dataset.claim("alpha-006")
        assert store.from_cache is expect_cached
        assert until is not None and until.date == parse_edtf("../2016")
        assert until.date.label == "until 2016" and until.date.start == date.min


def test_store_where_keeps_undated_claims_with_undated(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """--undated: with date bounds, Store.where keeps the undated claims too, as query.apply does."""
    from datetime import date

    from pakru.queries import query

    d = shipped_dataset
    cases = [
        query.Filters(start=date(2014, 1, 1), undated=True),
        query.Filters(end=date(1971, 12, 31), undated=True, sources=("rizvi",)),
        query.Filters(start=date(2016, 6, 1), end=date(2018, 3, 1), undated=True, topics=("india",)),
        query.Filters(undated=True),
    ]
    for f in cases:
        where, params = shipped_store.where(f)
        got = [c.id for c in shipped_store.claims_at(shipped_store.rowids(where, params, "claims.rowid"))]
        assert got == [c.id for c in query.apply(d.claims, f)], f
        if f.start is not None:
            assert any(
                c.date is None for c in shipped_store.claims_at(shipped_store.rowids(where, params, "1"))
            )


def test_texts_touched_but_unchanged_are_not_hashed_by_every_run(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(dataset_copy.parent, 120)
    open_store(dataset_copy)  # built, with the texts' times
    age(dataset_copy.parent, 60)  # the same bytes with new times, as after a git checkout
    digests: list[str] = []
    real = fresh._digest

    def counting(path: str) -> bytes:
        digests.append(path)
        return real(path)

    monkeypatch.setattr(fresh, "_digest", counting)
    for _run in range(3):  # the first hashes the dataset (its key) and remembers the new times
        store = open_store(dataset_copy)
        assert store.from_cache is True and len(store.claims_at(range(1, 12))) == 11
    assert digests == []  # no source text hashed again to show its claims
    folder = dataset_copy.parent / "sources"
    then = folder.stat()
    text = folder / "alpha.txt"
    text.write_text(text.read_text(encoding="utf-8") + " ", encoding="utf-8")
    os.utime(folder, ns=(then.st_atime_ns, then.st_mtime_ns))  # rewritten in place: the folder's time stays
    store = open_store(dataset_copy)
    assert store.from_cache is True
    with pytest.raises(StaleCache, match=r"alpha\.txt changed"):
        store.claims_at(range(1, 12))
    with pytest.raises(StaleCache, match=r"alpha\.txt changed"):
        list(store.dataset.claims)  # every way to the claims checks their texts


def test_known_events_reads_them_together_once_each(fixture_store) -> None:  # type: ignore[no-untyped-def]
    """Unknown ids are left out, repeats kept once, the order given; one query for all of them,
    and none once they are read."""
    queries: list[str] = []
    fixture_store.conn.set_trace_callback(queries.append)
    ids = ["heli-delivery", "no-such-event", "embargo-lifted", "heli-delivery"]
    assert fixture_store.known_events(ids) == ["heli-delivery", "embargo-lifted"]
    assert len([q for q in queries if "FROM events" in q]) == 1
    queries.clear()
    assert fixture_store.known_events(["embargo-lifted"]) == ["embargo-lifted"]
    assert fixture_store.dataset.event_by_id["heli-delivery"].id == "heli-delivery"
    assert not [q for q in queries if "FROM events" in q]


def test_words_are_counted_alike_in_one_batch_or_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fts_vocab's claim counts: the same when the words of many small batches are written out
    every few words (fts.WORDS_KEPT) as when one batch's are written once at the end."""

    def vocabulary(cache: Path) -> list[tuple[str, int, int, str]]:
        monkeypatch.setenv("PAKRU_CACHE_DIR", str(cache))
        store = open_store(SHIPPED)
        try:
            return store.conn.execute("SELECT word, len, docs, stem FROM fts_vocab ORDER BY word").fetchall()
        finally:
            store.conn.close()

    monkeypatch.setenv("PAKRU_BUILD_WORKER", "0")
    whole = vocabulary(tmp_path / "whole")
    flushes: list[int] = []
    flush = fts.Indexer.flush

    def counted(self: fts.Indexer) -> None:
        flushes.append(len(self.words))
        flush(self)

    monkeypatch.setattr(build, "BATCH", 25)
    monkeypatch.setattr(fts, "WORDS_KEPT", 40)
    monkeypatch.setattr(fts.Indexer, "flush", counted)
    assert vocabulary(tmp_path / "batched") == whole
    assert len(flushes) > 10 and len(whole) > 1000
    assert [w for w, _n, docs, _s in whole if w == "russia"] and max(d for _w, _n, d, _s in whole) > 100


def test_names_holding_the_index_separators_stay_whole(tmp_path: Path) -> None:
    """A topic's or actor's names may hold " | " and " ; " (the separators of the full-text
    columns): the synonym groups are made of the names as written, never of their pieces."""
    import json
    import shutil

    from conftest import FIXTURE

    shutil.copytree(FIXTURE, tmp_path / "data")
    events = tmp_path / "data" / "events.yaml"
    text = events.read_text(encoding="utf-8").replace('label: "Helicopters"', 'label: "|"')
    text = text.replace('aliases: ["Bajwa"]', 'aliases: ["Bajwa | COAS ; chief"]')
    events.write_text(text, encoding="utf-8")
    store = open_store(events, use_cache=False)
    sets = {
        (tuple(json.loads(names)), topic)
        for names, topic in store.conn.execute("SELECT names, topic FROM fts_name_sets")
    }
    assert (("helicopters", "|", "Mi-35", "Mi35", "Mi-35M"), 1) in sets
    assert (("Qamar Javed Bajwa", "Bajwa | COAS ; chief"), 0) in sets
    from pakru.core.textnorm import fold

    groups = fts.synonym_groups(store.conn)  # folded names
    assert any(fold("Bajwa | COAS ; chief") in g and fold("Qamar Javed Bajwa") in g for g in groups)
    assert len(store.dataset.claims) == 11


@pytest.mark.parametrize("count", [0, 1, IN_MAX, IN_MAX + 1, 2 * IN_MAX + 7])
def test_rows_in_binds_any_number_of_values(count: int) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i}") for i in range(3 * IN_MAX)])
    wanted = list(range(count - 1, -1, -1))  # in any order: each chunk its own query
    got = dict(rows_in(conn, "SELECT id, v FROM t WHERE id IN ({})", wanted))
    assert got == {i: f"v{i}" for i in wanted}
