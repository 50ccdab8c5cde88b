"""pakru export on the command line: formats, filters, -o written atomically, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pakru.cli import app
from pakru.export import FORMATS

runner = CliRunner()


def test_unknown_format_lists_the_known_ones() -> None:
    r = runner.invoke(app, ["export", "docx"])
    assert r.exit_code == 2 and r.stdout == ""
    known = ", ".join(FORMATS)
    assert r.stderr.strip() == f"pakru: error: unknown export format 'docx'; known formats: {known}"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_to_stdout(fmt: str) -> None:
    r = runner.invoke(app, ["export", fmt])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip()


def test_filters_narrow_the_export() -> None:
    every = runner.invoke(app, ["export", "ndjson"]).stdout.splitlines()
    beta = runner.invoke(app, ["export", "ndjson", "--source", "beta"]).stdout.splitlines()
    assert 0 < len(beta) < len(every)
    assert all(json.loads(x)["source"]["id"] == "beta" for x in beta)
    dated = runner.invoke(app, ["export", "ndjson", "--from", "2000"]).stdout.splitlines()
    assert all(json.loads(x)["date"] is not None for x in dated)
    r = runner.invoke(app, ["export", "csv", "--kind", "nonsense"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["export", "csv", "--event", "no-such-event"])
    assert r.exit_code == 2 and "unknown event" in r.stderr


def test_ndjson_matches_timeline_json() -> None:
    lines = runner.invoke(app, ["export", "ndjson", "--topic", "defence"]).stdout.splitlines()
    timeline = json.loads(runner.invoke(app, ["timeline", "--topic", "defence", "--json"]).stdout)
    assert [json.loads(x) for x in lines] == timeline


def test_bom_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    r = runner.invoke(app, ["export", "csv", "--bom", "-o", str(target)])
    assert r.exit_code == 0 and r.stdout == ""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,date,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "id" and len(rows) > 2
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["ndjson", "csl-json", "timelinejs", "markdown", "html", "biblatex", "ris"])
def test_a_byte_order_mark_only_where_spreadsheets_want_one(tmp_path: Path, fmt: str) -> None:
    """JSON may not begin with one (RFC 8259): --bom is for csv and tsv, a usage error elsewhere."""
    target = tmp_path / "out"
    r = runner.invoke(app, ["export", fmt, "--bom", "-o", str(target)])
    assert r.exit_code == 2 and "--bom" in r.stderr and not target.exists()


def test_output_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")
    hard_link = tmp_path / "old-copy"
    os.link(target, hard_link)  # the old file's inode: a rename leaves it as it was
    assert runner.invoke(app, ["export", "html", "-o", str(target)]).exit_code == 0
    assert hard_link.read_text(encoding="utf-8") == "old"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_output_keeps_a_replaced_files_permissions_and_follows_a_link(tmp_path: Path) -> None:
    private = tmp_path / "private.csv"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    assert runner.invoke(app, ["export", "csv", "-o", str(private)]).exit_code == 0
    assert private.stat().st_mode & 0o777 == 0o600 and private.read_text(encoding="utf-8") != "old"
    link = tmp_path / "link.csv"
    link.symlink_to(private.name)
    assert runner.invoke(app, ["export", "tsv", "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and "\t" in private.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "private.csv"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_output_into_a_named_pipe_is_written_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = runner.invoke(app, ["export", "ndjson", "-o", str(fifo)])
    reader.join(10)
    assert r.exit_code == 0, r.stderr
    assert fifo.is_fifo() and len(got[0].splitlines()) == 11


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="a device that is always full")
def test_output_into_a_full_device_fails_and_leaves_it_a_device() -> None:
    import stat

    r = runner.invoke(app, ["export", "csv", "-o", "/dev/full"])
    assert r.exit_code == 1 and r.stderr.startswith("pakru: error: cannot write /dev/full: ")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_to_a_directory_says_so(tmp_path: Path) -> None:
    r = runner.invoke(app, ["export", "csv", "-o", str(tmp_path)])
    assert r.exit_code == 1 and r.stderr.strip() == f"pakru: error: cannot write {tmp_path}: is a directory"


def test_unwritable_output_fails_cleanly(tmp_path: Path) -> None:
    r = runner.invoke(app, ["export", "csv", "-o", str(tmp_path / "missing" / "x.csv")])
    assert r.exit_code == 1 and r.stderr.startswith("pakru: error: cannot write ")
    assert "Traceback" not in r.stderr


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.csv"
    target.write_text("old", encoding="utf-8")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    r = runner.invoke(app, ["export", "csv", "-o", str(target)])
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_export_through_a_pipe(shipped) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from conftest import run_pakru

    env = {**os.environ, "PAKRU_DATA": str(shipped)}
    whole = run_pakru("export", "ndjson", env=env)
    assert whole.returncode == 0 and whole.stderr == b""
    assert len(whole.stdout.splitlines()) == len(json.loads(run_pakru("timeline", "--json", env=env).stdout))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pakru", "export", "ndjson"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    assert proc.stderr.read() == b"" and proc.wait(timeout=60) in (0, 141)


def test_export_says_what_the_dates_left_out_and_keeps_it_with_undated() -> None:
    bounded = runner.invoke(app, ["export", "csv", "--from", "2014"])
    assert (
        bounded.exit_code == 0
        and "3 undated claims left out by --from; --undated to include them" in bounded.stderr
    )
    kept = runner.invoke(app, ["export", "csv", "--from", "2014", "--undated"])
    assert kept.exit_code == 0 and kept.stderr == ""
    assert len(kept.stdout.splitlines()) == len(bounded.stdout.splitlines()) + 3
