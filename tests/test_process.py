"""What only a real process shows: pipes, signals, encodings, exit codes, stderr discipline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import run_pakru

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pipes")


@pytest.mark.parametrize(
    ("args", "named"),
    [(["search"], b"query"), (["frobnicate"], b"frobnicate"), (["timeline", "--limit", "many"], b"'many'")],
)
def test_usage_error_exits_2(args: list[str], named: bytes) -> None:
    """Exit 2, the culprit named on stderr, nothing on stdout, no traceback (the words are typer's)."""
    r = run_pakru(*args)
    assert r.returncode == 2 and r.stdout == b"" and b"Traceback" not in r.stderr
    assert named in r.stderr.lower(), r.stderr


def test_ending_without_teardown_loses_no_output(shipped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """run() ends with os._exit: every byte written to stdout and stderr must be flushed first,
    with fully buffered streams (no PYTHONUNBUFFERED), to a file and to a pipe."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PAKRU_DATA"] = str(shipped)
    expected = subprocess.run(
        [sys.executable, "-c", "from pakru.cli import main; main(['timeline', '--json'])"],
        capture_output=True,
        env=env,
    )
    assert expected.returncode == 0 and len(expected.stdout) > 100_000
    out = tmp_path / "out.json"
    with out.open("wb") as fh:
        code = subprocess.run(
            [sys.executable, "-m", "pakru", "timeline", "--json"], stdout=fh, env=env
        ).returncode
    assert code == 0 and out.read_bytes() == expected.stdout
    piped = subprocess.run(
        [sys.executable, "-m", "pakru", "timeline", "--json"], capture_output=True, env=env
    )
    assert piped.returncode == 0 and piped.stdout == expected.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "pakru", "compare", "--topic", "nosuch"], capture_output=True, env=env
    )
    assert failed.returncode == 2 and failed.stderr.startswith(b"pakru: error: --topic: unknown topic"), (
        failed.stderr
    )
    usage = subprocess.run([sys.executable, "-m", "pakru", "frobnicate"], capture_output=True, env=env)
    assert usage.returncode == 2 and b"No such command 'frobnicate'" in usage.stderr


def test_piped_into_head_is_silent(shipped) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PAKRU_DATA": str(shipped)}
    run_pakru("check", env=env)  # warm the cache
    for args in (["timeline"], ["search", "Pakistan", "--limit", "200"], ["timeline", "--json"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pakru", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does
        err = proc.stderr.read()
        code = proc.wait(timeout=30)
        assert err == b"", err
        assert code in (0, 141)


def test_shell_pipe_to_head(shipped) -> None:  # type: ignore[no-untyped-def]
    r = subprocess.run(
        f"{sys.executable} -m pakru timeline | head -n 2",
        shell=True,
        capture_output=True,
        env={**os.environ, "PAKRU_DATA": str(shipped)},
    )
    assert r.stderr == b"" and len(r.stdout.splitlines()) == 2


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="a device that is always full")
@pytest.mark.parametrize(
    "args", [["sources"], ["timeline", "--json"], ["export", "csv"], ["show", "karim-020"]]
)
def test_a_full_disk_under_stdout_is_an_error_not_a_bug(shipped, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PAKRU_DATA": str(shipped)}
    with open("/dev/full", "wb") as full:
        command = [sys.executable, "-m", "pakru", *args]
        proc = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, env=env)
    assert proc.returncode == 1
    assert proc.stderr == b"pakru: error: cannot write the output: No space left on device\n"


def test_ctrl_c_exits_130_silently() -> None:
    # A slow stand-in for a long command: SIGINT while the interpreter is busy inside main().
    code = (
        "import time, pakru.cli as c\n"
        "@c.app.command('sleep')\n"
        "def _sleep() -> None:\n"
        "    print('ready', flush=True); time.sleep(30)\n"
        "c.main(['sleep'])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == b"ready\n"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    assert proc.stderr.read() == b""


def test_ascii_output_encoding_does_not_crash(shipped) -> None:  # type: ignore[no-untyped-def]
    env = {"PYTHONIOENCODING": "ascii", "PAKRU_DATA": str(shipped)}
    for args in (
        ["timeline"],
        ["search", "detente"],
        ["show", "rana-001"],
        ["sources"],
        ["timeline", "--json"],
    ):
        r = run_pakru(*args, env=env)
        assert r.returncode == 0, (args, r.stderr)
        assert b"Traceback" not in r.stderr
        r.stdout.decode("ascii")
    doc = json.loads(run_pakru("sources", "--json", env=env).stdout)
    assert doc[3]["title"] == "Russia and Pakistan: an Era of Détente"


def test_errors_go_to_stderr_and_json_stdout_stays_clean(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "events.yaml"
    bad.write_text("claims: [\n", encoding="utf-8")
    r = run_pakru("--data", str(bad), "search", "x", "--json")
    assert r.returncode == 1 and r.stdout == b""
    assert r.stderr.decode().startswith(f"{bad}:") and b"Traceback" not in r.stderr
    r = run_pakru("search", "gwadar", "--json", env={"PAKRU_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0 and json.loads(r.stdout) and r.stderr == b""


def test_error_is_fast_on_a_huge_alias_bomb(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "events.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    r = run_pakru("--data", str(bomb), "timeline", "--json")
    assert time.monotonic() - start < 10
    assert r.returncode == 1 and b"anchors (&a) are not allowed" in r.stderr and r.stdout == b""
