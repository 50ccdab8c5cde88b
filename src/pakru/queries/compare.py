"""What each source says on one topic, and where the sources agree or differ.

compare() gives everything (for --json and --all). With ``bounded``, only the first sources,
the first claims of each and the first shared events, with the counts of the rest: what a
terminal shows of a topic that a million-claim dataset has 200,000 claims on.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pakru.core.model import Claim, Event, Source, Topic, dates_disagree
from pakru.core.record import Record
from pakru.queries.events import EventFacts, facts
from pakru.store.schema import DATE_ORDER

if TYPE_CHECKING:
    from pakru.core.model import Filters
    from pakru.store.open import Store


ON_TOPIC = "SELECT claim FROM claim_topics WHERE topic = ?"
# For a few claims at a time: one primary-key lookup each, where IN (ON_TOPIC) would first list
# every claim on the topic (200,000 of a million)
IS_ON_TOPIC = "EXISTS (SELECT 1 FROM claim_topics WHERE topic = ? AND claim = claims.rowid)"


class SourceView(Record):
    source: Source
    claims: tuple[Claim, ...]  # in date order: all, or the first few of a bounded comparison
    total: int | None = None  # how many claims it has on the topic, when not all are in claims
    mean_stance: float | None = None  # with total: the mean over all of them

    @property
    def claim_count(self) -> int:
        return len(self.claims) if self.total is None else self.total

    @property
    def stance(self) -> float | None:
        """The mean stance of the source's claims on the topic that carry one."""
        if self.total is not None:
            return self.mean_stance
        stances = [c.stance for c in self.claims if c.stance is not None]
        return round(sum(stances) / len(stances), 2) if stances else None


class SharedEvent(Record):
    """An event the compared claims report, with the facts of the whole dataset about it."""

    event: Event
    claims: tuple[Claim, ...]  # the compared claims that report it, in date order
    facts: EventFacts  # what every source says of it, whatever the filters (no claims built)
    disputed: tuple[Claim, ...] = ()  # when sources disagree: claims whose dates show it

    @property
    def sources(self) -> tuple[str, ...]:
        return self.facts.sources

    @property
    def dating_sources(self) -> tuple[str, ...]:
        return self.facts.dating_sources

    @property
    def agree(self) -> bool | None:
        """Whether the sources that date it agree; None when fewer than two sources date it."""
        return self.facts.agree


def _with_facts(store: "Store", found: Sequence[tuple[str, tuple[Claim, ...]]]) -> tuple[SharedEvent, ...]:
    """Shared events with the whole dataset's facts. A disagreement is shown by the compared
    claims when they disagree among themselves, else by two claims from elsewhere in the dataset
    (fetched in one batch)."""
    known = facts(store, (e for e, _ in found), claims="none")
    shared = [SharedEvent(known[e].event, claims, known[e]) for e, claims in found]
    fetch = [x for x in shared if x.facts.conflict and not dates_disagree(x.claims)]
    fetched = iter(store.claims_at([i for x in fetch for i in x.facts.witnesses]))
    proofs = {x.event.id: (next(fetched), next(fetched)) for x in fetch}
    return tuple(
        x._replace(disputed=proofs.get(x.event.id, x.claims)) if x.facts.conflict else x for x in shared
    )


class Comparison(Record):
    topic: Topic
    views: tuple[SourceView, ...]  # sources with something on the topic, oldest first
    silent: tuple[Source, ...]
    shared: tuple[SharedEvent, ...]  # events on the topic that two or more sources report
    more_views: int = 0  # of a bounded comparison: sources, silent sources and events not shown
    more_silent: int = 0
    more_shared: int = 0
    # claims were left out by date or kind: a "silent" source may say something on the topic
    # outside the filters, so it is only silent within them
    filtered: bool = False

    @property
    def silence(self) -> str:
        """What the sources of ``silent`` are, in a word: "silent", or "none" (within the filters)."""
        return "none" if self.filtered else "silent"

    @property
    def bounded(self) -> bool:
        return any(v.total is not None and v.total > len(v.claims) for v in self.views) or bool(
            self.more_views or self.more_silent or self.more_shared
        )


class Bounds(Record):
    sources: int = 25
    claims: int = 25  # per source
    shared: int = 25


def _source_order(store: "Store", sources: Sequence[Source] | None) -> list[Source]:
    if sources is not None:
        return sorted(sources, key=lambda s: s.published.sort_key)
    return sorted(store.dataset.sources, key=lambda s: s.published.sort_key)


def compare(
    store: "Store",
    topic: Topic,
    f: "Filters | None" = None,
    sources: Sequence[Source] | None = None,
    *,
    bounded: Bounds | None = None,
) -> Comparison:
    """Compare the sources on ``topic``, over the claims that pass ``f`` (all by default)."""
    if bounded is not None:
        return _bounded(store, topic, f, sources, bounded)
    chosen = _source_order(store, sources)
    where, params = store.where(f)
    sql = (
        "SELECT claims.rowid FROM claims WHERE claims.rowid IN (SELECT claim FROM claim_topics WHERE topic = "
        f"(SELECT no FROM topics WHERE id = ?)) AND {where} ORDER BY {DATE_ORDER}"
    )
    on_topic = store.claims_at([r[0] for r in store.conn.execute(sql, (topic.id, *params))])
    wanted = {s.id for s in chosen}
    mine: dict[str, list[Claim]] = {}
    for c in on_topic:
        if c.source in wanted:
            mine.setdefault(c.source, []).append(c)
    views, silent = [], []
    for source in chosen:
        claims = mine.get(source.id)
        if claims:
            views.append(SourceView(source, tuple(claims)))
        else:
            silent.append(source)
    return Comparison(
        topic,
        tuple(views),
        tuple(silent),
        _shared(store, [c for c in on_topic if c.source in wanted]),
        filtered=_filtered(f),
    )


