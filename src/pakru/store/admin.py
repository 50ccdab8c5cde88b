"""`pakru cache`: what the cache folder holds, and clearing it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pakru.core.errors import PakruError
from pakru.core.record import Record
from pakru.store.locate import SUFFIX, cache_dir

OLD_SUFFIX = ".pakru-cache"  # the cache format before SQLite (pakru ≤ 0.x): cleared too


class CacheFolderError(PakruError):
    """The cache folder cannot be read: it is a file, or not ours to read."""


def _names(folder: Path) -> list[str]:
    """The folder's file names; none if it does not exist yet."""
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise CacheFolderError(f"the cache folder {folder} is a file, not a folder") from None
    except OSError as exc:
        raise CacheFolderError(f"cannot read the cache folder {folder}: {exc.strerror or exc}") from None


class Entry(Record):
    file: Path
    bytes: int
    dataset: str | None  # the events.yaml it was built from; None if unreadable or not a database
    claims: int | None
    pakru: str | None  # the version that wrote it
    usable: bool  # a complete database this pakru reads (it may still be out of date)


class Listing(Record):
    folder: Path
    entries: tuple[Entry, ...]
    other_bytes: int  # temporary files of builds under way or cut short, and side files

    @property
    def bytes(self) -> int:
        return sum(e.bytes for e in self.entries) + self.other_bytes


# and the memo of rendered references (pakru.queries.citation.MEMO_FILE)
_SIDE = re.compile(
    r"\.[0-9a-f]{24}(?:\.pakru)?\.stat|\.tmp-.*\.(?:sqlite|pakru-cache|json)|references\.pakru\.json"
)


def _ours(name: str) -> bool:
    """pakru's databases and old-format cache files (NAME.pakru.sqlite, NAME.pakru-cache), their
    side files (.NAME.pakru.stat, .NAME.stat) and the temporary files of builds (.tmp-*)."""
    return (not name.startswith(".") and name.endswith((SUFFIX, OLD_SUFFIX))) or bool(_SIDE.fullmatch(name))


def listing(folder: Path | None = None) -> Listing:
    folder = cache_dir() if folder is None else folder
    entries, other = [], 0
    for name in _names(folder):
        path = folder / name
        try:
            size = path.lstat().st_size
        except OSError:
            continue
        if name.endswith(SUFFIX) and not name.startswith("."):
            entries.append(_entry(path, size))
        elif name.endswith(OLD_SUFFIX) and not name.startswith("."):
            entries.append(Entry(path, size, None, None, None, False))
        elif _ours(name):
            other += size
    return Listing(folder, tuple(entries), other)


def _entry(path: Path, size: int) -> Entry:
    import sqlite3

    from pakru.store.open import inspect

    try:
        conn, meta = inspect(path)
        conn.close()
        return Entry(path, size, meta.get("dataset"), int(meta.get("claims", "0")), meta.get("pakru"), True)
    except (OSError, ValueError, sqlite3.DatabaseError):
        pass
    try:  # another version's database still says what it was built from
        from pakru.store.open import connect_ro

        conn = connect_ro(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
        claims = meta.get("claims")
        return Entry(
            path, size, meta.get("dataset"), int(claims) if claims else None, meta.get("pakru"), False
        )
    except (OSError, ValueError, sqlite3.DatabaseError):
        return Entry(path, size, None, None, None, False)


def clear(folder: Path | None = None) -> tuple[int, int]:
    """Remove every file pakru keeps in the cache folder: (files removed, bytes freed)."""
    folder = cache_dir() if folder is None else folder
    removed = freed = 0
    for name in _names(folder):
        if not _ours(name):
            continue  # the folder may be shared: leave what is not pakru's
        path = folder / name
        try:
            size = path.lstat().st_size
            path.unlink()
        except IsADirectoryError:
            continue
        except OSError:
            continue
        removed += 1
        freed += size
    return removed, freed
