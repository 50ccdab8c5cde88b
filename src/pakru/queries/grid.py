"""The viewpoint grid: for every source and topic, the mean stance of its claims and their number."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pakru.core.model import Source, Topic
from pakru.core.record import Record

if TYPE_CHECKING:
    from pakru.core.model import Filters
    from pakru.store.open import Store


class Cell(Record):
    claims: int  # the source's claims on the topic that passed the filters
    stance: float | None  # their mean stance (of those that carry one), one decimal; None if none does


class Grid(Record):
    sources: tuple[Source, ...]  # oldest first
    topics: tuple[Topic, ...]  # topics at least one source has a claim on, most claims first
    cells: dict[str, dict[str, Cell]]  # topic id -> source id -> cell
    kinds: tuple[str, ...] = ()  # the kinds of claim counted (all when empty)


def viewpoint_grid(
    store: "Store",
    f: "Filters | None" = None,
    sources: Sequence[Source] | None = None,
    kinds: Sequence[str] = (),
) -> Grid:
    """The grid over the claims that pass ``f``, for ``sources`` (all by default), counted in SQL
    (without a filter, from the counts made at build). A claim counts once for each of its topics."""
    dataset = store.dataset
    chosen = tuple(sorted(sources or dataset.sources, key=lambda s: s.published.sort_key))
    where, params = store.where(f._replace(sources=()) if f is not None else None)
    if where == "1":
        sql = (
            "SELECT topics.id, sources.id, ts.claims, ts.stance_sum, ts.stances FROM topic_source ts "
            "JOIN topics ON topics.no = ts.topic JOIN sources ON sources.no = ts.source"
        )
    else:
        sql = (
            "SELECT topics.id, sources.id, count(*), ifnull(sum(claims.stance), 0), count(claims.stance) "
            "FROM claims JOIN claim_topics ct ON ct.claim = claims.rowid "
            "JOIN topics ON topics.no = ct.topic JOIN sources ON sources.no = claims.source "
            f"WHERE {where} GROUP BY ct.topic, claims.source"
        )
    wanted = {s.id for s in chosen}
    counted: dict[str, dict[str, tuple[int, int, int]]] = {}
    for topic, source, n, stance_sum, stances in store.conn.execute(sql, params):
        if source in wanted:
            counted.setdefault(topic, {})[source] = (n, stance_sum, stances)
    totals = {t: sum(n for n, _, _ in per.values()) for t, per in counted.items()}
    topics = tuple(
        sorted(
            (t for t in dataset.topics if totals.get(t.id)),
            key=lambda t: (-totals[t.id], t.label.casefold()),
        )
    )
    cells = {
        t.id: {
            s.id: Cell(n, round(stance_sum / stances, 1) if stances else None)
            for s in chosen
            for n, stance_sum, stances in (counted[t.id].get(s.id, (0, 0, 0)),)
        }
        for t in topics
    }
    return Grid(chosen, topics, cells, tuple(kinds))
