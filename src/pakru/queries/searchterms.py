"""Reading a query into weighted terms: words, phrases, names and their alternatives.

A term is a word that is not a common word, a "quoted phrase", or the name of an actor or
topic matched as a whole ("Islamic State"). Its alternatives: itself (stemmed by the index's
porter tokenizer), its synonyms from the data, and for a word no claim holds, the dataset's
words it begins (a word typed short), or else those within its edit budget. Its weight is its
BM25 inverse document frequency, counted in the claims' own texts.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from pakru.core import textnorm
from pakru.core.record import Record
from pakru.store import fts
from pakru.store.rows import typed

if TYPE_CHECKING:
    import sqlite3

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

# English verbs whose past forms the porter stemmer does not bring back to the verb: a question
# asks "what did Russia give", an article says "gave". Each form of a line finds the others.
IRREGULAR_VERBS = """begin began begun; bring brought; build built; buy bought; choose chose chosen;
    come came; deal dealt; draw drew drawn; drive drove driven; fall fell fallen; feel felt;
    fight fought; find found; fly flew flown; forgive forgave forgiven; freeze froze frozen;
    give gave given; grow grew grown; hold held; keep kept; know knew known; lead led; leave left;
    lose lost; meet met; pay paid; rise rose risen; run ran; see saw seen; seek sought; sell sold;
    send sent; shake shook shaken; sink sank sunk; speak spoke spoken; spend spent; stand stood;
    steal stole stolen; strike struck; swear swore sworn; take took taken; teach taught;
    think thought; throw threw thrown; understand understood; undertake undertook undertaken;
    win won; withdraw withdrew withdrawn; write wrote written"""
_VERB_FORMS = {
    form: tuple(f for f in line.split() if f != form)
    for line in IRREGULAR_VERBS.split(";")
    for form in line.split()
}


def verb_forms(word: str) -> tuple[str, ...]:
    """The other forms of an irregular verb ("give": "gave", "given"), or ()."""
    return _VERB_FORMS.get(word, ())


MAX_TYPOS = 5  # dataset words a misspelt word may stand for
MIN_PREFIX = 4  # letters of a word typed short that it may be completed from ("heli"), as edit_budget


class Term(Record):
    label: str  # as the user typed it, folded: "kahn", "arms embargo"
    weight: float  # its inverse document frequency
    alternatives: tuple[tuple[int, tuple[str, ...]], ...]  # (kind, tokens), exact first
    present: bool  # some claim holds the term as typed (or a synonym of it)
    docs: int = 0  # claims its alternatives may match, at most (how selective it is)
    days: tuple[int, int] | None = None  # a year or decade: its first and last day (ordinals)


_CENTURIES = frozenset(["10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"])


def period(token: str) -> tuple[int, int] | None:
    """The first and last day of a year ("1974") or decade ("1960s") a query word names."""
    from datetime import date

    # by hand, not two regular expressions to compile in every run (~0.4 ms)
    digits = token[:4]
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit() and digits[:2] in _CENTURIES):
        return None
    if len(token) == 4:
        first = last = int(token)
    elif token[3:] == "0s":
        first = int(digits[:3]) * 10
        last = first + 9
    else:
        return None
    return date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()


# A claim dated within a period (not an open span: "until 1965" is not within 1965), found through
# the timeline index, whose first key is a dated claim's first day (schema.TIMELINE_KEY)
DATED_WITHIN = (
    "ifnull(iif(claims.lo = 1, claims.hi, claims.lo), 10000000) BETWEEN {0} AND {1}"
    " AND claims.lo >= {0} AND claims.hi <= {1}"
)


def edit_budget(word: str) -> int:
    """Edits a misspelt word may be away from a dataset word: none below 4 letters, 1 up to 8, 2 from 9."""
    n = len(word)
    return 0 if n < 4 or word.isdigit() else 1 if n <= 8 else 2


class Piece(Record):
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


def read_terms(conn: sqlite3.Connection, pieces: list[Piece]) -> tuple[list[Term], tuple[str, ...]]:
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
    words.update(
        f for tokens, quoted, _s in raw if len(tokens) == 1 and not quoted for f in verb_forms(tokens[0])
    )
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

    def dated(days: tuple[int, int] | None) -> int:
        if days is None:
            return 0
        sql = f"SELECT count(*) FROM claims WHERE {DATED_WITHIN.format(*days)}"
        return int(conn.execute(sql).fetchone()[0])

    terms = []
    for tokens, quoted, synonyms in raw:
        days = period(tokens[0]) if len(tokens) == 1 and not quoted else None
        in_period = dated(days)
        alternatives = [(EXACT, tokens)]
        joined = ("".join(tokens),)
        if len(tokens) > 1 and not quoted and df(joined):  # "U-2" is also "U2"
            alternatives.append((EXACT, joined))
        if len(tokens) == 1 and not quoted:  # "give" is also "gave"
            alternatives += [(EXACT, (f,)) for f in verb_forms(tokens[0]) if df((f,))]
        present = (
            any(df(alt) > 0 for _k, alt in alternatives) or any(df(s) > 0 for s in synonyms) or in_period > 0
        )
        alternatives += [(SYNONYM, s) for s in synonyms]
        if not present and len(tokens) == 1 and not quoted and days is None:
            typos = _completions(conn, tokens[0]) or _typos(conn, tokens[0])
            stems.update(stems_of(conn, {w for w, _e in typos}))
            docs.update(_docs(conn, {stems[w] for w, _e in typos if w in stems}))
            for w, edits in typos:  # a misspelt name stands for the name's synonyms too ("Daesch": ISIS)
                kind = TYPO1 if edits == 1 else TYPO2
                alternatives += [(kind, alt) for alt in dict.fromkeys(((w,), *names.get((w,), ())))]
            words_now = {tok for _k, alt in alternatives for tok in alt} - set(stems)
            stems.update(stems_of(conn, words_now))
            docs.update(_docs(conn, {stems[w] for w in words_now if w in stems}))
        content = [tok for tok in tokens if tok not in STOPWORDS] or list(tokens)
        # As rare as the word typed ("Druzhba", not its synonym "Friendship"); a word no claim
        # holds, as rare as its rarest synonym, or as rare as can be.
        typed = max(rarity(alt) for k, alt in alternatives if k == EXACT) or min(
            (d for d in map(rarity, synonyms) if d), default=0
        )
        if days is not None:  # a year or decade: the claims dated then hold it too
            typed += in_period
        weight = idf(typed) * (len(content) if quoted else 1)
        # at most every claim: the alternatives of "russia" (its synonyms, forms) overlap
        matches = min(n_claims, sum(df(alt) for _k, alt in alternatives) + in_period)
        terms.append(Term(" ".join(tokens), weight, tuple(alternatives), present, matches, days))
    return terms, tuple(ignored)


def _completions(conn: sqlite3.Connection, word: str) -> list[tuple[str, int]]:
    """The dataset words that a word no claim holds begins ("helicop": "helicopters"), the most
    common first, as one edit each: a word typed short is more likely cut than misspelt, and its
    typos ("heli": "held", "help") are not what was meant."""
    if len(word) < MIN_PREFIX or word.isdigit():
        return []
    rows = conn.execute(
        "SELECT word, docs FROM fts_vocab WHERE word > ? AND word < ? ORDER BY docs DESC, word",
        (word, word + "\U0010ffff"),
    )
    found = [w for w, _d in typed(rows, (str, int), "fts_vocab") if w not in STOPWORDS]
    return [(w, 1) for w in found[:MAX_TYPOS]]


def _typos(conn: sqlite3.Connection, word: str) -> list[tuple[str, int]]:
    """The dataset words within the word's edit budget (Damerau: a swap is one edit), closest first."""
    budget = edit_budget(word)
    if not budget:
        return []
    rows = conn.execute(
        "SELECT word, docs FROM fts_vocab WHERE len BETWEEN ? AND ?", (len(word) - budget, len(word) + budget)
    )
    docs = {w: d for w, d in typed(rows, (str, int), "fts_vocab") if w not in STOPWORDS and not w.isdigit()}
    if not docs:
        return []
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(word, list(docs), scorer=OSA.distance, score_cutoff=budget, limit=None)
    found.sort(key=lambda f: (f[1], -docs[f[0]], f[0]))
    return [(w, int(d)) for w, d, _ in found[:MAX_TYPOS]]


