"""What each source says on one topic, and where the sources agree or differ."""

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from pakru.model import Claim, Dataset, Event, Source, Topic, dates_disagree
from pakru.table import UNDATED


class SourceView(NamedTuple):
    source: Source
    claims: tuple[Claim, ...]

    @property
    def stance(self) -> float | None:
        """The mean stance of the source's claims on the topic that carry one."""
        stances = [c.stance for c in self.claims if c.stance is not None]
        return round(sum(stances) / len(stances), 2) if stances else None


class SharedEvent(NamedTuple):
    event: Event
    claims: tuple[Claim, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.claims))

    @property
    def agree(self) -> bool:
        return not dates_disagree(self.claims)


class Comparison(NamedTuple):
    topic: Topic
    views: tuple[SourceView, ...]  # sources with something on the topic, oldest first
    silent: tuple[Source, ...]
    shared: tuple[SharedEvent, ...]  # events on the topic that two or more sources report


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
    # plain sort with a key function), from two stable sorts that compare in C: by id, then by
    # one int made of the date's days. Sorting 22,000 claims with a key function or on tuples
    # took most of this function's time.
    ids = list(map(attrgetter("id"), on_topic))
    dated = [
        (s == UNDATED) << 44 | (s + 1) << 22 | (e + 1)  # day numbers stay below 2**22
        for s, e in zip(map(t.start.__getitem__, picked), map(t.end.__getitem__, picked), strict=True)
    ]
    order = sorted(range(len(on_topic)), key=ids.__getitem__)
    order.sort(key=dated.__getitem__)
    sources_of = list(map(t.source.__getitem__, picked))
    claim_at = on_topic.__getitem__
    mine = {
        s: tuple(map(claim_at, positions))
        for s, positions in groupby(sorted(order, key=sources_of.__getitem__), key=sources_of.__getitem__)
    }
    views, silent = [], []
    for source in chosen:
        claims = mine.get(dataset.source_index[source.id])
        if claims:
            views.append(SourceView(source, claims))
        else:
            silent.append(source)
    # Events in the order their first claim comes, each with its claims in date order
    events_of = list(map(t.event.__getitem__, picked))
    by_event: dict[int, list[int]] = {e: [] for e in events_of if e >= 0}
    for k in order:
        if events_of[k] >= 0:
            by_event[events_of[k]].append(k)
    shared = tuple(
        SharedEvent(dataset.events[e], tuple(map(claim_at, positions)))
        for e, positions in by_event.items()
        if len({sources_of[k] for k in positions}) > 1
    )
    return Comparison(topic, tuple(views), tuple(silent), shared)
