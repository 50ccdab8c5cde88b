"""What users meet at a real terminal: widths, TERM=dumb and NO_COLOR, the pager under a pty,
and shell completion (subprocesses)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shlex
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import run_pakru

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
VIEWS = [
    ["timeline"],
    ["timeline", "--by", "year"],
    ["compare", "--topic", "ukraine"],
    ["compare"],
    ["sources"],
    ["topics"],
    ["events"],
    ["show", "karim-020"],
]


def terminal(*args: str, columns: int = 80, **env: str) -> str:
    r = run_pakru(*args, env={"PAKRU_TERMINAL": "1", "COLUMNS": str(columns), "PAKRU_DATA": "", **env})
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    return r.stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize("columns", [40, 80, 120])
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_views_fit_the_width(args: list[str], columns: int) -> None:
    text = ANSI.sub("", terminal(*args, columns=columns))
    assert text.strip()
    too_long = [line for line in text.splitlines() if len(line) > columns]
    assert not too_long, too_long[:3]


@pytest.mark.parametrize("columns", [40, 80])
def test_compare_keeps_who_on_every_row(columns: int) -> None:
    text = ANSI.sub("", terminal("compare", "--topic", "ukraine", columns=columns))
    overview = " ".join(text.split("stance: the mean", 1)[0].split())
    for author in ("Umar Karim", "unsigned", "Shirin Naseer", "Arab News", "2022? (inferred)"):
        assert author in overview, author
    for name in ("Rana", "Rizvi"):  # wrapped or not, the name is there
        assert name in overview


def test_sources_on_a_terminal_say_what_the_pipe_says() -> None:
    text = " ".join(ANSI.sub("", terminal("sources")).split())
    piped = run_pakru("sources", env={"PAKRU_DATA": ""}).stdout.decode()
    for basis in re.findall(r"published: .+? — (inferred: .{40})", piped):
        assert " ".join(basis.split()) in text
    assert "unsigned (unsigned" not in text and "unsigned; “The writer is" in text
    assert "“Presently, the Pak-Russia relationship is ascending" in text  # naseer's outlook quote


def test_topics_at_80_columns_stay_short() -> None:
    lines = terminal("topics").splitlines()
    topics = len(run_pakru("topics", env={"PAKRU_DATA": ""}).stdout.splitlines()) - 1
    assert len(lines) < 3 * topics + 2


def test_timeline_groups_undated_claims_by_source_and_ends_event_groups() -> None:
    text = ANSI.sub("", terminal("timeline"))
    assert text.count("undated, by") == 0
    assert "── Undated (by source, in order of publication)" in text
    assert "Umar Karim · Arab News · by 2022? (inferred)" in text
    assert text.count("┌ ") == text.count("└─") > 0
    assert "italic: the author's assessment or prediction" in " ".join(text.split())


def test_by_year_gives_decades_and_ranges_their_own_group() -> None:
    text = ANSI.sub("", terminal("timeline", "--by", "year"))
    assert "── 1950–1959 ─" in text and "── 1950 ─" not in text  # unsigned-018, "Throughout the 1950s"


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"NO_COLOR": "1"}], ids=str)
def test_marks_without_colour(env: dict[str, str]) -> None:
    shown = terminal("show", "karim-020", **env)
    text = " ".join(ANSI.sub("", shown).replace("│", " ").split())
    assert "«followed by an agreement in 2015" in text
    # the source's own spacing ("helicopters." not "helicopters ."), and its next sentence
    assert "helicopters». This helicopter acquisition highlighted" in text
    timeline = " ".join(ANSI.sub("", terminal("timeline", "--kind", "assessment", "-n", "3", **env)).split())
    assert "(assessment)" in timeline
    if "TERM" in env:
        assert "\x1b[" not in shown


def _pty_run(args: list[str], env: dict[str, str], rows: int = 24) -> bytes:
    """pakru with its stdout on a pseudo-terminal of 80 x rows; what it wrote there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pakru", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**full, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: pakru has ended
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    return b"".join(chunks)


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[dict[str, str], Path]:
    out = tmp_path / "paged.txt"
    script = tmp_path / "pager"
    script.write_text(f'#!/bin/sh\necho "LESS=$LESS" > {out}\ncat >> {out}\n')
    script.chmod(0o755)
    return {"PAGER": str(script), "PAKRU_DATA": ""}, out


def test_pager_used_for_long_output_on_a_terminal(fake_pager) -> None:  # type: ignore[no-untyped-def]
    env, out = fake_pager
    shown = _pty_run(["timeline", "--topic", "defence"], env)
    paged = out.read_text()
    assert paged.startswith("LESS=FRX\n") and "Russia lifts its arms embargo on Pakistan" in paged
    assert b"Russia lifts" not in shown  # it went to the pager, not to the terminal


def test_no_pager_when_short_piped_or_told(fake_pager) -> None:  # type: ignore[no-untyped-def]
    env, out = fake_pager
    shown = _pty_run(["events", "--conflicts"], env, rows=50)  # fits the screen
    assert not out.exists() and b"Mi-35" in shown
    shown = _pty_run(["timeline", "--topic", "defence", "--no-pager"], env)
    assert not out.exists() and b"Russia lifts" in shown
    piped = run_pakru("timeline", env={**env, "PAKRU_TERMINAL": "1"})
    assert not out.exists() and b"Russia lifts" in piped.stdout


def test_completion_of_commands_options_and_ids() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_PAKRU_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        r = run_pakru(env=env)
        assert r.returncode == 0, r.stderr
        return r.stdout.decode().split()

    assert complete("pakru tim") == ["timeline"]
    assert "--event" in complete("pakru timeline --e")
    assert complete("pakru timeline --event embargo") == ["embargo-lifted"]
    assert complete("pakru compare --topic ind") == ["india"]
    assert complete("pakru timeline --source alp") == ["alpha"]
    assert complete("pakru show beta-00") == ["beta-001", "beta-002", "beta-003", "beta-004"]
    # --show-completion is for the shell it is run from (typer asks shellingham, which reads the
    # parent processes): run from bash, as a user would, whatever runs the tests. "; true" keeps
    # bash from replacing itself with pakru, which would leave no shell to find.
    command = f"{shlex.quote(sys.executable)} -m pakru --show-completion; true"
    script = subprocess.run(["bash", "-c", command], capture_output=True, timeout=60)
    assert b"_PAKRU_COMPLETE=complete_bash" in script.stdout, script.stderr
