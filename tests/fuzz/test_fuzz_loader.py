"""Fuzzing the loader: whatever the bytes, a Dataset or a DatasetError whose problems name the file.

Never another exception (no RecursionError, MemoryError, ValueError from a YAML
constructor), never a line outside the file, never a YAML tag that runs. And a
quote that is in its source verbatim is always found. Each test is bounded to a
few seconds; fuzz/atheris_loader.py explores the same targets for longer.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE, yaml_quoted
from pakru.core.errors import DatasetError
from pakru.dataset.load import load

TEXT = (FIXTURE / "events.yaml").read_text(encoding="utf-8")
BETA = (FIXTURE / "sources" / "beta.txt").read_text(encoding="utf-8")
BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
MARKER = Path(tempfile.gettempdir()) / f"pakru-fuzz-pwned-{os.getpid()}"
TOKENS = [
    *"\n \t-:?[]{},&*!|>'\"#%@`\\~",
    "- ", ": ", "? ", "\n  ", "\n    - ", "&a ", "*a", "&b [*a, *a]", "<<: *a", "!!str ", "!!int ", "!x ",
    "!!binary ", "!!set ", "!!timestamp ", "!!float ", f'!!python/object/apply:os.system ["touch {MARKER}"]',
    "!!python/name:os.system", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "NO", "yes", "1.10",
    "1:20", "0755", "2017-02-30", "null", "~", '"2014"', "2014", "9" * 5000, "[" * 40, "{a: " * 40, "é", "Ж",
    "\ufeff", "\u2028", "\x85", "\x1b", "\x00", "\x7f", "\ud7ff", "\U0001f600", "\r\n", "\r",
    "id: x", "stance: 7", "topics: [nope]", "quote: nowhere", 'date: "2014-13"', "source: gamma",
]  # fmt: skip
token = st.one_of(st.sampled_from(TOKENS), st.text(max_size=8))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The fixture with a few insertions, deletions, replacements and duplicated lines."""
    text = TEXT
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 60)))
        if op == "insert":
            text = text[:i] + draw(token) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(token) + text[j:]
        else:
            lines = text.splitlines(keepends=True)
            k = draw(st.integers(0, len(lines) - 1))
            text = "".join([*lines[: k + 1], *lines[k:]])
    return text


@pytest.fixture(scope="module")
def folder() -> Path:
    base = Path(tempfile.mkdtemp(prefix="pakru-fuzz-"))
    shutil.copytree(FIXTURE / "sources", base / "sources")
    yield base  # type: ignore[misc]
    shutil.rmtree(base, ignore_errors=True)


def check(folder: Path, data: bytes) -> None:
    path = folder / "events.yaml"
    path.write_bytes(data)
    try:
        load(path)
    except DatasetError as exc:
        assert exc.problems
        # YAML 1.1 also breaks lines at CR, NEL, U+2028 and U+2029, and pakru passes libyaml's count on
        # (a known bug, pinned by the "line-separator" rows of test_robustness.py): allow for it here.
        # libyaml also puts the end of a file without a final newline on the line after it.
        lines = len(BREAKS.split(data.decode("utf-8", "replace"))) + 1
        for p in exc.problems:
            assert p.file == str(path), p
            assert p.line is None or 1 <= p.line <= lines, (p, lines)
            assert p.column is None or p.column >= 1, p
            assert str(p).startswith(f"{path}:"), p
    assert not MARKER.exists(), "a YAML tag ran a command"


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf")
@example(b"\xef\xbb\xbf\xef\xbb\xbfa: b")
@example(b"\xff\xfea\x00:\x00")
def test_any_bytes(folder: Path, data: bytes) -> None:
    check(folder, data)


@FUZZ
@given(st.lists(token, max_size=30).map("".join))
def test_token_soup(folder: Path, text: str) -> None:
    check(folder, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(mutated())
def test_mutated_fixture(folder: Path, text: str) -> None:
    check(folder, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_fixture_pure_python_yaml(folder: Path, text: str) -> None:
    """The same, with PyYAML's pure-Python parser, as on a machine without libyaml."""
    saved = getattr(yaml, "CSafeLoader", None)
    if saved is not None:
        del yaml.CSafeLoader
    try:
        check(folder, text.encode("utf-8", "surrogatepass"))
    finally:
        if saved is not None:
            yaml.CSafeLoader = saved  # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=60))
@example("e\u0301")  # NFC composes it
@example("\u0301accent first")
@example("tab\tand\u00a0nbsp\u2028line")
@example("‘typographic’ — “quotes”")
def test_a_verbatim_quote_is_found(folder: Path, quote: str) -> None:
    if not quote.strip():
        return  # a blank quote is an error of its own
    (folder / "sources" / "beta.txt").write_text(f"{BETA}\n{quote}\n", encoding="utf-8")
    path = folder / "events.yaml"
    old = 'quote: "The helicopters reached Pakistan in 2018."'
    path.write_text(TEXT.replace(old, f"quote: {yaml_quoted(quote)}"), encoding="utf-8")
    try:
        dataset = load(path)
    finally:
        shutil.copy(FIXTURE / "sources" / "beta.txt", folder / "sources" / "beta.txt")
    assert [c.quote for c in dataset.claims if c.id == "beta-002"] == [quote]