def _filtered(f: "Filters | None") -> bool:
    return f is not None and (f.start is not None or f.end is not None or bool(f.kinds))


def _shared(store: "Store", claims: Sequence[Claim]) -> tuple[SharedEvent, ...]:
    """Events in the order their first claim comes, each with its claims in date order."""
    by_event: dict[str, list[Claim]] = {}
    for c in claims:
        if c.event is not None:
            by_event.setdefault(c.event, []).append(c)
    return _with_facts(
        store, [(e, tuple(cs)) for e, cs in by_event.items() if len({c.source for c in cs}) > 1]
    )


def _bounded(
    store: "Store", topic: Topic, f: "Filters | None", sources: Sequence[Source] | None, bounds: Bounds
) -> Comparison:
    """The first sources and claims, counted and averaged in SQL: work that grows with what is shown."""
    conn = store.conn
    where, params = store.where(f)
    topic_no = conn.execute("SELECT no FROM topics WHERE id = ?", (topic.id,)).fetchone()[0]
    only = "" if sources is None else f" AND sources.id IN ({','.join('?' * len(sources))})"
    only_params = () if sources is None else tuple(s.id for s in sources)
    order = "sources.pub, sources.pub_end, sources.pos"
    if where == "1":  # counted at build
        stats = (
            "SELECT sources.no, ts.claims, "
            "CASE WHEN ts.stances THEN round(1.0 * ts.stance_sum / ts.stances, 2) END "
            "FROM topic_source ts JOIN sources ON sources.no = ts.source "
            f"WHERE ts.topic = ?{only} ORDER BY {order}"
        )
        stats_params: tuple[object, ...] = (topic_no, *only_params)
    else:
        stats = (
            "SELECT sources.no, count(*), round(avg(claims.stance), 2) "
            f"FROM claims JOIN sources ON sources.no = claims.source WHERE claims.rowid IN ({ON_TOPIC}) "
            f"AND {where}{only} GROUP BY sources.no ORDER BY {order}"
        )
        stats_params = (topic_no, *params, *only_params)
    speaking = conn.execute(stats, stats_params).fetchall()
    shown = speaking[: bounds.sources]
    first = (
        f"SELECT claims.rowid FROM claims WHERE claims.source = ? AND {where} AND {IS_ON_TOPIC} "
        f"ORDER BY {DATE_ORDER} LIMIT {int(bounds.claims)}"
    )
    views = []
    for no, total, mean in shown:
        rowids = [r[0] for r in conn.execute(first, (no, *params, topic_no))]
        claims = tuple(store.claims_at(rowids))
        source = store.dataset.source_by_id[claims[0].source]
        views.append(SourceView(source, claims, total, mean))
    silent_sql = (
        f"SELECT sources.id FROM sources WHERE sources.no NOT IN (SELECT no FROM ({stats})){only} "
        f"ORDER BY {order}"
    )
    silent_ids = [r[0] for r in conn.execute(silent_sql, (*stats_params, *only_params))]
    silent = tuple(store.dataset.source_by_id[s] for s in silent_ids[: bounds.sources])
    # Events on the topic that two or more of the chosen sources report, earliest first: counted at
    # build for the whole dataset, else counted over the claims that pass the filters
    if where == "1" and sources is None:
        events_sql = (
            "SELECT events.id FROM topic_event te JOIN events ON events.no = te.event "
            "WHERE te.topic = ? AND te.sources > 1 ORDER BY te.first, events.id"
        )
        events_params: tuple[object, ...] = (topic_no,)
    else:
        events_sql = (
            "SELECT events.id FROM claims JOIN sources ON sources.no = claims.source "
            "JOIN events ON events.no = claims.event "
            f"WHERE claims.rowid IN ({ON_TOPIC}) AND {where}{only} "
            "GROUP BY claims.event HAVING count(DISTINCT claims.source) > 1 "
            "ORDER BY min(ifnull(claims.lo, 10000000)), events.id"
        )
        events_params = (topic_no, *params, *only_params)
    events = [r[0] for r in conn.execute(events_sql, events_params)]
    members_sql = (
        "SELECT claims.rowid FROM claims JOIN sources ON sources.no = claims.source "
        f"WHERE claims.event = (SELECT no FROM events WHERE id = ?) AND {where}{only} AND {IS_ON_TOPIC} "
        f"ORDER BY {DATE_ORDER}"
    )
    shared: list[tuple[str, tuple[Claim, ...]]] = []
    for e in events[: bounds.shared]:
        claims = tuple(
            store.claims_at([r[0] for r in conn.execute(members_sql, (e, *params, *only_params, topic_no))])
        )
        shared.append((claims[0].event or "", claims))
    return Comparison(
        topic,
        tuple(views),
        silent,
        _with_facts(store, shared),
        more_views=len(speaking) - len(shown),
        more_silent=len(silent_ids) - len(silent),
        more_shared=len(events) - len(shared),
        filtered=_filtered(f),
    )
