"""What each source says on one topic, and where the sources agree or differ."""

from collections.abc import Sequence
from typing import NamedTuple

from pakru.events import EventFacts, facts
from pakru.model import Claim, Dataset, Source, Topic


class SourceView(NamedTuple):
    source: Source
    claims: tuple[Claim, ...]

    @property
    def stance(self) -> float | None:
        """The mean stance of the source's claims on the topic that carry one."""
        stances = [c.stance for c in self.claims if c.stance is not None]
        return round(sum(stances) / len(stances), 2) if stances else None


# An event the compared claims report, with every attestation in the dataset (whatever the
# filters): its `agree` is None when fewer than two sources give it a date.
SharedEvent = EventFacts


class Comparison(NamedTuple):
    topic: Topic
    views: tuple[SourceView, ...]  # sources with something on the topic, oldest first
    silent: tuple[Source, ...]
    shared: tuple[SharedEvent, ...]  # events of these claims that two or more sources report


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
    # Events in the order their first claim comes in the dataset; their facts are the whole dataset's
    first_seen = dict.fromkeys(dataset.events[e].id for e in map(t.event.__getitem__, picked) if e >= 0)
    found = facts(dataset, first_seen)
    shared = tuple(found[e] for e in first_seen if found[e].attested_by > 1)
    return Comparison(topic, tuple(views), tuple(silent), shared)
