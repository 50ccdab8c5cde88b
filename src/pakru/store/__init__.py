"""Find the dataset, and keep a validated copy of it in a cache.

The cache (cachefile.py) is one file per dataset location, keyed by a BLAKE2
hash of the dataset's bytes, its source texts and pakru's version. To avoid
re-reading every byte on every run, it also records each file's size and
modification time: when all still match, the key is taken as current; when
any differs, the files are hashed again and compared with the key. A file
changed within two seconds of the cache being written is never trusted on
its timestamp (the "racy" case git also guards against); when a later run
finds such files unchanged, it records their times in a sidecar file so that
the runs after it need not hash them again.

The cache is written to a temporary file and moved into place, so a reader
sees the old file or the new one, never half of one. Anything wrong with it is
a miss: pakru warns, rebuilds, and carries on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from pakru import __version__
from pakru.errors import DatasetError, Problem
from pakru.model import Dataset

if TYPE_CHECKING:
    from pakru.searchindex import SearchIndex

try:  # the builtin BLAKE2 loads in microseconds; hashlib first loads OpenSSL (~4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

Notify = Callable[[str], None]
RACY_NS = 2_000_000_000
PROGRESS_AFTER = 1.0  # seconds


def _quiet(_message: str) -> None:
    pass


def packaged_dataset() -> Path:
    here = Path(__file__).resolve().parent.parent  # this package lives in pakru/store/
    installed = here / "data" / "events.yaml"
    if installed.exists():
        return installed
    return here.parent.parent / "data" / "events.yaml"  # a source checkout


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data, then $PAKRU_DATA, then the dataset that ships with pakru."""
    chosen = explicit if explicit not in (None, "") else os.environ.get("PAKRU_DATA") or None
    if chosen is None:
        return packaged_dataset()
    return events_file(Path(chosen).expanduser())


def events_file(path: Path) -> Path:
    """A folder stands for the events.yaml in it, unless it is itself named events.yaml."""
    if path.is_dir() and (path.name != "events.yaml" or (path / "events.yaml").exists()):
        return path / "events.yaml"
    return path


