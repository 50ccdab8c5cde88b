"""The full-text index of the claims: an SQLite FTS5 table and the tables search needs beside it.

- ``claim_fts``: one row per claim (rowid = the claim's rowid in ``claims``), one column per
  kind of its own text (CLAIM_COLUMNS: not its topics' or source's). Tokenized by ``porter``
  over ``unicode61 remove_diacritics 2``, so
  "annexation" and "annexed" share the stem "annex", "Détente" is "detente", and a word's case
  is forgotten. Contentless: the texts live in the claims themselves.
- ``source_fts``, ``topic_fts``: the author and title of each source (rowid = ``sources.no``)
  and the names of each topic (rowid = ``topics.no``), indexed once, not once per claim (they
  were a third of claim_fts's size): search reaches the claims through ``claims.source`` and
  ``claim_topics``.
- ``fts_vocab``: every distinct folded word of the index (as written, not stemmed), its length,
  its stem and the number of claims that hold it. Typo expansion reads this table by length,
  never the whole FTS vocabulary per query.
- ``fts_stems``: every stem, the number of claims that hold it anywhere (how selective it is) and
  in their own text, summary or quote (how rare it is: every claim of a topic carries the topic's
  aliases, which would make "CENTO" look common).
- ``fts_synonyms``: the alias groups of the dataset's actors and topics (see ``synonym_groups``),
  gathered by ``Indexer.names`` from the claims' topics and actors into ``fts_name_sets`` (each
  set as a JSON list: a name may hold any separator, and a set is never split from text).

The builder gives an Indexer batches of rows, and calls ``finish`` once after the last.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING

from pakru.store.rows import SEP

if TYPE_CHECKING:
    from pakru.core.model import Claim, Event, Source, Topic

COLUMNS = ("summary", "quote", "topics", "actors", "event", "source")  # of row_text
CLAIM_COLUMNS = ("summary", "quote", "actors", "event")  # of claim_fts; topics and source: side tables
TOKENIZE = "porter unicode61 remove_diacritics 2"
# The new terms FTS5 holds in memory before it writes them as a segment (its default is 1 MiB):
# fewer, larger segments for its merges to rewrite. 100,000 claims take ~13% less time to index,
# 500,000 ~20% less; 32 MiB would save more, at a memory cost the million-claim build lacks.
PENDING_BYTES = 8 * 1024 * 1024
NAME_SEP, TOPIC_SEP = " ; ", " | "  # within the topics and actors columns: one name, one topic or actor

SCHEMA = f"""
CREATE VIRTUAL TABLE claim_fts USING fts5({", ".join(CLAIM_COLUMNS)}, content='', tokenize='{TOKENIZE}');
INSERT INTO claim_fts(claim_fts, rank) VALUES ('hashsize', {PENDING_BYTES});
CREATE VIRTUAL TABLE source_fts USING fts5(names, content='', tokenize='{TOKENIZE}');
CREATE VIRTUAL TABLE source_fts_words USING fts5vocab(source_fts, 'instance');
CREATE VIRTUAL TABLE topic_fts USING fts5(names, content='', tokenize='{TOKENIZE}');
CREATE VIRTUAL TABLE topic_fts_words USING fts5vocab(topic_fts, 'instance');
CREATE VIRTUAL TABLE claim_fts_terms USING fts5vocab(claim_fts, 'row');
CREATE VIRTUAL TABLE claim_fts_columns USING fts5vocab(claim_fts, 'col');
CREATE TABLE fts_vocab(word TEXT PRIMARY KEY, len INTEGER NOT NULL, docs INTEGER NOT NULL,
                       stem TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE TABLE fts_stems(stem TEXT PRIMARY KEY, docs INTEGER NOT NULL, text_docs INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE fts_synonyms(name TEXT NOT NULL, grp INTEGER NOT NULL, PRIMARY KEY (name, grp)) WITHOUT ROWID;
CREATE TABLE fts_name_sets(names TEXT PRIMARY KEY, topic INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE fts_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""


def row_text(
    claim: Claim,
    source: Source,
    topics: Sequence[Topic],
    actor_aliases: Mapping[str, tuple[str, ...]],
    event: Event | None,
) -> tuple[str, ...]:
    """The searchable texts of one claim, one per column of COLUMNS."""
    return texts(claim.summary, claim.quote, claim.actors, source, topics, actor_aliases, event)


def texts(
    summary: str,
    quote: str,
    actors: Sequence[str],
    source: Source,
    topics: Sequence[Topic],
    actor_aliases: Mapping[str, tuple[str, ...]],
    event: Event | None,
) -> tuple[str, ...]:
    """row_text() of a claim given as its texts and actors (the builder's plain values)."""
    return (
        summary,
        quote,
        TOPIC_SEP.join(NAME_SEP.join(t.names) for t in topics),
        TOPIC_SEP.join(NAME_SEP.join((a, *actor_aliases.get(a, ()))) for a in actors),
        event.label if event is not None else "",
        source_text(source.author, source.title),
    )


def source_text(author: str | None, title: str) -> str:
    """The searchable text of a source: its author and title."""
    return " ; ".join(filter(None, [author, title]))


WORDS_KEPT = 200_000  # distinct words counted before they are added to fts_vocab (~25 MB)


class Indexer:
    """Adds claims to the full-text index a batch at a time (``insert``), and counts their words
    for fts_vocab: across batches, written once each when complete (``flush``) or when
    WORDS_KEPT distinct words are counted, so that a common word is not rewritten per batch."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.words: Counter[str] = Counter()
        self.name_sets: set[tuple[tuple[str, ...], int]] = set()  # (names, is a topic's), each once
        self.new_sets: list[tuple[str, int]] = []  # for fts_name_sets, at the next insert

    def names(
        self, topics: Sequence[Topic], actors: Sequence[str], actor_aliases: Mapping[str, tuple[str, ...]]
    ) -> None:
        """A claim's name sets, for synonym_groups: each topic's names, each actor's name and
        aliases."""
        sets = [(t.names, 1) for t in topics] + [((a, *actor_aliases.get(a, ())), 0) for a in actors]
        for names_of in sets:
            if names_of not in self.name_sets:
                self.name_sets.add(names_of)
                self.new_sets.append((json.dumps(names_of[0], ensure_ascii=False), names_of[1]))

    def insert(self, rows: Iterable[tuple[int, tuple[str, ...]]]) -> None:
        """One batch of claims: (rowid in ``claims``, row_text of the claim)."""
        from pakru.core.textnorm import fold_many

        rows = list(rows)
        if not rows:
            return
        conn = self.conn
        columns = ", ".join(CLAIM_COLUMNS)
        conn.executemany(
            f"INSERT INTO claim_fts(rowid, {columns}) VALUES (?{', ?' * len(CLAIM_COLUMNS)})",
            [(rowid, texts[0], texts[1], texts[3], texts[4]) for rowid, texts in rows],
        )
        folded = fold_many([" ".join(texts) for _rowid, texts in rows])
        self.words.update(chain.from_iterable(map(set, map(str.split, folded))))  # each claim once
        conn.executemany(
            "INSERT OR IGNORE INTO fts_name_sets(names, topic) VALUES (?, ?)", sorted(self.new_sets)
        )
        self.new_sets = []
        if len(self.words) >= WORDS_KEPT:
            self.flush()

    def flush(self) -> None:
        """The words counted so far, added to fts_vocab."""
        self.conn.executemany(
            "INSERT INTO fts_vocab(word, len, docs) VALUES (?, ?, ?)"
            " ON CONFLICT(word) DO UPDATE SET docs = docs + excluded.docs",
            [(w, len(w), n) for w, n in self.words.items()],
        )
        self.words = Counter()


def finish(conn: sqlite3.Connection) -> None:
    """After the last batch (and the Indexer's flush): the sources' texts, each word's stem, the
    stems' claim counts, the synonym groups."""
    claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    # a word of a source or topic is in each of its claims: they count for how selective it is
    via_side = _fill_side(
        conn,
        "source_fts",
        [(no, source_text(a, t)) for no, a, t in conn.execute("SELECT no, author, title FROM sources")],
        "SELECT source, count(*) FROM claims GROUP BY source",
    )
    topics = conn.execute("SELECT no, id, label, aliases FROM topics").fetchall()
    for term, n in _fill_side(
        conn,
        "topic_fts",
        [
            (no, NAME_SEP.join([i, label, *filter(None, aliases.split(SEP))]))
            for no, i, label, aliases in topics
        ],
        "SELECT topic, count(*) FROM claim_topics GROUP BY topic",
    ).items():
        via_side[term] = via_side.get(term, 0) + n
    # one segment, not the few automerge leaves: a claim-by-claim MATCH (search's common terms)
    # seeks each segment, ~15x slower on two than on one
    conn.execute("INSERT INTO claim_fts(claim_fts) VALUES ('optimize')")
    conn.execute("DELETE FROM fts_stems")
    in_text: dict[str, int] = {}
    for term, doc in conn.execute(
        "SELECT term, doc FROM claim_fts_columns WHERE col IN ('summary', 'quote')"
    ):
        in_text[term] = max(doc, in_text.get(term, 0))  # the larger column: about the claims of either
    conn.executemany(
        "INSERT INTO fts_stems(stem, docs, text_docs) VALUES (?, ?, ?)",
        [
            (term, min(claims, doc + via_side.pop(term, 0)), in_text.get(term, 0))
            for term, doc in conn.execute("SELECT term, doc FROM claim_fts_terms")
        ]
        + [(term, min(claims, n), 0) for term, n in via_side.items()],
    )
    words = [w for (w,) in conn.execute("SELECT word FROM fts_vocab WHERE stem = ''")]
    conn.executemany(
        "UPDATE fts_vocab SET stem = ? WHERE word = ?", [(s, w) for w, s in stems(words).items()]
    )
    conn.execute("CREATE INDEX IF NOT EXISTS fts_vocab_len ON fts_vocab(len)")
    conn.execute("CREATE INDEX IF NOT EXISTS fts_vocab_stem ON fts_vocab(stem)")
    conn.execute("DELETE FROM fts_synonyms")
    conn.executemany(
        "INSERT OR IGNORE INTO fts_synonyms(name, grp) VALUES (?, ?)",
        [(name, g) for g, group in enumerate(synonym_groups(conn)) for name in group],
    )
    conn.execute(
        "INSERT OR REPLACE INTO fts_meta(key, value) VALUES ('claims', (SELECT count(*) FROM claim_fts))"
    )


def _fill_side(
    conn: sqlite3.Connection, table: str, rows: list[tuple[int, str]], claims_of: str
) -> dict[str, int]:
    """Index the texts of the sources or topics in ``table``; each stem -> the claims reached."""
    conn.execute(f"DELETE FROM {table}")
    conn.executemany(f"INSERT INTO {table}(rowid, names) VALUES (?, ?)", rows)
    counts = dict(conn.execute(claims_of).fetchall())
    out: dict[str, int] = {}
    for term, doc in conn.execute(f"SELECT DISTINCT term, doc FROM {table}_words"):
        out[term] = out.get(term, 0) + counts.get(doc, 0)
    return out


def stems(words: Iterable[str]) -> dict[str, str]:
    """Each word's stem by the index's own tokenizer (a scratch FTS5 table in memory).

    A word the tokenizer splits in two ("khan's") keeps its first token's stem.
    """
    words = list(dict.fromkeys(words))
    if not words:
        return {}
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(w, tokenize='{TOKENIZE}')")
        scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        scratch.executemany("INSERT INTO t(rowid, w) VALUES (?, ?)", enumerate(words, 1))
        out: dict[str, str] = {}
        for doc, term in scratch.execute("SELECT doc, term FROM v WHERE offset = 0"):
            out[words[doc - 1]] = term
        return out
    finally:
        scratch.close()


def synonym_groups(conn: sqlite3.Connection) -> list[list[str]]:
    """Folded names that stand for one another.

    An actor's name and aliases are one group, and so are a topic's names when its label and
    every alias are proper names ("ISIS": "Daesh", "Islamic State"). Else a topic's aliases are
    signs of the topic ("arms", "visit", "SEATO" and "CENTO" for alignment), not synonyms of one
    another; a group of
    a topic holds a part of its label ("Ukraine" and "Crimea" of "Ukraine and Crimea") with the
    aliases that spell it differently ("Mi35", "MI-35" for "Mi-35") or are its initials ("JMCC",
    "NAM", "LoC"). Groups that share a name are merged ("ISIS" the topic and the actor).
    """
    from pakru.core.textnorm import fold

    groups: list[list[str]] = []
    for names_text, is_topic in conn.execute("SELECT names, topic FROM fts_name_sets"):
        names = json.loads(names_text)
        if not is_topic:
            groups.append(names)
            continue
        label, aliases = names[1], names[2:]
        if _is_name(label) and all(_is_name(a) for a in aliases):  # "ISIS": Daesh, ISIL, Islamic State
            groups.append([label, *aliases])
            continue
        for part in _LABEL_PARTS.split(label):
            key = _squash(fold(part))
            if key:
                groups.append(
                    [part, *(a for a in aliases if _squash(fold(a)) == key or _initials_of(a, part))]
                )
        spellings: dict[str, list[str]] = {}
        for a in aliases:  # "Mi35", "Mi-35", "MI 35": one name spelt apart
            spellings.setdefault(_squash(fold(a)), []).append(a)
        groups.extend(g for g in spellings.values() if len(g) > 1)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in groups:
        folded = [f for f in (fold(n) for n in group) if f]
        for f in folded:
            parent.setdefault(f, f)
        for f in folded[1:]:
            parent[root(f)] = root(folded[0])
    merged: dict[str, list[str]] = {}
    for name in parent:
        merged.setdefault(root(name), []).append(name)
    return [sorted(g) for g in merged.values() if len(g) > 1]


_LABEL_PARTS = re.compile(r"\s+and\s+|[()–—,]")


def _is_name(text: str) -> bool:
    """Every word capitalised (or a number): "Islamic State", "Mi-35", not "arms trade"."""
    words = re.findall(r"\w+", text)
    return (
        bool(words)
        and _LABEL_PARTS.search(text) is None
        and all(w[0].isupper() or w[0].isdigit() for w in words)
    )


def _squash(folded: str) -> str:
    return folded.replace(" ", "")


def _initials_of(alias: str, name: str) -> bool:
    """ "JMCC" of "Joint Military Consultative Committee", "CARs" of "Central Asian Republics"."""
    from pakru.core.textnorm import fold

    if sum(ch.isupper() for ch in alias) < 2:
        return False
    initials = "".join(w[0] for w in fold(name).split())
    short = fold(alias).replace(" ", "")
    return (len(initials) > 1 and short in (initials, initials + "s")) or short.rstrip("s") == initials
