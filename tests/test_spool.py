"""store/spool.py: the quotes kept aside during a first run come back grouped by source, in the
order asked, each source's in the order they were added."""

from __future__ import annotations

import pytest

from pakru.store import spool
from pakru.store.spool import QuoteSpool


def test_quotes_come_back_by_source_in_the_order_asked() -> None:
    kept = QuoteSpool()
    try:
        kept.add("b", "c1", "first of b", 10, 5)
        kept.add("a", "c2", "only of a", 20, 5)
        kept.add("b", "c3", "second of b", 30, 7)
        kept.add("z", "c4", "of a source not asked for", 40, 5)
        got = list(kept.by_source(["a", "empty", "b"]))
    finally:
        kept.close()
    assert got == [
        [("c2", "only of a", 20, 5)],
        [],
        [("c1", "first of b", 10, 5), ("c3", "second of b", 30, 7)],
    ]


def test_no_claims_is_an_empty_list_per_source() -> None:
    kept = QuoteSpool()
    assert list(kept.by_source(["a", "b"])) == [[], []]
    kept.close()


def test_many_batches_keep_every_quote_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "BATCH", 7)
    kept = QuoteSpool()
    try:
        for n in range(100):
            kept.add(f"s{n % 3}", f"c{n}", f"quote {n}", n + 1, 1)
        got = list(kept.by_source(["s2", "s0", "s1"]))
    finally:
        kept.close()
    assert [len(group) for group in got] == [33, 34, 33]
    assert [q[0] for q in got[0]] == [f"c{n}" for n in range(2, 100, 3)]
    assert sorted(q[1] for group in got for q in group) == sorted(f"quote {n}" for n in range(100))


def test_text_is_kept_as_written() -> None:
    odd = "’Ünïcode\x00 'quoted' \"double\" ; DROP TABLE quotes; --\u2028"
    kept = QuoteSpool()
    try:
        kept.add("s", "c", odd, 1, 1)
        assert list(kept.by_source(["s"])) == [[("c", odd, 1, 1)]]
    finally:
        kept.close()