def cache_dir() -> Path:
    override = os.environ.get("PAKRU_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pakru"


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
    from pakru.load import MAX_FILE_BYTES, regular_file_size

    digest = blake2b(f"pakru {__version__}\n".encode(), digest_size=32)
    for path in _files(events_path):
        try:
            if regular_file_size(Path(path)) > MAX_FILE_BYTES:
                continue  # the loader refuses it; reading it here would cost its whole size
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError:
            continue  # a missing, unreadable or special file is the loader's error to report
        digest.update(f"\0{os.path.basename(path)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def signature(events_path: Path, *, racy_before: int | None = None) -> list[Any] | None:
    """Name, size and mtime of each file; None if one changed too recently to trust."""
    out: list[Any] = []
    for name, st in _stats(events_path):
        if st is None:
            out.append([name, None, None])
            continue
        if racy_before is not None and st.st_mtime_ns > racy_before:
            return None
        out.append([name, st.st_size, st.st_mtime_ns])
    return out


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


class Loaded(NamedTuple):
    dataset: Dataset
    index_factory: Callable[[], SearchIndex] | None  # None: build it from the dataset when asked
    from_cache: bool

    @property
    def search_index(self) -> SearchIndex:
        """Read (or built) only by the commands that search."""
        if self.index_factory is not None:
            return self.index_factory()
        from pakru.searchindex import SearchIndex

        return SearchIndex.build(self.dataset)


def cache_file_for(events_path: Path) -> Path:
    name = blake2b(str(events_path.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"{name}.pakru-cache"


def open_dataset(
    path: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    warn: Notify = _quiet,
    progress: Notify = _quiet,
) -> Loaded:
    """The dataset at ``path`` (see locate), validated, with its search index."""
    events_path = locate(path)
    if not events_path.exists():
        raise DatasetError([Problem(str(events_path), None, None, "no such dataset file")])
    if events_path.is_dir():
        raise DatasetError([Problem(str(events_path), None, None, "is a directory, expected a dataset file")])
    if not use_cache:
        from pakru.load import load

        return Loaded(load(events_path), None, False)
    file = cache_file_for(events_path)
    cached = _read_cache(file, events_path, warn)
    if cached is not None:
        return cached
    return _build(events_path, file, warn, progress)


def _read_cache(file: Path, events_path: Path, warn: Notify) -> Loaded | None:
    from pakru import cachefile

    try:
        opened = cachefile.Opened(file)
    except FileNotFoundError:
        return None
    except cachefile.CacheError as exc:
        warn(f"pakru: warning: ignoring the cache {file} ({exc}); rebuilding it")
        return None
    except OSError as exc:
        warn(f"pakru: warning: cannot read the cache {file}: {exc.strerror or exc}; rebuilding it")
        return None
    now = signature(events_path)
    trusted = (opened.stat is not None and opened.stat == now) or _sidecar_says(file, opened.key, now)
    if not trusted:
        if opened.key != fingerprint(events_path):
            return None  # the dataset changed: an ordinary miss
        # Unchanged after all: remember the files' times, once they are old enough to
        # trust, so that the next run need not hash them again.
        settled = signature(events_path, racy_before=time.time_ns() - RACY_NS)
        if settled is not None:
            _write_sidecar(file, opened.key, settled)
    return _loaded_from(opened, events_path, warn)


def _loaded_from(opened: Any, events_path: Path, warn: Notify) -> Loaded | None:
    """The dataset of an opened cache file, its search index read only when asked for."""
    from pakru import cachefile

    try:
        dataset = opened.dataset(str(events_path))
    except cachefile.CacheError as exc:
        warn(f"pakru: warning: ignoring the cache {opened.path} ({exc}); rebuilding it")
        return None

    def index() -> SearchIndex:
        from pakru.searchindex import SearchIndex

        return SearchIndex(*opened.index_parts())

    return Loaded(dataset, index, True)


def _sidecar(file: Path) -> Path:
    return file.parent / f".{file.stem}.stat"


def _sidecar_says(file: Path, key: str, now: list[Any] | None) -> bool:
    """A later run found the files unchanged and recorded their times beside the cache."""
    import json

    try:
        doc = json.loads(_sidecar(file).read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("key") == key and doc.get("stat") == now


def _write_sidecar(file: Path, key: str, stat: list[Any]) -> None:
    import json

    try:
        _atomic_write(_sidecar(file), lambda fh: fh.write(json.dumps({"key": key, "stat": stat}).encode()))
    except OSError:
        pass  # only an optimisation


def _atomic_write(target: Path, write: Callable[[IO[bytes]], object]) -> None:
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


def _build(events_path: Path, file: Path, warn: Notify, progress: Notify) -> Loaded:
    """Load and validate the YAML, write the cache, and answer from the cache just written."""
    import gc
    import threading

    from pakru.load import load

    started = time.monotonic()
    racy_before = time.time_ns() - RACY_NS
    message = f"pakru: reading {events_path} and building its cache…"
    timer = threading.Timer(PROGRESS_AFTER, progress, [message])
    timer.daemon = True
    timer.start()
    # The load allocates millions of small objects and frees none until it ends;
    # collecting during it is wasted work (about 20% of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        key = fingerprint(events_path)
        stat = signature(events_path, racy_before=racy_before)
        dataset = load(events_path)
        written = _write_cache(file, dataset, key, stat, warn)
    finally:
        timer.cancel()
        if gc_was_enabled:
            gc.enable()
    if time.monotonic() - started > PROGRESS_AFTER:
        progress(f"pakru: cache built in {time.monotonic() - started:.1f} s")
    if written:
        # Answer from the file just written (its key was computed above: nothing to hash
        # again); it holds the dataset in far less memory than the objects built here.
        from pakru import cachefile

        try:
            loaded = _loaded_from(cachefile.Opened(file), events_path, warn)
        except (OSError, cachefile.CacheError):
            loaded = None
        if loaded is not None:
            return loaded._replace(from_cache=False)
    return Loaded(dataset, None, False)


def _write_cache(file: Path, dataset: Dataset, key: str, stat: list[Any] | None, warn: Notify) -> bool:
    from pakru import cachefile

    try:
        _atomic_write(file, lambda fh: cachefile.write(fh, dataset, key, stat))
        return True
    except OSError as exc:
        reason = exc.strerror or exc
        warn(f"pakru: warning: cannot write the cache in {file.parent}: {reason}; carrying on without it")
        return False
