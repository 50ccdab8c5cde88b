"""The values that flow through pakru's core: immutable, plain, free of I/O.

They are named tuples (core/record.py) rather than frozen dataclasses for speed that the
benchmark measures: a frozen dataclass costs ~1.4 ms to define (its methods are
compiled at import) against ~0.13 ms, and ~3 µs to build against ~0.3 µs,
which is 0.3 s of a 100,000-claim start-up.
"""

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Protocol

from pakru.core.dates import EdtfDate
from pakru.core.record import Record

KINDS = ("event", "assessment", "prediction")
DATE_BASES = ("stated", "resolved", "undated")


class Outlook(Record):
    """A source's overall view of where Pakistan–Russia ties are heading."""

    score: int  # -2 deteriorating .. +2 flourishing
    label: str
    quote: str


class Source(Record):
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


class Topic(Record):
    id: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.label, *self.aliases)


class Actor(Record):
    name: str
    aliases: tuple[str, ...] = ()


class Event(Record):
    """A real-world event that claims of several sources may attest."""

    id: str
    label: str
    note: str | None = None


class Claim(Record):
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


class ClaimSet(Protocol):
    """A dataset's claims, in dataset order: a list in memory (ClaimList), or rows of the store."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Claim]: ...

    def get(self, claim_id: str) -> Claim | None: ...

    def count_by_source(self) -> dict[str, int]: ...

    def count_by_topic_and_source(self) -> dict[str, dict[str, int]]: ...

    def of_event(self, event_id: str) -> list[Claim]: ...

    def near_ids(self, claim_id: str) -> list[str]:
        """Ids to suggest for one that is not there (a few around it in sort order, or all)."""
        ...


class ClaimList(tuple[Claim, ...]):
    """The claims of a dataset loaded into memory (load(), `pakru check`, tests)."""

    _by_id: dict[str, Claim] | None = None

    def get(self, claim_id: str) -> Claim | None:
        if self._by_id is None:
            self._by_id = {c.id: c for c in self}
        return self._by_id.get(claim_id)

    def count_by_source(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self:
            out[c.source] = out.get(c.source, 0) + 1
        return out

    def count_by_topic_and_source(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self:
            for t in c.topics:
                per = out.setdefault(t, {})
                per[c.source] = per.get(c.source, 0) + 1
        return out

    def of_event(self, event_id: str) -> list[Claim]:
        return [c for c in self if c.event == event_id]

    def near_ids(self, claim_id: str) -> list[str]:
        return [c.id for c in self]


class Dataset(Record):
    """Sources, topics, actors and events, and the claims.

    In memory (Dataset.of) every field is a tuple or dict. From the store, ``sources``,
    ``events`` and their lookups are read from the database as they are asked for, and
    ``claims`` answers counts and lookups by query: nothing grows with the dataset.
    """

    sources: Sequence[Source]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: Sequence[Event]
    claims: ClaimSet
    path: str  # the events.yaml it came from (absolute for a store)
    sources_dir: str
    source_by_id: Mapping[str, Source]
    topic_by_id: dict[str, Topic]
    event_by_id: Mapping[str, Event]
    actor_aliases: dict[str, tuple[str, ...]]

    @classmethod
    def of(
        cls,
        sources: tuple[Source, ...],
        topics: tuple[Topic, ...],
        actors: tuple[Actor, ...],
        events: tuple[Event, ...],
        claims: Sequence[Claim],
        path: str = "",
        sources_dir: str = "",
    ) -> "Dataset":
        return cls(
            sources,
            topics,
            actors,
            events,
            claims if isinstance(claims, ClaimList) else ClaimList(claims),
            path,
            sources_dir,
            {s.id: s for s in sources},
            {t.id: t for t in topics},
            {e.id: e for e in events},
            {a.name: a.aliases for a in actors},
        )

    def claim(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def claims_per_source(self) -> dict[str, int]:
        counts = self.claims.count_by_source()
        return {s.id: counts.get(s.id, 0) for s in self.sources}

    def claims_per_topic(self) -> dict[str, dict[str, int]]:
        """For each topic id, how many claims each source has on it."""
        table = self.claims.count_by_topic_and_source()
        return {t.id: {s.id: table.get(t.id, {}).get(s.id, 0) for s in self.sources} for t in self.topics}

    def attestations(self, event_id: str) -> list[Claim]:
        """Every claim of any source that reports the event, in dataset order."""
        return self.claims.of_event(event_id)


class Filters(Record):
    """What a command keeps of the claims: the options --topic, --source, --from, --to, --kind, --undated."""

    topics: tuple[str, ...] = ()  # topic ids; a claim needs one of them
    sources: tuple[str, ...] = ()  # source ids
    start: date | None = None  # claims whose date range reaches this day or later
    end: date | None = None
    kinds: tuple[str, ...] = ()
    undated: bool = False  # keep undated claims even when a date bound is given (--undated)

    @property
    def dated_only(self) -> bool:
        return (self.start is not None or self.end is not None) and not self.undated
