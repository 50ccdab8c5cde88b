"""The first run's progress on stderr: rich's bar on a terminal, plain lines otherwise.

The store reports (stage, done, total) as it builds; nothing is shown for a build that ends
within a second. A plain line is written once a second has passed (by a timer, as the build may be
hashing files and not reporting), and a last one when the build is done.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

AFTER = 1.0  # seconds
STAGES = {"reading": "validating the dataset", "indexing": "indexing the claims"}


class Progress:
    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.started = time.monotonic()
        self.built = False
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.lock = threading.Lock()
        self.announced = False
        self.fancy = _terminal()
        self.timer: threading.Timer | None = None

    def __enter__(self) -> Progress:
        return self  # the timer starts with the first report: a warm run starts no thread

    def _announce(self) -> None:
        with self.lock:
            if not self.announced and not self.fancy:
                self.announced = True
                self.write("pakru: reading the dataset and building its cache…")

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.built:
            self.built = True
            self.timer = threading.Timer(max(0.0, AFTER - (time.monotonic() - self.started)), self._announce)
            self.timer.daemon = True
            self.timer.start()
        if time.monotonic() - self.started < AFTER:
            return
        if not self.fancy:
            self._announce()
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("pakru: {task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True, emoji=False, highlight=False, markup=False),
                transient=True,
            )
            self.bar.start()
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bar.add_task(STAGES.get(stage, stage), total=total)
        self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.bar is not None:
            self.bar.stop()
        took = time.monotonic() - self.started
        if self.built and took > AFTER and exc[0] is None:
            self.write(f"pakru: cache built in {took:.1f} s")


def _terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
