"""Where the dataset and the cache are."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["blake2b", "cache_dir", "cache_file_for", "events_file", "locate", "packaged_dataset"]

try:  # the builtin BLAKE2 loads in microseconds; hashlib first loads OpenSSL (~4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

SUFFIX = ".pakru.sqlite"


def events_file(path: Path) -> Path:
    """A folder stands for the events.yaml in it, unless it is itself named events.yaml."""
    if path.is_dir() and (path.name != "events.yaml" or (path / "events.yaml").exists()):
        return path / "events.yaml"
    return path


def packaged_dataset() -> Path:
    package = Path(__file__).resolve().parent.parent
    installed = package / "data" / "events.yaml"
    if installed.exists():
        return installed
    return package.parent.parent / "data" / "events.yaml"  # a source checkout


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data, then $PAKRU_DATA, then the dataset that ships with pakru; always absolute."""
    chosen = explicit if explicit not in (None, "") else os.environ.get("PAKRU_DATA") or None
    if chosen is None:
        return packaged_dataset()
    return Path(os.path.abspath(events_file(Path(chosen).expanduser())))


def cache_dir() -> Path:
    override = os.environ.get("PAKRU_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pakru"


def cache_file_for(events_path: Path) -> Path:
    """One database per dataset location (its resolved path)."""
    name = blake2b(str(events_path.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"{name}{SUFFIX}"
