"""Every test runs on the small fixture dataset, with its own cache and a fixed terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data"
SHIPPED = ROOT / "data" / "events.yaml"


@pytest.fixture(autouse=True)
def _environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAKRU_DATA", str(FIXTURE))
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "50")
    for name in ("FORCE_COLOR", "NO_COLOR", "PAKRU_TERMINAL", "PAKRU_DEBUG", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAKRU_DATA", str(SHIPPED))
    return SHIPPED


@pytest.fixture
def fixture_dataset():  # type: ignore[no-untyped-def]
    from pakru.dataset.load import load

    return load(FIXTURE)


@pytest.fixture(scope="session")
def shipped_dataset():  # type: ignore[no-untyped-def]
    from pakru.dataset.load import load

    return load(SHIPPED)


@pytest.fixture
def fixture_store():  # type: ignore[no-untyped-def]
    from pakru.store.open import open_store

    return open_store(FIXTURE, use_cache=False)


@pytest.fixture(scope="session")
def shipped_store():  # type: ignore[no-untyped-def]
    from pakru.store.open import open_store

    return open_store(SHIPPED, use_cache=False)


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the fixture dataset, for tests that break it."""
    import shutil

    target = tmp_path / "ds"
    shutil.copytree(FIXTURE, target)
    yield target / "events.yaml"


def run_pakru(
    *args: str, env: dict[str, str] | None = None, input: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """pakru as a real process, with the test environment (fixture data, temp cache)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pakru", *args],
        capture_output=True,
        env=full_env,
        input=input,
        timeout=timeout,
    )


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text``: printable characters as they are,
    the rest escaped (YAML also reads raw U+2028/U+2029 as line breaks and drops a BOM)."""
    out = []
    for ch in text:
        code = ord(ch)
        printable = code == 9 or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        if ch in '"\\':
            out.append("\\" + ch)
        elif (printable or code >= 0x10000) and code not in (0x2028, 0x2029, 0xFEFF):
            out.append(ch)
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'
