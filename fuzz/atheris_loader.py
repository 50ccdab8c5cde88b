#!/usr/bin/env python3
"""Coverage-guided fuzzing of pakru's loader with atheris (libFuzzer). Not collected by pytest.

    pip install atheris
    python fuzz/atheris_loader.py -max_total_time=60 -print_final_stats=1 -max_len=8192 [CORPUS_DIR]

Each input picks a mode from its first byte: the rest as events.yaml (so a seed
is b"\\x00" + a YAML file); the fixture dataset with bytes spliced in at a chosen
place, after a chosen YAML token; or text for the EDTF date parser. The
invariant: load() returns a Dataset or raises DatasetError, whose problems name
events.yaml with a line inside the file (counting YAML 1.1's extra line breaks, a
known bug: see tests/test_robustness.py) and a column >= 1; no YAML tag ever runs
a command; parse_edtf returns a date or raises EdtfError. Anything
else is a crash that libFuzzer reports with the input that caused it.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pakru"]):
    import pakru.dataset.yamlnodes  # noqa: F401  (imported here to be instrumented)
    from pakru.core.dates import EdtfError, parse_edtf
    from pakru.core.errors import DatasetError
    from pakru.dataset.load import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data"
TEXT = (FIXTURE / "events.yaml").read_bytes()
BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
WORK = Path(tempfile.mkdtemp(prefix="pakru-atheris-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
MARKER = WORK / "PWNED"
EVENTS = WORK / "events.yaml"
TOKENS = [
    b"&a ", b"*a", b"!!python/object/apply:os.system ['touch " + str(MARKER).encode() + b"']", b"!!int ",
    b"[" * 40, b"{a: " * 40, b"---\n", b"%YAML 1.1\n", b"? ", b"- ", b": ", b"\n", b"\t", b"\xef\xbb\xbf",
    b"\xe2\x80\xa8", b"\xc2\x85", b"\r", b"\x1b", b"\x00", b"\xff", b'"', b"'", b"|", b">", b"9" * 5000,
]  # fmt: skip


def check_load(data: bytes) -> None:
    EVENTS.write_bytes(data)
    try:
        load(EVENTS)
    except DatasetError as exc:
        if not exc.problems:
            raise AssertionError("a DatasetError without problems") from None
        lines = len(BREAKS.split(data.decode("utf-8", "replace"))) + 1
        for p in exc.problems:
            if p.file != str(EVENTS) or not str(p).startswith(f"{EVENTS}:"):
                raise AssertionError(f"problem names another file: {p}") from None
            if p.line is not None and not 1 <= p.line <= lines:
                raise AssertionError(f"line {p.line} outside the file's {lines} lines: {p}") from None
            if p.column is not None and p.column < 1:
                raise AssertionError(f"column {p.column}: {p}") from None
    if MARKER.exists():
        raise AssertionError("a YAML tag ran a command")


def test_one_input(data: bytes) -> None:
    """data[0] picks the mode; raw mode takes the rest as the file, so a seed is b"\\x00" + a file."""
    if not data:
        return
    mode, rest = data[0] % 4, data[1:]
    if mode == 0:
        check_load(rest)
    elif mode in (1, 2):  # splice: 2 bytes of position, 1 of cut, 1 of token, then the bytes to insert
        at = int.from_bytes(rest[:2], "little") * len(TEXT) // 65536
        cut = rest[2] % 41 if len(rest) > 2 else 0
        piece = TOKENS[rest[3] % len(TOKENS)] if mode == 1 and len(rest) > 3 else b""
        check_load(TEXT[:at] + piece + rest[4:] + TEXT[at + cut :])
    else:
        try:
            parse_edtf(atheris.FuzzedDataProvider(rest).ConsumeUnicodeNoSurrogates(len(rest)))
        except EdtfError:
            pass


def main() -> None:
    shutil.copytree(FIXTURE / "sources", WORK / "sources")
    try:
        atheris.Setup(sys.argv, test_one_input)
        atheris.Fuzz()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
