"""Fuzzy, typo-tolerant search over claims, on the store's full-text index (store/fts.py).

A minimal version (issue 13), kept to the ranking pakru had: the search helper's version
replaces it. The query is folded (case, accents, punctuation) and split into words; each word is
expanded over the index's vocabulary to the words it could mean ("gwadr" -> "gwadar"). FTS5
finds the claims holding any of them, best first by bm25; the best of those are scored, for each
query word, by the similarity of the best expansion they contain weighted by the field it was
found in, and shown by that score.
"""

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from pakru import textnorm
from pakru.model import Claim

if TYPE_CHECKING:
    from pakru.query import Filters
    from pakru.store.open import Store

FIELDS = ("summary", "quote", "topics", "actors", "event", "source")
WEIGHTS = {"summary": 1.0, "quote": 1.0, "topics": 0.95, "actors": 0.95, "event": 0.9, "source": 0.85}
DEFAULT_CUTOFF = 60.0
POOL = 5  # claims found by bm25 for each one shown, to be scored
STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the this to was were with".split()
)
_LAST = 10**7


class Hit(NamedTuple):
    claim: Claim
    score: float  # 0..100
    matched: tuple[str, ...]  # fields, best first
    terms: frozenset[str] = frozenset()  # folded words that matched


class Results(NamedTuple):
    query: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...] = ()  # when nothing matched: the closest topics or words


class Vocabulary:
    """The index's words: looked up in the table, read whole only for a likely typo."""

    def __init__(self, store: "Store") -> None:
        self.conn = store.conn
        self._all: list[str] | None = None

    def has(self, word: str) -> bool:
        return self.conn.execute("SELECT 1 FROM vocabulary WHERE word = ?", (word,)).fetchone() is not None

    def starting(self, prefix: str) -> list[str]:
        sql = "SELECT word FROM vocabulary WHERE word > ? AND word < ? ORDER BY word"
        return [r[0] for r in self.conn.execute(sql, (prefix, prefix + "\U0010ffff"))]

    def every(self) -> list[str]:
        if self._all is None:
            self._all = [r[0] for r in self.conn.execute("SELECT word FROM vocabulary ORDER BY word")]
        return self._all


def query_words(query: str) -> list[str]:
    words = textnorm.fold(query).split()
    content = [w for w in words if w not in STOPWORDS]
    return content or words


