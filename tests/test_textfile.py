"""dataset/textfile.py: a text is read whole and bounded, even when it grows while being read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pakru.core.errors import DatasetError
from pakru.dataset import textfile
from pakru.dataset.textfile import read_text


def test_a_text_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Gwadar ’port’\n" * 1000, encoding="utf-8")
    assert read_text(path) == "Gwadar ’port’\n" * 1000


def shrunk_stat(monkeypatch: pytest.MonkeyPatch, by: int) -> None:
    """fstat reports the file ``by`` bytes shorter than it is: as if it grew after the stat."""
    real = os.fstat

    def fstat(fd: int) -> Any:
        st = real(fd)
        return os.stat_result((*st[:6], max(st.st_size - by, 0), *st[7:]))

    monkeypatch.setattr(textfile.os, "fstat", fstat)
    real_size = textfile.regular_file_size
    monkeypatch.setattr(textfile, "regular_file_size", lambda p: max(real_size(p) - by, 0))


def test_a_text_that_grew_while_read_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    shrunk_stat(monkeypatch, 3000)
    assert read_text(path) == "x" * 5000


def test_a_text_that_grew_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x" * 5000, encoding="utf-8")
    shrunk_stat(monkeypatch, 4500)  # 500 bytes when opened: under the limit
    with pytest.raises(DatasetError, match=r"^.*: source text is over the 1,000-byte limit$"):
        read_text(path, "source text", limit=1000)
