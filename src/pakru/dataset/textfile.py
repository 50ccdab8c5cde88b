"""Reading a dataset's files with errors fit for a user: regular files only, bounded, UTF-8, no
characters YAML forbids; the dataset file in chunks (checked in a pass of its own, then handed to
the parser as it reads), so that its size is not held in memory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO

from pakru.core.errors import DatasetError, Problem

Progress = Callable[[int, int], None]  # bytes of the dataset file read so far, its size

# A guard against endless or absurd inputs, not a dataset size limit: the dataset file is
# streamed to the parser, so a million-claim dataset (~440 MB) is read in constant memory.
MAX_FILE_BYTES = 4 * 1024**3
# A file read whole (a source text, or a dataset with unusual line breaks) is held in memory.
MAX_TEXT_BYTES = 256 * 1024 * 1024
CHUNK = 1 << 20


def regular_file_size(path: Path) -> int:
    """The size of a regular file; raises OSError for anything else, without opening it.

    Opening a FIFO blocks until a writer comes, and a device such as /dev/zero never
    ends, so the type is checked with stat() before any read.
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    return st.st_size


def read_text(path: Path, what: str = "file", limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is allowed) with errors fit for a user."""
    name = str(path)
    with opened(path, what, limit) as fh:
        # Asked for n bytes, Python allocates n first: limit + 1 for each of a million-claim
        # dataset's 20,000 source texts cost more than reading them. The file's own size is asked
        # for, and the rest only if it grew meanwhile (still bounded by the limit).
        size = min(os.fstat(fh.fileno()).st_size, limit)
        data = fh.read(size + 1)
        if len(data) > size:
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        raise DatasetError([Problem(name, None, None, f"{what} is over the {limit:,}-byte limit")])
    return decode(data, name)


class opened:
    """A regular file opened for reading, with the errors of read_text."""

    def __init__(self, path: Path, what: str, limit: int) -> None:
        self.path, self.what, self.limit = path, what, limit

    def __enter__(self) -> IO[bytes]:
        name, what = str(self.path), self.what

        def fail(message: str) -> DatasetError:
            return DatasetError([Problem(name, None, None, message)])

        try:
            size = regular_file_size(self.path)
            if size > self.limit:
                raise fail(f"{what} is {size:,} bytes, over the {self.limit:,}-byte limit")
            self.fh = open(self.path, "rb")
            return self.fh
        except FileNotFoundError:
            raise fail(f"no such {what}") from None
        except IsADirectoryError:
            raise fail(f"is a directory, expected a {what}") from None
        except PermissionError:
            raise fail(f"permission denied reading the {what}") from None
        except OSError as exc:
            raise fail(f"cannot read the {what}: {exc.strerror or exc}") from None

    def __exit__(self, *_exc: object) -> None:
        self.fh.close()


# What YAML forbids in a file's text; PyYAML's own error for it carries no position.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# The bytes that no UTF-8 encoding of a _FORBIDDEN character holds: C0 controls and DEL are
# themselves, C1 controls begin with 0xC2 and U+FFFE, U+FFFF with 0xEF. A chunk that is only
# these needs no search: deleting them is ~10x faster than the regex (2.6 s of a million claims).
_LOOKED_AT = frozenset([*set(range(0x20)) - set(b"\t\n\r"), 0x7F, 0xC2, 0xEF])
_HARMLESS = bytes(b for b in range(256) if b not in _LOOKED_AT)


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError(
            [
                Problem(
                    name,
                    line,
                    column,
                    f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                )
            ]
        ) from None
    nul = text.find("\x00")
    if nul != -1:
        raise DatasetError([Problem(name, *_position(text, nul), "contains a NUL byte; not a text file")])
    return text


def check_control_characters(text: str, name: str) -> None:
    m = _FORBIDDEN.search(text)
    if m:
        raise DatasetError(
            [
                Problem(
                    name,
                    *_position(text, m.start()),
                    f"contains the control character U+{ord(m.group()):04X}, which YAML "
                    "forbids; in a double-quoted string write it as an escape such as \\x1b",
                )
            ]
        )


class Counted:
    """The dataset file as the parser reads it, bounded, reporting how far it has got."""

    def __init__(self, fh: IO[bytes], name: str, size: int, progress: Progress | None) -> None:
        self.fh, self.name, self.size, self.progress, self.done = fh, name, size, progress, 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(CHUNK if n is None or n < 0 else n)
        self.done += len(data)
        if self.done > MAX_FILE_BYTES:  # it grew while being read
            message = f"dataset file is over the {MAX_FILE_BYTES:,}-byte limit"
            raise DatasetError([Problem(self.name, None, None, message)])
        if self.progress is not None:
            self.progress(self.done, self.size)
        return data


def scan(events_path: Path) -> bool:
    """Check the dataset file's bytes as read_text() and check_control_characters() would,
    a chunk at a time; True if it has line breaks other than LF and CRLF."""
    import codecs

    name = str(events_path)
    nul: tuple[int, int] | None = None
    control: tuple[int, int, str] | None = None
    odd = False
    lines, column = 0, 0  # line breaks so far; characters (and bytes) since the last one
    byte_column = 0
    pending = b""
    first = True
    with opened(events_path, "dataset file", MAX_FILE_BYTES) as fh:
        total = 0
        while True:
            chunk = fh.read(CHUNK)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise DatasetError(
                    [Problem(name, None, None, f"dataset file is over the {MAX_FILE_BYTES:,}-byte limit")]
                )
            data = pending + chunk
            if first and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            first = False
            try:
                text, used = codecs.utf_8_decode(data, "strict", not chunk)
            except UnicodeDecodeError as exc:
                nl = data.rfind(b"\n", 0, exc.start)
                line = lines + data.count(b"\n", 0, exc.start) + 1
                col = exc.start - nl if nl >= 0 else byte_column + exc.start + 1
                message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
                raise DatasetError([Problem(name, line, col, message)]) from None
            pending = data[used:]

            def at(i: int, text: str = text, lines: int = lines, column: int = column) -> tuple[int, int]:
                nl = text.rfind("\n", 0, i)
                return lines + text.count("\n", 0, i) + 1, (i - nl if nl >= 0 else column + i + 1)

            if nul is None and (i := text.find("\x00")) != -1:
                nul = at(i)
            if (
                control is None
                and data.translate(None, _HARMLESS)
                and (m := _FORBIDDEN.search(text)) is not None
            ):
                control = (*at(m.start()), m.group())
            if not odd and ("\x85" in text or "\u2028" in text or "\u2029" in text or "\r" in text):
                odd = any(c in text for c in ("\x85", "\u2028", "\u2029")) or bool(
                    re.search("\r(?!\n)", text[:-1] if text.endswith("\r") and chunk else text)
                )
            breaks = text.count("\n")
            if breaks:
                lines += breaks
                tail = text[text.rfind("\n") + 1 :]
                column, byte_column = len(tail), len(tail.encode("utf-8", "surrogatepass"))
            else:
                column += len(text)
                byte_column += used
            if not chunk:
                break
    if nul is not None:
        raise DatasetError([Problem(name, *nul, "contains a NUL byte; not a text file")])
    if control is not None:
        line, col, char = control
        raise DatasetError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"contains the control character U+{ord(char):04X}, which YAML "
                    "forbids; in a double-quoted string write it as an escape such as \\x1b",
                )
            ]
        )
    return odd
