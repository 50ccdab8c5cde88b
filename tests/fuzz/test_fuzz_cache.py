"""Fuzzing the cache file: whatever its bytes, pakru answers (exit 0), and warns when it rebuilds.

A valid cache is built once; each example damages a copy of its bytes (flips,
truncations, insertions, overwrites, swaps) or replaces it with arbitrary JSON,
writes it in place and runs pakru (forked from a pre-imported parent, see
pakru_procs). Never a crash (exit 70), an error or a traceback; stderr holds only
cache warnings; the same claims come out; and when pakru warned, the output is
exactly what --no-cache prints. Bounded to a few seconds.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE
from pakru_procs import (  # noqa: F401
    COMMANDS,
    Zygote,
    assert_correct,
    cache_fixture,
    ds_fixture,
    expected,
    the_cache_file,
    warned,
    zygote_fixture,
)

LISTS = COMMANDS[:2]  # timeline and search: lists of claims


class Built:
    def __init__(self, z: Zygote, base: Path) -> None:
        self.z, self.ds, self.cache = z, base / "ds", base / "cache"
        shutil.copytree(FIXTURE, self.ds)
        self.want = [json.loads(self.run("--no-cache", *c).stdout) for c in LISTS]
        self.run(*LISTS[0])
        (self.file,) = [p for p in self.cache.iterdir() if not p.name.startswith(".")]
        self.pristine = self.file.read_bytes()

    def run(self, *args: str) -> Any:
        return self.z.run("--data", str(self.ds), *args, env={"PAKRU_CACHE_DIR": str(self.cache)})

    def check(self, data: bytes, commands: int = len(LISTS)) -> None:
        self.file.write_bytes(data)
        for command, want in list(zip(LISTS, self.want, strict=True))[:commands]:
            r = self.run(*command)
            err = r.stderr.decode("utf-8", "replace")
            assert r.returncode == 0 and "Traceback" not in err, err
            assert all("cache" in line for line in err.splitlines()), err
            out = json.loads(r.stdout)
            assert sorted(c["id"] for c in out) == sorted(c["id"] for c in want), err
            if err:
                assert out == want, f"rebuilt, yet wrong output; stderr: {err!r}"


@pytest.fixture(scope="module")
def built(zygote: Zygote, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    yield Built(zygote, tmp_path_factory.mktemp("fuzz-cache"))


edit = st.tuples(
    st.sampled_from(["flip", "truncate", "insert", "overwrite", "zero", "swap"]),
    st.floats(0, 1, exclude_max=True),  # where, as a fraction of the file's size
    st.integers(1, 64),
    st.binary(min_size=1, max_size=16),
)


def apply(data: bytes, edits: list[tuple[str, float, int, bytes]]) -> bytes:
    b = bytearray(data)
    for op, where, n, blob in edits:
        i = int(where * len(b)) if b else 0
        if op == "flip" and b:
            b[i] ^= 1 << (n % 8)
        elif op == "truncate":
            del b[i:]
        elif op == "insert":
            b[i:i] = blob
        elif op == "overwrite":
            b[i : i + len(blob)] = blob
        elif op == "zero":
            b[i : i + n] = bytes(len(b[i : i + n]))
        elif op == "swap" and b:
            j = (i + n) % len(b)
            b[i], b[j] = b[j], b[i]
    return bytes(b)


@settings(max_examples=45, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(edit, min_size=1, max_size=3))
def test_damaged_cache_is_survived(built: Built, edits: list[tuple[str, float, int, bytes]]) -> None:
    built.check(apply(built.pristine, edits))


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_value)
def test_cache_replaced_by_json(built: Built, value: object) -> None:
    built.check(json.dumps(value).encode(), commands=1)


# Damage to a well-formed SQLite file, where random byte edits rarely reach: each is a miss with
# one warning (when the database is opened, or when a command reads the damage: then pakru drops
# it and runs the command again), and the output is what --no-cache prints.
def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(file: Path) -> None:
        conn = sqlite3.connect(file)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return damage


def _claim_text(claim_id: str, change: Callable[[str, str, bytes], str | bytes]) -> Callable[[Path], None]:
    """Damage one claim's deflated text. change(summary, quote, stored bytes) gives new bytes, or a
    new summary, deflated as the build does (well formed: only the checksum can tell)."""
    from pakru.store import packing

    def damage(file: Path) -> None:
        conn = sqlite3.connect(file)
        (zdict,) = conn.execute("SELECT data FROM text_dict").fetchone()
        (data,) = conn.execute("SELECT text FROM claims WHERE id = ?", (claim_id,)).fetchone()
        summary, quote = packing.unpack(data, zdict)
        new = change(summary, quote, data)
        if isinstance(new, str):
            new = packing.Packer(zdict).pack(new, quote)
        conn.execute("UPDATE claims SET text = ? WHERE id = ?", (new, claim_id))
        conn.commit()
        conn.close()

    return damage


def _foreign(file: Path) -> None:
    file.unlink()
    conn = sqlite3.connect(file)
    conn.execute("CREATE TABLE notes(body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not pakru')")
    conn.commit()
    conn.close()


def _zero_page(n: int) -> Callable[[Path], None]:
    def damage(file: Path) -> None:
        data = bytearray(file.read_bytes())
        page = int.from_bytes(data[16:18], "big") or 65536
        at = (n % (len(data) // page - 1) + 1) * page  # never the first page: its header is checked
        data[at : at + page] = bytes(page)
        file.write_bytes(bytes(data))

    return damage


SQL_DAMAGE: dict[str, Callable[[Path], None]] = {
    "foreign-sqlite-file": _foreign,
    "application-id-cleared": _sql("PRAGMA application_id = 0"),
    "schema-version-old": _sql("UPDATE meta SET value = '0' WHERE key = 'schema'"),
    "pakru-version-other": _sql("UPDATE meta SET value = '0.0.1' WHERE key = 'pakru'"),
    "meta-emptied": _sql("DELETE FROM meta"),
    "table-dropped": _sql("DROP TABLE events"),
    "fts-dropped": _sql("DROP TABLE claim_fts"),
    "column-renamed": _sql("ALTER TABLE claims RENAME COLUMN text TO txt"),
    "kind-of-wrong-type": _sql("UPDATE claims SET kind = 'event' WHERE id = 'beta-002'"),
    "kind-out-of-range": _sql("UPDATE claims SET kind = 99 WHERE id = 'alpha-001'"),
    "stance-as-text": _sql("UPDATE claims SET stance = 'two' WHERE stance = 2"),
    "stance-as-real": _sql("UPDATE claims SET stance = 1.5 WHERE stance = 2"),
    "date-not-edtf": _sql("UPDATE claims SET date = 'yesterday' WHERE id = 'alpha-002'"),
    "summary-altered": _claim_text("beta-002", lambda summary, _q, _d: summary.upper()),
    "text-byte-flipped": _claim_text("beta-002", lambda _s, _q, d: bytes([d[0] ^ 0x55]) + d[1:]),
    "text-cut-short": _claim_text("alpha-001", lambda _s, _q, d: d[: len(d) // 2]),
    "text-as-string": _sql("UPDATE claims SET text = 'plain' WHERE id = 'alpha-001'"),
    "text-dict-altered": _sql("UPDATE text_dict SET data = upper(data)"),
    "actor-name-altered": _sql("UPDATE actor_names SET name = name || '!'"),
    "topic-number-altered": _sql("UPDATE claims SET topics = '99' WHERE id = 'alpha-001'"),
    "source-id-altered": _sql("UPDATE sources SET id = 'bdta' WHERE id = 'beta'"),
    "source-title-altered": _sql("UPDATE sources SET title = upper(title)"),
    "event-label-altered": _sql("UPDATE events SET label = label || '!'"),
    "topic-alias-altered": _sql("UPDATE topics SET aliases = 'x'"),
    # the index tables search reads, which carry no checksum: a value of another type is damage
    "synonym-name-as-blob": _sql("UPDATE fts_synonyms SET name = CAST(name AS BLOB)"),
    "vocabulary-stem-as-blob": _sql("UPDATE fts_vocab SET stem = CAST(stem AS BLOB)"),
    "stem-count-as-text": _sql("UPDATE fts_stems SET docs = 'many'"),
    "claim-count-as-text": _sql("UPDATE fts_meta SET value = 'many'"),
    "page-zeroed-early": _zero_page(1),
    "page-zeroed-middle": _zero_page(7),
    "page-zeroed-late": _zero_page(-2),
}


@pytest.mark.parametrize("damage", SQL_DAMAGE)
def test_damaged_database(damage: str, ds: Path, cache: Path, zygote: Zygote) -> None:
    want = expected(zygote, ds)
    zygote.run("--data", str(ds), "timeline")
    SQL_DAMAGE[damage](the_cache_file(cache))
    runs = [zygote.run("--data", str(ds), *command) for command in COMMANDS]
    for r, command in zip(runs, COMMANDS, strict=True):
        assert_correct(r, want[" ".join(command)])
    warnings = sum(warned(r.stderr) for r in runs)  # by the first command that reads the damage
    # a zeroed page may hold nothing these commands read (an index of another command)
    assert warnings == 1 or (warnings == 0 and damage.startswith("page-zeroed")), [r.stderr for r in runs]
