"""The search index of the cache file (cachefile.py): every claim's folded text and the vocabulary.

DEV ONLY on branch h14: kept so that the cache of this branch works while search runs on SQLite
FTS5 (pakru.store.fts); the SQLite store (issue 13) replaces the cache and this module on merge.
"""

from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from pakru import textnorm
from pakru.model import Dataset

# Every claim is indexed as these fields, in this order.
FIELDS = ("summary", "quote", "topics", "actors", "event", "source")
SEPARATOR = "\x1f"  # between fields; fold() never produces it


class SearchIndex(NamedTuple):
    """The searchable text of every claim, folded once (and cached with the dataset)."""

    corpus: str  # every field followed by SEPARATOR, claim after claim
    starts: Sequence[int]  # offset of each field segment in corpus
    vocabulary: tuple[str, ...]  # every distinct word, sorted

    @classmethod
    def build(cls, dataset: Dataset) -> "SearchIndex":
        builder = IndexBuilder()
        corpus = "".join(builder.chunks(dataset))
        return cls(corpus, tuple(builder.starts), tuple(sorted(builder.vocabulary)))


class IndexBuilder:
    """Makes the search index claim by claim: the corpus text, field offsets and vocabulary.

    SearchIndex.build joins the chunks in memory; the cache writer streams them to disk.
    """

    def __init__(self) -> None:
        self.starts = array("q")  # offset of each field segment in the corpus
        self.vocabulary: set[str] = set()
        self._chars = 0
        self._seen: set[str] = set()  # shared fields already split into words

    def chunks(self, dataset: Dataset) -> Iterator[str]:
        """Each claim's folded fields, each followed by SEPARATOR."""
        starts, vocabulary, seen = self.starts, self.vocabulary, self._seen
        for parts in folded_fields(dataset):
            chars = self._chars
            for part in parts:
                starts.append(chars)
                chars += len(part) + 1
            self._chars = chars
            summary, quote, *shared = parts
            vocabulary.update(summary.split(), quote.split())  # a claim's own texts: new each time
            for part in shared:  # topics, actors, event and source repeat: split each text once
                if part not in seen:
                    seen.add(part)
                    vocabulary.update(part.split())
            yield SEPARATOR.join(parts) + SEPARATOR


def folded_fields(dataset: Dataset, batch: int = 1000) -> Iterator[list[str]]:
    """For each claim, its FIELDS folded.

    Claims' own texts (summary, quote) are folded a batch at a time with fold_many. The
    other fields repeat from claim to claim: each is made and folded once per distinct
    value (a claim's tuple of topics, of actors, its event, its source).
    """
    fold = textnorm.fold
    memos: tuple[dict[Any, str], ...] = ({}, {}, {}, {})
    makers: tuple[Callable[[Dataset, Any], str], ...] = (
        _topics_text,
        _actors_text,
        _event_text,
        _source_text,
    )
    claims = dataset.claims
    for first in range(0, len(claims), batch):
        chunk = claims[first : first + batch]
        own = textnorm.fold_many([text for c in chunk for text in (c.summary, c.quote)])
        for n, c in enumerate(chunk):
            out = own[2 * n : 2 * n + 2]
            for memo, make, key in zip(memos, makers, (c.topics, c.actors, c.event, c.source), strict=True):
                folded = memo.get(key)
                if folded is None:
                    folded = memo[key] = fold(make(dataset, key))
                out.append(folded)
            yield out


def _topics_text(dataset: Dataset, topics: tuple[str, ...]) -> str:
    return " ".join(name for t in topics for name in dataset.topic_by_id[t].names)


def _actors_text(dataset: Dataset, actors: tuple[str, ...]) -> str:
    return " ".join(name for a in actors for name in (a, *dataset.actor_aliases.get(a, ())))


def _event_text(dataset: Dataset, event: str | None) -> str:
    return dataset.event_by_id[event].label if event else ""


def _source_text(dataset: Dataset, source_id: str) -> str:
    source = dataset.source_by_id[source_id]
    return " ".join(filter(None, [source.author, source.title, source.outlet, source.id]))
