"""The viewpoint grid: for every source and topic, the mean stance of its claims and their number."""

from collections.abc import Sequence
from typing import NamedTuple

from pakru.model import Dataset, Source, Topic


class Cell(NamedTuple):
    claims: int  # the source's claims on the topic that passed the filters
    stance: float | None  # their mean stance (of those that carry one), one decimal; None if none does


class Grid(NamedTuple):
    sources: tuple[Source, ...]  # oldest first
    topics: tuple[Topic, ...]  # topics at least one source has a claim on, most claims first
    cells: dict[str, dict[str, Cell]]  # topic id -> source id -> cell
    kinds: tuple[str, ...] = ()  # the kinds of claim counted (all when empty)


def viewpoint_grid(
    dataset: Dataset,
    indices: Sequence[int],
    sources: Sequence[Source] | None = None,
    kinds: Sequence[str] = (),
) -> Grid:
    """The grid over the claims at ``indices`` (a selection of the dataset), for ``sources``
    (all by default). A claim counts once for each of its topics."""
    chosen = tuple(sorted(sources or dataset.sources, key=lambda s: s.published.sort_key))
    wanted = {dataset.source_index[s.id] for s in chosen}
    t = dataset.claims
    source_of = t.source
    picked = [i for i in indices if source_of[i] in wanted]
    n_topics = len(dataset.topics)
    counts = [[0] * len(dataset.sources) for _ in range(n_topics)]
    sums = [[0] * len(dataset.sources) for _ in range(n_topics)]
    stanced = [[0] * len(dataset.sources) for _ in range(n_topics)]
    for i, claim in zip(picked, t.take(picked), strict=True):
        s = source_of[i]
        for topic in t.topics_of(i):
            counts[topic][s] += 1
            if claim.stance is not None:
                sums[topic][s] += claim.stance
                stanced[topic][s] += 1
    order = sorted(range(n_topics), key=lambda k: (-sum(counts[k]), dataset.topics[k].label.casefold()))
    topics = tuple(dataset.topics[k] for k in order if sum(counts[k]))
    cells = {
        dataset.topics[k].id: {
            s.id: Cell(
                counts[k][si],
                round(sums[k][si] / stanced[k][si], 1) if stanced[k][si] else None,
            )
            for s in chosen
            for si in (dataset.source_index[s.id],)
        }
        for k in order
        if sum(counts[k])
    }
    return Grid(chosen, topics, cells, tuple(kinds))
