"""The first run of a large dataset on two cores: this process reads and validates the YAML, a
child process writes the database (deflating the texts, checksums, SQLite's inserts and its
full-text index). Each claim is validated here exactly as in one process (load.stream, the same
builder); the child is the ClaimSink of build.py, fed a batch at a time through a pipe, each
claim as build.values_of's plain values.

Reading is a little over half of a first run and writing the rest: 100,000 claims took 30 s
in one process and 19 s in two (2026-12-03). Once the last claim is sent, the child looks for
duplicate ids and makes the indexes while this process checks the quotes, which it kept aside
(spool.py). A small dataset is built in this process: below MIN_BYTES a child costs more than
it saves. PAKRU_BUILD_WORKER=0 never starts one, =1 always does.

The messages are pickled by multiprocessing, between this process and its own child over a
private pipe; the database holds no pickle (tests/test_cache_robustness.py). The child ignores
Ctrl-C (its parent stops it), ends when its pipe closes (its parent died), and sends any error
back to be raised here. The database file is the parent's to rename or remove, renamed only
once the child has committed and closed it.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakru.dataset.load import Parts, stream
from pakru.store import build, spool

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from pakru.core.model import Claim

MIN_BYTES = 8 * 1024 * 1024  # ~18,000 claims of the usual shape: a few seconds in one process
# Messages pickled and waiting for the pipe (~0.6 MB a batch of claims): the child's work comes in
# bursts (a full-text segment written, merged), and one message in the pipe left either process
# waiting for the other: 27 s of a million-claim build's 103 s parse
QUEUED = 24
ENV = "PAKRU_BUILD_WORKER"


def wanted(events_path: Path) -> bool:
    """Whether to build this dataset with a child process (see the module's docstring)."""
    choice = os.environ.get(ENV, "").strip()
    if choice in ("0", "1"):
        return choice == "1"
    if _cores() < 2:
        return False
    try:
        return os.stat(events_path).st_size >= MIN_BYTES
    except OSError:
        return False  # the build in this process reports it


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def build_file(
    file: Path,
    events_path: Path,
    identity: build.Identity,
    progress: build.Progress | None,
    meanwhile: Callable[[], object] | None = None,
) -> Parts:
    """build.build() into the database ``file``, its writing done by a child process.

    ``meanwhile()`` is called once the child is started (hasher.py's process, started after the
    fork so that neither inherits the other's pipes)."""
    import multiprocessing

    # fork where it is safe and quick; spawn elsewhere (macOS, Windows), which imports pakru anew
    context: Any = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    from_parent, to_child = context.Pipe(duplex=False)  # (reading end, writing end)
    from_child, to_parent = context.Pipe(duplex=False)
    child = context.Process(
        target=_serve,
        args=(str(file), from_parent, to_parent, (to_child, from_child)),
        name="pakru-cache-writer",
        daemon=True,
    )
    child.start()
    from_parent.close()
    to_parent.close()
    if meanwhile is not None:
        meanwhile()
    sink = _ToChild(to_child, from_child, identity, progress)
    try:
        parts = stream(events_path, sink, progress=build.reading(progress))
        sink.complete(parts)
        child.join()
        return parts
    finally:
        if child.is_alive():  # an invalid dataset, Ctrl-C, or an error of this process
            child.terminate()  # first: a write the sender is blocked in then fails
            child.join()
        sink.stop()
        to_child.close()
        from_child.close()


class _ToChild:
    """load.ClaimSink whose claims go to the child a batch at a time; what it asks, the child answers.

    Messages are pickled here and written to the pipe by a thread of their own (blocked in the
    write, it holds no GIL), up to QUEUED of them ahead of the child.
    """

    checks_ids = True

    def __init__(
        self, out: Connection, back: Connection, identity: build.Identity, progress: build.Progress | None
    ) -> None:
        self.out, self.back, self.identity, self.progress = out, back, identity, progress
        self.batch: list[tuple[build.Values, int, int, tuple[int, int, int]]] = []
        self.key: Any = None  # identity(), once computed
        self.quotes_kept = spool.QuoteSpool()  # checked here while the child prepares (spool.py)
        self.claims_ended = False
        self.queue: queue.Queue[bytes | None] = queue.Queue(QUEUED)
        self.failed = False  # a write failed: the child ended
        self.sender = threading.Thread(target=self._write, name="pakru-cache-sender", daemon=True)
        self.sender.start()

    def _write(self) -> None:
        while (data := self.queue.get()) is not None:
            if not self.failed:
                try:
                    self.out.send_bytes(data)
                except OSError:
                    self.failed = True  # the rest is taken and dropped: _send never waits on a full queue

    def stop(self) -> None:
        """The sender's end, once what is queued is written (or dropped: the child ended)."""
        self.queue.put(None)
        self.sender.join()
        self.quotes_kept.close()

    def add(self, claim: Claim, quote_line: int, quote_column: int, at: tuple[int, int, int]) -> None:
        self.quotes_kept.add(claim.source, claim.id, claim.quote, quote_line, quote_column)
        self.batch.append((build.values_of(claim), quote_line, quote_column, at))
        if len(self.batch) >= build.BATCH:
            self._send_batch()

    def add_record(self, section: str, record: Any, pos: int) -> None:
        self._send_batch()  # in file order: a record after claims (an unusual file) comes after them
        self._send(("add_record", (section, record, pos)))

    def claims_begin(self, complete: set[str]) -> None:
        self._send(("claims_begin", (complete,)))

    def end_claims(self) -> None:
        """The last claim is sent: the child looks for duplicate ids and makes the indexes
        (build.prepare) while this process checks the quotes."""
        if not self.claims_ended:
            self.claims_ended = True
            self._send_batch()
            self._send(("claims_end", None))

    def quotes(self, source_ids: Sequence[str]) -> Iterator[list[tuple[str, str, int, int]]]:
        self.end_claims()
        return self.quotes_kept.by_source(source_ids)

    def duplicates(self) -> list[tuple[str, int, int, int]]:
        """Asked once the quotes are checked. The child is still making its indexes: meanwhile
        this process gets the key of the dataset's files (hashed since the build began, hasher.py),
        which the child asks for at its end."""
        self.end_claims()
        if self.key is None:
            self.key = self.identity()
        got: list[tuple[str, int, int, int]] = self.call("duplicates")
        return got

    def complete(self, parts: Parts) -> None:
        """The child completes the database. It is sent where the dataset is, not the Parts: 20,000
        sources' records were ~25 MB more in the child at its peak."""
        self.end_claims()
        where: build.Where = (parts.path, parts.sources_dir, parts.claims)
        self._send(("call", ("complete", (where,))))
        self._answer()

    def call(self, name: str, *args: Any) -> Any:
        """The child's answer to a request."""
        self._send_batch()
        self._send(("call", (name, args)))
        return self._answer()

    def _answer(self) -> Any:
        """The child's next answer, meanwhile serving its own requests (progress, the key)."""
        while True:
            kind, value = self._receive()
            if kind == "result":
                return value
            if kind == "progress" and self.progress is not None:
                self.progress(*value)
            elif kind == "identity":
                self._send(("identity", self.key if self.key is not None else self.identity()))
            elif kind == "error":
                raise value

    def _send_batch(self) -> None:
        if self.batch:
            batch, self.batch = self.batch, []
            self._send(("add_many", batch))

    def _send(self, message: tuple[str, Any]) -> None:
        from multiprocessing.reduction import ForkingPickler

        while self.failed:  # the child ended: the error it sent says why (else _receive raises)
            kind, value = self._receive()
            if kind == "error":
                raise value
        self.queue.put(bytes(ForkingPickler.dumps(message)))

    def _receive(self) -> tuple[str, Any]:
        try:
            got: tuple[str, Any] = self.back.recv()
        except (EOFError, OSError):
            raise OSError("the process writing the cache ended unexpectedly") from None
        return got


def _serve(file: str, inbox: Connection, outbox: Connection, parents: tuple[Connection, ...]) -> None:
    """The child: the messages of _ToChild, one at a time, into a build.py sink."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in parents:  # inherited by fork; held open, they would keep a dead parent's pipe alive
        end.close()
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(file, isolation_level=None)
        sink = build.begin(conn)
        while True:
            try:
                kind, value = inbox.recv()
            except EOFError:
                return  # the parent stopped: it removes the file
            if kind == "add_many":
                add = sink.add_values
                for args in value:
                    add(*args)
            elif kind == "add_record":
                sink.add_record(*value)
            elif kind == "claims_begin":
                sink.claims_begin(*value)
            elif kind == "claims_end":
                build.prepare(conn, sink, _reporter(outbox))
            elif kind == "call":
                name, args = value
                if name == "complete":
                    build.complete(conn, args[0], _asker(inbox, outbox))
                    conn.close()
                    outbox.send(("result", None))
                    return
                outbox.send(("result", sink.duplicates()))
    except BaseException as exc:  # any error is the parent's to report
        _send_error(outbox, exc)
    finally:
        if conn is not None:
            conn.close()


def _asker(inbox: Connection, outbox: Connection) -> build.Identity:
    def identity() -> Any:
        outbox.send(("identity", None))
        return inbox.recv()[1]

    return identity


def _reporter(outbox: Connection) -> build.Progress:
    return lambda stage, done, total: outbox.send(("progress", (stage, done, total)))


def _send_error(outbox: Connection, exc: BaseException) -> None:
    try:
        outbox.send(("error", exc))  # pickled whole before any byte is written
    except OSError:
        return  # the parent is gone
    except Exception:  # an error that cannot cross the pipe goes as its text
        failed = OSError(f"the process writing the cache failed: {type(exc).__name__}: {exc}")
        try:
            outbox.send(("error", failed))
        except OSError:
            pass
