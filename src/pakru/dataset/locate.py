"""Where a dataset is: --data, $PAKRU_DATA, or the one that ships inside the package."""

from __future__ import annotations

import os
from pathlib import Path


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
