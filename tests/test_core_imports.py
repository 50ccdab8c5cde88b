"""The core never loads the terminal libraries; plain and JSON output never load rich."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "pakru"
# Every module of the layers below the renderers, found on disk so that a new one cannot be
# forgotten, and the renderers for pipes and JSON.
BELOW_RENDER = sorted(
    ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
    for layer in ("core", "dataset", "store", "queries")
    for p in (PACKAGE / layer).glob("*.py")
)
CORE = [*BELOW_RENDER, "render.jsonout", "render.plain", "render.safe"]


def loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


@pytest.mark.parametrize("module", CORE)
def test_core_module_loads_no_terminal_library(module: str) -> None:
    mods = loaded_after(f"import pakru.{module}")
    assert "typer" not in mods and "rich" not in mods


def test_plain_and_json_runs_do_not_import_rich() -> None:
    from conftest import FIXTURE

    code = (
        f"import os, sys; os.environ['PAKRU_DATA'] = {str(FIXTURE)!r}\n"
        "from pakru.cli import main\n"
        "for args in (['timeline'], ['search', 'gwadar', '--json'], ['compare', '--topic', 'india']):\n"
        "    try: main(args)\n"
        "    except SystemExit as e: assert e.code == 0, e.code\n"
    )
    mods = loaded_after(code)
    assert "rich" not in mods


def test_rapidfuzz_and_yaml_are_imported_lazily() -> None:
    mods = loaded_after("import pakru.cli")
    assert {"rapidfuzz", "yaml", "rich"}.isdisjoint(mods)


def test_a_cached_run_imports_neither_the_loader_nor_yaml(tmp_path: object) -> None:
    """Once the cache is built, --data and the shipped dataset alike are answered from it alone."""
    from conftest import FIXTURE

    code = (
        f"import os; os.environ['PAKRU_CACHE_DIR'] = {str(tmp_path)!r}\n"
        "from pakru.cli import main\n"
        "def run(args):\n"
        "    try: main(args)\n"
        "    except SystemExit as e: assert e.code == 0, e.code\n"
        f"run(['--data', {str(FIXTURE)!r}, 'timeline'])\n"
        "import sys\n"
        "for m in [m for m in sys.modules if m.startswith(('pakru', 'yaml'))]: del sys.modules[m]\n"
        "from pakru.cli import main\n"
        f"run(['--data', {str(FIXTURE)!r}, 'compare', '--topic', 'india'])\n"
    )
    probe = code + "import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    mods = set(json.loads(out.stdout.splitlines()[-1]))
    assert "pakru.dataset.load" not in mods and "pakru.dataset.records" not in mods and "yaml" not in mods
