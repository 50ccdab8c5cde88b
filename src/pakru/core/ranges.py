"""Range checks over columns of native int64s, as a cache file holds them.

A column is checked as big integers whose 64-bit lanes are its values, LANES values
at a time: a few operations in C per step. Making a Python int of each value, as
set(), min() or a loop must, took ~4 ms per 100,000-value column here, and a cache
of 100,000 claims checks five of them each time it is opened; this takes ~1 ms.
"""

from __future__ import annotations

import sys
from functools import lru_cache

LANES = 2048  # 16 KiB numbers; the whole column at once was 6x slower (fresh pages, cache misses)
_TOP = 1 << 63
_HIGH_BITS = 3 << 62


@lru_cache(maxsize=64)
def _repeated(value: int, lanes: int) -> int:
    """``value`` (0 <= value < 2**64) in each of ``lanes`` lanes."""
    return int.from_bytes(value.to_bytes(8, sys.byteorder) * lanes, sys.byteorder)


def within(column: memoryview, low: int, high: int) -> bool:
    """Whether every int64 of ``column`` (its bytes, in native order) is in [low, high).

    Requires -2**63 < low <= 0 and high - low <= 2**62, as for column values that are
    counts or indices, with -1 for none.
    """
    if not (-_TOP < low <= 0 and high - low <= 1 << 62):
        raise ValueError("unsupported range")
    data = column.cast("B")
    if len(data) % 8:
        return False
    count = len(data) // 8
    if high <= low:
        return not count
    for first in range(0, count, LANES):
        lanes = min(LANES, count - first)
        x = int.from_bytes(data[8 * first : 8 * (first + lanes)], sys.byteorder)
        if low:
            # value - low in each lane without a carry into the next: add to the low 63
            # bits (which cannot overflow the lane), then put back the top bit by xor
            low_bits = x & _repeated(_TOP - 1, lanes)
            x = (low_bits + _repeated(-low, lanes)) ^ (x & _repeated(_TOP, lanes))
        # now each lane must be below high - low: first below 2**62, then, with 2**62 - (high
        # - low) added (no overflow: both are at most 2**62), still below 2**62
        high_bits = _repeated(_HIGH_BITS, lanes)
        if x & high_bits or (x + _repeated((1 << 62) - (high - low), lanes)) & high_bits:
            return False
    return True
