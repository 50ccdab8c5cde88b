"""Find the dataset, and keep a validated copy of it in a cache.

The cache is JSON (reading it can never run code), one file per dataset
location, keyed by a hash of the dataset's bytes, its source texts and pakru's
version. It is written to a temporary file and moved into place, so a reader
sees the old file or the new one, never half of one. Anything wrong with it is
a miss: pakru warns, rebuilds, and carries on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pakru import __version__
from pakru.codec import decode_dataset, encode_dataset
from pakru.errors import DatasetError, Problem
from pakru.model import Dataset

if TYPE_CHECKING:
    from pakru.search import SearchIndex

CACHE_FORMAT = 1

try:  # the builtin BLAKE2 loads in microseconds; hashlib first loads OpenSSL (~4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b
Notify = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def packaged_dataset() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "data" / "events.yaml"
    if installed.exists():
        return installed
    return here.parent.parent / "data" / "events.yaml"  # a source checkout


def locate(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data, then $PAKRU_DATA, then the dataset that ships with pakru."""
    chosen = explicit if explicit not in (None, "") else os.environ.get("PAKRU_DATA") or None
    if chosen is None:
        return packaged_dataset()
    path = Path(chosen).expanduser()
    return path / "events.yaml" if path.is_dir() else path


def cache_dir() -> Path:
    override = os.environ.get("PAKRU_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pakru"


def fingerprint(events_path: Path) -> str:
    """A hash of everything a loaded dataset depends on."""
    digest = blake2b(f"pakru {__version__} cache {CACHE_FORMAT}\n".encode(), digest_size=32)
    try:
        digest.update(events_path.read_bytes())
    except OSError:
        return ""  # unreadable: let the loader say why
    sources = events_path.parent / "sources"
    try:
        names = sorted(os.listdir(sources))
    except OSError:
        names = []
    for name in names:
        path = sources / name
        try:
            data = path.read_bytes()
        except OSError:
            continue  # a missing or unreadable text is the loader's error to report
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


IndexParts = tuple[str, tuple[int, ...], tuple[str, ...]]


class Loaded(NamedTuple):
    dataset: Dataset
    index_parts: IndexParts | None  # None: build it from the dataset when asked
    from_cache: bool

    @property
    def search_index(self) -> SearchIndex:
        """Built (or taken from the cache) only by the commands that search."""
        from pakru.search import SearchIndex

        if self.index_parts is not None:
            return SearchIndex(*self.index_parts)
        return SearchIndex.build(self.dataset)


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
    key = fingerprint(events_path) if use_cache else ""
    cache_file = cache_dir() / (
        blake2b(str(events_path.resolve()).encode(), digest_size=12).hexdigest() + ".json"
    )
    if key:
        cached = _read_cache(cache_file, key, events_path, warn)
        if cached is not None:
            return Loaded(cached[0], cached[1], True)
    from pakru.load import load
    from pakru.search import SearchIndex

    size = events_path.stat().st_size
    if size > 2_000_000:
        progress(f"pakru: reading {events_path} ({size / 1e6:.0f} MB) and building its cache…")
    dataset = load(events_path)
    index = SearchIndex.build(dataset)
    if key:
        _write_cache(cache_file, key, dataset, index, warn)
    return Loaded(dataset, (index.corpus, index.starts, index.vocabulary), False)


def _read_cache(file: Path, key: str, events_path: Path, warn: Notify) -> tuple[Dataset, IndexParts] | None:
    try:
        with open(file, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        warn(f"pakru: warning: cannot read cache {file}: {exc.strerror or exc}; rebuilding")
        return None
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or doc.get("format") != CACHE_FORMAT or doc.get("pakru") != __version__:
            raise ValueError("written by another version of pakru")
        if doc.get("key") != key:
            return None  # the dataset changed: an ordinary miss
        dataset = decode_dataset(doc["dataset"], str(events_path))
        idx = doc["index"]
        corpus, starts, vocabulary = idx["corpus"], tuple(idx["starts"]), tuple(idx["vocabulary"])
        if (
            type(corpus) is not str
            or len(starts) != 6 * len(dataset.claims)
            or not all(type(x) is int for x in starts)
            or not all(type(x) is str for x in vocabulary)
        ):
            raise ValueError("the search index does not match the claims")
        return dataset, (corpus, starts, vocabulary)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        warn(f"pakru: warning: ignoring damaged cache {file} ({exc}); rebuilding")
        return None


def _write_cache(file: Path, key: str, dataset: Dataset, index: SearchIndex, warn: Notify) -> None:
    doc: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "pakru": __version__,
        "key": key,
        "dataset": encode_dataset(dataset),
        "index": {"corpus": index.corpus, "starts": index.starts, "vocabulary": index.vocabulary},
    }
    import tempfile

    tmp = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=file.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, file)
        tmp = None
    except OSError as exc:
        warn(
            f"pakru: warning: cannot write cache in {file.parent}: {exc.strerror or exc}; "
            "carrying on without it"
        )
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
