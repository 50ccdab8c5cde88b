"""Open a dataset's database, or build it: Store and open_store()."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakru import __version__
from pakru.core.errors import DatasetError, Problem
from pakru.core.model import KINDS, Actor, Claim, Dataset, Event, Topic
from pakru.dataset.locate import locate
from pakru.store import fresh
from pakru.store.locate import cache_file_for
from pakru.store.rows import (
    CLAIM_COLUMNS,
    CLAIM_FROM,
    EVENT_COLUMNS,
    SEP,
    SOURCE_COLUMNS,
    ById,
    DamagedCache,
    Names,
    Rows,
    SqlClaims,
    StaleCache,
    checked,
    claim_of,
    claims_of,
    decoded,
    event_of,
    rows_in,
    source_of,
)
from pakru.store.schema import APPLICATION_ID, EXPECTED, SCHEMA_VERSION

if TYPE_CHECKING:
    from pakru.core.model import Filters
    from pakru.store.build import Progress

Notify = Callable[[str], None]
HEADER = b"SQLite format 3\x00"


def _quiet(_message: str) -> None:
    pass


class Store:
    """One open, complete, read-only database of one dataset."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        events_path: Path,
        file: Path | None,
        from_cache: bool,
        text_times: str = "",
    ) -> None:
        self.conn = conn
        self._text_times = text_times  # fresh.text_times() of a later run, if it had to hash
        self.file = file  # None: in memory
        self.from_cache = from_cache
        self.names = Names(conn)
        self._events = ById(conn, "events", EVENT_COLUMNS, event_of)
        self.dataset = _dataset(conn, events_path, self.names, self.checked, self._events)
        self._current: set[str] = set()  # sources whose text is known to be as validated

    def checked(self, claim: Claim) -> Claim:
        """The claim, once its source's text is found unchanged since the build (StaleCache if not):
        a claim is never shown unless its quote was checked against the text as it is now."""
        if claim.source not in self._current:
            source = self.dataset.source_by_id[claim.source]
            row = self.conn.execute(
                "SELECT size, mtime, digest FROM source_files WHERE name = ?", (source.text,)
            ).fetchone()
            path = os.path.join(self.dataset.sources_dir, source.text)
            if row is None or fresh.text_changed(path, row[0], row[1], row[2], self._text_times):
                raise StaleCache(f"{path} changed", None if self.file is None else str(self.file))
            self._current.add(claim.source)
        return claim

    def known_events(self, event_ids: Iterable[str]) -> list[str]:
        """Those of the ids that name an event of the dataset, once each, in the order given; their
        events are read in one query per rows.IN_MAX ids, not two queries per id."""
        return self._events.having(event_ids)

    def claims_at(self, rowids: Sequence[int]) -> list[Claim]:
        """The claims at these rowids, in the given order."""
        sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE claims.rowid IN ({{}})"
        rows = list(rows_in(self.conn, sql, rowids))
        got = {
            row[0]: self.checked(claim) for row, claim in zip(rows, claims_of(rows, self.names), strict=True)
        }
        try:
            return [got[i] for i in rowids]
        except KeyError as exc:
            raise self.damaged(f"no claim at row {exc}") from None

    def claims_where(self, where: str, params: Sequence[Any], order: str) -> list[Claim]:
        """The claims that pass ``where`` (SQL over ``claims``, as where() makes it), in ``order``."""
        sql = f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE {where} ORDER BY {order}"
        rows = self.conn.execute(sql, tuple(params)).fetchall()
        return [self.checked(claim) for claim in claims_of(rows, self.names)]

    def claim(self, row: Sequence[Any]) -> Claim:
        return self.checked(claim_of(row, self.names))

    def damaged(self, reason: str) -> Exception:
        return DamagedCache(reason, None if self.file is None else str(self.file))

    def where(self, f: Filters | None) -> tuple[str, tuple[Any, ...]]:
        """The filters as an SQL boolean expression over table `claims`, and its parameters."""
        if f is None:
            return "1", ()
        parts: list[str] = []
        params: list[Any] = []

        def among(values: Sequence[Any]) -> str:
            params.extend(values)
            return ",".join("?" * len(values))

        if f.sources:
            parts.append(f"claims.source IN (SELECT no FROM sources WHERE id IN ({among(f.sources)}))")
        if f.kinds:
            parts.append(f"claims.kind IN ({among([KINDS.index(k) for k in f.kinds])})")
        if f.topics:
            parts.append(
                "claims.rowid IN (SELECT claim FROM claim_topics WHERE topic IN "
                f"(SELECT no FROM topics WHERE id IN ({among(f.topics)})))"
            )
        if f.start is not None or f.end is not None:
            bounds = ["claims.lo IS NOT NULL"]
            if f.start is not None:
                bounds.append("claims.hi >= ?")
                params.append(f.start.toordinal())
            if f.end is not None:
                bounds.append("claims.lo <= ?")
                params.append(f.end.toordinal())
            within = " AND ".join(bounds)
            # --undated: the date bounds leave the undated claims in
            parts.append(f"(claims.lo IS NULL OR ({within}))" if f.undated else within)
        return (" AND ".join(parts) or "1"), tuple(params)

    def rowids(self, where: str, params: Sequence[Any], order: str, limit: int | None = None) -> list[int]:
        sql = f"SELECT claims.rowid FROM claims WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.conn.execute(sql, tuple(params))]

    def attested_by(self, event_ids: Iterable[str]) -> dict[str, int]:
        """Event id -> how many distinct sources report it, over the whole dataset."""
        ids = list(dict.fromkeys(event_ids))
        sql = (
            "SELECT events.id, es.sources FROM event_sources es JOIN events ON events.no = es.event "
            "WHERE events.id IN ({})"
        )
        out: dict[str, int] = dict(rows_in(self.conn, sql, ids))
        return {e: out.get(e, 0) for e in ids}


