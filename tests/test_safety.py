"""Data text is printed as itself: never markup, never emoji, never raw control sequences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import yaml_quoted
from pakru.cli import app
from pakru.render.safe import clean

runner = CliRunner()
HOSTILE = [
    "[bold red]x[/bold red]",
    "[/items]",
    "[link=https://evil.example]click[/link]",
    "[citation needed]",
    ":smile:",
    "trailing backslash \\",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\u009b31m",
    "bell\x07",
    "\u202egnp.exe",
    "\u2066isolate\u2069",
    "پاکستان",
    "Россия",
    "中文",
]
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


PRISTINE = (Path(__file__).parent / "data" / "events.yaml").read_text(encoding="utf-8")


def with_summary(dataset_copy: Path, summary: str) -> Path:
    text = PRISTINE
    escaped = yaml_quoted(summary)
    dataset_copy.write_text(
        text.replace('"Beta dates the arrival of the helicopters in Pakistan to 2018."', escaped),
        encoding="utf-8",
    )
    return dataset_copy


def outputs(path: Path) -> list[str]:
    out = []
    for env in ({}, {"FORCE_COLOR": "1", "COLUMNS": "500"}):
        for args in (
            ["timeline"],
            ["show", "beta-002"],
            ["search", "helicopters"],
            ["compare", "--topic", "helicopters"],
        ):
            r = runner.invoke(app, ["--no-cache", "--data", str(path), *args], env=env)
            assert r.exit_code == 0, (args, r.stderr)
            out.append(r.stdout)
    return out


def test_clean() -> None:
    assert clean("a\x1b[31mb") == "a\\x1b[31mb"
    assert clean("\u202eabc") == "\\u202eabc"
    assert clean("line\nbreak\ttab") == "line break tab"
    assert clean("[bold]:smile:\\") == "[bold]:smile:\\"


def test_hostile_text_prints_as_itself(dataset_copy: Path) -> None:
    for hostile in HOSTILE:
        path = with_summary(dataset_copy, f"start {hostile} end")
        for out in outputs(path):
            plain = re.sub(r"\x1b\[[0-9;]*m", "", out)  # rich's own styling
            assert not RAW_CONTROL.search(plain), (hostile, plain)
            assert clean(f"start {hostile} end") in " ".join(plain.split()) or clean(hostile) in plain, (
                hostile
            )


def test_fixture_markup_in_data_survives() -> None:
    r = runner.invoke(app, ["show", "alpha-005"], env={"FORCE_COLOR": "1", "COLUMNS": "300"})
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    assert "[bold red]despite all odds[/bold red] \\" in plain
    r = runner.invoke(app, ["search", "citation"], env={"FORCE_COLOR": "1", "COLUMNS": "300"})
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    assert "[citation needed]" in plain and ":smile:" in plain and "😄" not in plain


def test_json_escapes_control_characters(dataset_copy: Path) -> None:
    path = with_summary(dataset_copy, "x\x1b[31my\u009b")
    r = runner.invoke(app, ["--no-cache", "--data", str(path), "show", "beta-002", "--json"])
    assert "\x1b" not in r.stdout and "\\u001b" in r.stdout
    assert json.loads(r.stdout)["summary"] == "x\x1b[31my\u009b"


def strings(value: object) -> list[str]:
    """Every text in a JSON document."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


HOSTILE_SUMMARY = "a\x1b[31mb\u009bc\x7fd\u202eevil\u202c \u2066iso\u2069 \u200fmark \u2028line é"


@pytest.mark.parametrize(
    "args",
    [
        ["show", "beta-002", "--json"],
        ["timeline", "--json"],
        ["timeline", "--json", "--topic", "helicopters"],
        ["search", "helicopters", "--json"],
        ["export", "ndjson"],
        ["export", "timelinejs"],
    ],
    ids=" ".join,
)
def test_json_leaves_nothing_raw_for_a_terminal(dataset_copy: Path, args: list[str]) -> None:
    """C1, DEL, bidi controls and line separators, which JSON's encoder leaves raw, are escapes:
    the same JSON to a parser."""
    path = with_summary(dataset_copy, HOSTILE_SUMMARY)
    r = runner.invoke(app, ["--no-cache", "--data", str(path), *args])
    assert r.exit_code == 0, r.output
    assert not RAW_CONTROL.search(r.stdout) and "\u2028" not in r.stdout and "\u200f" not in r.stdout
    assert "é" in r.stdout  # the rest stays as written
    docs = (
        [json.loads(line) for line in r.stdout.splitlines()]
        if args[-1] == "ndjson"
        else [json.loads(r.stdout)]
    )
    assert any(HOSTILE_SUMMARY in text for text in strings(docs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(lambda s: s.strip())
)
def test_any_text_is_printed_and_harmless(dataset_copy: Path, text: str) -> None:
    path = with_summary(dataset_copy, text)
    expected = " ".join(clean(text).split())
    for out in outputs(path):
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert not RAW_CONTROL.search(plain)
        assert expected in " ".join(plain.split())


def test_a_listing_cleans_every_field_it_prints() -> None:
    """compare's listing cleans field by field; a date label comes from pakru, but a cache
    could hold any, so it is cleaned too."""
    import io
    from datetime import date

    from pakru.core.dates import EdtfDate
    from pakru.core.model import Claim
    from pakru.render import plain

    day = date(2018, 1, 1)
    plain_claim = Claim(
        "a-1", "s", EdtfDate("2018", day, day, "2018", False, False), "stated", "event", "s", "q"
    )
    for field in ("id", "summary", "quote", "date", "author"):
        for text in HOSTILE:
            hostile = EdtfDate("2018", day, day, text, False, False) if field == "date" else text
            w = plain.Writer(io.StringIO())
            other = plain_claim if field == "author" else plain_claim._replace(**{field: hostile})
            plain._listing(w, [plain_claim, other], text if field == "author" else "Ann")
            w.flush()
            printed = w.out.getvalue()  # type: ignore[attr-defined]
            assert not RAW_CONTROL.search(printed), (field, text, printed)
            assert printed.count("\n") == 2, (field, text, printed)  # one line a claim
            if field != "author":
                assert printed.startswith("- [a-1] 2018 — Ann: s “q”\n")


def test_markdown_leaves_nothing_raw_for_a_terminal(dataset_copy: Path) -> None:
    path = with_summary(dataset_copy, HOSTILE_SUMMARY)
    r = runner.invoke(app, ["--no-cache", "--data", str(path), "export", "markdown"])
    assert r.exit_code == 0 and not RAW_CONTROL.search(r.stdout)
    assert "a\\\\x1b\\[31mb" in r.stdout  # shown as the escape, its backslash literal
