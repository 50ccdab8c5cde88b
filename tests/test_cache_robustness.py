"""The cache: a damaged one is a miss with a warning, never a crash or stale data.

These tests know only that the cache is one file in PAKRU_CACHE_DIR: they find it
by listing the folder after a run, damage it, and run pakru again. The expected
output is what `--no-cache` prints. Runs are forked from a pre-imported pakru
(pakru_procs) except where real, separate processes matter: concurrency, limits,
other users and other versions.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT
from pakru_procs import (  # noqa: F401
    COMMANDS,
    Zygote,
    assert_correct,
    cache_files,
    cache_fixture,
    ds_fixture,
    expected,
    run_as_nobody,
    shared_folder,
    the_cache_file,
    warned,
    zygote_fixture,
)


def garbage(n: int) -> bytes:
    return random.Random(n).randbytes(max(n, 64))


def flip(b: bytes, at: float = 0.75) -> bytes:
    i = int(len(b) * at)
    return b[:i] + bytes([b[i] ^ 0x20]) + b[i + 1 :]


WRONG_SHAPE = json.dumps({"format": 1, "key": "x", "dataset": [1, 2], "index": {}}).encode()


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated-half": lambda b: b[: len(b) // 2],
    "truncated-by-one": lambda b: b[:-1],
    "truncated-to-16": lambda b: b[:16],
    "empty": lambda b: b"",
    "garbage": lambda b: garbage(len(b)),
    "zeros": lambda b: bytes(len(b)),
    "first-byte-flipped": lambda b: flip(b, 0),
    "garbage-tail": lambda b: b[: len(b) // 2] + garbage(len(b) - len(b) // 2),
    "json-list": lambda b: b"[]",
    "json-object": lambda b: b"{}",
    "json-null": lambda b: b"null",
    "json-wrong-shape": lambda b: WRONG_SHAPE,
    "json-deep": lambda b: b"[" * 100_000 + b"]" * 100_000,
    "pickle": lambda b: b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00\x8c\x01x\x94.",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_cache_is_a_miss_with_a_warning(damage: str, ds: Path, cache: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    assert_correct(zygote.run("--data", str(ds), *COMMANDS[0]), want["timeline --json"])
    file = the_cache_file(cache)
    file.write_bytes(DAMAGE[damage](file.read_bytes()))
    r = zygote.run("--data", str(ds), *COMMANDS[0])
    assert_correct(r, want["timeline --json"])
    assert warned(r.stderr), r.stderr
    for command in COMMANDS:  # rebuilt: the next runs read it in silence
        r = zygote.run("--data", str(ds), *command)
        assert_correct(r, want[" ".join(command)])
        assert r.stderr == b""


def test_directory_in_place_of_the_cache(ds: Path, cache: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    zygote.run("--data", str(ds), "timeline")
    file = the_cache_file(cache)
    file.unlink()
    file.mkdir()
    for command in COMMANDS:
        r = zygote.run("--data", str(ds), *command)
        assert_correct(r, want[" ".join(command)])
        assert warned(r.stderr), r.stderr


def test_cache_of_another_version(ds: Path, cache: Path, tmp_path: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    zygote.run("--data", str(ds), "timeline")
    old = tmp_path / "old-cache"
    code = (
        "import sys, pakru; pakru.__version__ = '0.0.1-old'; from pakru.cli import main; main(sys.argv[1:])"
    )
    env = {**os.environ, "PAKRU_CACHE_DIR": str(old)}
    subprocess.run([sys.executable, "-c", code, "--data", str(ds), "timeline"], env=env, check=True)
    the_cache_file(cache).write_bytes(the_cache_file(old).read_bytes())
    r = zygote.run("--data", str(ds), *COMMANDS[0])
    assert_correct(r, want["timeline --json"])
    assert warned(r.stderr), r.stderr
    assert zygote.run("--data", str(ds), "timeline").stderr == b""


def test_cache_of_another_dataset_is_not_used(ds: Path, cache: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    zygote.run("--data", str(ds), "timeline")
    ours = the_cache_file(cache)
    other = ds.parent / "other"
    shutil.copytree(ds, other)
    text = (other / "events.yaml").read_text(encoding="utf-8")
    (other / "events.yaml").write_text(
        text.replace("Russia ended its", "Russia lifted its", 1), encoding="utf-8"
    )
    zygote.run("--data", str(other), "timeline")
    (theirs,) = set(cache_files(cache)) - {ours}
    ours.write_bytes(theirs.read_bytes())
    assert_correct(zygote.run("--data", str(ds), *COMMANDS[0]), want["timeline --json"])


def test_altered_text_is_noticed(ds: Path, cache: Path, zygote: Zygote) -> None:
    """Damage that keeps the database well formed (a changed letter in a record) is noticed by the
    record's checksum: a warning, a rebuild, and the right output."""
    import sqlite3

    want = expected(zygote, ds)
    zygote.run("--data", str(ds), "timeline")
    for table, column, old in (("sources", "title", "Alpha on the Ties"), ("actor_names", "name", "Russia")):
        file = the_cache_file(cache)
        conn = sqlite3.connect(file)
        sql = f"UPDATE {table} SET {column} = replace({column}, ?, ?)"
        assert conn.execute(sql, (old, old.upper())).rowcount >= 1, (
            old
        )  # every row: replace() of no match is a no-op
        conn.commit()
        conn.close()
        r = zygote.run("--data", str(ds), *COMMANDS[0])
        assert_correct(r, want["timeline --json"])
        assert warned(r.stderr), r.stderr


