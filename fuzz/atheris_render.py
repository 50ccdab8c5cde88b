#!/usr/bin/env python3
"""Coverage-guided fuzzing of pakru's renderers with atheris (libFuzzer). Not collected by pytest.

    pip install atheris
    python fuzz/atheris_render.py -max_total_time=60 -print_final_stats=1 [CORPUS_DIR]

Each input becomes the text of a source's title, author and outlet, a topic's
label, an event's label and a claim's summary and quote (also written into the
source text, so the quote checks). pakru then runs in-process, as `pakru --no-cache
--data DIR ...`: timeline and show plain, on a forced terminal (rich) and as JSON.
The invariant: exit 0; no raw control or bidi character in any output (rich's own
SGR styling aside); the texts come back exactly from JSON. Anything else is a
crash that libFuzzer reports with its input.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pakru"]):  # pakru imports most of itself lazily: name them
    from pakru.cli import main as pakru_main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import yaml_quoted  # noqa: E402  (the test suite's one copy)

TEXT = (FIXTURE / "events.yaml").read_text(encoding="utf-8")
BETA = (FIXTURE / "sources" / "beta.txt").read_text(encoding="utf-8")
WORK = Path(tempfile.mkdtemp(prefix="pakru-atheris-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
FIELDS = {
    "title": '"Beta\'s Caution"',
    "author": '"“The writer is a student.”"',
    "outlet": '"not stated"',
    "topic": '"Helicopters"',
    "event": '"Helicopters delivered"',
    "summary": '"The helicopters arrived in Pakistan in 2018."',
    "quote": '"The helicopters reached Pakistan in 2018."',
}


def run(*args: str, rich: bool = False) -> str:
    os.environ["FORCE_COLOR" if rich else "NO_FORCE"] = "1"
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            pakru_main(["--no-cache", "--data", str(WORK), *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.environ.pop("FORCE_COLOR", None)
    if code != 0:
        raise AssertionError(f"pakru {' '.join(args)} exited {code}: {err.getvalue()}")
    return out.getvalue()


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    values = {}
    for field in FIELDS:
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 24)).replace("\x00", "")
        values[field] = text if text.strip() else f"x{text}x"
    events = TEXT
    for field, old in FIELDS.items():
        events = events.replace(old, yaml_quoted(values[field]))
    (WORK / "events.yaml").write_text(events, encoding="utf-8")
    (WORK / "sources" / "beta.txt").write_text(f"{BETA}\n{values['quote']}\n", encoding="utf-8")
    outs = [
        run("timeline"),
        run("show", "beta-002"),
        run("timeline", rich=True),
        run("show", "beta-002", rich=True),
    ]
    for out in outs:
        if RAW.search(SGR.sub("", out)):
            raise AssertionError(f"a raw control character reached the output: {out!r}")
    shown = json.loads(run("show", "beta-002", "--json"))
    got = (shown["summary"], shown["quote"], shown["event_label"], shown["source"]["title"])
    if got != (values["summary"], values["quote"], values["event"], values["title"]):
        raise AssertionError(f"JSON changed the text: {got!r} != {values!r}")


def main() -> None:
    shutil.copytree(FIXTURE, WORK, dirs_exist_ok=True)
    os.environ.update({"COLUMNS": "120", "PAKRU_CACHE_DIR": str(WORK / "cache")})
    os.environ.pop("NO_COLOR", None)
    try:
        atheris.Setup(sys.argv, test_one_input)
        atheris.Fuzz()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
