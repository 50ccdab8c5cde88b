"""Facts about events that hold for the whole dataset, whatever a command shows of it.

How many sources attest an event, and whether they disagree on its date, must not change when
a user narrows a timeline to 2017 or to five claims: these functions always ask the store about
every claim of the dataset, with queries whose work grows with the events asked about, not with
the dataset.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pakru.core.model import Claim, Event
from pakru.core.record import Record

if TYPE_CHECKING:
    from pakru.store.open import Store

# Dated claims first, by first and last day, then id (schema.DATE_ORDER, spelled here so that
# this module needs nothing of the store at import)
_DATE_ORDER = "claims.lo IS NULL, claims.lo, claims.hi, claims.id"


class EventFacts(Record):
    """One event and what every source of the dataset says of it."""

    event: Event
    # Its claims, dated first by date: all of them from facts(); from facts(claims="disputed")
    # only, for an event whose sources disagree, enough dated claims to say so (_witnesses);
    # none from facts(claims="none").
    claims: tuple[Claim, ...]
    sources: tuple[str, ...]  # source ids, in the order of their first attestation (date order)
    dating_sources: tuple[str, ...]  # the sources that give the event a date
    conflict: bool  # a claim of one source ends before a claim of another source begins
    witnesses: tuple[int, ...] = ()  # rowids of two such claims, the earlier first

    @property
    def attested_by(self) -> int:
        return len(self.sources)

    @property
    def agree(self) -> bool | None:
        """Whether the sources' dates agree; None when fewer than two sources date it."""
        if len(self.dating_sources) < 2:
            return None
        return not self.conflict


class _PerSource(Record):
    source: str
    first: int  # the rowid of its first claim of the event in date order
    dated: bool
    min_hi: int | None  # the earliest last day of its dated claims
    max_lo: int | None  # the latest first day of its dated claims


def _chunks(items: Sequence[str], n: int = 500) -> Iterable[Sequence[str]]:
    for first in range(0, len(items), n):
        yield items[first : first + n]


def facts(store: "Store", event_ids: Iterable[str], claims: str = "all") -> dict[str, EventFacts]:
    """The facts of each named event (unknown ids are left out). One grouped query gives, for each
    event and source, its first claim, and the earliest end and latest start of its dated claims:
    enough to tell the sources, the dating sources and a conflict between two sources without
    reading the claims. Only the claims asked for are built ("all", "disputed" or "none")."""
    known = store.dataset.event_by_id
    ids = store.known_events(event_ids)
    conn = store.conn
    per_event: dict[str, list[_PerSource]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = (
            "SELECT events.id, sources.id, "
            "  (SELECT c2.rowid FROM claims c2 WHERE c2.event = claims.event AND c2.source = claims.source "
            f"   ORDER BY {_DATE_ORDER.replace('claims.', 'c2.')} LIMIT 1) AS first, "
            "  count(claims.lo), min(claims.hi), max(claims.lo) "
            "FROM claims JOIN events ON events.no = claims.event JOIN sources ON sources.no = claims.source "
            f"WHERE events.id IN ({marks}) GROUP BY claims.event, claims.source"
        )
        for eid, sid, first, n_dated, min_hi, max_lo in conn.execute(sql, tuple(chunk)):
            per_event.setdefault(eid, []).append(_PerSource(sid, first, n_dated > 0, min_hi, max_lo))
    rank = _date_ranks(store, [p.first for rows in per_event.values() for p in rows])
    found: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]] = {}
    for eid in ids:
        rows = per_event.get(eid, [])
        rows.sort(key=lambda p: rank[p.first])
        dated = [p for p in rows if p.dated]
        found[eid] = (
            tuple(p.source for p in rows),
            tuple(p.source for p in dated),
            _conflict(store, eid, dated),
        )
    wanted: dict[str, list[int]] = {}
    for eid, (_, _, witnesses) in found.items():
        if claims == "all":
            wanted[eid] = _event_rowids(store, eid, dated_only=False)
        elif claims == "disputed" and witnesses:
            wanted[eid] = _witnesses(store, eid)
        else:
            wanted[eid] = []
    built = iter(store.claims_at([i for rows in wanted.values() for i in rows]))  # one batch
    return {
        eid: EventFacts(
            known[eid],
            tuple(next(built) for _ in wanted[eid]),
            srcs,
            dating,
            bool(witnesses),
            witnesses,
        )
        for eid in ids
        for srcs, dating, witnesses in (found[eid],)
    }


