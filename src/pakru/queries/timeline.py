"""Claims in chronological order, with the claims of one event kept together."""

from typing import TYPE_CHECKING

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


def order(
    store: "Store", f: "Filters | None" = None, *, event: str | None = None, limit: int | None = None
) -> list[list[int]]:
    """Groups of claim rowids in timeline order; claims sharing an event form one group.

    Dated claims by their earliest then latest day, then their source's publication
    date, then dataset order; undated claims last, by their source's publication date.
    A group sits where its earliest claim does. With ``limit``, only the first groups,
    enough to hold that many claims: the date-order index is read only that far.
    """
    where, params = store.where(f)
    if event is not None:
        where += " AND claims.event = (SELECT no FROM events WHERE id = ?)"
        params = (*params, event)
    conn = store.conn
    rows = conn.execute(
        f"SELECT claims.rowid, claims.event FROM claims WHERE {where} ORDER BY {TIMELINE_ORDER}", params
    )
    members_sql = (
        f"SELECT claims.rowid FROM claims WHERE {where} AND claims.event = ? ORDER BY {TIMELINE_ORDER}"
    )
    out: list[list[int]] = []
    placed: set[int] = set()
    shown = 0
    for rowid, e in rows:
        if limit is not None and shown >= limit:
            break
        if e is None:
            out.append([rowid])
            shown += 1
        elif e not in placed:  # the group's earliest claim: the group sits here
            placed.add(e)
            group = [r[0] for r in conn.execute(members_sql, (*params, e))]
            out.append(group)
            shown += len(group)
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

    Only the claims shown are read from the store, so a short timeline of a large dataset stays cheap.
    """
    groups = order(store, f, event=event, limit=limit)
    shown: list[list[int]] = []
    left = limit
    for group in groups:
        if left is not None:
            if left <= 0:
                break
            group = group[:left]  # noqa: PLW2901
            left -= len(group)
        shown.append(group)
    claims = iter(store.claims_at([i for group in shown for i in group]))
    entries = []
    for group in shown:
        members = tuple(next(claims) for _ in group)
        entries.append(Entry(members, members[0].event, heading(members[0], by)))
    shown_events = [e.event for e in entries if e.event is not None]
    where, params = store.where(f)
    if event is not None:
        where += " AND claims.event = (SELECT no FROM events WHERE id = ?)"
        params = (*params, event)
    if where == "1":  # no filter: the number of claims is known, counting them reads them all
        total = len(store.dataset.claims)
    else:
        total = store.conn.execute(f"SELECT count(*) FROM claims WHERE {where}", params).fetchone()[0]
    return Timeline(tuple(entries), facts(store, shown_events, claims="disputed"), total)
