"""Fuzzing the cache file: whatever its bytes, pakru answers (exit 0), and warns when it rebuilds.

A valid cache is built once; each example damages a copy of its bytes (flips,
truncations, insertions, overwrites, swaps) or replaces it with arbitrary JSON,
writes it in place and runs pakru (forked from a pre-imported parent, see
pakru_procs). Never a crash (exit 70), an error or a traceback; stderr holds only
cache warnings; the same claims come out; and when pakru warned, the output is
exactly what --no-cache prints. (That the output is exact even when the damage
went unnoticed is test_cache_robustness.py's test_altered_text_is_noticed, a
known bug for now.) Bounded to a few seconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
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
        elif op == "rename":  # the last "beta": in today's format, the source's id in the header
            at = b.rfind(b'"beta"')
            b[at : at + 6] = b'"bdta"' if at >= 0 else b[at : at + 6]
    return bytes(b)


@settings(max_examples=45, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(edit, min_size=1, max_size=3))
@example([("rename", 0.0, 0, b"")])
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


# cachefile.py's format: MAGIC, the sections, and a JSON table of contents (TOC) with its length
# in the last 8 bytes (earlier: the length and the TOC right after MAGIC). The TOC holds a CRC of
# each section (of each block, for the rows). A file up to cachefile.CHECKSUM_LIMIT (8 MB) is
# checked whole when opened, a larger one section by section as it is read; BIG runs pakru with
# that limit at 0, as for a large cache. These damages reach where the generic ones cannot. A TOC
# altered and re-signed could say anything (another source id, another title) and be served:
# nothing but its digest tells it from a valid one, so no case here changes data that way.
MAGIC = b"PAKRU-CACHE\n"
Toc = Any
Tamper = Callable[[Toc, bytearray], tuple[Toc, bytearray]]
BIG = "import sys, pakru.cachefile as c; c.CHECKSUM_LIMIT = 0; from pakru.cli import main; main(sys.argv[1:])"


def _trailer(head: bytes, body: bytes) -> bytes:
    """Today's layout, with the table of contents re-signed: the damage must pass its digest
    to reach the checks behind it."""
    from hashlib import blake2b

    return MAGIC + body + head + blake2b(head, digest_size=16).digest() + len(head).to_bytes(8, "little")


def split_cache(data: bytes) -> tuple[Toc, bytearray, Callable[[bytes, bytes], bytes]] | None:
    """The TOC, the sections, and how to put them back together; None if the format is unknown."""
    toc_end = len(data) - 8 - 16
    end = toc_end - int.from_bytes(data[-8:], "little")
    layouts = [(data[end:toc_end], data[len(MAGIC) : end], _trailer)]
    for toc, body, join in layouts if data.startswith(MAGIC) else []:
        try:
            doc = json.loads(toc)
        except ValueError:
            continue
        if isinstance(doc, dict) and "sections" in doc:
            return doc, bytearray(body), join
    return None


def toc_text(old: str, new: str) -> Tamper:
    return lambda toc, body: (json.dumps(toc).replace(old, new, 1).encode(), body)


def toc_set(path: tuple[Any, ...], value: object) -> Tamper:
    def tamper(toc: Toc, body: bytearray) -> tuple[Toc, bytearray]:
        node = toc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return toc, body

    return tamper


def section(name: str, old: bytes, new: bytes) -> Tamper:
    def tamper(toc: Toc, body: bytearray) -> tuple[Toc, bytearray]:
        offset, length, _ = toc["sections"][name]
        data = bytes(body[offset : offset + length])
        body[offset : offset + length] = data.replace(old, new, 1) if old else new * length
        return toc, body

    return tamper


TOC_DAMAGE: dict[str, tuple[Tamper, bool, str]] = {  # name: (tamper, big, the known bug)
    "sections-not-a-map": (
        toc_set(("sections",), []),
        False,
        "",
    ),
    "claims-1e999": (toc_text('"claims": 9', '"claims": 1e999'), False, ""),
    "toc-deeply-nested": (lambda t, b: (b"[" * 100_000, b), False, ""),
    "header-date-overflow": (
        toc_set(("header", "sources", 0, 6, 1), 10**30),
        False,
        "",
    ),
    "header-source-count-changed": (toc_set(("header", "sources"), []), False, ""),
    "section-crc-not-a-number": (toc_set(("sections", "start", 2), "0"), False, ""),
    "big-row-text-changed": (section("rows", b"Russia ended", b"Russia ENDED"), True, ""),
    "big-column-changed": (section("source", b"", b"\x00"), True, ""),
    "big-ids-changed": (section("ids", b"alpha-001", b"alpha-00X"), True, ""),
    "big-dates-changed": (section("dates", b"[[", b"[{"), True, ""),
    "date-count-too-large": (toc_set(("dates",), 10**6), False, ""),
    "date-count-too-small": (toc_set(("dates",), 0), False, ""),
    "big-row-wrong-width": (section("rows", b"alpha-001\x1f", b"alpha-001\x1e"), True, ""),
    # no "corpus" case: no command reads the cache's search corpus since search runs on SQLite FTS5
}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            k, marks=pytest.mark.xfail(reason=bug, strict=True, raises=AssertionError) if bug else ()
        )
        for k, (_, _, bug) in TOC_DAMAGE.items()
    ],
)
def test_damaged_table_of_contents(damage: str, ds: Path, cache: Path, zygote: Zygote) -> None:
    """Structure-aware damage, where random edits rarely reach: each must be a miss, with a warning."""
    tamper, big, _ = TOC_DAMAGE[damage]
    want = expected(zygote, ds)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        if not big:
            return zygote.run("--data", str(ds), *args)
        return subprocess.run([sys.executable, "-c", BIG, "--data", str(ds), *args], capture_output=True)

    run("timeline")
    file = the_cache_file(cache)
    parts = split_cache(file.read_bytes())
    if parts is None:
        pytest.skip("the cache is no longer in a format this test knows")
    toc, body = tamper(parts[0], parts[1])
    file.write_bytes(parts[2](toc if isinstance(toc, bytes) else json.dumps(toc).encode(), bytes(body)))
    runs = [run(*command) for command in COMMANDS]
    for r, command in zip(runs, COMMANDS, strict=True):
        assert_correct(r, want[" ".join(command)])
    # A large cache is checked as it is read: the first command that reads the damage warns
    assert warned(b"".join(r.stderr for r in runs)), [r.stderr for r in runs]


def test_postings_out_of_range_in_a_resigned_cache(ds: Path, cache: Path, zygote: Zygote) -> None:
    """A posting of -2, with the section's CRC and the TOC re-signed to match: Python would read
    it as the last claim but one and serve it under the topic, but for the range check on the
    topic's list."""
    import zlib

    command = ("--data", str(ds), "compare", "--topic", "helicopters", "--json")
    want = json.loads(zygote.run("--no-cache", *command).stdout)
    zygote.run(*command)
    file = the_cache_file(cache)
    parts = split_cache(file.read_bytes())
    if parts is None:
        pytest.skip("the cache is no longer in a format this test knows")
    toc, body, join = parts
    topic = [t[0] for t in toc["header"]["topics"]].index("helicopters")
    off_at, _, _ = toc["sections"]["posting_off"]
    first = int.from_bytes(body[off_at + 8 * topic : off_at + 8 * topic + 8], sys.byteorder)
    offset, length, _ = toc["sections"]["postings"]
    at = offset + 8 * first  # the topic's first posting
    body[at : at + 8] = (-2).to_bytes(8, sys.byteorder, signed=True)
    toc["sections"]["postings"][2] = zlib.crc32(body[offset : offset + length])
    file.write_bytes(join(json.dumps(toc).encode(), bytes(body)))
    r = zygote.run(*command)
    assert_correct(r, want)
    assert warned(r.stderr), r.stderr
