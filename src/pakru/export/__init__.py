"""`pakru export FORMAT`: the claims a timeline would show, in a format other tools read.

One module per family of formats, each a function ``(dataset, timeline) -> str``; FORMATS maps a
format's name to it. Claims come from ``claims_for`` only, the one place that asks the query
layer for them (filters, then timeline order), so a change of store touches one function.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pakru.core.errors import PakruError, QueryError

if TYPE_CHECKING:
    from pakru.core.model import Dataset, Filters, Source
    from pakru.queries.timeline import Timeline
    from pakru.store.open import Store

# name -> (module in this package, function)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("tabular", "csv"),
    "tsv": ("tabular", "tsv"),
    "ndjson": ("ndjson", "ndjson"),
    "markdown": ("markdown", "markdown"),
    "csl-json": ("bibliography", "csl_json"),
    "biblatex": ("bibliography", "biblatex"),
    "bibtex": ("bibliography", "bibtex"),
    "ris": ("bibliography", "ris"),
    "timelinejs": ("timelinejs", "timelinejs"),
    "html": ("html", "html"),
}


class OutputError(PakruError):
    """The export could not be written (exit 1; nothing is left half-written)."""


def renderer(fmt: str) -> Callable[[Dataset, Timeline], str]:
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; known formats: {', '.join(FORMATS)}")
    module, name = FORMATS[fmt]
    fn: Callable[[Dataset, Timeline], str] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return fn


def claims_for(store: Store, filters: Filters, event: str | None = None) -> Timeline:
    """The claims that pass the filters (and belong to ``event``), in timeline order."""
    from pakru.queries import timeline

    dataset = store.dataset
    if event is not None and event not in dataset.event_by_id:
        known = ", ".join(e.id for e in dataset.events)
        raise QueryError(f"unknown event {event!r}; known events: {known}")
    return timeline.build(store, filters, event=event)


def sources_of(dataset: Dataset, t: Timeline) -> list[Source]:
    """The sources of the exported claims, in dataset order."""
    used = {c.source for c in t.claims}
    return [s for s in dataset.sources if s.id in used]


def write_stream(data: bytes, out: BinaryIO, chunk: int = 1 << 16) -> None:
    """UTF-8 bytes to stdout whatever its encoding, a chunk at a time: one large write to a
    pipe can return having written only part (measured here: 64 KiB of 3 MB, no error), and a
    reader that goes away mid-export must raise BrokenPipeError for the CLI to report."""
    for start in range(0, len(data), chunk):
        out.write(data[start : start + chunk])
    out.flush()


def write_atomic(path: str, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file in the same folder, then a rename.

    What is not a regular file is written into, never replaced: a device (/dev/stdout), a named
    pipe (its reader gets the data); a symbolic link is followed (the link stays, its file is
    written). A file that is replaced keeps its permissions; a new one has the umask's.
    """
    import stat

    real = os.path.realpath(path)
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_into(path, data)
        return
    target = Path(real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_into(path: str, data: bytes) -> None:
    """Into a device or named pipe, a chunk at a time (as to stdout)."""
    try:
        with open(path, "wb") as fh:
            write_stream(data, fh)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