def _dataset(
    conn: sqlite3.Connection,
    events_path: Path,
    names: Names,
    check: Callable[[Claim], Claim],
    event_by_id: ById[Event],
) -> Dataset:
    def topic(row: Sequence[Any]) -> Topic:
        tid, label, aliases = checked(row)
        return Topic(tid, label, tuple(aliases.split(SEP)) if aliases else ())

    def actor(row: Sequence[Any]) -> Actor:
        name, aliases = checked(row)
        return Actor(name, tuple(aliases.split(SEP)) if aliases else ())

    topics = tuple(
        decoded(topic, r) for r in conn.execute("SELECT id, label, aliases, crc FROM topics ORDER BY pos")
    )
    actors = tuple(
        decoded(actor, r) for r in conn.execute("SELECT name, aliases, crc FROM actors ORDER BY pos")
    )
    return Dataset(
        sources=Rows(conn, "sources", SOURCE_COLUMNS, source_of),
        topics=topics,
        actors=actors,
        events=Rows(conn, "events", EVENT_COLUMNS, event_of),
        claims=SqlClaims(conn, names, check),
        path=str(events_path),
        sources_dir=str(events_path.parent / "sources"),
        source_by_id=ById(conn, "sources", SOURCE_COLUMNS, source_of),
        topic_by_id={t.id: t for t in topics},
        event_by_id=event_by_id,
        actor_aliases={a.name: a.aliases for a in actors},
    )


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    warn: Notify = _quiet,
    progress: Progress | None = None,
) -> Store:
    """The database of the dataset at ``path`` (see locate), from the cache or built now."""
    events_path = locate(path)
    if not events_path.exists():
        raise DatasetError([Problem(str(events_path), None, None, "no such dataset file")])
    if events_path.is_dir():
        raise DatasetError([Problem(str(events_path), None, None, "is a directory, expected a dataset file")])
    if not use_cache:
        return _in_memory(events_path, progress)
    file = cache_file_for(events_path)
    cached = _open_cached(file, events_path, warn)
    if cached is not None:
        return cached
    return _build(events_path, file, warn, progress)


def connect_ro(file: Path) -> sqlite3.Connection:
    """The database, never written to (query_only). Not a file: URI with mode=ro: building its
    URI needs urllib.request, ~16 ms of every run to import."""
    conn = sqlite3.connect(file, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    return conn


def inspect(file: Path) -> tuple[sqlite3.Connection, dict[str, str]]:
    """Open a database and check that it is a complete pakru database of this schema and version.

    Raises ValueError (why not) or sqlite3.DatabaseError. Cheap: nothing here reads the rows.
    """
    import stat as stat_module

    st = os.stat(file)
    if not stat_module.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    with open(file, "rb") as fh:
        if fh.read(16) != HEADER:
            raise ValueError("not an SQLite database")
    conn = connect_ro(file)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise ValueError("not a pakru database")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if page_size * pages != st.st_size:
            raise ValueError(
                f"{st.st_size:,} bytes where its header says {page_size * pages:,}: truncated or grown"
            )
        columns: dict[str, list[str]] = {}
        # The tables of EXPECTED only: table_info of a virtual table connects it (FTS5 reads its
        # configuration), ~0.4 ms of every run
        wanted = ", ".join(f"'{t}'" for t in EXPECTED)
        for table, column in conn.execute(
            "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p"
            f" WHERE m.type = 'table' AND m.name IN ({wanted})"
        ):
            columns.setdefault(table, []).append(column)
        for table, want in EXPECTED.items():
            got = tuple(columns.get(table, ()))
            if got != want:
                raise ValueError(f"table {table} is missing or not as this pakru makes it")
        if not conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'claim_fts'").fetchone():
            raise ValueError("no full-text index")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"schema version {meta.get('schema')!r}, this pakru reads {SCHEMA_VERSION!r}")
        if meta.get("pakru") != __version__:
            raise ValueError(f"written by pakru {meta.get('pakru')!r}, this is {__version__}")
        if "key" not in meta or "stat" not in meta:
            raise ValueError("incomplete")
    except BaseException:
        conn.close()
        raise
    return conn, meta


