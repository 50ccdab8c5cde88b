"""Search: ranking, phrases, exclusion, typos, synonyms, honesty about approximate matches."""

from __future__ import annotations

import pytest

from pakru.core.errors import QueryError
from pakru.queries import query
from pakru.queries.search import search
from pakru.queries.searchterms import edit_budget, parse


@pytest.fixture
def store(fixture_store):  # type: ignore[no-untyped-def]
    return fixture_store


def run(store, q: str, f: query.Filters | None = None, limit: int | None = None):  # type: ignore[no-untyped-def]
    return search(store, q, f or query.Filters(), limit)


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
        ("Where was the first joint exercise held?", "alpha-002"),
        ("When did Russia lift the arms embargo?", "alpha-001"),
    ],
)
def test_first_hit(store, q: str, expected_first: str) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(store, q))[0] == expected_first


def test_more_matched_words_rank_higher_and_rare_words_weigh_more(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "Russia arms embargo 2014")
    assert ids(r)[0] == "alpha-001"  # all four words
    assert r.hits[0].score == 100
    assert "beta-001" in ids(r) and r.hits[ids(r).index("beta-001")].score < 100
    # "embargo" is rarer than "Russia": a claim with only it outranks one with only Russia
    r = run(store, "Russia embargo")
    scores = {h.claim.id: h.score for h in r.hits}
    assert scores["beta-001"] > scores.get("alpha-004", 0)


def test_stopwords_and_question_words_never_match(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "what did the")
    assert r.hits == () and r.terms == () and set(r.ignored) == {"what", "did", "the"}
    assert ids(run(store, "the Gwadar"))[0] == "alpha-002"


def test_empty_or_punctuation_query_is_an_error(store) -> None:  # type: ignore[no-untyped-def]
    for q in ("", "   ", "?!", '""'):
        with pytest.raises(QueryError):
            run(store, q)


def test_phrase(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, '"arms embargo"')
    assert ids(r)[0] == "alpha-001" and r.hits[0].score == 100  # the only claim that says it
    assert all("text" not in h.matched for h in r.hits[1:])  # the others: a topic's or event's name
    assert ids(run(store, "“arms embargo”")) == ids(r)


def test_exclusion(store) -> None:  # type: ignore[no-untyped-def]
    assert "beta-001" in ids(run(store, "embargo"))
    got = ids(run(store, "embargo -2013"))
    assert "beta-001" not in got and "alpha-001" in got
    assert "alpha-001" not in ids(run(store, 'embargo -"arms embargo"'))
    with pytest.raises(QueryError):
        run(store, "-embargo")


def test_stemming(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "lifting")  # "lifted" in alpha-001's quote
    assert ids(r)[0] == "alpha-001" and not r.hits[0].approximate
    assert r.hits[0].terms == {"lifting": "lifted"}


@pytest.mark.parametrize(
    ("word", "budget"), [("iss", 0), ("isis", 1), ("exercise", 1), ("exercises", 2), ("2014", 0)]
)
def test_edit_budget_edges(word: str, budget: int) -> None:
    assert edit_budget(word) == budget


def test_typo_budget_in_search(store) -> None:  # type: ignore[no-untyped-def]
    assert run(store, "Gwdr").hits == ()  # 4 letters, 2 edits from "gwadar": beyond the budget of 1
    assert ids(run(store, "Bajwq"))[0] == "alpha-004"  # 5 letters, 1 edit
    assert ids(run(store, "helicoptr"))[0] in {"alpha-003", "beta-002"}  # 9 letters, 1 edit
    assert ids(run(store, "helicptrs"))[0] in {"alpha-003", "beta-002"}  # 9 letters, 2 edits
    assert run(store, "hlcptrs").hits == ()  # 7 letters: only 1 edit allowed
    assert run(store, "Bjw").hits == ()  # under 4 letters: never expanded


def test_transposition_is_one_edit(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "Bjawa")  # "Bajwa" with two letters swapped
    assert ids(r)[0] == "alpha-004"
    assert r.hits[0].terms == {"bjawa": "bajwa"} and r.hits[0].approximate


def test_a_misspelt_name_finds_its_synonyms_too(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "Daesch")
    assert {"alpha-004", "beta-003"} <= set(ids(r)) and all(h.approximate for h in r.hits)


def test_typos_never_expand_to_stopwords(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "wast")  # one edit from "was", "east"?: never from a stopword
    assert all("was" not in h.terms.values() for h in r.hits)


def test_approximate_is_said_first(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "gwadr")
    assert r.notices == ("no claim contains 'gwadr'; showing matches for 'gwadar'",)
    assert all(h.approximate for h in r.hits) and r.hits[0].terms == {"gwadr": "gwadar"}
    r = run(store, "Gwadar")
    assert r.notices == () and not r.hits[0].approximate


