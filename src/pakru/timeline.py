"""Claims in chronological order, with the claims of one event kept together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pakru.model import Claim, Dataset

UNDATED = "Undated"


class Entry(NamedTuple):
    """One line of history: a claim, or every attestation of one event."""

    claims: tuple[Claim, ...]  # first the dated ones, chronologically
    event: str | None
    heading: str  # the decade or year it is filed under, or UNDATED

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.claims))

    @property
    def conflict(self) -> bool:
        """Sources date this event differently: some two dated attestations cannot both be right."""
        dated = [c.date for c in self.claims if c.date is not None]
        return any(not a.overlaps(b) for i, a in enumerate(dated) for b in dated[i + 1 :])


class Timeline(NamedTuple):
    entries: tuple[Entry, ...]

    @property
    def claims(self) -> list[Claim]:
        return [c for e in self.entries for c in e.claims]


def _key(dataset: Dataset, claim: Claim) -> tuple[int, int, int, str]:
    published = dataset.source_by_id[claim.source].published.start.toordinal()
    if claim.date is None:  # placed by its source's publication date, after every dated claim
        return (10**7, published, 0, claim.id)
    return (*claim.date.sort_key, published, claim.id)


def heading(claim: Claim, by: str) -> str:
    if claim.date is None:
        return UNDATED
    year = claim.date.start.year
    return str(year) if by == "year" else f"{year // 10 * 10}s"


def build(dataset: Dataset, claims: Sequence[Claim], *, by: str = "decade") -> Timeline:
    """Order ``claims``; claims sharing an event form one entry at its earliest date."""
    ordered = sorted(claims, key=lambda c: _key(dataset, c))
    groups: dict[str, list[Claim]] = {}
    entries: list[tuple[str | None, list[Claim]]] = []
    for claim in ordered:
        if claim.event is not None and claim.event in groups:
            groups[claim.event].append(claim)
            continue
        members = [claim]
        if claim.event is not None:
            groups[claim.event] = members
        entries.append((claim.event, members))
    return Timeline(tuple(Entry(tuple(m), ev, heading(m[0], by)) for ev, m in entries))