def _open_cached(file: Path, events_path: Path, warn: Notify) -> Store | None:
    try:
        conn, meta = inspect(file)
    except (FileNotFoundError, NotADirectoryError):  # none yet, or no folder for one (said on writing)
        return None
    except (ValueError, sqlite3.DatabaseError) as exc:
        warn(f"pakru: warning: ignoring the cache {file} ({exc}); rebuilding it")
        return None
    except OSError as exc:
        warn(f"pakru: warning: cannot read the cache {file}: {exc.strerror or exc}; rebuilding it")
        return None
    now = fresh.signature(events_path)
    key = meta["key"]
    # compared as text: json is imported only by the commands that write it (~4 ms)
    texts: str | None = ""
    if now is None or meta["stat"] != fresh.as_text(now):
        texts = fresh.sidecar_says(file, key, now)
    if texts is None:
        if key != fresh.fingerprint(events_path):
            conn.close()
            return None  # the dataset changed: an ordinary miss
        # Unchanged after all: remember the files' times, once they are old enough to trust,
        # so that the next run need not hash them again (nor the texts it shows)
        racy_before = time.time_ns() - fresh.RACY_NS
        settled = fresh.signature(events_path, racy_before=racy_before)
        texts = fresh.text_times(events_path, racy_before)
        if settled is not None:
            fresh.write_sidecar(file, key, settled, texts)
    try:
        return Store(conn, events_path, file, True, texts)
    except (sqlite3.DatabaseError, DamagedCache) as exc:
        conn.close()
        warn(f"pakru: warning: ignoring the cache {file} ({exc}); rebuilding it")
        return None


def _in_memory(events_path: Path, progress: Progress | None) -> Store:
    from pakru.store.build import build

    conn = sqlite3.connect(":memory:", isolation_level=None)
    build(conn, events_path, lambda: ("", None, fresh.texts(events_path, 0)), progress=progress)
    return Store(conn, events_path, None, False)


def _build(events_path: Path, file: Path, warn: Notify, progress: Progress | None) -> Store:
    """Validate the YAML into a new database beside the old, and move it into place."""
    import gc
    import tempfile

    from pakru.store import hasher, worker
    from pakru.store.build import build

    racy_before = time.time_ns() - fresh.RACY_NS
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=file.suffix, dir=file.parent)
        os.close(fd)
    except OSError as exc:
        why = "it is a file, not a folder" if file.parent.is_file() else exc.strerror or exc
        warn(f"pakru: warning: cannot write the cache in {file.parent}: {why}; carrying on without it")
        return _in_memory(events_path, progress)
    tmp = Path(tmp_name)
    # The build allocates many small objects and frees them at once; collecting is wasted work.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    conn: sqlite3.Connection | None = None
    before = fresh.signature(events_path, every=True)

    # Beside a writing child (worker.py), the files are hashed meanwhile by a process of their own
    # (started then); in one process, hashing.result() hashes them here
    hashing = hasher.Hasher(events_path, racy_before)

    def identity() -> tuple[str, Any, list[tuple[str, int, int | None, bytes]]]:
        """The key of the bytes just validated, unless a file changed meanwhile (then none)."""
        key, texts = hashing.result()
        if fresh.signature(events_path, every=True) != before:
            return "changed while it was read", None, texts  # no fingerprint matches: rebuilt next run
        return key, fresh.signature(events_path, racy_before=racy_before), texts

    try:
        if worker.wanted(events_path):
            worker.build_file(tmp, events_path, identity, progress, meanwhile=hashing.start)
        else:
            conn = sqlite3.connect(tmp, isolation_level=None)
            build(conn, events_path, identity, progress=progress)
            conn.close()
            conn = None
        os.replace(tmp, file)
    except (OSError, sqlite3.OperationalError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        warn(f"pakru: warning: cannot write the cache in {file.parent}: {reason}; carrying on without it")
        return _in_memory(events_path, progress)
    finally:
        hashing.close()
        if conn is not None:
            conn.close()
        if tmp.exists():
            tmp.unlink(missing_ok=True)
        if gc_was_enabled:
            gc.enable()
    try:
        return Store(connect_ro(file), events_path, file, False)
    except (sqlite3.DatabaseError, OSError):  # replaced or removed meanwhile by another pakru
        return _in_memory(events_path, progress)
