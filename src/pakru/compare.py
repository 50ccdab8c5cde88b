"""What each source says on one topic, and where the sources agree or differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pakru.model import Claim, Dataset, Event, Source, Topic
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
    having = t.with_topics({dataset.topic_index[topic.id]})
    source_column = t.source
    on_topic = t.take(
        [
            i
            for i in (range(len(t)) if indices is None else indices)
            if i in having and source_column[i] in wanted
        ]
    )
    mine: dict[str, list[Claim]] = {}
    for c in on_topic:
        mine.setdefault(c.source, []).append(c)
    views, silent = [], []
    for source in chosen:
        if source.id in mine:
            views.append(SourceView(source, tuple(sorted(mine[source.id], key=_chronological))))
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
