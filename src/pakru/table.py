"""Claims in dataset order, with the columns that filtering and sorting need.

Filters, the timeline's order and compare's selection work on these columns and
on claim indices; a Claim is only built for what a command shows. That is what
lets a 100,000-claim dataset answer from its cache without decoding every claim
(see cache.py for the table that reads its rows lazily from the cache file).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from pakru.model import KINDS, Claim

UNDATED = -1  # in the start and end columns


class ClaimTable(Sequence[Claim]):
    """The interface; subclasses provide the columns and _row."""

    start: Sequence[int]  # date.toordinal() of the earliest day, or UNDATED
    end: Sequence[int]
    source: Sequence[int]  # index into Dataset.sources
    kind: Sequence[int]  # index into KINDS
    event: Sequence[int]  # index into Dataset.events, or -1

    def topics_of(self, i: int) -> Sequence[int]:  # indices into Dataset.topics
        raise NotImplementedError

    def _row(self, i: int) -> Claim:
        raise NotImplementedError

    def index_of(self, claim_id: str) -> int | None:
        raise NotImplementedError

    def ids(self) -> Sequence[str]:
        raise NotImplementedError

    def date_ranks(self) -> Sequence[int]:
        """Each claim's place in date order: undated last, then by earliest and latest day,
        then by id. A cache stores them, so that compare sorts 22,000 claims of 100,000 on
        one int each, with no key to build from their dates and ids (~20 ms)."""
        ids = self.ids()
        order = sorted(range(len(self)), key=ids.__getitem__)
        packed = [  # (undated, start, end) in one int, compared in C; days are below 2**22
            (s == UNDATED) << 44 | (s + 1) << 22 | (e + 1) for s, e in zip(self.start, self.end, strict=True)
        ]
        order.sort(key=packed.__getitem__)
        ranks = [0] * len(order)
        for rank, i in enumerate(order):
            ranks[i] = rank
        return ranks

    def __len__(self) -> int:
        return len(self.source)

    @overload
    def __getitem__(self, i: int) -> Claim: ...
    @overload
    def __getitem__(self, i: slice) -> list[Claim]: ...
    def __getitem__(self, i: int | slice) -> Claim | list[Claim]:
        if isinstance(i, slice):
            return [self._row(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(i)

    def __iter__(self) -> Iterator[Claim]:
        return (self._row(i) for i in range(len(self)))

    def take(self, indices: Sequence[int]) -> list[Claim]:
        return [self._row(i) for i in indices]

    def with_topics(self, topics: set[int]) -> set[int]:
        """Indices of the claims that have any of these topics."""
        return {i for i in range(len(self)) if not topics.isdisjoint(self.topics_of(i))}

    def with_topic(self, topic: int) -> Sequence[int]:
        """Indices of the claims that have this topic, in order."""
        return [i for i in range(len(self)) if topic in self.topics_of(i)]

    def count_by_source(self, n_sources: int) -> list[int]:
        counts = [0] * n_sources
        for s in self.source:
            counts[s] += 1
        return counts

    def count_by_topic_and_source(self, n_topics: int, n_sources: int) -> list[list[int]]:
        counts = [[0] * n_sources for _ in range(n_topics)]
        source = self.source
        for i in range(len(self)):
            s = source[i]
            for t in self.topics_of(i):
                counts[t][s] += 1
        return counts


class MemoryTable(ClaimTable):
    """A table over claims already in memory (a fresh load, or a small dataset)."""

    def __init__(
        self,
        claims: Sequence[Claim],
        source_index: dict[str, int],
        topic_index: dict[str, int],
        event_index: dict[str, int],
    ) -> None:
        self._claims = tuple(claims)
        self.start = [c.date.start.toordinal() if c.date else UNDATED for c in self._claims]
        self.end = [c.date.end.toordinal() if c.date else UNDATED for c in self._claims]
        self.source = [source_index[c.source] for c in self._claims]
        self.kind = [KINDS.index(c.kind) for c in self._claims]
        self.event = [event_index[c.event] if c.event else -1 for c in self._claims]
        self._topics = [tuple(topic_index[t] for t in c.topics) for c in self._claims]
        self._by_id: dict[str, int] | None = None

    def topics_of(self, i: int) -> Sequence[int]:
        return self._topics[i]

    def _row(self, i: int) -> Claim:
        return self._claims[i]

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims)

    def ids(self) -> Sequence[str]:
        return [c.id for c in self._claims]

    def index_of(self, claim_id: str) -> int | None:
        if self._by_id is None:
            self._by_id = {c.id: i for i, c in enumerate(self._claims)}
        return self._by_id.get(claim_id)
