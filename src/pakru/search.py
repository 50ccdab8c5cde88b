"""Search that answers questions: SQLite FTS5 over the claims, ranked by the evidence they hold.

A query is read into *terms*: each word that is not a common word ("why", "did", "the"), each
"quoted phrase", and each name of an actor or topic (matched as a whole, so "Islamic State" is
one term). A term is found through its alternatives, each with a factor:

- the term as typed (1.0), stemmed by FTS5's porter tokenizer ("annexation" finds "annexed");
- its synonyms from the data (0.85): the other names of the same actor or topic ("Daesh" finds
  "ISIS" and "Islamic State"; "Mi35" finds "Mi-35");
- for a word no claim contains, the dataset's words within its edit budget (typos: 0.5 for one
  edit, 0.4 for two; see ``edit_budget``), never a common word.

Where it is found counts too: a claim's own text (summary, quote) 1.0, the names of its actors,
event and source 0.6, the names of its topics 0.3 (every claim of a topic carries them).

A claim's score (0–100) is the share of the query's evidence it holds: the sum over the terms it
matches of (term weight × factors), over the sum of all the terms' weights, where a term's
weight is its BM25 inverse document frequency (rare words weigh more; a word no claim holds
weighs most). 100 means every term found as typed in the claim's own text. Claims are ranked by
score, then by FTS5's bm25() with column weights. No term is required, and a claim that only
shares common words with the query is never a match.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from pakru import textnorm
from pakru.errors import QueryError
from pakru.model import Claim, Dataset
from pakru.store import fts

if TYPE_CHECKING:
    import sqlite3

    from pakru.query import Filters

# Words that carry no evidence in a question or a keyword query. "us" is not one: it is the US.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing done during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom whose why will with would you
    your yours tell say says said explain describe happen happened happens make made makes making
    many much""".split()
)

EXACT, SYNONYM, TYPO1, TYPO2 = 0, 1, 2, 3
KIND_FACTOR = {EXACT: 1.0, SYNONYM: 0.85, TYPO1: 0.5, TYPO2: 0.4}
# Column groups of claim_fts: (name shown as "matched", FTS5 column filter, factor)
GROUPS = (
    ("text", "{summary quote}", 1.0),
    ("names", "{actors event source}", 0.6),
    ("topics", "{topics}", 0.3),
)
BM25_WEIGHTS = (1.0, 0.8, 0.2, 0.4, 0.5, 0.3)  # COLUMNS order: summary, quote, topics, actors, event, source
MAX_TYPOS = 5  # dataset words a misspelt word may stand for
MIN_SCORE = 5  # below this a claim shares too little of the query to be shown
SELECTIVE = 1000  # a term matching more claims than this is scored only on the claims others find
CANDIDATES = 500  # claims on which the common terms are scored


class StoreLike(Protocol):
    """What search needs of the store (issue 13's Store has these members)."""

    conn: sqlite3.Connection
    dataset: Dataset

    def claims_at(self, rowids: Sequence[int]) -> list[Claim]: ...
    def where(self, f: Filters) -> tuple[str, tuple[Any, ...]]: ...
    def attested_by(self, event_ids: Iterable[str]) -> dict[str, int]: ...


class Term(NamedTuple):
    label: str  # as the user typed it, folded: "kahn", "arms embargo"
    weight: float  # its inverse document frequency
    alternatives: tuple[tuple[int, tuple[str, ...]], ...]  # (kind, tokens), exact first
    present: bool  # some claim holds the term as typed (or a synonym of it)
    docs: int = 0  # claims its alternatives may match, at most (how selective it is)


class Hit(NamedTuple):
    claim: Claim
    score: int  # 0..100: the share of the query's evidence the claim holds
    matched: tuple[str, ...]  # column groups that matched: text, names, topics
    terms: dict[str, str | None]  # each term -> the dataset word(s) it matched here, or None
    approximate: bool  # some term matched only through a typo expansion
    words: frozenset[str] = frozenset()  # folded words of the claim to highlight
    attested_by: int | None = None  # sources that attest the claim's event


class Results(NamedTuple):
    query: str
    hits: tuple[Hit, ...]
    notices: tuple[str, ...] = ()  # said first: "no claim contains 'nuclear'; showing matches for ..."
    terms: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # common words left out of the search