def test_exact_words_rank_above_expansions(store) -> None:  # type: ignore[no-untyped-def]
    exact = run(store, "Gwadar").hits[0].score
    expanded = run(store, "gwadr").hits[0].score
    assert exact == 100 and expanded < exact


def test_absent_word_gives_no_confident_hit(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "nuclear")
    assert r.hits == () and r.notices == ("no claim contains 'nuclear'",)
    r = run(store, "nuclear Gwadar")
    assert ids(r)[0] == "alpha-002" and r.hits[0].terms == {"nuclear": None, "gwadar": "gwadar"}
    assert r.hits[0].score < 60


def test_synonyms_both_ways_weighted_like_the_word(store) -> None:  # type: ignore[no-untyped-def]
    daesh = run(store, "Daesh")
    islamic_state = run(store, "Islamic State")
    assert set(ids(daesh)) == set(ids(islamic_state)) == {"alpha-004", "beta-003"}
    assert daesh.hits[0].claim.id == "alpha-004" and daesh.hits[0].score == 100
    assert daesh.hits[1].score == 85 and daesh.hits[1].terms == {"daesh": "islamic state"}
    assert islamic_state.hits[0].claim.id == "beta-003"
    assert {h.claim.id for h in run(store, "Mi35").hits} >= {"alpha-003"}


def test_topic_alias_is_not_a_flat_score_for_the_topic(store) -> None:  # type: ignore[no-untyped-def]
    # "weapons" is a sign of the defence topic, not a synonym: claims only tagged with the topic
    # rank low (topics count 0.3), never as if they said the word
    r = run(store, "weapons")
    assert r.hits and all(h.score <= 30 and h.matched == ("topics",) for h in r.hits)


def test_hit_says_how_many_sources_attest_its_event(store) -> None:  # type: ignore[no-untyped-def]
    for h in run(store, "embargo").hits:
        if h.claim.event:
            assert h.attested_by == len({c.source for c in store.dataset.attestations(h.claim.event)})
        else:
            assert h.attested_by is None


