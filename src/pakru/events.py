"""Facts about events that hold for the whole dataset, whatever a command shows of it.

How many sources attest an event, and whether they disagree on its date, must not change when
a user narrows a timeline to 2017 or to five claims: these functions always look at every claim
of the dataset. They take the Dataset (not a filtered list), so that a store can answer them
with one query of its own.
"""

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import NamedTuple

from pakru.model import Claim, Dataset, Event
from pakru.table import UNDATED


class EventFacts(NamedTuple):
    """One event and what every source of the dataset says of it."""

    event: Event
    # Its claims, dated first by date: all of them from facts(); from facts(claims="disputed")
    # only, for an event whose sources disagree, enough dated claims to say so (_witnesses);
    # none from facts(claims="none").
    claims: tuple[Claim, ...]
    sources: tuple[str, ...]  # source ids, in the order of their first attestation
    dating_sources: tuple[str, ...]  # the sources that give the event a date
    conflict: bool  # some two sources give dates that cannot both be right
    witnesses: tuple[int, ...] = ()  # table positions of two claims whose dates cannot both hold

    @property
    def attested_by(self) -> int:
        return len(self.sources)

    @property
    def agree(self) -> bool | None:
        """Whether the sources' dates agree; None when fewer than two sources date it."""
        if len(self.dating_sources) < 2:
            return None
        return not self.conflict


def facts(dataset: Dataset, event_ids: Iterable[str], claims: str = "all") -> dict[str, EventFacts]:
    """The facts of each named event (unknown ids are left out), from the table's columns in one
    pass. Only the claims asked for are built ("all", "disputed" or "none"): a timeline of 50
    claims of 100,000 needs none of its events' hundreds of attestations, only their sources and
    dates, and a compare of 2,000 events no more than two claims of each disputed one."""
    wanted = {dataset.event_index[e]: e for e in event_ids if e in dataset.event_index}
    if not wanted:
        return {}
    t = dataset.claims
    column, start, end, source = t.event, t.start, t.end, t.source
    positions = list(compress(range(len(column)), map(wanted.__contains__, column)))
    # dated first, by earliest then latest day, then id: the table's date order (a cache holds
    # it; the ids alone cost ~7 ms to read at 100,000 claims)
    positions.sort(key=t.date_ranks().__getitem__)
    members: dict[int, list[int]] = {e: [] for e in wanted}
    for i in positions:
        members[column[i]].append(i)
    source_ids = [s.id for s in dataset.sources]
    found: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], list[int]]] = {}
    for e, rows in members.items():
        dated = [i for i in rows if start[i] != UNDATED]
        # two dated claims disagree when one ends before the other begins
        witnesses: tuple[int, ...] = ()
        if dated:
            first_end = min(dated, key=end.__getitem__)
            last_start = max(dated, key=start.__getitem__)
            if start[last_start] > end[first_end]:
                witnesses = tuple(sorted((first_end, last_start), key=dated.index))
        shown = rows if claims == "all" else []
        if claims == "disputed" and witnesses:
            shown = _witnesses(dated, start, end, source)
        found[e] = (
            tuple(dict.fromkeys(source_ids[source[i]] for i in rows)),
            tuple(dict.fromkeys(source_ids[source[i]] for i in dated)),
            witnesses,
            shown,
        )
    built = iter(t.take([i for *_, shown in found.values() for i in shown]))  # one batch
    return {
        wanted[e]: EventFacts(
            dataset.events[e], tuple(next(built) for _ in shown), srcs, dating, bool(witnesses), witnesses
        )
        for e, (srcs, dating, witnesses, shown) in found.items()
    }


WITNESSES = 8


def _witnesses(
    dated: list[int], start: Sequence[int], end: Sequence[int], source: Sequence[int]
) -> list[int]:
    """Up to WITNESSES dated claims (positions in date order) that show a disagreement: one per
    distinct date and source, the earliest and the latest always among them. At 100,000 claims an
    event can have hundreds of dated attestations; building them all took ~0.2 s of a compare."""
    seen: set[tuple[int, int, int]] = set()
    distinct = []
    for i in dated:
        key = (start[i], end[i], source[i])
        if key not in seen:
            seen.add(key)
            distinct.append(i)
    if len(distinct) <= WITNESSES:
        return distinct
    return [*distinct[: WITNESSES - 1], distinct[-1]]


def attested_by(dataset: Dataset, event_ids: Iterable[str]) -> dict[str, int]:
    """Event id -> how many distinct sources of the whole dataset report it."""
    return {e: f.attested_by for e, f in facts(dataset, event_ids, claims="none").items()}


def every_event(dataset: Dataset, conflicts_only: bool = False) -> list[EventFacts]:
    """Every event of the dataset in the order of its earliest dated claim (undated ones last),
    optionally only those whose sources disagree on the date."""
    found = facts(dataset, (e.id for e in dataset.events))
    out = [found[e.id] for e in dataset.events]
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
