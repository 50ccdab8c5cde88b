"""The store: when the cache is trusted on file times, and when the files are hashed again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pakru import store


def age(folder: Path, seconds: int) -> None:
    """Set every file of a dataset to look ``seconds`` old."""
    then = time.time_ns() - seconds * 10**9
    for path in [folder / "events.yaml", *(folder / "sources").iterdir()]:
        os.utime(path, ns=(then, then))


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = store.fingerprint

    def counting(path: Path) -> str:
        calls.append(1)
        return real(path)

    monkeypatch.setattr(store, "fingerprint", counting)
    return calls


def test_settled_files_are_trusted_on_their_times(
    dataset_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(dataset_copy.parent, 60)
    assert store.open_dataset(dataset_copy).from_cache is False
    calls = count_hashing(monkeypatch)
    loaded = store.open_dataset(dataset_copy)
    assert loaded.from_cache is True and calls == []
    assert len(loaded.dataset.claims) == 9


def test_racy_build_is_hashed_then_remembered(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.open_dataset(dataset_copy)  # files written just now: their times cannot be trusted yet
    age(dataset_copy.parent, 60)  # later, the same bytes
    calls = count_hashing(monkeypatch)
    assert store.open_dataset(dataset_copy).from_cache is True
    assert calls == [1]  # hashed once, found unchanged, remembered beside the cache
    assert store.open_dataset(dataset_copy).from_cache is True
    assert calls == [1]


def test_an_edit_is_never_missed(dataset_copy: Path) -> None:
    age(dataset_copy.parent, 60)
    store.open_dataset(dataset_copy)
    text = dataset_copy.read_text(encoding="utf-8")
    dataset_copy.write_text(text.replace("Russia ended its arms", "RUSSIA ended its arms"), encoding="utf-8")
    age(dataset_copy.parent, 30)  # a different, settled time; same size
    loaded = store.open_dataset(dataset_copy)
    assert loaded.from_cache is False
    assert loaded.dataset.claim("alpha-001").summary.startswith("RUSSIA")  # type: ignore[union-attr]


def test_no_cache_reads_the_yaml(dataset_copy: Path) -> None:
    loaded = store.open_dataset(dataset_copy, use_cache=False)
    assert loaded.from_cache is False and not any(Path(os.environ["PAKRU_CACHE_DIR"]).iterdir())
    assert loaded.search_index.vocabulary


def test_cached_index_is_the_built_index(dataset_copy: Path) -> None:
    from pakru.searchindex import SearchIndex

    store.open_dataset(dataset_copy)
    loaded = store.open_dataset(dataset_copy)
    assert loaded.from_cache
    cached, built = loaded.search_index, SearchIndex.build(loaded.dataset)
    assert (cached.corpus, list(cached.starts), cached.vocabulary) == (
        built.corpus,
        list(built.starts),
        built.vocabulary,
    )


def test_a_first_run_hashes_once(dataset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(dataset_copy.parent, 0)  # written just now: too recent for their times to be trusted
    calls = count_hashing(monkeypatch)
    loaded = store.open_dataset(dataset_copy)
    assert loaded.from_cache is False and calls == [1]
    assert len(loaded.dataset.claims) == 9 and loaded.search_index.vocabulary
