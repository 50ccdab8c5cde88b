"""The built wheel carries the dataset: an installed pakru works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_into_a_fresh_venv_and_runs_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("pakru-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pakru/data/events.yaml" in names
    assert sum(n.startswith("pakru/data/sources/") for n in names) == 5

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PAKRU_DATA", "PYTHONPATH")}
    env["PAKRU_CACHE_DIR"] = str(tmp_path / "cache")
    check = subprocess.run(
        [str(bindir / "pakru"), "check"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert "5 sources" in check.stdout and str(ROOT) not in check.stdout
    timeline = subprocess.run(
        [str(bindir / "python"), "-m", "pakru", "timeline", "--limit", "3"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert timeline.returncode == 0 and timeline.stdout.startswith("== 1950s ==")
