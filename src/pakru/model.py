"""The values that flow through pakru's core: frozen, plain, free of I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pakru.dates import EdtfDate

KINDS = ("event", "assessment", "prediction")
DATE_BASES = ("stated", "resolved", "undated")


@dataclass(frozen=True)
class Outlook:
    """A source's overall view of where Pakistan–Russia ties are heading."""

    score: int  # -2 deteriorating .. +2 flourishing
    label: str
    quote: str


@dataclass(frozen=True)
class Source:
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


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.label, *self.aliases)


@dataclass(frozen=True)
class Actor:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A real-world event that claims of several sources may attest."""

    id: str
    label: str
    note: str | None = None


@dataclass(frozen=True)
class Claim:
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


@dataclass(frozen=True)
class Dataset:
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    path: str = ""  # the events.yaml it came from
    sources_dir: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def claim_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @cached_property
    def actor_aliases(self) -> dict[str, tuple[str, ...]]:
        return {a.name: a.aliases for a in self.actors}

    def attestations(self, event_id: str) -> list[Claim]:
        """Every claim of any source that reports the event, in dataset order."""
        return [c for c in self.claims if c.event == event_id]