def edit_budget(word: str) -> int:
    """Edits a misspelt word may be away from a dataset word: none below 4 letters, 1 up to 8, 2 from 9."""
    n = len(word)
    return 0 if n < 4 or word.isdigit() else 1 if n <= 8 else 2


class Piece(NamedTuple):
    tokens: tuple[str, ...]
    quoted: bool
    negated: bool


_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(query: str) -> list[Piece]:
    """Words, "quoted phrases", and -excluded words or phrases, each folded into tokens."""
    text = query.replace("“", '"').replace("”", '"').replace("„", '"')
    out = []
    for m in _PIECE.finditer(text):
        if m.group(2) is not None:
            negated, raw, quoted = bool(m.group(1)), m.group(2), True
        else:
            raw = m.group(3)
            negated = raw.startswith("-") and len(raw) > 1
            raw, quoted = (raw[1:] if negated else raw), False
        tokens = textnorm.fold(raw).split()
        if not quoted and len(tokens) > 1 and tokens[-1] == "s":  # "Khan's": the possessive
            tokens = tokens[:-1]
        if tokens:
            out.append(Piece(tuple(tokens), quoted, negated))
    return out


def search(store: StoreLike, query: str, filters: Filters, limit: int | None = None) -> Results:
    """The claims that answer ``query`` among those passing ``filters``, best first."""
    pieces = parse(query)
    if not pieces:
        raise QueryError("the query has no words to search for")
    if all(p.negated for p in pieces):
        raise QueryError("the query has only words to leave out (-word); give one to search for")
    conn = store.conn
    terms, ignored = _terms(conn, [p for p in pieces if not p.negated])
    excluded = [p.tokens for p in pieces if p.negated]
    notices = tuple(_notice(t) for t in terms if not t.present)
    labels = tuple(t.label for t in terms)
    if not terms:  # only common words
        return Results(query, (), notices, labels, ignored)
    rows = _rank(store, terms, excluded, filters, limit)
    if not rows:
        return Results(query, (), notices, labels, ignored)
    claims = store.claims_at([r[0] for r in rows])
    attested = store.attested_by({c.event for c in claims if c.event})
    total = sum(t.weight for t in terms) or 1.0
    stems = _stems_of(conn, terms, claims, store.dataset)
    hits = []
    for (_rowid, numerator, _rank_value, detail), claim in zip(rows, claims, strict=True):
        best = {int(c): (int(k), int(g)) for c, k, g in (part.split(":") for part in detail.split(" "))}
        hits.append(_hit(store.dataset, claim, terms, best, round(100 * numerator / total), stems, attested))
    return Results(query, tuple(hits), notices, labels, ignored)


def _notice(t: Term) -> str:
    typos = [" ".join(tokens) for kind, tokens in t.alternatives if kind in (TYPO1, TYPO2)]
    if not typos:
        return f"no claim contains {t.label!r}"
    return f"no claim contains {t.label!r}; showing matches for " + ", ".join(repr(w) for w in typos)


