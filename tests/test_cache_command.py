"""`pakru cache`: where the cache is, what it holds and how big; `pakru cache clear` empties it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE
from pakru.cli import app

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def folder() -> Path:
    return Path(os.environ["PAKRU_CACHE_DIR"])


def test_an_empty_cache_is_listed_as_such() -> None:
    r = invoke("cache", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc == {"folder": str(folder()), "bytes": 0, "databases": [], "other_bytes": 0}
    r = invoke("cache")
    assert r.exit_code == 0 and f"Cache folder: {folder()}" in r.stdout and "0 databases" in r.stdout


def test_each_dataset_has_its_database_listed(dataset_copy: Path) -> None:
    assert invoke("timeline").exit_code == 0
    assert invoke("--data", str(dataset_copy), "timeline").exit_code == 0
    doc = json.loads(invoke("cache", "--json").stdout)
    found = {d["dataset"]: d for d in doc["databases"]}
    assert set(found) == {str(FIXTURE / "events.yaml"), str(dataset_copy)}
    for d in found.values():
        assert d["claims"] == 11 and d["usable"] and d["bytes"] == Path(d["file"]).stat().st_size > 0
    assert doc["bytes"] == sum(d["bytes"] for d in doc["databases"])
    text = invoke("cache").stdout
    assert str(dataset_copy) in text and "11 claims" in text and "2 databases" in text


def test_clear_removes_pakrus_files_and_only_those() -> None:
    assert invoke("timeline").exit_code == 0
    (folder() / "0123456789abcdef01234567.pakru-cache").write_bytes(b"an old-format cache")
    (folder() / ".0123456789abcdef01234567.stat").write_text("{}")
    (folder() / ".tmp-abc123.sqlite").write_bytes(b"a build cut short")
    (folder() / "notes.txt").write_text("someone else's file")
    listed = json.loads(invoke("cache", "--json").stdout)
    assert len(listed["databases"]) == 2 and listed["other_bytes"] > 0
    assert [d["usable"] for d in listed["databases"]].count(True) == 1
    r = invoke("cache", "clear", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["removed"] == 4 and doc["bytes"] == listed["bytes"] and doc["folder"] == str(folder())
    assert sorted(p.name for p in folder().iterdir()) == ["notes.txt"]
    assert "Removed 0 files" in invoke("cache", "clear").stdout
    assert invoke("timeline").exit_code == 0  # rebuilt when next used
    assert len(json.loads(invoke("cache", "--json").stdout)["databases"]) == 1


def test_a_damaged_database_is_listed_not_fatal() -> None:
    assert invoke("timeline").exit_code == 0
    (db,) = folder().glob("*.pakru.sqlite")
    db.write_bytes(b"garbage" * 100)
    doc = json.loads(invoke("cache", "--json").stdout)
    assert doc["databases"][0]["usable"] is False and doc["databases"][0]["dataset"] is None
    assert "unreadable" in invoke("cache").stdout


def test_a_cache_folder_that_is_a_file_is_an_error_for_the_cache_command_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cache"
    file.write_text("mine", encoding="utf-8")
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(file))
    for args in (["cache"], ["cache", "--json"], ["cache", "clear"]):
        r = invoke(*args)
        assert r.exit_code == 1 and r.stdout == ""
        assert r.stderr == f"pakru: error: the cache folder {file} is a file, not a folder\n"
    r = invoke("timeline", "-n", "1")  # the others do without a cache, and say why once
    assert r.exit_code == 0
    assert r.stderr.splitlines()[0] == (
        f"pakru: warning: cannot write the cache in {file}: it is a file, not a folder;"
        " carrying on without it"
    )
    assert file.read_text(encoding="utf-8") == "mine"
