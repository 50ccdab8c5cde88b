"""store/worker.py: a first run in two processes builds the database one process builds, reports
the same problems, and leaves neither a process nor a file behind when anything goes wrong."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT, SHIPPED
from pakru.core.errors import DatasetError
from pakru.store import build, worker
from pakru.store.open import open_store

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def dump(cache: Path) -> list[str]:
    (file,) = cache.glob("*.pakru.sqlite")
    conn = sqlite3.connect(file)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def build_with(mode: str, data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv(worker.ENV, mode)
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(cache))
    warnings: list[str] = []
    store = open_store(data, warn=warnings.append)
    assert store.from_cache is False and warnings == []
    store.conn.close()
    return dump(cache)


@pytest.mark.parametrize("data", [FIXTURE, SHIPPED], ids=["fixture", "shipped"])
def test_a_child_builds_the_database_one_process_builds(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = build_with("0", data, tmp_path / "one", monkeypatch)
    assert build_with("1", data, tmp_path / "two", monkeypatch) == alone
    assert any('INSERT INTO "claims"' in line for line in alone)


def claims_first(text: str) -> str:
    """The dataset with its claims section before the sections its claims name."""
    sections: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            sections.append([])
        sections[-1].append(line)
    claims = [s for s in sections if s and s[0].startswith("claims:")]
    rest = [s for s in sections if s not in claims]
    return "".join("".join(s) for s in [rest[0], rest[1], *claims, *rest[2:]])


def test_claims_before_their_sources_build_alike_with_a_child(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full-text rows of claims read before what they name are made at the end, from the
    records the child was sent."""
    in_order = build_with("0", dataset_copy.parent, tmp_path / "in-order", monkeypatch)
    text = dataset_copy.read_text(encoding="utf-8")
    reordered = claims_first(text)
    assert reordered.index("claims:") < reordered.index("sources:") and len(reordered) == len(text)
    dataset_copy.write_text(reordered, encoding="utf-8")
    alone = build_with("0", dataset_copy.parent, tmp_path / "one", monkeypatch)
    assert build_with("1", dataset_copy.parent, tmp_path / "two", monkeypatch) == alone
    fts = [line for line in alone if "claim_fts" in line or "fts_vocab" in line]
    assert fts and fts == [line for line in in_order if "claim_fts" in line or "fts_vocab" in line]


def test_an_invalid_dataset_has_the_same_problems_with_a_child(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = dataset_copy.read_text(encoding="utf-8")
    ids = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("  - id:")]
    broken = text.replace(
        '\n    quote: "', '\n    quote: "not in the text ', 1
    )  # a claim's, its source lacks
    broken = broken.replace(f"id: {ids[-1]}", f"id: {ids[-2]}", 1)  # a duplicate claim id
    dataset_copy.write_text(broken, encoding="utf-8")
    messages = []
    for mode in ("0", "1"):
        cache = tmp_path / mode
        monkeypatch.setenv(worker.ENV, mode)
        monkeypatch.setenv("PAKRU_CACHE_DIR", str(cache))
        with pytest.raises(DatasetError) as caught:
            open_store(dataset_copy)
        messages.append(str(caught.value))
        assert list(cache.iterdir()) == []  # no database, no temporary file
    assert messages[0] == messages[1]
    assert "quote not found in source" in messages[0] and "duplicate claim id" in messages[0]


def test_a_child_writes_a_large_dataset_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    events = tmp_path / "events.yaml"
    events.write_bytes(b"#" * 1000)
    monkeypatch.delenv(worker.ENV, raising=False)
    monkeypatch.setattr(worker, "_cores", lambda: 2)
    monkeypatch.setattr(worker, "MIN_BYTES", 1000)
    assert worker.wanted(events) and not worker.wanted(tmp_path / "missing.yaml")
    monkeypatch.setattr(worker, "MIN_BYTES", 1001)
    assert not worker.wanted(events)
    monkeypatch.setenv(worker.ENV, "1")
    assert worker.wanted(events)
    monkeypatch.setattr(worker, "MIN_BYTES", 1000)
    monkeypatch.setenv(worker.ENV, "0")
    assert not worker.wanted(events)
    monkeypatch.delenv(worker.ENV)
    monkeypatch.setattr(worker, "_cores", lambda: 1)  # one core: nothing to gain
    assert not worker.wanted(events)


def in_the_child(parent: int, monkeypatch: pytest.MonkeyPatch, then: object) -> None:
    """Make the sink's first write do ``then`` in the child only (fork copies the patch; the
    build in this process that follows must still work)."""
    real = build._Sink.flush

    def flush(self: build._Sink) -> None:
        if os.getpid() != parent:
            if then == "exit":
                os._exit(3)
            raise sqlite3.OperationalError("database or disk is full")
        real(self)

    monkeypatch.setattr(build._Sink, "flush", flush)


@pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux only")
@pytest.mark.parametrize("then", ["error", "exit"])
def test_a_child_that_fails_is_one_warning_and_the_answer_still_comes(
    then: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_the_child(os.getpid(), monkeypatch, then)
    monkeypatch.setenv(worker.ENV, "1")
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(tmp_path))
    warnings: list[str] = []
    store = open_store(FIXTURE, warn=warnings.append)
    assert len(store.dataset.claims) == 11 and store.from_cache is False
    why = "database or disk is full" if then == "error" else "ended unexpectedly"
    assert len(warnings) == 1 and why in warnings[0] and "carrying on without it" in warnings[0]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset whose first run takes seconds, not milliseconds."""
    out = tmp_path_factory.mktemp("large")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "30000", str(out)], check=True)
    return out / "events.yaml"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def writers(pid: int) -> list[int]:
    """The forked writing child (its command line is its parent's), not hasher.py's process."""
    return [c for c in children(pid) if cmdline(c) == cmdline(pid)]


def hashers(pid: int) -> list[int]:
    return [c for c in children(pid) if b"pakru.store" in cmdline(c) and b"-I" in cmdline(c)]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def building(large: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """pakru building the large dataset's database with a child, in a session of its own."""
    env = {**os.environ, worker.ENV: "1", "PAKRU_CACHE_DIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "pakru", "--data", str(large), "timeline", "--limit", "1"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    found: list[int] = []
    wait_for(lambda: proc.poll() is not None or bool(found.extend(writers(proc.pid)) or found))
    assert proc.poll() is None, proc.communicate()
    yield proc, found[0]
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


@linux_only
def test_ctrl_c_stops_both_processes_and_leaves_no_file(
    building: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    proc, child = building
    found: list[int] = []  # hasher.py's process, if seen still hashing
    deadline = time.monotonic() + 0.3  # well into the build
    while time.monotonic() < deadline:
        found.extend(hashers(proc.pid))
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the parent and the child
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and out == b"", err
    assert b"Traceback" not in err
    wait_for(lambda: not alive(child) and not any(map(alive, found)), 10)
    assert list(tmp_path.iterdir()) == []


@linux_only
def test_the_child_ends_when_its_parent_is_killed(building: tuple[subprocess.Popen[bytes], int]) -> None:
    proc, child = building
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)  # no finally runs in the parent: the child sees its pipe close
    proc.wait(timeout=10)
    wait_for(lambda: not alive(child), 10)
