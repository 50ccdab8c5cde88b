"""pakru's runtime dependencies, read from pyproject.toml's [project].dependencies.

    python3 .ci/deps.py lowest      pip constraints pinning each to its declared lower bound
    python .ci/deps.py installed    the version of each installed in this environment

Reading the list from pyproject.toml means a dependency added there is covered by CI's
lowest-versions run without touching this script. Each runtime dependency must declare
exactly one lower bound (>=, == or ~=): without one, nothing says which oldest version
pakru promises to work with, so that is an error. Needs Python 3.11 or newer (tomllib).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
# name[extras] specifiers ; marker  (PEP 508 without URLs, which pakru does not use)
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$")
LOWER = re.compile(r"^(>=|==|~=)\s*([0-9][^\s,]*)$")


def dependencies() -> list[tuple[str, str, str]]:
    """(name, specifiers, marker) of each runtime dependency."""
    found = []
    for requirement in tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]:
        match = REQUIREMENT.match(requirement)
        if match is None:
            sys.exit(f"{PYPROJECT}: cannot read the dependency {requirement!r}")
        name, _extras, specifiers, marker = match.groups()
        found.append((name, specifiers.strip(), (marker or "").strip()))
    return found


def lowest() -> list[str]:
    pins = []
    for name, specifiers, marker in dependencies():
        bounds = [m.group(2) for s in specifiers.split(",") if (m := LOWER.match(s.strip()))]
        if len(bounds) != 1:
            sys.exit(f"{PYPROJECT}: dependency {name} {specifiers!r} needs one lower bound (>=, ==, ~=)")
        pins.append(f"{name}=={bounds[0]}" + (f" {marker}" if marker else ""))
    return pins


def installed() -> list[str]:
    import importlib.metadata

    return [f"{name} {importlib.metadata.version(name)}" for name, _, _ in dependencies()]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) == 2 else ""
    if command == "lowest":
        print("\n".join(lowest()))
    elif command == "installed":
        print(", ".join(installed()))
    else:
        sys.exit(__doc__)
