"""The values that flow through pakru's core: immutable, plain, free of I/O.

They are NamedTuples rather than frozen dataclasses for speed that the
benchmark measures: a frozen dataclass costs ~1.4 ms to define (its methods are
compiled at import) against ~0.13 ms, and ~3 µs to build against ~0.3 µs,
which is 0.3 s of a 100,000-claim start-up.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from pakru.dates import EdtfDate

if TYPE_CHECKING:
    from pakru.table import ClaimTable

KINDS = ("event", "assessment", "prediction")
DATE_BASES = ("stated", "resolved", "undated")


class Outlook(NamedTuple):
    """A source's overall view of where Pakistan–Russia ties are heading."""

    score: int  # -2 deteriorating .. +2 flourishing
    label: str
    quote: str


class Source(NamedTuple):
    id: str
    title: str
    author: str | None
    author_note: str | None
    outlet: str | None
    outlet_basis: str | None
    published: EdtfDate
    published_basis: str
    text: str  # file name under the dataset's sources/ folder
    outlook: Outlook

    @property
    def byline(self) -> str:
        return self.author or "unsigned"


class Topic(NamedTuple):
    id: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.label, *self.aliases)


class Actor(NamedTuple):
    name: str
    aliases: tuple[str, ...] = ()


class Event(NamedTuple):
    """A real-world event that claims of several sources may attest."""

    id: str
    label: str
    note: str | None = None


class Claim(NamedTuple):
    id: str
    source: str
    date: EdtfDate | None
    date_basis: str
    kind: str
    summary: str
    quote: str
    topics: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    date_note: str | None = None
    event: str | None = None
    stance: int | None = None


def dates_disagree(claims: Sequence[Claim]) -> bool:
    """Sources date one event differently: some two dated attestations cannot both be right."""
    dated = [c.date for c in claims if c.date is not None]
    return any(not a.overlaps(b) for i, a in enumerate(dated) for b in dated[i + 1 :])


class Dataset(NamedTuple):
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    claims: "ClaimTable"  # a sequence of Claim, with columns for filtering and sorting
    path: str  # the events.yaml it came from
    sources_dir: str
    # Lookups, derived once by Dataset.of
    source_by_id: dict[str, Source]
    topic_by_id: dict[str, Topic]
    event_by_id: dict[str, Event]
    source_index: dict[str, int]
    topic_index: dict[str, int]
    event_index: dict[str, int]
    actor_aliases: dict[str, tuple[str, ...]]

    @classmethod
    def of(
        cls,
        sources: tuple[Source, ...],
        topics: tuple[Topic, ...],
        actors: tuple[Actor, ...],
        events: tuple[Event, ...],
        claims: "Sequence[Claim] | ClaimTable",
        path: str = "",
        sources_dir: str = "",
    ) -> "Dataset":
        from pakru.table import ClaimTable, MemoryTable

        source_index = {s.id: i for i, s in enumerate(sources)}
        topic_index = {t.id: i for i, t in enumerate(topics)}
        event_index = {e.id: i for i, e in enumerate(events)}
        table = (
            claims
            if isinstance(claims, ClaimTable)
            else MemoryTable(claims, source_index, topic_index, event_index)
        )
        return cls(
            sources,
            topics,
            actors,
            events,
            table,
            path,
            sources_dir,
            {s.id: s for s in sources},
            {t.id: t for t in topics},
            {e.id: e for e in events},
            source_index,
            topic_index,
            event_index,
            {a.name: a.aliases for a in actors},
        )

    def claim(self, claim_id: str) -> Claim | None:
        i = self.claims.index_of(claim_id)
        return None if i is None else self.claims[i]

    def claims_per_source(self) -> dict[str, int]:
        counts = self.claims.count_by_source(len(self.sources))
        return {s.id: counts[i] for i, s in enumerate(self.sources)}

    def claims_per_topic(self) -> dict[str, dict[str, int]]:
        """For each topic id, how many claims each source has on it."""
        table = self.claims.count_by_topic_and_source(len(self.topics), len(self.sources))
        return {
            t.id: {s.id: table[ti][si] for si, s in enumerate(self.sources)}
            for ti, t in enumerate(self.topics)
        }

    def attestations(self, event_id: str) -> list[Claim]:
        """Every claim of any source that reports the event, in dataset order."""
        e = self.event_index.get(event_id)
        if e is None:
            return []
        column = self.claims.event
        return self.claims.take([i for i in range(len(column)) if column[i] == e])
