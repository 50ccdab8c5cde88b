"""A large dataset's files hashed for its key (fresh.fingerprint, fresh.texts) by a process of
their own, at the lowest priority, while the dataset is read and written.

A million-claim dataset is 676 MB of files: ~3.2 s to hash, and hashed once the quotes were
checked it was on the longest path of the first run (2026-12-07). Meanwhile, reading is bound
by the reading process, and the writing child waits ~10 s of it: a process at nice 19 is given
that idle time and little else. A new interpreter, not a fork: it inherits no pipe of the child
(whose end of file tells the child its parent died), and imports only fresh.py's few modules.

If it is not started (a build in one process), cannot start or fails, result() hashes the files
in this process, as before; the key is still checked against the files' signature after
(open.py, identity).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pakru
from pakru.store import fresh

# Run by the new interpreter: -I (no environment, no user site), its path set to this pakru's
SCRIPT = """\
import json, os, signal, sys
from pathlib import Path
signal.signal(signal.SIGINT, signal.SIG_IGN)  # its parent stops it
if hasattr(os, "nice"):
    os.nice(19)
sys.path.insert(0, sys.argv[1])
from pakru.store import fresh
events_path = Path(sys.argv[2])
key = fresh.fingerprint(events_path)
texts = [[n, s, t, d.hex()] for n, s, t, d in fresh.texts(events_path, int(sys.argv[3]))]
sys.stdout.write(json.dumps([key, texts]))
"""

Texts = list[tuple[str, int, int | None, bytes]]  # as fresh.texts gives them


class Hasher:
    """fingerprint() and texts() of a dataset, begun by start(), asked for by result().

    A thread of this process reads the answer as soon as it comes (blocked in the read, it holds
    no GIL), so that the process ends then, not at the build's end, when memory peaks.
    """

    def __init__(self, events_path: Path, racy_before: int) -> None:
        self.events_path, self.racy_before = events_path, racy_before
        self.proc: subprocess.Popen[bytes] | None = None
        self.out: bytes | None = None
        self.reader: threading.Thread | None = None

    def start(self) -> None:
        """The process started (unless it cannot be: then result() hashes here)."""
        if self.proc is not None:
            return
        home = str(Path(pakru.__file__).resolve().parent.parent)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-c", SCRIPT, home, str(self.events_path), str(self.racy_before)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, ValueError):
            return  # hashed here instead
        self.reader = threading.Thread(target=self._read, args=(self.proc,), name="pakru-hash", daemon=True)
        self.reader.start()

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        try:
            out = proc.stdout.read() if proc.stdout is not None else b""
            if proc.wait() == 0:
                self.out = out
        except (OSError, ValueError):
            pass  # closed meanwhile by close()

    def result(self) -> tuple[str, Texts]:
        """The key and the texts' digests: the process's, or worked out here if it failed."""
        got = self._collect()
        if got is not None:
            return got
        return fresh.fingerprint(self.events_path), fresh.texts(self.events_path, self.racy_before)

    def _collect(self) -> tuple[str, Texts] | None:
        if self.proc is None or self.reader is None:
            return None
        self.reader.join()
        self.close()
        try:
            key, texts = json.loads(self.out or b"")
            return str(key), [
                (str(n), int(s), t if t is None else int(t), bytes.fromhex(d)) for n, s, t, d in texts
            ]
        except (ValueError, TypeError):
            return None

    def close(self) -> None:
        """Stop the process, if it still runs (the dataset was invalid, or the build failed)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if self.reader is not None:
            self.reader.join()  # its read ends with the process
        if proc.stdout is not None:
            proc.stdout.close()
