"""CI's lowest-versions run pins every runtime dependency to a version pyproject.toml allows."""

from __future__ import annotations

import subprocess
import sys

import pytest
from packaging.requirements import Requirement

from conftest import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib (Python 3.11+) reads pyproject.toml")


def test_lowest_pins_each_runtime_dependency_to_an_allowed_version() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    r = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "deps.py"), "lowest"], capture_output=True, text=True, check=True
    )
    pins = {Requirement(line).name: Requirement(line) for line in r.stdout.splitlines()}
    assert sorted(pins) == sorted(Requirement(d).name for d in declared)
    for requirement in map(Requirement, declared):
        (pin,) = pins[requirement.name].specifier
        assert pin.operator == "==" and requirement.specifier.contains(pin.version), (requirement, pin)
