from __future__ import annotations

import pytest

from pakru import query
from pakru.search import expand, search


def run(store, q: str, f: query.Filters | None = None, limit: int | None = None):  # type: ignore[no-untyped-def]
    return search(store, q, f, limit)


def ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.claim.id for h in results.hits]


@pytest.mark.parametrize(
    ("q", "expected_first"),
    [
        ("Gwadar", "alpha-002"),
        ("gwadr", "alpha-002"),
        ("GWADAR!!", "alpha-002"),
        ("Bajva", "alpha-004"),
        ("Mi35", "alpha-003"),
        ("heli", "alpha-003"),
    ],
)
def test_typos_case_punctuation(fixture_store, q: str, expected_first: str) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(fixture_store, q))[0] == expected_first


def test_alias_finds_other_wording(fixture_store) -> None:  # type: ignore[no-untyped-def]
    # beta-003 says "ISIS", alpha-004 says "Daesh": each finds the other through the topic's aliases
    assert {"alpha-004", "beta-003"} <= set(ids(run(fixture_store, "Daesh")))
    assert {"alpha-004", "beta-003"} <= set(ids(run(fixture_store, "ISIL")))


def test_scores_and_fields(fixture_store) -> None:  # type: ignore[no-untyped-def]
    r = run(fixture_store, "Gwadar")
    top = r.hits[0]
    assert top.score == 100 and top.matched[0] == "summary" and "gwadar" in top.terms
    assert all(0 <= h.score <= 100 for h in r.hits)


def test_long_text_does_not_outrank_exact_short_match(shipped_store) -> None:  # type: ignore[no-untyped-def]
    r = run(shipped_store, "Gwadar")
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)
    first = r.hits[0].claim
    assert "gwadar" in (first.summary + first.quote).lower()
    from pakru.textnorm import fold

    exact = [h for h in r.hits if "gwadar" in fold(h.claim.summary).split()]
    lengths = {len(h.claim.summary) for h in exact}
    assert max(lengths) > 2 * min(lengths)  # short and long claims alike...
    assert {h.score for h in exact} == {100.0}  # ...score the same for the same exact word


@pytest.mark.parametrize(
    ("q", "needle"),
    [
        ("Tashkant agreemnt", "unsigned-023"),
        ("Gwadr", "naseer-034"),
        ("Bajva", "rizvi-005"),
        ("Moeed Yusuf", "unsigned-104"),
        ("Drouzba", "unsigned-064"),
    ],
)
def test_shipped_queries(shipped_store, q: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    found = ids(run(shipped_store, q))
    assert needle in found[:5], found[:10]


def test_weak_matches_dropped_and_suggestions(fixture_store) -> None:  # type: ignore[no-untyped-def]
    r = run(fixture_store, "zebra crossing")
    assert r.hits == ()
    r = run(fixture_store, "helicoptr embargos zzz")
    assert all(h.score >= 60 for h in r.hits)
    r = run(fixture_store, "Gwadra portz qqqq wwww")
    assert not r.hits and "Gwadar" in r.suggestions


def test_filters_and_limit(fixture_store) -> None:  # type: ignore[no-untyped-def]
    assert set(ids(run(fixture_store, "embargo", query.Filters(sources=("beta",))))) == {"beta-001"}
    assert len(run(fixture_store, "Russia", limit=2).hits) == 2


def test_expand_short_words_exact_only() -> None:
    vocab = ("us", "use", "usa", "gwadar", "gwadr")
    assert expand("us", vocab) == {"us": 100.0}
    assert expand("gwadr", vocab)["gwadar"] > 75


def test_stopwords_ignored(fixture_store) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(fixture_store, "the Gwadar"))[0] == "alpha-002"


def test_filters_return_new_lists(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    before = list(d.claims)
    out = query.apply(d.claims, query.Filters(kinds=("event",)))
    assert out is not d.claims and list(d.claims) == before
    assert all(c.kind == "event" for c in out)
    dated = query.apply(d.claims, query.Filters(start=__import__("datetime").date(2015, 1, 1)))
    assert {c.id for c in dated} == {
        "alpha-002",
        "alpha-003",
        "alpha-004",
        "alpha-006",
        "alpha-007",
        "beta-002",
    }


def test_resolve_names(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    from pakru.errors import QueryError

    d = fixture_dataset
    assert query.resolve_topic(d, "Daesh").id == "isis"
    assert query.resolve_topic(d, "helicopter").id == "helicopters"
    assert query.resolve_source(d, "Alpha").id == "alpha"
    assert query.resolve_source(d, "unsigned").id == "beta"
    with pytest.raises(QueryError, match="unknown topic 'astronomy'"):
        query.resolve_topic(d, "astronomy")
    with pytest.raises(QueryError, match="nearest: india"):
        query.resolve_topic(d, "Indonesia")


def test_a_topic_id_names_that_topic_before_any_alias(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    # another topic whose alias folds to the id "india": the id, given exactly, still wins
    decoy = d.topics[0]._replace(aliases=("India",))
    d = d._replace(topics=(decoy, *d.topics[1:]))
    assert query.resolve_topic(d, "india").id == "india"
    assert query.resolve_topic(d, "India").id == decoy.id  # not an id: the names, in order


def test_store_where_agrees_with_apply(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """The filters as SQL (Store.where) select exactly what query.apply does, in the same order."""
    from datetime import date

    d = shipped_dataset
    cases = [
        query.Filters(),
        query.Filters(topics=("india",)),
        query.Filters(topics=("india", "china"), kinds=("assessment",)),
        query.Filters(sources=("karim", "rana")),
        query.Filters(start=date(2014, 1, 1)),
        query.Filters(end=date(1971, 12, 31)),
        query.Filters(start=date(2016, 6, 1), end=date(2018, 3, 1), sources=("rizvi", "naseer", "unsigned")),
    ]
    for f in cases:
        where, params = shipped_store.where(f)
        got = [c.id for c in shipped_store.claims_at(shipped_store.rowids(where, params, "claims.rowid"))]
        assert got == [c.id for c in query.apply(d.claims, f)], f


def test_fold_many_is_fold() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pakru.textnorm import fold, fold_many

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.text(
                alphabet=st.sampled_from(list(" \t\n_-.,'\"AbcZ09é\x1f’ßİǅ\u0301ﬁ½Д\U0001d400\ua66e")),
                max_size=12,
            ),
            max_size=6,
        )
    )
    def same(texts: list[str]) -> None:
        assert fold_many(texts) == [fold(t) for t in texts]

    same()
    assert fold_many(["  Gwadar Port!! ", "Mi-35M_x", ""]) == ["gwadar port", "mi 35m x", ""]
