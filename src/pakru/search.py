"""Fuzzy, typo-tolerant search over claims.

How it ranks: the query is folded (case, accents, punctuation) and split into
words. Each word is expanded, with rapidfuzz over the dataset's vocabulary, to
the words it could mean ("gwadr" -> "gwadar"). A claim scores, for each query
word, the similarity of the best expansion it contains, weighted by the field
it was found in; its score is the mean over the query's words. Scoring per word
rather than per text keeps long claims from winning by length, and the
vocabulary step keeps the per-claim work to one regular-expression scan.
"""

import bisect
import re
from array import array
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, NamedTuple

from pakru import textnorm
from pakru.model import Claim, Dataset

# Every claim is indexed as these fields, in this order.
FIELDS = ("summary", "quote", "topics", "actors", "event", "source")
WEIGHTS = {"summary": 1.0, "quote": 1.0, "topics": 0.95, "actors": 0.95, "event": 0.9, "source": 0.85}
SEPARATOR = "\x1f"  # between fields; fold() never produces it
DEFAULT_CUTOFF = 60.0
STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the this to was were with".split()
)


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


class Hit(NamedTuple):
    claim: Claim
    score: float  # 0..100
    matched: tuple[str, ...]  # fields, best first
    terms: frozenset[str] = frozenset()  # folded words that matched


class Results(NamedTuple):
    query: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...] = ()  # when nothing matched: the closest topics or words


def query_words(query: str) -> list[str]:
    words = textnorm.fold(query).split()
    content = [w for w in words if w not in STOPWORDS]
    return content or words


def expand(word: str, vocabulary: Sequence[str]) -> dict[str, float]:
    """The vocabulary words a query word may mean, with their similarity (0..100).

    A word the dataset contains is taken as meant: it matches itself, longer words it
    begins ("helicopter" -> "helicopters") and words that are all but its last letters
    ("agreements" -> "agreement"). Only a word the dataset lacks, a likely typo, is
    compared with the whole vocabulary by rapidfuzz; this keeps most searches from
    loading rapidfuzz at all.
    """
    out: dict[str, float] = {}
    i = bisect.bisect_left(vocabulary, word)
    exact = i < len(vocabulary) and vocabulary[i] == word
    if exact:
        out[word] = 100.0
    if len(word) >= 3:  # "heli" finds "helicopters", a little below an exact word
        j = i
        while j < len(vocabulary) and vocabulary[j].startswith(word):
            term = vocabulary[j]
            if term != word:
                out[term] = 90.0 - min(10.0, len(term) - len(word))
            j += 1
        for cut in range(1, min(3, len(word) - 3) + 1):  # plurals, -ed, -ing: "talks" -> "talk"
            stem = word[:-cut]
            k = bisect.bisect_left(vocabulary, stem)
            if k < len(vocabulary) and vocabulary[k] == stem:
                out.setdefault(stem, 90.0 - 2 * cut)
    if exact or len(word) <= 2:  # short words are too easily near anything
        return out
    from rapidfuzz import fuzz, process

    cutoff = 85 if len(word) <= 4 else 80 if len(word) <= 6 else 75
    for term, score, _ in process.extract(
        word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    ):
        out[term] = max(out.get(term, 0.0), float(score))
    return out


