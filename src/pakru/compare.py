"""What each source says on one topic, and where the sources agree or differ."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import NamedTuple

from pakru.model import Claim, Dataset, Event, Source, Topic
from pakru.table import UNDATED
from pakru.timeline import dates_disagree


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


def _chronological(c: Claim) -> tuple[bool, tuple[int, int], str]:
    return (c.date is None, c.date.sort_key if c.date else (0, 0), c.id)


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
    # One sort of all the claims, by source, then as _chronological orders them (undated last,
    # by date, then by id), on keys read from the columns and compared in C: a loop in Python
    # per claim took most of the time at 22,000 claims.
    starts = list(map(t.start.__getitem__, picked))
    keyed = sorted(
        zip(
            map(t.source.__getitem__, picked),
            [s == UNDATED for s in starts],
            starts,
            map(t.end.__getitem__, picked),
            map(attrgetter("id"), on_topic),
            on_topic,
            strict=True,
        )
    )
    last = itemgetter(5)
    mine = {s: tuple(map(last, rows)) for s, rows in groupby(keyed, key=itemgetter(0))}
    views, silent = [], []
    for source in chosen:
        claims = mine.get(dataset.source_index[source.id])
        if claims:
            views.append(SourceView(source, claims))
        else:
            silent.append(source)
    by_event: dict[str, list[Claim]] = {}
    for c in on_topic:
        if c.event is not None:
            by_event.setdefault(c.event, []).append(c)
    shared = tuple(
        SharedEvent(dataset.event_by_id[eid], tuple(sorted(cs, key=_chronological)))
        for eid, cs in by_event.items()
        if len({c.source for c in cs}) > 1
    )
    return Comparison(topic, tuple(views), tuple(silent), shared)
