"""ruff and mypy, configured in pyproject.toml, stay clean (and keep typer/rich out of the core)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None or importlib.util.find_spec("mypy") is None,
    reason="install the test extras: pip install -e '.[test]'",
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff() -> None:
    r = run("ruff", "check", ".")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("ruff", "format", "--check", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_bans_rich_in_the_core(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = ROOT / "src" / "pakru" / "_probe_banned.py"
    probe.write_text("import rich\n", encoding="utf-8")
    try:
        r = run("ruff", "check", str(probe), "--no-cache")
    finally:
        probe.unlink()
    assert r.returncode == 1 and "TID251" in r.stdout


def test_mypy() -> None:
    r = run("mypy")
    assert r.returncode == 0, r.stdout + r.stderr