def search(
    dataset: Dataset,
    index: SearchIndex,
    query: str,
    *,
    allowed: Collection[int] | None = None,
    cutoff: float = DEFAULT_CUTOFF,
    limit: int | None = None,
) -> Results:
    """Claims matching ``query``, best first; ``allowed`` restricts to these claim indices."""
    words = query_words(query)
    if not words:
        return Results(query, ())
    expansions = [expand(w, index.vocabulary) for w in words]
    terms = {t for e in expansions for t in e}
    if not terms:
        return Results(query, (), suggest(dataset, index, query))
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    # No leading \b: it stops re from skipping ahead to the terms' first letters (50x slower
    # on a 4 MB corpus). The folded corpus has only words, single spaces and SEPARATOR,
    # so the left boundary is checked by hand below.
    pattern = re.compile(r"(?:" + alternatives + r")\b")
    corpus = index.corpus
    nfields = len(FIELDS)
    weights = [WEIGHTS[f] for f in FIELDS]
    # For each term, the query words it may stand for and how closely.
    stands_for = {t: [(wi, exp[t]) for wi, exp in enumerate(expansions) if t in exp] for t in terms}
    best: dict[int, list[tuple[float, int]]] = {}  # claim -> per query word: (score, field)
    found: dict[int, set[str]] = {}
    starts = index.starts
    segment, seg_start, seg_end = -1, 0, -1  # matches come in order: most fall in the last segment
    row: list[tuple[float, int]] = []
    for m in pattern.finditer(corpus):
        pos = m.start()
        if pos and corpus[pos - 1] not in _BOUNDARY:
            continue  # inside a longer word
        if not seg_start <= pos < seg_end:
            segment = bisect.bisect_right(starts, pos) - 1
            seg_start = starts[segment]
            seg_end = starts[segment + 1] if segment + 1 < len(starts) else len(corpus) + 1
            ci, fi = divmod(segment, nfields)
            weight = weights[fi]
            got = best.get(ci)
            if got is None:
                got = best[ci] = [(0.0, nfields)] * len(words)
                found[ci] = set()
            row, terms_here = got, found[ci]
        term = m.group()
        terms_here.add(term)
        for wi, sim in stands_for[term]:
            score = sim * weight
            if score > row[wi][0] or (score == row[wi][0] and fi < row[wi][1]):
                row[wi] = (score, fi)
    whole = " ".join(words)
    start_column, end_column = dataset.claims.start, dataset.claims.end
    ranked: list[tuple[float, int, int, int, int]] = []
    for ci, row in best.items():
        if allowed is not None and ci not in allowed:
            continue
        score = sum(s for s, _ in row) / len(words)
        if len(words) > 1:
            seg = corpus[starts[ci * nfields] : starts[ci * nfields + 2]]
            if whole in seg:  # the words together, as a phrase, in the summary or quote
                score = min(100.0, score + 5.0)
        score = round(score, 1)
        if score < cutoff:
            continue
        first_field = min((fi for s, fi in row if s > 0), default=nfields)
        undated = start_column[ci] < 0
        ranked.append((-score, first_field, _LAST if undated else start_column[ci], end_column[ci], ci))
    ranked.sort()
    if limit is not None:
        ranked = ranked[:limit]
    hits = []
    for neg_score, _, _, _, ci in ranked:
        row = best[ci]
        by_field: dict[int, float] = {}
        for s, fi in row:
            if s > 0:
                by_field[fi] = max(by_field.get(fi, 0.0), s)
        matched = tuple(FIELDS[fi] for fi in sorted(by_field, key=lambda fi: (-by_field[fi], fi)))
        hits.append(Hit(dataset.claims[ci], -neg_score, matched, frozenset(found[ci])))
    return Results(query, tuple(hits), () if hits else suggest(dataset, index, query))


_LAST = 10**7
_BOUNDARY = " " + SEPARATOR


def suggest(dataset: Dataset, index: SearchIndex, query: str, limit: int = 5) -> tuple[str, ...]:
    """The topics and words closest to a query that found nothing."""
    from rapidfuzz import fuzz, process

    folded = textnorm.fold(query)
    if not folded:
        return ()
    topics = {textnorm.fold(n): t.label for t in dataset.topics for n in t.names}
    out: list[str] = []
    for name, _s, _ in process.extract(folded, list(topics), scorer=fuzz.WRatio, score_cutoff=60, limit=10):
        if topics[name] not in out:
            out.append(topics[name])
    for word in folded.split():
        for term, _s, _ in process.extract(
            word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=55, limit=3
        ):
            if term not in out and len(term) > 2:
                out.append(term)
    return tuple(out[:limit])
