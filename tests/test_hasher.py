"""store/hasher.py: the key hashed by a process of its own is the key this process would make,
and a hasher that fails or is no longer wanted leaves the key right and no process behind."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE
from pakru.store import fresh, hasher

RACY_BEFORE = 2**62  # every time trusted


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data" / "events.yaml"


def here(events_path: Path) -> tuple[str, list[tuple[str, int, int | None, bytes]]]:
    return fresh.fingerprint(events_path), fresh.texts(events_path, RACY_BEFORE)


def started(events_path: Path, racy_before: int) -> hasher.Hasher:
    h = hasher.Hasher(events_path, racy_before)
    h.start()
    return h


def test_never_started_it_hashes_here(dataset: Path) -> None:
    h = hasher.Hasher(dataset, RACY_BEFORE)
    assert h.result() == here(dataset) and h.proc is None
    h.close()


def test_the_process_gives_the_key_and_digests_made_here(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    want = here(dataset)

    def not_here(*args: object) -> None:
        raise AssertionError("hashed by this process, not by the hasher")

    monkeypatch.setattr(fresh, "fingerprint", not_here)
    monkeypatch.setattr(fresh, "texts", not_here)
    h = started(dataset, RACY_BEFORE)
    assert h.proc is not None and h.result() == want
    assert h.proc is None


def test_a_time_too_recent_to_trust_stays_unknown(dataset: Path) -> None:
    want = (fresh.fingerprint(dataset), fresh.texts(dataset, 0))
    key, texts = started(dataset, 0).result()
    assert texts and all(mtime is None for _, _, mtime, _ in texts)
    assert (key, texts) == want


def test_a_file_changed_after_the_start_is_in_the_key(dataset: Path) -> None:
    """The hash is of the files as they are when it runs; open.py then compares their signature
    with the one taken before the build, so a change meanwhile is never keyed as the old bytes."""
    before = fresh.fingerprint(dataset)
    assert started(dataset, RACY_BEFORE).result()[0] == before
    text = next((dataset.parent / "sources").iterdir())
    text.write_text(text.read_text() + "\nmore")
    assert started(dataset, RACY_BEFORE).result()[0] != before


def test_a_process_that_fails_is_replaced_by_hashing_here(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hasher, "SCRIPT", "import sys; sys.exit(3)")
    assert started(dataset, RACY_BEFORE).result() == here(dataset)
    monkeypatch.setattr(hasher, "SCRIPT", "print('not json')")
    assert started(dataset, RACY_BEFORE).result() == here(dataset)


def test_a_process_that_cannot_start_is_replaced_by_hashing_here(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    h = started(dataset, RACY_BEFORE)
    assert h.proc is None and h.result() == here(dataset)


def test_close_ends_a_process_still_hashing(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hasher, "SCRIPT", "import time; time.sleep(60)")
    h = started(dataset, RACY_BEFORE)
    proc = h.proc
    assert proc is not None and proc.poll() is None
    h.close()
    assert proc.returncode is not None and h.proc is None
    h.close()  # twice is harmless
