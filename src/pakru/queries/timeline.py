"""Claims in chronological order, with the claims of one event kept together."""

from typing import TYPE_CHECKING, Any

from pakru.core.dates import decade_of
from pakru.core.model import Claim, dates_disagree
from pakru.core.record import Record
from pakru.queries.events import EventFacts, facts
from pakru.store.schema import TIMELINE_ORDER

if TYPE_CHECKING:
    from pakru.core.model import Filters
    from pakru.store.open import Store

UNDATED = "Undated"


class Entry(Record):
    """One line of history: a claim, or every attestation of one event."""

    claims: tuple[Claim, ...]  # the dated ones first, chronologically
    event: str | None
    heading: str  # the decade or year it is filed under, or UNDATED

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources of the claims shown; Timeline.events has the dataset's facts."""
        return tuple(dict.fromkeys(c.source for c in self.claims))

    @property
    def conflict(self) -> bool:
        return dates_disagree(self.claims)


class Timeline(Record):
    entries: tuple[Entry, ...]
    # The events of the entries, with every attestation in the whole dataset: how many sources
    # report one and whether they disagree do not depend on the filters or the limit.
    events: dict[str, EventFacts]
    total: int = 0  # the claims that passed the filters, shown or not

    @property
    def claims(self) -> list[Claim]:
        return [c for e in self.entries for c in e.claims]


def heading(claim: Claim, by: str) -> str:
    """The group a claim is filed under. By year, a date that spans years (a decade, a range)
    is a group of its own, labelled as the date is, rather than filed under its first year."""
    date = claim.date
    if date is None:
        return UNDATED
    if by != "year":
        return decade_of(date)
    if date.start.year != date.end.year:
        return date.label
    return str(date.start.year)


def _first_groups(store: "Store", where: str, params: tuple[Any, ...], limit: int) -> list[list[int]]:
    """The first groups of claim rowids in timeline order, ``limit`` claims in all (the last group
    cut short): the date-order index is read only that far."""
    conn = store.conn
    rows = conn.execute(
        f"SELECT claims.rowid, claims.event FROM claims WHERE {where} ORDER BY {TIMELINE_ORDER}", params
    )
    members_sql = (
        f"SELECT claims.rowid FROM claims WHERE {where} AND claims.event = ? ORDER BY {TIMELINE_ORDER}"
    )
    out: list[list[int]] = []
    placed: set[int] = set()
    left = limit
    for rowid, e in rows:
        if left <= 0:
            break
        if e is None:
            group = [rowid]
        elif e not in placed:  # the group's earliest claim: the group sits here
            placed.add(e)
            group = [r[0] for r in conn.execute(members_sql, (*params, e))][:left]
        else:
            continue
        out.append(group)
        left -= len(group)
    return out


def _grouped(claims: list[Claim]) -> list[list[Claim]]:
    """Claims in timeline order as its groups: each claim alone, but the claims of one event
    together, where the earliest of them is."""
    groups: dict[str, list[Claim]] = {}
    out: list[list[Claim]] = []
    for c in claims:
        if c.event is None:
            out.append([c])
        elif (group := groups.get(c.event)) is None:
            out.append(groups.setdefault(c.event, [c]))
        else:
            group.append(c)
    return out


def build(
    store: "Store",
    f: "Filters | None" = None,
    *,
    event: str | None = None,
    by: str = "decade",
    limit: int | None = None,
) -> Timeline:
    """The timeline of the claims that pass ``f`` (and belong to ``event``), up to ``limit`` claims.

    Dated claims by their earliest then latest day, then their source's publication date, then
    dataset order; undated claims last, by their source's publication date. Claims sharing an
    event form one entry, where its earliest claim is. Only the claims shown are read from the
    store, so a short timeline of a large dataset stays cheap.
    """
    where, params = store.where(f)
    if event is not None:
        where += " AND claims.event = (SELECT no FROM events WHERE id = ?)"
        params = (*params, event)
    if limit is None:  # every claim, read in order in one pass: each group's members come with it
        groups = _grouped(store.claims_where(where, params, TIMELINE_ORDER))
    else:
        rowids = _first_groups(store, where, params, limit)
        claims = iter(store.claims_at([i for group in rowids for i in group]))
        groups = [[next(claims) for _ in group] for group in rowids]
    entries = [Entry(tuple(g), g[0].event, heading(g[0], by)) for g in groups]
    shown_events = [e.event for e in entries if e.event is not None]
    if limit is None:
        total = sum(map(len, groups))
    elif where == "1":  # no filter: the number of claims is known, counting them reads them all
        total = len(store.dataset.claims)
    else:
        total = store.conn.execute(f"SELECT count(*) FROM claims WHERE {where}", params).fetchone()[0]
    return Timeline(tuple(entries), facts(store, shown_events, claims="disputed"), total)
