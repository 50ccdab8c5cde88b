"""Fuzzing the renderers: any text in any field prints as itself, never as markup or control codes.

Each example puts arbitrary text into a source's title, author and outlet, a
topic's label and alias, an actor's name, an event's label, a claim's summary,
date note and quote (the quote also into the source text, so that it checks;
a name, the alias and the actor, without the control characters a name may not
hold), and runs the commands in-process, plain, on a forced terminal and as JSON. The
output never holds a raw control or bidi character, plain output shows the text
(made safe by render.safe.clean), and JSON gives it back exactly. Bounded to a
few seconds; fuzz/atheris_render.py explores the same target for longer.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURE, yaml_quoted
from pakru.cli import app
from pakru.render.safe import clean

TEXT = (FIXTURE / "events.yaml").read_text(encoding="utf-8")
BETA = (FIXTURE / "sources" / "beta.txt").read_text(encoding="utf-8")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own styling
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # refused in a name (records.Reader.one_line): a schema error
NAMES = ("alias", "actor")
FIELDS = {  # field: the fixture's text it replaces, everywhere
    "title": '"Alpha on the Ties"',
    "author": '"Ada Alpha"',
    "outlet": '"The Test Review"',
    "topic": '"Helicopters"',
    "alias": '"Mi-35M"',
    "actor": '"Qamar Javed Bajwa"',
    "event": '"Helicopters delivered"',
    "summary": '"Bajwa went to Moscow to discuss Daesh and the Taliban."',
    "note": '"“Last year”, against publication in 2019"',
    "quote": '"The helicopters reached Pakistan in 2018."',
}
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz-render")
    shutil.copytree(FIXTURE, base, dirs_exist_ok=True)
    return base


def invoke(folder: Path, *args: str, rich: bool = False) -> str:
    env = {"FORCE_COLOR": "1", "COLUMNS": "500"} if rich else {}
    r = runner.invoke(app, ["--no-cache", "--data", str(folder), *args], env=env)
    assert r.exit_code == 0, (args, r.stdout, r.stderr)
    return r.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({f: text for f in FIELDS}))
@example(dict.fromkeys(FIELDS, "[bold]x[/bold] :smile: \x1b]8;;http://x\x1b\\y\x1b]8;;\x1b\\ \u202egnp \\"))
@example(dict.fromkeys(FIELDS, "\u2028\x85\r\n\t\x1b[2J\x07\u009b1m"))
def test_any_text_prints_as_itself(folder: Path, values: dict[str, str]) -> None:
    values = {f: CONTROL.sub("", v) if f in NAMES else v for f, v in values.items()}
    values = {f: v if v.strip() else f"x{v}x" for f, v in values.items()}  # blank text is a schema error
    data = TEXT
    for field, old in FIELDS.items():
        data = data.replace(old, yaml_quoted(values[field]))
    data = data.replace("[Qamar Javed Bajwa, Russia]", f"[{yaml_quoted(values['actor'])}, Russia]")
    (folder / "events.yaml").write_text(data, encoding="utf-8")
    (folder / "sources" / "beta.txt").write_text(f"{BETA}\n{values['quote']}\n", encoding="utf-8")
    outs = [
        invoke(folder, *a) for a in (["timeline"], ["show", "alpha-004"], ["show", "beta-002"], ["sources"])
    ]
    outs += [
        invoke(folder, *a, rich=True) for a in (["timeline"], ["show", "beta-002"], ["sources"], ["topics"])
    ]
    for out in outs:
        assert not RAW.search(SGR.sub("", out)), out
    plain = flat(" ".join(outs[:4]))
    for field in ("title", "summary", "quote", "event"):
        assert flat(clean(values[field])) in plain, (field, values[field])
    shown = json.loads(invoke(folder, "show", "beta-002", "--json"))
    assert (shown["quote"], shown["event_label"]) == (values["quote"], values["event"])
    source = json.loads(invoke(folder, "sources", "--json"))[0]
    assert (source["title"], source["author"], source["outlet"]) == (
        values["title"],
        values["author"],
        values["outlet"],
    )
