"""Search that answers questions: SQLite FTS5 over the claims, ranked by the evidence they hold.

A query is read into *terms*: each word that is not a common word ("why", "did", "the"), each
"quoted phrase", and each name of an actor or topic (matched as a whole, so "Islamic State" is
one term). A term is found through its alternatives, each with a factor:

- the term as typed (1.0), stemmed by FTS5's porter tokenizer ("annexation" finds "annexed");
- its synonyms from the data (0.85): the other names of the same actor or topic ("Daesh" finds
  "ISIS" and "Islamic State"; "Mi35" finds "Mi-35");
- for a word no claim contains, the dataset's words within its edit budget (typos: 0.5 for one
  edit, 0.4 for two; see ``searchterms.edit_budget``), never a common word.

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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pakru.core import textnorm
from pakru.core.errors import QueryError
from pakru.core.model import Claim, Dataset
from pakru.core.record import Record
from pakru.queries.searchterms import (
    DATED_WITHIN,
    EXACT,
    SYNONYM,
    TYPO1,
    TYPO2,
    Term,
    parse,
    read_terms,
    stems_of,
)
from pakru.store import fts

if TYPE_CHECKING:
    import sqlite3

    from pakru.core.model import Filters

KIND_FACTOR = {EXACT: 1.0, SYNONYM: 0.85, TYPO1: 0.5, TYPO2: 0.4}
DATE_FACTOR = 0.85  # a claim dated in the year asked about, that does not write it: as a synonym
# Column groups: (name shown as "matched", FTS5 column filter of claim_fts or None, factor). The
# names group holds the source's author and title too, matched in source_fts (one row per
# source); the topics group is matched in topic_fts (one row per topic).
OWN_TEXT = "{summary quote}"
GROUPS: tuple[tuple[str, str | None, float], ...] = (
    ("text", OWN_TEXT, 1.0),
    ("names", "{actors event}", 0.6),
    ("topics", None, 0.3),
    ("date", None, DATE_FACTOR),  # a year or decade of the query, and the claim dated within it
)
NAMES, TOPICS, DATE = 1, 2, 3
BM25_WEIGHTS = (1.0, 0.8, 0.4, 0.5)  # CLAIM_COLUMNS order: summary, quote, actors, event
# The side tables' bm25 weights, as the columns of one claim_fts had them: source, topics
SIDE = {
    NAMES: ("source_fts", 0.3, "JOIN claims ON claims.source = source_fts.rowid", "claims.rowid"),
    TOPICS: ("topic_fts", 0.2, "JOIN claim_topics ct ON ct.topic = topic_fts.rowid", "ct.claim"),
}
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


class Hit(Record):
    claim: Claim
    score: int  # 0..100: the share of the query's evidence the claim holds
    matched: tuple[str, ...]  # column groups that matched: text, names, topics
    terms: dict[str, str | None]  # each term -> the dataset word(s) it matched here, or None
    approximate: bool  # some term matched only through a typo expansion
    words: frozenset[str] = frozenset()  # folded words of the claim to highlight
    attested_by: int | None = None  # sources that attest the claim's event


class Results(Record):
    query: str
    hits: tuple[Hit, ...]
    notices: tuple[str, ...] = ()  # said first: "no claim contains 'nuclear'; showing matches for ..."
    terms: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # common words left out of the search


def search(store: StoreLike, query: str, filters: Filters, limit: int | None = None) -> Results:
    """The claims that answer ``query`` among those passing ``filters``, best first."""
    pieces = parse(query)
    if not pieces:
        raise QueryError("the query has no words to search for")
    if all(p.negated for p in pieces):
        raise QueryError("the query has only words to leave out (-word); give one to search for")
    conn = store.conn
    terms, ignored = read_terms(conn, [p for p in pieces if not p.negated])
    excluded = [p.tokens for p in pieces if p.negated]
    notices = tuple(_notice(t) for t in terms if not t.present)
    labels = tuple(t.label for t in terms)
    if not terms:  # only common words
        return Results(query, (), notices, labels, ignored)
    rows, window = _rank(store, terms, excluded, filters, limit)
    if window is not None:
        notices = (*notices, _window_notice(*window))
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


def _window_notice(window: int, total: int) -> str:
    return (
        f"every word of the query is in more than {SELECTIVE:,} claims: searched the first "
        f"{window:,} of {total:,} claims only; add a rarer word or a quoted phrase to search them all"
    )


def _phrase(tokens: tuple[str, ...]) -> str:
    return '"' + " ".join(tokens) + '"'


def _rank(
    store: StoreLike, terms: list[Term], excluded: list[tuple[str, ...]], filters: Filters, limit: int | None
) -> tuple[list[tuple[int, float, float, str]], tuple[int, int] | None]:
    """(rowid, evidence, bm25 sum, per-term "term:kind:group" list) of the best claims, and (the
    last rowid searched, the claims there are) when only the first part of the dataset was
    searched (see _window), else None.

    The work is bounded by the selective terms: claims are gathered through the terms that
    match at most SELECTIVE claims, and the common terms ("Pakistan" in a dataset about
    Pakistan) are then scored only on the CANDIDATES claims these rank best. On a dataset of
    fewer than SELECTIVE claims every term is selective and the ranking is exact.
    """
    conn = store.conn
    window = None
    selective = [ti for ti, t in enumerate(terms) if t.docs <= SELECTIVE]
    if not selective:
        window, selective = _window(conn, terms)
    common = [ti for ti in range(len(terms)) if ti not in selective]
    sel_parts, sel_params = _parts(terms, selective, None if window is None else window[0])
    candidates = f"SELECT rowid FROM sel GROUP BY rowid ORDER BY SUM(m) DESC LIMIT {CANDIDATES}"
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
                common_params.append(OWN_TEXT + " : (" + " OR ".join(_phrase(a) for a in alts) + ")")
        days = terms[ti].days
        if days is not None:
            m = terms[ti].weight * DATE_FACTOR
            common_parts.append(
                f"SELECT cand.rowid, {ti}, {m!r}, {EXACT}, {DATE}, 0.0 FROM cand CROSS JOIN claims"
                f" ON claims.rowid = cand.rowid WHERE {DATED_WITHIN.format(*days)}"
            )
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
    params = (*sel_params, *common_params, *where_params, -1 if limit is None else limit)
    return conn.execute(sql, params).fetchall(), window


def _window(conn: sqlite3.Connection, terms: list[Term]) -> tuple[tuple[int, int] | None, list[int]]:
    """Where every term is common, the first part of the dataset in which the rarest holds
    SELECTIVE claims ((its last rowid, the claims there are), or None: all of it), and the terms
    selective there: each expected in at most twice as many of its claims (terms spread evenly
    over the dataset).

    Only that part is searched, so a query of common words costs the same in a dataset of any
    size; the output says so.
    """
    rarest = min(range(len(terms)), key=lambda ti: terms[ti].docs)
    match = " OR ".join(_phrase(a) for _k, a in terms[rarest].alternatives)
    row = conn.execute(
        f"SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? LIMIT 1 OFFSET {SELECTIVE - 1}", (match,)
    ).fetchone()
    claims = conn.execute("SELECT max(rowid) FROM claims").fetchone()[0] or 0
    last = row[0] if row is not None else claims * SELECTIVE // max(terms[rarest].docs, 1)
    if last >= claims:
        return None, [rarest]
    share = last / claims
    return (last, claims), [
        ti for ti, t in enumerate(terms) if t.docs * share <= 2 * SELECTIVE or ti == rarest
    ]


def _parts(terms: list[Term], which: list[int], window: int | None) -> tuple[list[str], list[str]]:
    """One SELECT per term, kind of alternative and column group, with its MATCH argument; only
    of the claims up to rowid ``window`` when it is given."""
    upto = "" if window is None else f" AND {{claim}} <= {int(window)}"
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    parts, params = [], []
    for ti in which:
        t = terms[ti]
        if t.days is not None:
            parts.append(
                f"SELECT claims.rowid, {ti}, {t.weight * DATE_FACTOR!r}, {EXACT}, {DATE}, 0.0 FROM claims"
                f" WHERE {DATED_WITHIN.format(*t.days)}" + upto.format(claim="claims.rowid")
            )
        kinds: dict[int, list[tuple[str, ...]]] = {}
        for kind, tokens in t.alternatives:
            kinds.setdefault(kind, []).append(tokens)
        for kind, alts in kinds.items():
            match = " OR ".join(_phrase(a) for a in alts)
            for gi, (_name, columns, factor) in enumerate(GROUPS):
                m = t.weight * KIND_FACTOR[kind] * factor
                if columns is not None:
                    parts.append(
                        f"SELECT rowid, {ti}, {m!r}, {kind}, {gi},"
                        f" bm25(claim_fts, {weights}) * {KIND_FACTOR[kind]!r}"
                        " FROM claim_fts WHERE claim_fts MATCH ?" + upto.format(claim="rowid")
                    )
                    params.append(f"{columns} : ({match})")
                if gi in SIDE:
                    table, weight, join, claim = SIDE[gi]
                    parts.append(
                        f"SELECT {claim}, {ti}, {m!r}, {kind}, {gi},"
                        f" bm25({table}, {weight}) * {KIND_FACTOR[kind]!r}"
                        f" FROM {table} {join} WHERE {table} MATCH ?" + upto.format(claim=claim)
                    )
                    params.append(match)
    return parts, params


def _stems_of(
    conn: sqlite3.Connection, terms: list[Term], claims: list[Claim], dataset: Dataset
) -> dict[str, str]:
    """The stem of every word of the terms' alternatives and of the hits' texts."""
    words = {tok for t in terms for _k, alt in t.alternatives for tok in alt}
    for c in claims:
        words.update(w for group in _claim_words(dataset, c) for w in group)
    return stems_of(conn, words)


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
        if group == DATE:  # the claim's date, not its words
            matched_terms[t.label] = claim.date.text if claim.date is not None else t.label
            continue
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