def _terms(conn: sqlite3.Connection, pieces: list[Piece]) -> tuple[list[Term], tuple[str, ...]]:
    """The query's terms (synonym names matched as wholes, common words dropped), weighted."""
    names = _synonym_names(conn)
    longest = max((len(n) for n in names), default=1)
    units: list[tuple[tuple[str, ...], bool]] = []  # (tokens, quoted)
    for p in pieces:
        units.append((p.tokens, p.quoted))  # an unquoted "Mi-35" stays one unit: a phrase
    raw: list[tuple[tuple[str, ...], bool, tuple[tuple[str, ...], ...]]] = []  # tokens, quoted, synonyms
    ignored: list[str] = []
    i = 0
    while i < len(units):
        tokens, quoted = units[i]
        if not quoted:  # the longest run of words that is the name of an actor or topic
            for j in range(min(len(units), i + longest), i, -1):
                if any(q for _t, q in units[i:j]):
                    continue
                span = tuple(tok for t, _q in units[i:j] for tok in t)
                if span in names and not (len(span) == 1 and span[0] in STOPWORDS):
                    raw.append((span, False, tuple(n for n in names[span] if n != span)))
                    i = j
                    break
            else:
                if len(tokens) == 1 and tokens[0] in STOPWORDS:
                    ignored.append(tokens[0])
                else:
                    raw.append((tokens, False, ()))
                i += 1
            continue
        raw.append((tokens, True, ()))
        i += 1
    words = {tok for tokens, _q, syn in raw for alt in (tokens, *syn) for tok in alt}
    words.update("".join(tokens) for tokens, quoted, _s in raw if len(tokens) > 1 and not quoted)
    stems = stems_of(conn, words)
    docs = _docs(conn, set(stems.values()))
    n_claims = _claim_count(conn)

    def df(tokens: tuple[str, ...]) -> int:
        """Claims that may hold the words anywhere (at most)."""
        return min(docs.get(stems.get(tok, tok), (0, 0))[0] for tok in tokens)

    def rarity(tokens: tuple[str, ...]) -> int:
        """Claims whose own text holds the words, or (names only: "Karim") that hold them at all."""
        counts = [docs.get(stems.get(tok, tok), (0, 0)) for tok in tokens]
        return min(text or anywhere for anywhere, text in counts)

    def idf(d: int) -> float:
        return math.log(1 + (n_claims - d + 0.5) / (d + 0.5))

    terms = []
    for tokens, quoted, synonyms in raw:
        alternatives = [(EXACT, tokens)]
        joined = ("".join(tokens),)
        if len(tokens) > 1 and not quoted and df(joined):  # "U-2" is also "U2"
            alternatives.append((EXACT, joined))
        present = any(df(alt) > 0 for _k, alt in alternatives) or any(df(s) > 0 for s in synonyms)
        alternatives += [(SYNONYM, s) for s in synonyms]
        if not present and len(tokens) == 1 and not quoted:
            typos = _typos(conn, tokens[0])
            stems.update(stems_of(conn, {w for w, _e in typos}))
            docs.update(_docs(conn, {stems[w] for w, _e in typos if w in stems}))
            alternatives += [(TYPO1 if edits == 1 else TYPO2, (w,)) for w, edits in typos]
        content = [tok for tok in tokens if tok not in STOPWORDS] or list(tokens)
        # As rare as the word typed ("Druzhba", not its synonym "Friendship"); a word no claim
        # holds, as rare as its rarest synonym, or as rare as can be.
        typed = max(rarity(alt) for k, alt in alternatives if k == EXACT) or min(
            (d for d in map(rarity, synonyms) if d), default=0
        )
        weight = idf(typed) * (len(content) if quoted else 1)
        matches = sum(df(alt) for _k, alt in alternatives)
        terms.append(Term(" ".join(tokens), weight, tuple(alternatives), present, matches))
    return terms, tuple(ignored)


def _typos(conn: sqlite3.Connection, word: str) -> list[tuple[str, int]]:
    """The dataset words within the word's edit budget (Damerau: a swap is one edit), closest first."""
    budget = edit_budget(word)
    if not budget:
        return []
    rows = conn.execute(
        "SELECT word, docs FROM fts_vocab WHERE len BETWEEN ? AND ?", (len(word) - budget, len(word) + budget)
    ).fetchall()
    docs = {w: d for w, d in rows if w not in STOPWORDS and not w.isdigit()}
    if not docs:
        return []
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(word, list(docs), scorer=OSA.distance, score_cutoff=budget, limit=None)
    found.sort(key=lambda f: (f[1], -docs[f[0]], f[0]))
    return [(w, int(d)) for w, d, _ in found[:MAX_TYPOS]]


def _synonym_names(conn: sqlite3.Connection) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    groups: dict[int, list[tuple[str, ...]]] = {}
    for name, grp in conn.execute("SELECT name, grp FROM fts_synonyms"):
        if name not in STOPWORDS:  # "IS" for ISIS would match every "is"
            groups.setdefault(grp, []).append(tuple(name.split()))
    out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for members in groups.values():
        for m in members:
            out[m] = tuple(dict.fromkeys(out.get(m, ()) + tuple(members)))
    return out


def _docs(conn: sqlite3.Connection, stems: set[str]) -> dict[str, tuple[int, int]]:
    """Each stem's claims: (anywhere, in their own text)."""
    if not stems:
        return {}
    marks = ", ".join("?" * len(stems))
    return {
        stem: (docs, text_docs)
        for stem, docs, text_docs in conn.execute(
            f"SELECT stem, docs, text_docs FROM fts_stems WHERE stem IN ({marks})", tuple(stems)
        )
    }


def _claim_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM fts_meta WHERE key = 'claims'").fetchone()
    return int(row[0]) if row else 0


