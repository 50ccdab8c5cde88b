"""Long terminal output through a pager ($PAGER, else `less` with LESS=FRX), as git and gh do.

Only when stdout is a real terminal: never when piped or redirected (FORCE_COLOR and
PAKRU_TERMINAL make the terminal layout, not a terminal), and never with --no-pager. The view
is rendered into a buffer at the terminal's width and colours; if it is taller than the screen,
it goes to the pager, else straight to the terminal. Nothing here runs for piped output.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from pakru.core.record import Record


class Target(Record):
    file: TextIO
    options: dict[str, Any]  # for rich's Console: the real terminal's width and height


_current: list[Target] = []  # the buffer of the paged() under way, if any


def target() -> Target | None:
    """Where a terminal view writes while paging may happen; None: straight to stdout."""
    return _current[-1] if _current else None


def command() -> str | None:
    """The pager to run, or None for none ($PAGER empty or `cat`, or the pager not installed)."""
    chosen = os.environ.get("PAGER")
    if chosen is None:
        chosen = "less"
    words = shlex.split(chosen) if chosen.strip() else []
    if not words or words[0] == "cat" or shutil.which(words[0]) is None:
        return None
    return chosen


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


@contextlib.contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """Render what the body prints into a buffer, then page it if it is taller than the screen."""
    if not enabled or not _is_terminal(sys.stdout) or command() is None:
        yield
        return
    size = shutil.get_terminal_size()  # COLUMNS and LINES first, then the terminal's own
    buffer = io.StringIO()
    # rich detects the colours from the environment (TERM, COLORTERM, NO_COLOR) as it would for
    # the terminal itself
    options = {"width": size.columns, "height": size.lines, "force_terminal": True}
    _current.append(Target(buffer, options))
    try:
        yield
    finally:
        _current.pop()
    text = buffer.getvalue()
    if text.count("\n") < size.lines:
        sys.stdout.write(text)
        return
    show(text)


def show(text: str) -> None:
    """Hand the text to the pager and wait for it; Ctrl-C is the pager's to handle meanwhile."""
    pager = command()
    assert pager is not None
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the screen as it is
    sys.stdout.flush()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
            proc.stdin.close()
        except BrokenPipeError:  # the reader quit before the end: that is fine
            pass
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