def _synonym_names(conn: sqlite3.Connection) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    groups: dict[int, list[tuple[str, ...]]] = {}
    for name, grp in typed(conn.execute("SELECT name, grp FROM fts_synonyms"), (str, int), "fts_synonyms"):
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
    rows = conn.execute(f"SELECT stem, docs, text_docs FROM fts_stems WHERE stem IN ({marks})", tuple(stems))
    return {stem: (docs, text_docs) for stem, docs, text_docs in typed(rows, (str, int, int), "fts_stems")}


def _claim_count(conn: sqlite3.Connection) -> int:
    rows = conn.execute("SELECT value FROM fts_meta WHERE key = 'claims'")
    return next((int(n) for (n,) in typed(rows, (int,), "fts_meta")), 0)  # int for mypy: typed() checked it


def stems_of(conn: sqlite3.Connection, words: set[str]) -> dict[str, str]:
    """Each word's stem: from the vocabulary table, or (a word no claim holds) the tokenizer."""
    out: dict[str, str] = {}
    listed = list(words)
    for first in range(0, len(listed), 500):
        chunk = listed[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(f"SELECT word, stem FROM fts_vocab WHERE word IN ({marks})", chunk)
        out.update(typed(rows, (str, str), "fts_vocab"))  # type: ignore[arg-type]
    missing = [w for w in listed if w not in out]
    if missing:
        out.update(fts.stems(missing))
    return out
