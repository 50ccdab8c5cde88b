from __future__ import annotations

from pakru import timeline
from pakru.compare import compare


def test_order_grouping_and_undated(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    t = timeline.build(d)
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
    assert [e.heading for e in timeline.build(d, by="year").entries][:3] == ["2013", "2015", "2016"]


def test_no_conflict_when_dates_overlap(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    entry = timeline.build(d, [d.claims.index_of("alpha-001")]).entries[0]
    assert not entry.conflict


def test_compare(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    cmp = compare(d, d.topic_by_id["arms-embargo"])
    assert [v.source.id for v in cmp.views] == ["alpha", "beta"]
    assert cmp.views[0].stance == 2 and cmp.views[1].stance is None
    assert cmp.silent == ()
    (shared,) = cmp.shared
    assert shared.event.id == "embargo-lifted" and not shared.agree
    india = compare(d, d.topic_by_id["india"])
    assert [s.id for s in india.silent] == ["alpha"] and india.views[0].stance == -1
    only_alpha = compare(d, d.topic_by_id["india"], None, [d.source_by_id["alpha"]])
    assert only_alpha.views == () and [s.id for s in only_alpha.silent] == ["alpha"]


def test_shipped_mi35_delivery_conflict(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    d = shipped_dataset
    indices = [d.claims.index_of(c.id) for c in d.attestations("mi35-delivery")]
    entry = timeline.build(d, indices).entries[0]
    assert entry.conflict
    assert sorted(c.date.text for c in entry.claims if c.date) == ["2017", "2018"]


def test_limit_counts_claims_and_cuts_groups(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    t = timeline.build(fixture_dataset, limit=1)
    assert [c.id for c in t.claims] == ["beta-001"]
    assert len(timeline.build(fixture_dataset, limit=4).claims) == 4


def test_compare_matches_a_plain_reading_on_every_topic(shipped, shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """compare() sorts and groups on the columns; this is the same thing said the slow way,
    on the shipped data, both from memory and from the cache, for every topic and a source filter."""
    from pakru import query as q
    from pakru.model import Claim
    from pakru.store import open_dataset

    def _chronological(c: Claim) -> tuple[bool, tuple[int, int], str]:
        return (c.date is None, c.date.sort_key if c.date else (0, 0), c.id)

    cached = open_dataset(shipped).dataset
    for d in (shipped_dataset, cached):
        everyone = sorted(d.sources, key=lambda s: s.published.sort_key)
        for topic in d.topics:
            for chosen in (None, everyone[1:3]):
                sources = everyone if chosen is None else chosen
                result = compare(d, topic, q.select(d, q.Filters()), chosen)
                on_topic = [c for c in d.claims if topic.id in c.topics]
                expected = [
                    (s.id, tuple(sorted((c for c in on_topic if c.source == s.id), key=_chronological)))
                    for s in sources
                ]
                assert [(v.source.id, v.claims) for v in result.views] == [e for e in expected if e[1]]
                assert [s.id for s in result.silent] == [sid for sid, claims in expected if not claims]
                mine = [c for c in on_topic if c.source in {s.id for s in sources}]
                events = dict.fromkeys(c.event for c in mine if c.event is not None)
                shared = [
                    (e, tuple(sorted((c for c in mine if c.event == e), key=_chronological))) for e in events
                ]
                assert [(x.event.id, x.claims) for x in result.shared] == [
                    (e, cs) for e, cs in shared if len({c.source for c in cs}) > 1
                ]


def test_timeline_order_matches_a_plain_sort(shipped, shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """order() sorts packed int keys; this is the same order from a tuple key, on the shipped
    data from memory and from the cache, whole and on every source's claims."""
    import random

    from pakru.store import open_dataset
    from pakru.table import UNDATED

    def reference(d, indices):  # type: ignore[no-untyped-def]
        t = d.claims
        published = [s.published.start.toordinal() for s in d.sources]

        def key(i: int) -> tuple[int, int, int, int]:
            if t.start[i] == UNDATED:
                return (10**7, published[t.source[i]], 0, i)
            return (t.start[i], t.end[i], published[t.source[i]], i)

        groups: dict[int, list[int]] = {}
        out: list[list[int]] = []
        for i in sorted(indices, key=key):
            e = t.event[i]
            if e < 0:
                out.append([i])
            elif e in groups:
                groups[e].append(i)
            else:
                groups[e] = [i]
                out.append(groups[e])
        return out

    rng = random.Random(5)
    for d in (shipped_dataset, open_dataset(shipped).dataset):
        everything = list(range(len(d.claims)))
        samples = [everything, sorted(rng.sample(everything, 100)), everything[::-1]]
        samples += [[i for i in everything if d.claims.source[i] == s] for s in range(len(d.sources))]
        for indices in samples:
            full = reference(d, indices)
            assert timeline.order(d, indices) == full
            for limit in (1, 7, 50, len(indices) - 1):
                shown, left = [], limit
                for group in full:  # what build() shows of the whole order, up to limit claims
                    if left <= 0:
                        break
                    shown.append(group[:left])
                    left -= len(shown[-1])
                got = timeline.build(d, indices, limit=limit)
                assert [[d.claims.index_of(c.id) for c in e.claims] for e in got.entries] == shown
