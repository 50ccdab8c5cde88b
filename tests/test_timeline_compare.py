from __future__ import annotations

from pakru.core.model import Claim
from pakru.queries import timeline
from pakru.queries.compare import Bounds, compare
from pakru.queries.query import Filters, apply


def test_order_grouping_and_undated(fixture_store) -> None:  # type: ignore[no-untyped-def]
    t = timeline.build(fixture_store)
    order = [c.id for c in t.claims]
    assert order == [
        "beta-001",
        "alpha-001",
        "alpha-003",
        "alpha-006",
        "alpha-007",
        "beta-002",
        "alpha-002",
        "alpha-004",
        "alpha-005",
        "beta-003",
        "beta-004",
    ]
    first = t.entries[0]
    assert first.event == "embargo-lifted" and first.sources == ("beta", "alpha") and first.conflict
    assert t.entries[-1].heading == timeline.UNDATED
    assert {e.heading for e in t.entries} == {"2010s", timeline.UNDATED}
    assert [e.heading for e in timeline.build(fixture_store, by="year").entries][:3] == [
        "2013",
        "2015",
        "since 2016",
    ]


def test_no_conflict_when_dates_overlap(fixture_store) -> None:  # type: ignore[no-untyped-def]
    entry = timeline.build(fixture_store, Filters(sources=("alpha",)), event="embargo-lifted").entries[0]
    assert [c.id for c in entry.claims] == ["alpha-001"] and not entry.conflict


def test_compare(fixture_store) -> None:  # type: ignore[no-untyped-def]
    d = fixture_store.dataset
    for bounded in (None, Bounds()):
        cmp = compare(fixture_store, d.topic_by_id["arms-embargo"], bounded=bounded)
        assert [v.source.id for v in cmp.views] == ["alpha", "beta"]
        assert cmp.views[0].stance == 2 and cmp.views[1].stance is None
        assert cmp.silent == ()
        (shared,) = cmp.shared
        assert shared.event.id == "embargo-lifted" and not shared.agree
        india = compare(fixture_store, d.topic_by_id["india"], bounded=bounded)
        assert [s.id for s in india.silent] == ["alpha"] and india.views[0].stance == -1
        only_alpha = compare(
            fixture_store, d.topic_by_id["india"], None, [d.source_by_id["alpha"]], bounded=bounded
        )
        assert only_alpha.views == () and [s.id for s in only_alpha.silent] == ["alpha"]
        assert not cmp.bounded


def test_bounded_compare_counts_what_it_leaves_out(shipped_store) -> None:  # type: ignore[no-untyped-def]
    d = shipped_store.dataset
    india = d.topic_by_id["india"]
    full = compare(shipped_store, india)
    small = compare(shipped_store, india, bounded=Bounds(sources=2, claims=3, shared=1))
    assert [v.source.id for v in small.views] == [v.source.id for v in full.views][:2]
    for got, want in zip(small.views, full.views, strict=False):
        assert got.claims == want.claims[:3] and got.claim_count == len(want.claims)
        assert got.stance == want.stance
    assert small.more_views == len(full.views) - 2 and small.bounded
    assert small.more_shared == max(0, len(full.shared) - 1) and len(small.shared) == min(1, len(full.shared))


def test_shipped_mi35_delivery_conflict(shipped_store) -> None:  # type: ignore[no-untyped-def]
    entry = timeline.build(shipped_store, event="mi35-delivery").entries[0]
    assert entry.conflict
    assert sorted(c.date.text for c in entry.claims if c.date) == ["2017", "2018"]


def test_limit_counts_claims_and_cuts_groups(fixture_store) -> None:  # type: ignore[no-untyped-def]
    t = timeline.build(fixture_store, limit=1)
    assert [c.id for c in t.claims] == ["beta-001"]
    assert len(timeline.build(fixture_store, limit=4).claims) == 4