def _phrase(tokens: tuple[str, ...]) -> str:
    return '"' + " ".join(tokens) + '"'


def _rank(
    store: StoreLike, terms: list[Term], excluded: list[tuple[str, ...]], filters: Filters, limit: int | None
) -> list[tuple[int, float, float, str]]:
    """(rowid, evidence, bm25 sum, per-term "term:kind:group" list) of the best claims.

    The work is bounded by the selective terms: claims are gathered through the terms that
    match at most SELECTIVE claims, and the common terms ("Pakistan" in a dataset about
    Pakistan) are then scored only on the CANDIDATES claims these rank best. When every term is
    common, the claims gathered are the first CANDIDATES whose own text holds one of them. On a
    dataset of fewer than SELECTIVE claims every term is selective and the ranking is exact.
    """
    selective = [ti for ti, t in enumerate(terms) if t.docs <= SELECTIVE]
    common = [ti for ti in range(len(terms)) if ti not in selective]
    sel_parts, sel_params = _parts(terms, selective)
    cand_params: list[str] = []
    if selective:  # the claims the selective terms rank best
        candidates = f"SELECT rowid FROM sel GROUP BY rowid ORDER BY SUM(m) DESC LIMIT {CANDIDATES}"
    else:  # the first claims whose own text holds a common term: a bounded, unranked sample
        firsts = []
        for ti in common:
            firsts.append(
                f"SELECT * FROM (SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? LIMIT {CANDIDATES})"
            )
            cand_params.append(_own_text_match(terms[ti]))
        candidates = " UNION ".join(firsts)
    # A common term counts only where a claim's own text holds it, checked claim by claim: bm25()
    # would read the term's whole posting list again for each claim.
    common_parts, common_params = [], []
    for ti in common:
        for kind in (EXACT, SYNONYM, TYPO1, TYPO2):
            alts = [a for k, a in terms[ti].alternatives if k == kind]
            if alts:
                m = terms[ti].weight * KIND_FACTOR[kind] * GROUPS[0][2]
                common_parts.append(
                    f"SELECT cand.rowid, {ti}, {m!r}, {kind}, 0, 0.0 FROM cand CROSS JOIN claim_fts"
                    " ON claim_fts.rowid = cand.rowid WHERE claim_fts MATCH ?"
                )
                common_params.append(GROUPS[0][1] + " : (" + " OR ".join(_phrase(a) for a in alts) + ")")
    where, where_params = store.where(filters)
    exclude = ""
    if excluded:
        exclude = " AND best.rowid NOT IN (SELECT rowid FROM claim_fts WHERE claim_fts MATCH ?)"
        where_params = (
            *where_params,
            "{summary quote} : (" + " OR ".join(_phrase(e) for e in excluded) + ")",
        )
    total = sum(t.weight for t in terms) or 1.0
    empty = "SELECT 0, 0, 0.0, 0, 0, 0.0 WHERE 0"
    sql = (
        f"WITH sel(rowid, c, m, k, g, bm) AS MATERIALIZED ({' UNION ALL '.join(sel_parts) or empty}),"
        f" cand(rowid) AS MATERIALIZED ({candidates}),"
        f" hits AS (SELECT * FROM sel{''.join(' UNION ALL ' + p for p in common_parts)}),"
        " best AS (SELECT rowid, c, MAX(m) AS m, k, g, bm FROM hits GROUP BY rowid, c)"
        " SELECT best.rowid, SUM(best.m) AS s, SUM(best.bm) AS r,"
        " group_concat(best.c || ':' || best.k || ':' || best.g, ' ')"
        f" FROM best JOIN claims ON claims.rowid = best.rowid WHERE ({where}){exclude}"
        f" GROUP BY best.rowid HAVING 100.0 * s / {total!r} >= {MIN_SCORE}"
        f" ORDER BY ROUND(100.0 * s / {total!r}) DESC, r, best.rowid LIMIT ?"
    )
    params = (*sel_params, *cand_params, *common_params, *where_params, -1 if limit is None else limit)
    return store.conn.execute(sql, params).fetchall()


def _own_text_match(t: Term) -> str:
    alts = [a for _k, a in t.alternatives]
    return GROUPS[0][1] + " : (" + " OR ".join(_phrase(a) for a in alts) + ")"


