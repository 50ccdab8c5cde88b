"""A claim's summary and quote as one deflated value (claims.text).

Each claim's text is deflated on its own, so that any claim reads back alone, primed with a
dictionary made from the first claims of the dataset (table text_dict): short texts share most
of their words with it, and take about half their size instead of barely less than all of it.
"""

from __future__ import annotations

import zlib

DICT_SIZE = 32 * 1024  # deflate's window: the most of a dictionary it can use
WBITS = -15  # raw deflate: no header or checksum (each row has its own crc)


def dictionary(texts: list[tuple[str, str]]) -> bytes:
    """A deflate dictionary from some claims' summaries and quotes (their last DICT_SIZE bytes:
    deflate prefers the end of its dictionary)."""
    return "\n".join(f"{s} {q}" for s, q in texts).encode("utf-8", "surrogatepass")[-DICT_SIZE:]


class Packer:
    """Deflates claims' texts at level 1: with the dictionary it is within a sixth of level 6's
    size, at half its time (10 µs a claim: 10 s of a million claims' first run)."""

    def __init__(self, zdict: bytes) -> None:
        self._base = zlib.compressobj(1, zlib.DEFLATED, WBITS, 8, zlib.Z_DEFAULT_STRATEGY, *_primed(zdict))

    def pack(self, summary: str, quote: str) -> bytes:
        deflate = self._base.copy()  # primed once: the dictionary is not read again per claim
        data = f"{len(summary)} {summary}{quote}".encode("utf-8", "surrogatepass")  # no separator to escape
        return deflate.compress(data) + deflate.flush()


def unpack(data: bytes, zdict: bytes) -> tuple[str, str]:
    """(summary, quote) of a claims.text value; zlib.error or ValueError if it is damaged."""
    return split(inflate(data, zdict))


def inflate(data: bytes, zdict: bytes) -> str:
    """A claims.text value inflated, as "<length of the summary> <summary><quote>"; zlib.error or
    ValueError if it is damaged.

    A new decompressor primed with the dictionary, not a copy of a primed one (inflateCopy
    copies the whole 32 KiB window and more: ~1 µs a claim slower); no flush(): given a whole
    stream, decompress() returns all of it, and eof says whether the stream ended
    (unused_data, whether bytes follow it).
    """
    inflater = zlib.decompressobj(WBITS, *_primed(zdict))
    raw = inflater.decompress(data)
    if not inflater.eof or inflater.unused_data:
        raise ValueError("a claim's text is cut short or runs on")
    return raw.decode("utf-8", "surrogatepass")


def split(text: str) -> tuple[str, str]:
    """(summary, quote) of inflate()'s text; ValueError if it is not of that form."""
    length, space, both = text.partition(" ")
    n = int(length)
    if not space or n > len(both):
        raise ValueError("a claim's text is cut short")
    return both[:n], both[n:]


def _primed(zdict: bytes) -> tuple[bytes, ...]:
    return (zdict,) if zdict else ()