def test_compare_matches_a_plain_reading_on_every_topic(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """compare() sorts and groups in SQL; this is the same thing said the slow way, on the shipped
    data in memory, for every topic and a source filter."""

    def _chronological(c: Claim) -> tuple[bool, tuple[int, int], str]:
        return (c.date is None, c.date.sort_key if c.date else (0, 0), c.id)

    d = shipped_dataset
    everyone = sorted(d.sources, key=lambda s: s.published.sort_key)
    for topic in d.topics:
        for chosen in (None, everyone[1:3]):
            sources = everyone if chosen is None else chosen
            result = compare(shipped_store, topic, None, chosen)
            on_topic = [c for c in d.claims if topic.id in c.topics]
            expected = [
                (s.id, tuple(sorted((c for c in on_topic if c.source == s.id), key=_chronological)))
                for s in sources
            ]
            assert [(v.source.id, v.claims) for v in result.views] == [e for e in expected if e[1]]
            assert [s.id for s in result.silent] == [sid for sid, claims in expected if not claims]
            mine = sorted((c for c in on_topic if c.source in {s.id for s in sources}), key=_chronological)
            events = dict.fromkeys(c.event for c in mine if c.event is not None)
            shared = [(e, tuple(c for c in mine if c.event == e)) for e in events]
            assert [(x.event.id, x.claims) for x in result.shared] == [
                (e, cs) for e, cs in shared if len({c.source for c in cs}) > 1
            ]
            for x in result.shared:  # the facts are the whole dataset's
                every = [c for c in d.claims if c.event == x.event.id]
                assert set(x.sources) == {c.source for c in every}


def test_timeline_order_matches_a_plain_sort(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """order() reads the date-order index; this is the same order from a tuple key over the
    shipped data in memory, whole, per source and per kind, whole and cut at several limits."""

    d = shipped_dataset
    published = {s.id: s.published.start.toordinal() for s in d.sources}
    position = {c.id: i for i, c in enumerate(d.claims)}

    def key(c: Claim) -> tuple[int, int, int, int]:
        if c.date is None:
            return (10**7, published[c.source], 0, position[c.id])
        first, last = c.date.start.toordinal(), c.date.end.toordinal()
        # an open start ("until c. December 2021", first day date.min) is placed by its last day
        return (last if first == 1 else first, last, published[c.source], position[c.id])

    def reference(claims: list[Claim]) -> list[list[str]]:
        groups: dict[str, list[str]] = {}
        out: list[list[str]] = []
        for c in sorted(claims, key=key):
            if c.event is None:
                out.append([c.id])
            elif c.event in groups:
                groups[c.event].append(c.id)
            else:
                groups[c.event] = [c.id]
                out.append(groups[c.event])
        return out

    cases = [Filters(), *(Filters(sources=(s.id,)) for s in d.sources), Filters(kinds=("assessment",))]
    for f in cases:
        from pakru.queries.query import apply

        full = reference(apply(d.claims, f))
        got = timeline.build(shipped_store, f)
        assert [[c.id for c in e.claims] for e in got.entries] == full
        n = sum(map(len, full))
        for limit in (1, 7, 50, n - 1):
            shown, left = [], limit
            for group in full:  # what build() shows of the whole order, up to limit claims
                if left <= 0:
                    break
                shown.append(group[:left])
                left -= len(shown[-1])
            got = timeline.build(shipped_store, f, limit=limit)
            assert [[c.id for c in e.claims] for e in got.entries] == shown


def test_an_open_start_sorts_by_its_end(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    """ "until 2017" (../2017) is filed under the 2010s and sits among them by its end, not before
    every dated claim (its first day is date.min)."""
    from pakru.core.dates import parse_edtf
    from pakru.core.model import Dataset
    from storedata import store_of

    d = fixture_dataset
    until = [c._replace(date=parse_edtf("../2017")) if c.id == "alpha-006" else c for c in d.claims]
    store = store_of(Dataset.of(d.sources, d.topics, d.actors, d.events, until, d.path, d.sources_dir))
    t = timeline.build(store)
    firsts = [e.claims[0].id for e in t.entries if e.heading != timeline.UNDATED]
    # after the 2017 helicopters (2017-01-01 on), before the 2018 claims; never first
    assert firsts == ["beta-001", "alpha-003", "alpha-007", "alpha-006", "alpha-002", "alpha-004"]
    entry = next(e for e in t.entries if "alpha-006" in {c.id for c in e.claims})
    assert entry.heading == "2010s"


def test_the_grid_counts_in_sql_what_a_plain_reading_counts(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """viewpoint_grid on the store (build-time counts without filters, one GROUP BY with them)
    against the claims in memory: per topic and source, the claims and their mean stance."""
    from datetime import date

    from pakru.queries.grid import viewpoint_grid

    d = shipped_dataset
    some = tuple(sorted(d.sources, key=lambda s: s.published.sort_key)[1:4])
    for f, sources in [
        (Filters(), None),
        (Filters(kinds=("prediction",)), None),
        (Filters(start=date(2014, 1, 1), undated=True), some),
        (Filters(end=date(2000, 12, 31)), None),
    ]:
        g = viewpoint_grid(shipped_store, f, sources, f.kinds)
        chosen = sources or tuple(d.sources)
        passed = [c for c in apply(d.claims, f) if c.source in {s.id for s in chosen}]
        expect: dict[str, dict[str, list[Claim]]] = {}
        for c in passed:
            for t in c.topics:
                expect.setdefault(t, {}).setdefault(c.source, []).append(c)
        assert {t.id for t in g.topics} == set(expect), f
        counts = [sum(len(v) for v in expect[t.id].values()) for t in g.topics]
        assert counts == sorted(counts, reverse=True)
        for t in g.topics:
            for s in g.sources:
                mine = expect[t.id].get(s.id, [])
                stances = [c.stance for c in mine if c.stance is not None]
                cell = g.cells[t.id][s.id]
                assert cell.claims == len(mine)
                assert cell.stance == (round(sum(stances) / len(stances), 1) if stances else None)