def _parts(terms: list[Term], which: list[int]) -> tuple[list[str], list[str]]:
    """One SELECT per term, kind of alternative and column group, with its MATCH argument."""
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    parts, params = [], []
    for ti in which:
        t = terms[ti]
        kinds: dict[int, list[tuple[str, ...]]] = {}
        for kind, tokens in t.alternatives:
            kinds.setdefault(kind, []).append(tokens)
        for kind, alts in kinds.items():
            match = " OR ".join(_phrase(a) for a in alts)
            for gi, (_name, columns, factor) in enumerate(GROUPS):
                m = t.weight * KIND_FACTOR[kind] * factor
                parts.append(
                    f"SELECT rowid, {ti}, {m!r}, {kind}, {gi},"
                    f" bm25(claim_fts, {weights}) * {KIND_FACTOR[kind]!r}"
                    " FROM claim_fts WHERE claim_fts MATCH ?"
                )
                params.append(f"{columns} : ({match})")
    return parts, params


def _stems_of(
    conn: sqlite3.Connection, terms: list[Term], claims: list[Claim], dataset: Dataset
) -> dict[str, str]:
    """The stem of every word of the terms' alternatives and of the hits' texts."""
    words = {tok for t in terms for _k, alt in t.alternatives for tok in alt}
    for c in claims:
        words.update(w for group in _claim_words(dataset, c) for w in group)
    return stems_of(conn, words)


def stems_of(conn: sqlite3.Connection, words: set[str]) -> dict[str, str]:
    """Each word's stem: from the vocabulary table, or (a word no claim holds) the tokenizer."""
    out: dict[str, str] = {}
    listed = list(words)
    for first in range(0, len(listed), 500):
        chunk = listed[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT word, stem FROM fts_vocab WHERE word IN ({marks})", chunk))
    missing = [w for w in listed if w not in out]
    if missing:
        out.update(fts.stems(missing))
    return out


def _claim_words(dataset: Dataset, c: Claim) -> tuple[list[str], ...]:
    """The folded words of a claim in each column group of GROUPS: own text, names, topics."""
    event = dataset.event_by_id.get(c.event) if c.event else None
    topics = [dataset.topic_by_id[t] for t in c.topics if t in dataset.topic_by_id]
    source = dataset.source_by_id[c.source]
    summary, quote, topic_names, actors, event_label, source_names = fts.row_text(
        c, source, topics, dataset.actor_aliases, event
    )
    return tuple(
        textnorm.fold(" ".join(texts)).split()
        for texts in ((summary, quote), (actors, event_label, source_names), (topic_names,))
    )


def _find(words: list[str], stems: dict[str, str], alt: tuple[str, ...]) -> list[str]:
    """The claim's words that spell the alternative (by stems, in a row), or []."""
    want = [stems.get(tok, tok) for tok in alt]
    have = [stems.get(w, w) for w in words]
    n = len(want)
    for i in range(len(have) - n + 1):
        if have[i : i + n] == want:
            return words[i : i + n]
    return []


def _hit(
    dataset: Dataset,
    claim: Claim,
    terms: list[Term],
    best: dict[int, tuple[int, int]],
    score: int,
    stems: dict[str, str],
    attested: dict[str, int],
) -> Hit:
    groups_words = _claim_words(dataset, claim)
    matched_terms: dict[str, str | None] = {}
    highlight: set[str] = set()
    approximate = False
    groups: set[int] = set()
    for ti, t in enumerate(terms):
        if ti not in best:
            matched_terms[t.label] = None
            continue
        kind, group = best[ti]
        groups.add(group)
        approximate = approximate or kind in (TYPO1, TYPO2)
        shown: list[str] = []
        for k, alt in sorted(t.alternatives, key=lambda a: -len(a[1])):  # "mi 35m" before "mi"
            if k == kind:
                shown = _find(groups_words[group], stems, alt)
                if shown:
                    break
        if shown:  # every form of the matched words in the claim's own text: "lift", "lifting"
            wanted = {stems.get(w, w) for w in shown}
            highlight.update(w for w in groups_words[0] if stems.get(w, w) in wanted)
        highlight.update(shown)
        matched_terms[t.label] = " ".join(shown) if shown else t.label
    matched = tuple(GROUPS[g][0] for g in sorted(groups))
    return Hit(
        claim,
        score,
        matched,
        matched_terms,
        approximate,
        frozenset(highlight),
        attested.get(claim.event) if claim.event else None,
    )
