"""The cache's rows: every claim comes back exactly as written, and a damaged row is an error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakru import codec
from pakru.dates import parse_edtf
from pakru.model import Claim

SEPARATORS = [codec.FIELD, codec.ITEM, codec.ROW]
text = st.text(
    st.sampled_from([*SEPARATORS, "[", "]", '"', "\\", "a", "é", "’", "\n", "\x00", " "]), max_size=8
)
claims = st.builds(
    Claim,
    id=text,
    source=st.just("s"),
    date=st.none(),
    date_basis=text,
    kind=st.just("event"),
    summary=text,
    quote=text,
    topics=st.just(("t",)),
    actors=st.lists(text, max_size=3).map(tuple),
    date_note=st.none() | text,
    event=st.none(),
    stance=st.none() | st.integers(-2, 2),
)


def decode(rows: list[bytes], claims: list[Claim]) -> list[Claim]:
    return codec.decode_claims(
        rows,
        [c.source for c in claims],
        [c.kind for c in claims],
        [c.event for c in claims],
        [c.topics for c in claims],
        [c.date for c in claims],
    )


def row(c: Claim) -> bytes:
    return codec.encode_claim(c).encode()


@settings(max_examples=300)
@given(st.lists(claims, max_size=6))
def test_claims_come_back_exactly(batch: list[Claim]) -> None:
    assert decode([row(c) for c in batch], batch) == batch


def test_plain_claims_are_split_and_the_rest_are_json() -> None:
    plain = Claim(
        "c-1", "s", parse_edtf("2018"), "stated", "event", "A [b]", "“q”", ("t",), ("X", "Y"), None, None, 1
    )
    assert codec.encode_claim(plain) == codec.FIELD.join(["c-1", "stated", "A [b]", "“q”", "X\x1dY", "", "1"])
    for odd in (
        plain._replace(summary="a\x1fb"),
        plain._replace(quote="a\x1eb"),
        plain._replace(actors=("a\x1db",)),
        plain._replace(actors=("",)),
        plain._replace(date_note=""),
    ):
        assert codec.encode_claim(odd).startswith(codec.ROW + "[")
        assert decode([row(plain), row(odd)], [plain, odd]) == [plain, odd]


def test_shared_values_are_one_object() -> None:
    a = Claim("a", "s", None, "stated", "event", "x", "y", (), ("P", "Q"))
    b = a._replace(id="b")
    x, y = decode([row(a), row(b)], [a, b])
    assert x.actors is y.actors and x.date_basis is y.date_basis


GOOD = Claim("a", "s", None, "stated", "event", "x", "y", (), ("P",), None, None, 2)


@pytest.mark.parametrize(
    "damaged",
    [
        b"a\x1fstated\x1fx\x1fy\x1fP\x1f\x1f2\x1fextra",  # a field too many
        b"a\x1fstated\x1fx\x1fy\x1fP\x1f",  # one too few
        b"a\x1fstated\x1fx\x1fy\x1fP\x1f\x1f3",  # a stance out of range
        b"a\x1fstated\x1fx\x1fy\x1fP\x1f\x1f+1",
        b"a\x1fstated\x1f\xff\x1fy\x1fP\x1f\x1f2",  # not UTF-8
        b'\x1e["a","stated","x","y",["P"],null,3]',  # JSON rows: a stance out of range
        b'\x1e["a","stated","x","y","P",null,2]',  # actors not a list
        b'\x1e["a","stated",1,"y",["P"],null,2]',  # a summary not text
        b'\x1e["a","stated","x","y",["P"],null]',  # a field short
        b'\x1e{"a":1}',
        b"\x1e[",
    ],
)
def test_a_damaged_row_is_an_error(damaged: bytes) -> None:
    with pytest.raises((ValueError, TypeError, KeyError)):
        decode([damaged], [GOOD])
    with pytest.raises((ValueError, TypeError, KeyError)):  # and among good rows
        decode([row(GOOD), damaged, row(GOOD)], [GOOD, GOOD, GOOD])


def test_rows_that_do_not_match_their_count() -> None:
    with pytest.raises(ValueError):
        decode([row(GOOD) + b"\x1f" + row(GOOD)], [GOOD])


@pytest.mark.parametrize("text", ["2016/..", "2016/", "../2016", "/2016", "2011~/..", "1965/1970"])
def test_open_and_unknown_interval_ends_survive_the_round_trip(text: str) -> None:
    d = parse_edtf(text)
    back = codec.decode_date(json.loads(json.dumps(codec.encode_date(d))))
    assert back == d and (back.open_start, back.open_end, back.label) == (d.open_start, d.open_end, d.label)