def test_altered_claim_text_is_noticed(ds: Path, cache: Path, zygote: Zygote) -> None:
    """A changed byte in a claim's deflated summary and quote, or in its date, fails its checksum."""
    import sqlite3

    want = expected(zygote, ds)
    for column in ("text", "date"):
        zygote.run("--data", str(ds), "timeline")
        conn = sqlite3.connect(the_cache_file(cache))
        rowid, value = conn.execute(
            f"SELECT rowid, {column} FROM claims WHERE {column} IS NOT NULL"
        ).fetchone()
        if isinstance(value, bytes):
            changed: bytes | str = value[:-1] + bytes([value[-1] ^ 0x01])
        else:
            changed = value[:-1] + ("1" if value[-1] != "1" else "2")
        conn.execute(f"UPDATE claims SET {column} = ? WHERE rowid = ?", (changed, rowid))
        conn.commit()
        conn.close()
        r = zygote.run("--data", str(ds), *COMMANDS[0])
        assert_correct(r, want["timeline --json"])
        assert warned(r.stderr), (column, r.stderr)


def test_unwritable_cache_folder_is_a_warning(ds: Path, tmp_path: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    for command in COMMANDS:
        r = zygote.run("--data", str(ds), *command, env={"PAKRU_CACHE_DIR": str(tmp_path / "file" / "cache")})
        assert_correct(r, want[" ".join(command)])
        assert warned(r.stderr), r.stderr


def test_cache_folder_not_writable_by_the_user(zygote: Zygote) -> None:
    with shared_folder(FIXTURE, cache_mode=0o555) as base:
        want = expected(zygote, base / "ds")["timeline --json"]
        for _ in range(2):
            r = run_as_nobody(base, "--data", str(base / "ds"), "timeline", "--json")
            assert_correct(r, want)
            assert warned(r.stderr), r.stderr
        assert cache_files(base / "cache") == []


def run_many(ds: Path, n: int) -> list[subprocess.CompletedProcess[bytes]]:
    cmd = [sys.executable, "-m", "pakru", "--data", str(ds), "timeline", "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(n)]
    with ThreadPoolExecutor(n) as pool:
        outs = list(pool.map(lambda p: p.communicate(timeout=120), procs))
    return [
        subprocess.CompletedProcess(cmd, p.returncode, o, e) for p, (o, e) in zip(procs, outs, strict=True)
    ]


@pytest.mark.parametrize("start", ["fresh", "garbage"])
def test_concurrent_runs_leave_a_valid_cache(start: str, ds: Path, cache: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)["timeline --json"]
    if start == "garbage":
        zygote.run("--data", str(ds), "timeline")
        the_cache_file(cache).write_bytes(garbage(5000))
    for r in run_many(ds, 8):
        assert_correct(r, want)
        lines = r.stderr.decode().splitlines()
        assert all("cache" in line for line in lines) if start == "garbage" else lines == [], lines
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == [], "temporary files left behind"
    file = the_cache_file(cache)
    before = file.read_bytes()
    r = zygote.run("--data", str(ds), "timeline", "--json")
    assert_correct(r, want)
    assert r.stderr == b"" and file.read_bytes() == before  # a hit: read, not rebuilt


def _small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))  # Python ignores SIGXFSZ: writes fail, EFBIG


def test_interrupted_write_leaves_no_half_file(ds: Path, cache: Path, zygote: Zygote) -> None:
    """A write cut short (by a file-size limit) leaves the old cache or none, never half a file."""
    want = expected(zygote, ds)["timeline --json"]
    cmd = [sys.executable, "-m", "pakru", "--data", str(ds), "timeline", "--json"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run(cmd, capture_output=True, env=env, preexec_fn=_small_files, timeout=60)
    assert_correct(r, want)
    assert warned(r.stderr), r.stderr
    assert cache_files(cache) == [] and list(cache.iterdir()) == []
    r = zygote.run("--data", str(ds), "timeline", "--json")
    assert_correct(r, want)
    assert r.stderr == b""
    old = the_cache_file(cache).read_bytes()
    events = ds / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").replace("ended its", "lifted its", 1), encoding="utf-8"
    )
    want = expected(zygote, ds)["timeline --json"]
    r = subprocess.run(cmd, capture_output=True, env=env, preexec_fn=_small_files, timeout=60)
    assert_correct(r, want)
    assert the_cache_file(cache).read_bytes() == old  # the old file, whole
    r = zygote.run("--data", str(ds), "timeline", "--json")
    assert_correct(r, want)
    assert r.stderr == b""


PICKLERS = re.compile(
    r"^\s*(?:import|from)\s+(?:c?pickle|_pickle|shelve|marshal|dill|cloudpickle|joblib)\b", re.M
)


def test_no_pickle_in_the_source() -> None:
    offenders = [
        p for p in (ROOT / "src" / "pakru").rglob("*.py") if PICKLERS.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


TRAP = """
import os, sys, runpy, pickle, _pickle
def trap(*args, **kwargs):
    sys.stderr.write("PICKLE USED\\n"); sys.stderr.flush(); os._exit(99)
for module in (pickle, _pickle):
    for name in ("load", "loads", "dump", "dumps", "Pickler", "Unpickler"):
        setattr(module, name, trap)
sys.argv = ["pakru", *sys.argv[1:]]
runpy.run_module("pakru", run_name="__main__", alter_sys=True)
"""


def test_the_cache_is_never_pickled(ds: Path, cache: Path) -> None:
    for command in [COMMANDS[0], *COMMANDS]:  # a cold run, then warm ones
        r = subprocess.run([sys.executable, "-c", TRAP, "--data", str(ds), *command], capture_output=True)
        assert r.returncode == 0 and b"PICKLE" not in r.stderr, r.stderr
    assert not the_cache_file(cache).read_bytes().startswith(b"\x80")  # pickle's PROTO opcode
