"""The package's folders are its layers, and imports run one way: down, never up or around.

values (core) <- reading a dataset (dataset) <- the database (store) <- the queries (queries)
<- renderers (render) <- exports (export) <- the command line (cli). A module may import its
own layer and any layer below it, never one above. The terminal libraries stay in render/ and
cli/ (tests/test_lint.py runs ruff's banned-api rule; test_core_imports checks what loads).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "pakru"
LAYERS = ["core", "dataset", "store", "queries", "render", "export", "cli"]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "pakru" else [f"pakru.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pakru" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def test_every_module_lives_in_a_layer() -> None:
    loose = [
        p.name for p in modules() if layer_of(p) is None and p.name not in {"__init__.py", "__main__.py"}
    ]
    assert loose == [], "modules outside the layer folders"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_layers(path: Path) -> None:
    own = layer_of(path)
    if own is None:  # pakru/__init__.py, __main__.py
        return
    above = set(LAYERS[LAYERS.index(own) + 1 :])
    assert imported_layers(path) & above == set(), f"{own} imports a layer above it"


def test_the_layer_rule_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from pakru.render import plain\nimport pakru.cli.argv\n", encoding="utf-8")
    assert imported_layers(probe) == {"render", "cli"}
