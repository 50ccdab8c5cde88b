"""Facts about events that hold for the whole dataset, whatever a command shows of it.

How many sources attest an event, and whether they disagree on its date, must not change when
a user narrows a timeline to 2017 or to five claims: these functions always look at every claim
of the dataset. They take the Dataset (not a filtered list), so that a store can answer them
with one query of its own.
"""

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import NamedTuple

from pakru.model import Claim, Dataset, Event, dates_disagree


class EventFacts(NamedTuple):
    """One event and every claim of every source that reports it (dated first, by date)."""

    event: Event
    claims: tuple[Claim, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Source ids, in the order of their first attestation."""
        return tuple(dict.fromkeys(c.source for c in self.claims))

    @property
    def attested_by(self) -> int:
        return len(self.sources)

    @property
    def dating_sources(self) -> tuple[str, ...]:
        """The sources that give the event a date."""
        return tuple(dict.fromkeys(c.source for c in self.claims if c.date is not None))

    @property
    def conflict(self) -> bool:
        """Some two sources give dates that cannot both be right."""
        return dates_disagree(self.claims)

    @property
    def agree(self) -> bool | None:
        """Whether the sources' dates agree; None when fewer than two sources date it."""
        if len(self.dating_sources) < 2:
            return None
        return not self.conflict


def _by_date(claim: Claim) -> tuple[int, int, int, str]:
    if claim.date is None:
        return (1, 0, 0, claim.id)
    return (0, claim.date.start.toordinal(), claim.date.end.toordinal(), claim.id)


def facts(dataset: Dataset, event_ids: Iterable[str]) -> dict[str, EventFacts]:
    """The facts of each named event (unknown ids are left out), from one pass over the claims."""
    wanted = {dataset.event_index[e]: e for e in event_ids if e in dataset.event_index}
    if not wanted:
        return {}
    column = dataset.claims.event
    positions = list(compress(range(len(column)), map(wanted.__contains__, column)))
    members: dict[int, list[Claim]] = {e: [] for e in wanted}
    for i, claim in zip(positions, dataset.claims.take(positions), strict=True):
        members[column[i]].append(claim)
    return {
        wanted[e]: EventFacts(dataset.events[e], tuple(sorted(claims, key=_by_date)))
        for e, claims in members.items()
    }


def attested_by(dataset: Dataset, event_ids: Iterable[str]) -> dict[str, int]:
    """Event id -> how many distinct sources of the whole dataset report it."""
    return {e: f.attested_by for e, f in facts(dataset, event_ids).items()}


def every_event(dataset: Dataset, conflicts_only: bool = False) -> list[EventFacts]:
    """Every event of the dataset in the order of its earliest dated claim (undated ones last),
    optionally only those whose sources disagree on the date."""
    found = facts(dataset, (e.id for e in dataset.events))
    out = [found[e.id] for e in dataset.events]
    if conflicts_only:
        out = [f for f in out if f.conflict]
    return sorted(out, key=lambda f: _by_date(f.claims[0]) if f.claims else (2, 0, 0, f.event.id))


def event_ids(claims: Sequence[Claim]) -> list[str]:
    """The distinct events of some claims, in order."""
    return list(dict.fromkeys(c.event for c in claims if c.event is not None))
