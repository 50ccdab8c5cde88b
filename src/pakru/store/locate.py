"""Where the cache is: one database per dataset location (the dataset itself: dataset/locate.py)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["blake2b", "cache_dir", "cache_file_for"]

try:  # the builtin BLAKE2 loads in microseconds; hashlib first loads OpenSSL (~4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

SUFFIX = ".pakru.sqlite"


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
