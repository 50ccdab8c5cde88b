"""Claims in chronological order, with the claims of one event kept together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pakru.dates import decade_of
from pakru.model import Claim, Dataset
from pakru.table import UNDATED as UNDATED_ORDINAL

UNDATED = "Undated"
_LAST = 10**7  # after every real date ordinal


class Entry(NamedTuple):
    """One line of history: a claim, or every attestation of one event."""

    claims: tuple[Claim, ...]  # the dated ones first, chronologically
    event: str | None
    heading: str  # the decade or year it is filed under, or UNDATED

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.claims))

    @property
    def conflict(self) -> bool:
        return dates_disagree(self.claims)


def dates_disagree(claims: Sequence[Claim]) -> bool:
    """Sources date one event differently: some two dated attestations cannot both be right."""
    dated = [c.date for c in claims if c.date is not None]
    return any(not a.overlaps(b) for i, a in enumerate(dated) for b in dated[i + 1 :])


class Timeline(NamedTuple):
    entries: tuple[Entry, ...]

    @property
    def claims(self) -> list[Claim]:
        return [c for e in self.entries for c in e.claims]


def heading(claim: Claim, by: str) -> str:
    if claim.date is None:
        return UNDATED
    return str(claim.date.start.year) if by == "year" else decade_of(claim.date)


def order(dataset: Dataset, indices: Sequence[int]) -> list[list[int]]:
    """Groups of claim indices in timeline order; claims sharing an event form one group.

    Dated claims by their earliest then latest day, then their source's publication
    date, then dataset order; undated claims last, by their source's publication date.
    A group sits where its earliest claim does.
    """
    t = dataset.claims
    published = [s.published.start.toordinal() for s in dataset.sources]
    start, end, source, event = t.start, t.end, t.source, t.event

    def key(i: int) -> tuple[int, int, int, int]:
        s = start[i]
        if s == UNDATED_ORDINAL:
            return (_LAST, published[source[i]], 0, i)
        return (s, end[i], published[source[i]], i)

    groups: dict[int, list[int]] = {}
    out: list[list[int]] = []
    for i in sorted(indices, key=key):
        e = event[i]
        if e >= 0:
            group = groups.get(e)
            if group is not None:
                group.append(i)
                continue
            group = groups[e] = []
            group.append(i)
            out.append(group)
        else:
            out.append([i])
    return out


def build(
    dataset: Dataset, indices: Sequence[int] | None = None, *, by: str = "decade", limit: int | None = None
) -> Timeline:
    """The timeline of the claims at ``indices`` (all by default), up to ``limit`` claims.

    Only the claims shown are built from the table, so a short timeline of a large
    dataset stays cheap.
    """
    t = dataset.claims
    groups = order(dataset, range(len(t)) if indices is None else indices)
    shown: list[list[int]] = []
    left = limit
    for group in groups:
        if left is not None:
            if left <= 0:
                break
            group = group[:left]  # noqa: PLW2901
            left -= len(group)
        shown.append(group)
    claims = iter(t.take([i for group in shown for i in group]))  # one batch: much faster from a cache
    entries = []
    for group in shown:
        members = tuple(next(claims) for _ in group)
        entries.append(Entry(members, members[0].event, heading(members[0], by)))
    return Timeline(tuple(entries))