def expand(word: str, vocabulary: "Vocabulary | Sequence[str]") -> dict[str, float]:
    """The vocabulary words a query word may mean, with their similarity (0..100).

    A word the dataset contains is taken as meant: it matches itself, longer words it
    begins ("helicopter" -> "helicopters") and words that are all but its last letters
    ("agreements" -> "agreement"). Only a word the dataset lacks, a likely typo, is
    compared with the whole vocabulary by rapidfuzz.
    """
    vocab = vocabulary if isinstance(vocabulary, Vocabulary) else _Listed(vocabulary)
    out: dict[str, float] = {}
    exact = vocab.has(word)
    if exact:
        out[word] = 100.0
    if len(word) >= 3:  # "heli" finds "helicopters", a little below an exact word
        for term in vocab.starting(word):
            out[term] = 90.0 - min(10.0, len(term) - len(word))
        for cut in range(1, min(3, len(word) - 3) + 1):  # plurals, -ed, -ing: "talks" -> "talk"
            stem = word[:-cut]
            if vocab.has(stem):
                out.setdefault(stem, 90.0 - 2 * cut)
    if exact or len(word) <= 2:  # short words are too easily near anything
        return out
    from rapidfuzz import fuzz, process

    cutoff = 85 if len(word) <= 4 else 80 if len(word) <= 6 else 75
    for term, score, _ in process.extract(
        word, vocab.every(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
    ):
        out[term] = max(out.get(term, 0.0), float(score))
    return out


class _Listed:
    """A sorted list of words as a Vocabulary (for tests and callers with a list)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words

    def has(self, word: str) -> bool:
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def starting(self, prefix: str) -> list[str]:
        i = bisect.bisect_right(self.words, prefix)
        out = []
        while i < len(self.words) and self.words[i].startswith(prefix):
            out.append(self.words[i])
            i += 1
        return out

    def every(self) -> Sequence[str]:
        return self.words


def search(
    store: "Store",
    query: str,
    filters: "Filters | None" = None,
    limit: int | None = None,
    *,
    cutoff: float = DEFAULT_CUTOFF,
) -> Results:
    """Claims matching ``query`` that pass ``filters``, best first."""
    from pakru.store import fts

    words = query_words(query)
    if not words:
        return Results(query, ())
    vocab = Vocabulary(store)
    expansions = [expand(w, vocab) for w in words]
    terms = {t for e in expansions for t in e}
    if not terms:
        return Results(query, (), suggest(store, vocab, query))
    match = " OR ".join(f'"{t}"' for t in sorted(terms))
    where, params = store.where(filters)
    weights = ", ".join(str(WEIGHTS[f]) for f in FIELDS)
    joined = (
        "" if where == "1" else " JOIN claims ON claims.rowid = claim_fts.rowid"
    )  # no join: half the time
    sql = (
        f"SELECT claim_fts.rowid FROM claim_fts{joined} "
        f"WHERE claim_fts MATCH ? AND {where} ORDER BY bm25(claim_fts, {weights})"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit) * POOL}"
    rowids = [r[0] for r in store.conn.execute(sql, (match, *params))]
    d = store.dataset
    whole = " ".join(words)
    ranked = []
    for rowid, c in zip(rowids, store.claims_at(rowids), strict=True):
        event = d.event_by_id[c.event] if c.event is not None else None
        texts = fts.row_text(
            c, d.source_by_id[c.source], [d.topic_by_id[t] for t in c.topics], d.actor_aliases, event
        )
        scored = _score(texts, words, expansions, whole)
        if scored is None or scored[0] < cutoff:
            continue
        score, fields, found, first = scored
        when = (_LAST, 0) if c.date is None else (c.date.start.toordinal(), c.date.end.toordinal())
        ranked.append(((-score, first, *when, rowid), Hit(c, score, fields, found)))
    ranked.sort(key=lambda x: x[0])
    hits = tuple(h for _, h in ranked[:limit])
    return Results(query, hits, () if hits else suggest(store, vocab, query))


def _score(
    texts: Sequence[str], words: list[str], expansions: list[dict[str, float]], whole: str
) -> tuple[float, tuple[str, ...], frozenset[str], int] | None:
    fields = [set(t.split()) for t in texts]
    best: list[tuple[float, int]] = []
    found: set[str] = set()
    for exp in expansions:
        top = (0.0, len(FIELDS))
        for fi, present in enumerate(fields):
            weight = WEIGHTS[FIELDS[fi]]
            for term in present.intersection(exp):
                found.add(term)
                s = exp[term] * weight
                if s > top[0]:
                    top = (s, fi)
        best.append(top)
    if not found:
        return None
    score = sum(s for s, _ in best) / len(words)
    if len(words) > 1 and (whole in texts[0] or whole in texts[1]):
        score = min(100.0, score + 5.0)
    by_field: dict[int, float] = {}
    for s, fi in best:
        if s > 0:
            by_field[fi] = max(by_field.get(fi, 0.0), s)
    matched = tuple(FIELDS[fi] for fi in sorted(by_field, key=lambda fi: (-by_field[fi], fi)))
    first = min((fi for s, fi in best if s > 0), default=len(FIELDS))
    return round(score, 1), matched, frozenset(found), first


def suggest(store: "Store", vocab: Vocabulary, query: str, limit: int = 5) -> tuple[str, ...]:
    """The topics and words closest to a query that found nothing."""
    from rapidfuzz import fuzz, process

    folded = textnorm.fold(query)
    if not folded:
        return ()
    topics = {textnorm.fold(n): t.label for t in store.dataset.topics for n in t.names}
    out: list[str] = []
    for name, _s, _ in process.extract(folded, list(topics), scorer=fuzz.WRatio, score_cutoff=60, limit=10):
        if topics[name] not in out:
            out.append(topics[name])
    for word in folded.split():
        for term, _s, _ in process.extract(word, vocab.every(), scorer=fuzz.ratio, score_cutoff=55, limit=3):
            if term not in out and len(term) > 2:
                out.append(term)
    return tuple(out[:limit])