def _date_ranks(store: "Store", rowids: Sequence[int]) -> dict[int, tuple[int, int, int, str]]:
    """Each claim's place in date order: dated first, by first and last day, then id."""
    out: dict[int, tuple[int, int, int, str]] = {}
    ids = list(rowids)
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        sql = (
            "SELECT rowid, lo IS NULL, ifnull(lo, 0), ifnull(hi, 0), id FROM claims "
            f"WHERE rowid IN ({','.join('?' * len(chunk))})"
        )
        for rowid, undated, lo, hi, cid in store.conn.execute(sql, tuple(chunk)):
            out[rowid] = (undated, lo, hi, cid)
    return out


def _conflict(store: "Store", eid: str, dated: list[_PerSource]) -> tuple[int, ...]:
    """Two rowids (the earlier claim first) of claims of DIFFERENT sources whose dates cannot
    both hold, or () when every two sources' dates overlap somewhere."""
    pair: tuple[str, str, int] | None = None  # the widest gap: the clearest pair to show
    for a in dated:
        for b in dated:
            if a.min_hi is None or b.max_lo is None or a.source == b.source:
                continue
            gap = b.max_lo - a.min_hi
            if gap > 0 and (pair is None or gap > pair[2]):
                pair = (a.source, b.source, gap)
    if pair is None:
        return ()
    sql = (
        "SELECT claims.rowid FROM claims JOIN sources ON sources.no = claims.source "
        "WHERE claims.event = (SELECT no FROM events WHERE id = ?) AND sources.id = ? "
        "AND claims.lo IS NOT NULL ORDER BY {} LIMIT 1"
    )
    conn = store.conn
    earlier = conn.execute(sql.format("claims.hi, claims.lo, claims.id"), (eid, pair[0])).fetchone()
    later = conn.execute(sql.format("claims.lo DESC, claims.hi DESC, claims.id"), (eid, pair[1])).fetchone()
    return (earlier[0], later[0])


def _event_rowids(store: "Store", eid: str, dated_only: bool) -> list[int]:
    only = " AND claims.lo IS NOT NULL" if dated_only else ""
    sql = (
        "SELECT claims.rowid FROM claims WHERE claims.event = (SELECT no FROM events WHERE id = ?)"
        f"{only} ORDER BY {_DATE_ORDER}"
    )
    return [r[0] for r in store.conn.execute(sql, (eid,))]


WITNESSES = 8


def _witnesses(store: "Store", eid: str) -> list[int]:
    """Up to WITNESSES dated claims (rowids in date order) that show a disagreement: one per
    distinct date and source, the earliest and the latest always among them. At 100,000 claims an
    event can have hundreds of dated attestations; building them all took ~0.2 s of a compare."""
    sql = (
        "SELECT min(claims.rowid) FROM claims WHERE claims.event = (SELECT no FROM events WHERE id = ?) "
        "AND claims.lo IS NOT NULL GROUP BY claims.lo, claims.hi, claims.source "
        "ORDER BY claims.lo, claims.hi, min(claims.id)"
    )
    distinct = [r[0] for r in store.conn.execute(sql, (eid,))]
    if len(distinct) <= WITNESSES:
        return distinct
    return [*distinct[: WITNESSES - 1], distinct[-1]]


def attested_by(store: "Store", event_ids: Iterable[str]) -> dict[str, int]:
    """Event id -> how many distinct sources of the whole dataset report it."""
    return {e: n for e, n in store.attested_by(event_ids).items() if e in store.dataset.event_by_id}


def every_event(store: "Store", conflicts_only: bool = False) -> list[EventFacts]:
    """Every event of the dataset in the order of its earliest dated claim (undated ones last),
    optionally only those whose sources disagree on the date."""
    found = facts(store, (e.id for e in store.dataset.events))
    out = [found[e.id] for e in store.dataset.events if e.id in found]
    if conflicts_only:
        out = [f for f in out if f.conflict]

    def first(f: EventFacts) -> tuple[int, int, int]:
        c = f.claims[0] if f.claims else None
        if c is None or c.date is None:
            return (1 if c else 2, 0, 0)
        return (0, c.date.start.toordinal(), c.date.end.toordinal())

    return sorted(out, key=first)


def event_ids(claims: Sequence[Claim]) -> list[str]:
    """The distinct events of some claims, in order."""
    return list(dict.fromkeys(c.event for c in claims if c.event is not None))
