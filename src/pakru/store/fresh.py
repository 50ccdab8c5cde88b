"""Is a database current? The files' names, sizes and times, and a hash of their bytes.

A database records the BLAKE2 hash of the dataset's bytes, its source texts and pakru's version
(its key), and each file's size and modification time. When all still match, the key is taken as
current; when any differs, the files are hashed again and compared with the key. A file changed
within two seconds of the build is never trusted on its timestamp (the "racy" case git also guards
against); when a later run finds such files unchanged, it records their times in a sidecar file so
that the runs after it need not hash them again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from pakru import __version__
from pakru.store.locate import blake2b

RACY_NS = 2_000_000_000


def _files(events_path: Path) -> list[str]:
    """The dataset's files, as str: a large dataset has thousands of source texts, and
    building and statting a Path for each took ~20 ms of a 100,000-claim run."""
    sources = os.path.join(os.path.dirname(events_path), "sources")
    try:
        names = sorted(os.listdir(sources))
    except OSError:
        names = []
    return [str(events_path), *(os.path.join(sources, name) for name in names)]


def fingerprint(events_path: Path) -> str:
    """A hash of everything a loaded dataset depends on."""
    from pakru.dataset.textfile import regular_file_size

    digest = blake2b(f"pakru {__version__}\n".encode(), digest_size=32)
    for path in _files(events_path):
        try:
            size = regular_file_size(Path(path))
            with open(path, "rb") as fh:
                digest.update(f"\0{os.path.basename(path)}\0{size}\0".encode())
                while chunk := fh.read(1 << 20):  # in chunks: a dataset file may be gigabytes
                    digest.update(chunk)
        except OSError:
            continue  # a missing, unreadable or special file is the loader's error to report
    return digest.hexdigest()


def signature(events_path: Path, *, racy_before: int | None = None, every: bool = False) -> list[Any] | None:
    """Name, size and mtime of events.yaml and of the sources folder (or, ``every``, of each file);
    None if one changed too recently to trust.

    The folder's time changes when a source text is added, removed or renamed (as most editors
    save); a text rewritten in place is noticed by the Store when a command shows a claim of it
    (text_changed), so that a warm run stats one file per source it shows, not every one.
    """
    out: list[Any] = []
    stats = _stats(events_path) if every else _two(events_path)
    for name, st in stats:
        if st is None:
            out.append([name, None, None])
            continue
        if racy_before is not None and st.st_mtime_ns > racy_before:
            return None
        out.append([name, st.st_size, st.st_mtime_ns])
    return out


def as_text(signature: list[Any]) -> str:
    """A signature as the text the database keeps (compared as text, never parsed)."""
    return "\n".join("\t".join(map(str, entry)) for entry in signature)


def _two(events_path: Path) -> Iterator[tuple[str, os.stat_result | None]]:
    yield events_path.name, _stat(events_path)
    yield "sources/", _stat(os.path.join(os.path.dirname(events_path), "sources"))


def texts(events_path: Path, racy_before: int) -> list[tuple[str, int, int | None, bytes]]:
    """Each source text's name, size, modification time (None if too recent to trust) and digest."""
    folder = os.path.join(os.path.dirname(events_path), "sources")
    out = []
    for name, st in islice(_stats(events_path), 1, None):  # not a list: 20,000 stats were ~14 MB
        if st is None:
            continue
        try:
            digest = _digest(os.path.join(folder, name))
        except OSError:
            continue
        out.append((name, st.st_size, st.st_mtime_ns if st.st_mtime_ns <= racy_before else None, digest))
    return out


def _digest(path: str) -> bytes:
    from pakru.dataset.textfile import regular_file_size

    regular_file_size(Path(path))  # never a FIFO or a device
    h = blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.digest()


def text_changed(path: str, size: int, mtime: int | None, digest: bytes, texts: str = "") -> bool:
    """Whether a source text differs from what was validated: by its size and time if they can be
    trusted (as the build recorded them, or as a later run found them: ``texts``, see
    text_times), else by its bytes."""
    st = _stat(path)
    if st is None:
        return True
    if mtime is not None and st.st_size == size and st.st_mtime_ns == mtime:
        return False
    if texts and known_time(texts, os.path.basename(path)) == (st.st_size, st.st_mtime_ns):
        return False
    try:
        return _digest(path) != digest
    except OSError:
        return True


def _stats(events_path: Path) -> Iterator[tuple[str, os.stat_result | None]]:
    """Each file of _files() by name, with its stat (None if it cannot be had). The source
    texts are statted relative to their folder: a large dataset has thousands, and resolving
    each whole path took ~30% of the time (~3 ms of 2,000 files)."""
    yield events_path.name, _stat(events_path)
    if os.stat not in os.supports_dir_fd or not hasattr(os, "O_DIRECTORY"):  # pragma: no cover
        for path in _files(events_path)[1:]:
            yield os.path.basename(path), _stat(path)
        return
    try:
        folder = os.open(os.path.join(os.path.dirname(events_path), "sources"), os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return  # no folder of source texts (or not one that can be read): no files in it
    try:
        for name in sorted(os.listdir(folder)):
            yield name, _stat(name, folder)
    finally:
        os.close(folder)


def _stat(path: str | Path, folder: int | None = None) -> os.stat_result | None:
    try:
        return os.stat(path, dir_fd=folder)
    except OSError:
        return None


def _sidecar(file: Path) -> Path:
    return file.parent / f".{file.stem}.stat"


def sidecar_says(file: Path, key: str, now: list[Any] | None) -> str | None:
    """A later run found the files unchanged and recorded their times beside the cache: the
    source texts' times it recorded (text_times), or None if it says nothing of these files."""
    import json

    try:
        doc = json.loads(_sidecar(file).read_bytes())
    except (OSError, ValueError):
        return None
    if not (isinstance(doc, dict) and doc.get("key") == key and doc.get("stat") == now):
        return None
    texts = doc.get("texts", "")
    return texts if isinstance(texts, str) else ""


def write_sidecar(file: Path, key: str, stat: list[Any], texts: str = "") -> None:
    import json

    doc = {"key": key, "stat": stat, "texts": texts}
    try:
        atomic_write(_sidecar(file), lambda fh: fh.write(json.dumps(doc).encode()))
    except OSError:
        pass  # only an optimisation


def text_times(events_path: Path, racy_before: int) -> str:
    """The size and time of each source text old enough to trust, one "name<TAB>size<TAB>time"
    line each: taken once the texts' bytes are found as validated (their hash matched the key),
    so that a text touched but unchanged (a git checkout) is not hashed again by each run that
    shows it. One text, searched only by a run that finds a text's time changed (known_time)."""
    lines = []
    for name, st in islice(_stats(events_path), 1, None):  # not a list: 20,000 stats were ~14 MB
        if st is not None and st.st_mtime_ns <= racy_before and "\t" not in name and "\n" not in name:
            lines.append(f"{name}\t{st.st_size}\t{st.st_mtime_ns}")
    return "\n".join(lines)


def known_time(texts: str, name: str) -> tuple[int, int] | None:
    """The size and time text_times() gives a text, or None: its line is searched for, not every
    line parsed (a million-claim dataset has 20,000 texts; a run shows the claims of a few)."""
    head = f"{name}\t"
    if texts.startswith(head):
        at = 0
    else:
        at = texts.find(f"\n{head}") + 1
        if at == 0:
            return None
    end = texts.find("\n", at)
    parts = texts[at : len(texts) if end < 0 else end].split("\t")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return int(parts[1]), int(parts[2])
    return None


def atomic_write(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write a file beside ``target`` and move it into place: readers see old or new, never half."""
    import tempfile

    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
