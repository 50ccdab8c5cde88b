"""What each source says on one topic, and where the sources agree or differ."""

from collections.abc import Sequence
from typing import NamedTuple

from pakru.events import EventFacts, facts
from pakru.model import Claim, Dataset, Event, Source, Topic, dates_disagree


class SourceView(NamedTuple):
    source: Source
    claims: tuple[Claim, ...]

    @property
    def stance(self) -> float | None:
        """The mean stance of the source's claims on the topic that carry one."""
        stances = [c.stance for c in self.claims if c.stance is not None]
        return round(sum(stances) / len(stances), 2) if stances else None


class SharedEvent(NamedTuple):
    """An event the compared claims report, with the facts of the whole dataset about it."""

    event: Event
    claims: tuple[Claim, ...]  # the compared claims that report it, in date order
    facts: EventFacts  # what every source says of it, whatever the filters (no claims built)
    disputed: tuple[Claim, ...] = ()  # when sources disagree: claims whose dates show it

    @property
    def sources(self) -> tuple[str, ...]:
        return self.facts.sources

    @property
    def dating_sources(self) -> tuple[str, ...]:
        return self.facts.dating_sources

    @property
    def agree(self) -> bool | None:
        """Whether the sources that date it agree; None when fewer than two sources date it."""
        return self.facts.agree


class Comparison(NamedTuple):
    topic: Topic
    views: tuple[SourceView, ...]  # sources with something on the topic, oldest first
    silent: tuple[Source, ...]
    shared: tuple[SharedEvent, ...]  # events that two or more of the compared sources report


def compare(
    dataset: Dataset,
    topic: Topic,
    indices: Sequence[int] | None = None,
    sources: Sequence[Source] | None = None,
) -> Comparison:
    """Compare the sources on ``topic``, over the claims at ``indices`` (all by default)."""
    chosen = sorted(sources if sources is not None else dataset.sources, key=lambda s: s.published.sort_key)
    t = dataset.claims
    wanted = {dataset.source_index[s.id] for s in chosen}
    picked = t.with_topic(dataset.topic_index[topic.id])  # in order, from the topic's postings
    if indices is not None and len(indices) < len(t):
        allowed = set(indices)
        picked = [i for i in picked if i in allowed]
    if len(wanted) < len(dataset.sources):
        source_column = t.source
        picked = [i for i in picked if source_column[i] in wanted]
    on_topic = t.take(picked)
    # The claims in date order (undated last, then by date, then by id; a test holds this to a
    # plain sort with a key function), from each claim's place in that order over the dataset
    ranks = list(map(t.date_ranks().__getitem__, picked))
    order = sorted(range(len(on_topic)), key=ranks.__getitem__)
    sources_of = list(map(t.source.__getitem__, picked))
    claim_at = on_topic.__getitem__
    by_source: dict[int, list[int]] = {}  # in date order: half the time of a sort and groupby
    for k in order:
        s = sources_of[k]
        if s in by_source:
            by_source[s].append(k)
        else:
            by_source[s] = [k]
    mine = {s: tuple(map(claim_at, positions)) for s, positions in by_source.items()}
    views, silent = [], []
    for source in chosen:
        claims = mine.get(dataset.source_index[source.id])
        if claims:
            views.append(SourceView(source, claims))
        else:
            silent.append(source)
    # Events in the order their first claim comes that two or more of the compared sources report,
    # each with its claims in date order; which sources report one and whether they agree are the
    # whole dataset's facts, whatever the filters
    events_of = list(map(t.event.__getitem__, picked))
    by_event: dict[int, list[int]] = {e: [] for e in events_of if e >= 0}
    for k in order:
        if events_of[k] >= 0:
            by_event[events_of[k]].append(k)
    several = [e for e, positions in by_event.items() if len({sources_of[k] for k in positions}) > 1]
    found = facts(dataset, (dataset.events[e].id for e in several), claims="none")
    shared = [
        SharedEvent(dataset.events[e], tuple(map(claim_at, positions)), found[dataset.events[e].id])
        for e in several
        for positions in (by_event[e],)
    ]
    # A disagreement is shown by the compared claims when they disagree among themselves, else
    # by two claims from elsewhere in the dataset (fetched in one batch)
    fetch = [x for x in shared if x.facts.conflict and not dates_disagree(x.claims)]
    fetched = iter(t.take([i for x in fetch for i in x.facts.witnesses]))
    proofs = {x.event.id: (next(fetched), next(fetched)) for x in fetch}
    shared = [
        x._replace(disputed=proofs.get(x.event.id, x.claims)) if x.facts.conflict else x for x in shared
    ]
    return Comparison(topic, tuple(views), tuple(silent), tuple(shared))