def test_filters_and_limit(store, fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    f = query.Filters(sources=("beta",))
    assert set(ids(run(store, "embargo helicopters", f))) <= {"beta-001", "beta-002", "beta-003"}
    assert len(run(store, "Russia", limit=1).hits) == 1


def test_parse() -> None:
    assert [p.tokens for p in parse('Khan\'s "arms  embargo" -Mi-35')] == [
        ("khan",),
        ("arms", "embargo"),
        ("mi", "35"),
    ]
    assert [p.negated for p in parse('a -b -"c d"')] == [False, True, True]


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
    from pakru.core.errors import QueryError

    d = fixture_dataset
    assert query.resolve_topic(d, "Daesh").id == "isis"
    assert query.resolve_topic(d, "helicopter").id == "helicopters"
    assert query.resolve_source(d, "Alpha").id == "alpha"
    assert query.resolve_source(d, "unsigned").id == "beta"
    with pytest.raises(QueryError, match="unknown topic 'astronomy'"):
        query.resolve_topic(d, "astronomy")
    with pytest.raises(QueryError, match="nearest: india"):
        query.resolve_topic(d, "Indonesia")
    # one edit of a short name: two letters swapped, one dropped, one doubled
    assert [query.resolve_topic(d, q).id for q in ("Inida", "Indi", "Inddia")] == ["india"] * 3
    with pytest.raises(QueryError, match="unknown topic 'Ind'"):  # too short to guess
        query.resolve_topic(d, "Ind")


def test_a_topic_id_names_that_topic_before_any_alias(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    # another topic whose alias folds to the id "india": the id, given exactly, still wins
    decoy = d.topics[0]._replace(aliases=("India",))
    d = d._replace(topics=(decoy, *d.topics[1:]))
    assert query.resolve_topic(d, "india").id == "india"
    assert query.resolve_topic(d, "India").id == decoy.id  # not an id: the names, in order


def test_store_where_agrees_with_apply(shipped_store, shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """The filters as SQL (Store.where) keep exactly the claims query.apply keeps, in order."""
    from datetime import date

    d, store = shipped_dataset, shipped_store
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
        where, params = store.where(f)
        rowids = store.rowids(where, params, "claims.rowid")
        assert [c.id for c in store.claims_at(rowids)] == [c.id for c in query.apply(d.claims, f)], f


def test_fold_many_is_fold() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pakru.core.textnorm import fold, fold_many

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


def test_common_terms_are_scored_on_the_claims_rare_ones_find(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pakru.queries import search as search_module

    exact = ids(run(store, "Bajwa Moscow Daesh"))
    monkeypatch.setattr(search_module, "SELECTIVE", 2)  # every term "common" but "bajwa"
    bounded = run(store, "Bajwa Moscow Daesh")
    assert ids(bounded)[0] == exact[0] == "alpha-004" and bounded.hits[0].score == 100
    assert not [n for n in bounded.notices if "searched the first" in n]


def test_a_query_of_common_words_searches_the_first_part_of_the_dataset_and_says_so(
    store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from pakru.queries import search as search_module

    whole = run(store, "Russia Pakistan")
    assert not whole.notices
    monkeypatch.setattr(search_module, "SELECTIVE", 3)  # both words "common": in more than 3 claims
    part = run(store, "Russia Pakistan")
    order = [c.id for c in store.dataset.claims]
    (notice,) = part.notices
    first = int(notice.split("searched the first ")[1].split(" of ")[0])
    assert f"of {len(order)} claims only" in notice and 2 <= first < len(order)
    assert part.hits and {h.claim.id for h in part.hits} <= set(order[:first])
    # the window ends at the rarest word's third claim: what the whole search finds there, it finds
    in_window = [h.claim.id for h in whole.hits if h.claim.id in order[:first]]
    assert set(in_window) <= {h.claim.id for h in part.hits}
    assert ids(run(store, "gwadr"))[0] == "alpha-002"  # a typo's expansions: the same bound


def test_rapidfuzz_only_for_a_word_that_needs_expanding() -> None:
    import subprocess
    import sys

    from conftest import FIXTURE

    code = (
        "import sys; from pakru.store.open import open_store;"
        "from pakru.queries.search import search; from pakru.queries.query import Filters;"
        f"s = open_store({str(FIXTURE)!r}, use_cache=False);"
        "search(s, 'Why did Russia lift the embargo?', Filters()); print('rapidfuzz' in sys.modules);"
        "search(s, 'gwadr', Filters()); print('rapidfuzz' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_a_year_or_decade_finds_the_claims_dated_within_it(store) -> None:  # type: ignore[no-untyped-def]
    from pakru.queries.searchterms import period

    dated_2018 = {c.id for c in store.dataset.claims if c.date is not None and c.date.text.startswith("2018")}
    hits = run(store, "2018").hits
    assert dated_2018 <= {h.claim.id for h in hits}
    by_date = next(h for h in hits if h.claim.id == "alpha-002")  # its text says "last year", not 2018
    assert "date" in by_date.matched and by_date.terms == {"2018": "2018"} and by_date.score < 100
    assert ids(run(store, "Where was the exercise in 2018?"))[0] == "alpha-002"
    decade = {h.claim.id for h in run(store, "2010s").hits}
    assert {"alpha-001", "beta-001", "alpha-007"} <= decade
    assert "alpha-006" not in decade  # "2016/..": not within the decade, it goes on
    assert not {c.id for c in store.dataset.claims if c.date is None} & decade
    assert period("1960s") == (period("1960")[0], period("1969")[1])  # type: ignore[index]
    assert period("1960s2") is None and period("3000") is None and period("999") is None


def test_an_irregular_verb_finds_its_other_forms(store) -> None:  # type: ignore[no-untyped-def]
    from pakru.queries.searchterms import verb_forms

    assert set(verb_forms("give")) == {"gave", "given"} and "give" in verb_forms("gave")
    assert verb_forms("lift") == ()
    hit = run(store, "Where did they hold the first exercise?").hits[0]
    assert hit.claim.id == "alpha-002" and hit.terms["hold"] == "held" and not hit.approximate


def test_a_word_typed_short_finds_the_words_it_begins(store) -> None:  # type: ignore[no-untyped-def]
    r = run(store, "helicop")  # no claim holds it; two words begin with it, none is a typo of it
    assert ids(r)[0] in {"alpha-003", "beta-002"} and all(h.approximate for h in r.hits)
    assert r.notices[0].startswith("no claim contains 'helicop'; showing matches for 'helicopter")
    r = run(store, "Heli")  # completed (to "helicopters" and its synonyms), not a typo of "held"
    assert r.hits and not any({"held", "help"} & set(h.terms.values()) for h in r.hits)
    assert run(store, "Gwad").hits[0].terms == {"gwad": "gwadar"}
    assert run(store, "Gwa").hits == ()  # under 4 letters: never completed


def test_a_dataset_smaller_than_the_bound_is_searched_whole(shipped_store) -> None:  # type: ignore[no-untyped-def]
    """ "Russia" and its synonyms and forms are in more claims together than the shipped dataset
    has; it is still searched whole (no "searched the first ..." notice)."""
    r = search(shipped_store, "Russia", query.Filters())
    assert r.notices == () and len(r.hits) > 20
