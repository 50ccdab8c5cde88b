"""store/packing.py: a claim's summary and quote as one deflated value, and damage to it refused."""

from __future__ import annotations

import zlib

import pytest

from pakru.store import packing

TEXTS = [
    ("Russia and Pakistan held their first joint exercise in 2016.", "Druzhba-2016"),
    ("12 345 an odd summary", "a quote with\nlines, «quotes» and \x1f"),
    ("", ""),
    ("\ud800 a lone surrogate", "kept as written"),
]


@pytest.mark.parametrize("zdict", [packing.dictionary(TEXTS), b""])
def test_texts_come_back_as_they_were_packed(zdict: bytes) -> None:
    packer = packing.Packer(zdict)
    for summary, quote in TEXTS:
        assert packing.unpack(packer.pack(summary, quote), zdict) == (summary, quote)


def test_a_text_cut_short_is_refused() -> None:
    zdict = packing.dictionary(TEXTS)
    data = packing.Packer(zdict).pack(*TEXTS[0])
    for cut in (1, len(data) // 2, len(data) - 1):
        with pytest.raises((ValueError, zlib.error)):
            packing.unpack(data[:cut], zdict)


def test_bytes_after_the_text_are_refused() -> None:
    zdict = packing.dictionary(TEXTS)
    data = packing.Packer(zdict).pack(*TEXTS[0])
    with pytest.raises(ValueError, match="runs on"):
        packing.unpack(data + b"\x00", zdict)


def test_a_length_longer_than_the_text_is_refused() -> None:
    deflate = zlib.compressobj(1, zlib.DEFLATED, packing.WBITS)
    data = deflate.compress(b"99 short") + deflate.flush()
    with pytest.raises(ValueError, match="cut short"):
        packing.unpack(data, b"")


def test_the_wrong_dictionary_does_not_give_the_text_back() -> None:
    zdict = packing.dictionary(TEXTS)
    data = packing.Packer(zdict).pack(*TEXTS[0])
    other = packing.dictionary([("something else entirely", "and more")] * 40)
    try:
        got = packing.unpack(data, other)
    except (ValueError, zlib.error, UnicodeDecodeError):
        return
    assert got != TEXTS[0]
