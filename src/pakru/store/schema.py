"""The tables of a dataset's database (full-text search is in fts.py)."""

SCHEMA_VERSION = "7"  # 2: an open start sorts by its end; 3: names indexed once, no kind index; 4: both;
# 5: a claim's topics and actors by number, its summary and quote deflated; 6: claims.crc of the
# deflated texts (rows.claim_crc); 7: fts_name_sets as JSON lists
APPLICATION_ID = 0x70616B72  # "pakr": marks a pakru database, checked before anything is read
UNDATED_LO = 10_000_000  # after every real day ordinal, so that undated claims sort last

TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources(
    no INTEGER PRIMARY KEY,   -- the number claims refer to it by
    pos INTEGER NOT NULL,     -- its place in the dataset
    id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, author TEXT, author_note TEXT,
    outlet TEXT, outlet_basis TEXT, published TEXT NOT NULL, published_basis TEXT NOT NULL,
    text TEXT NOT NULL, outlook_score INTEGER NOT NULL, outlook_label TEXT NOT NULL,
    outlook_quote TEXT NOT NULL, pub INTEGER NOT NULL, pub_end INTEGER NOT NULL,  -- publication days
    crc INTEGER NOT NULL
);
CREATE TABLE topics(no INTEGER PRIMARY KEY, pos INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL, aliases TEXT NOT NULL, crc INTEGER NOT NULL);  -- aliases joined by U+001F
CREATE TABLE actors(pos INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, aliases TEXT NOT NULL,
    crc INTEGER NOT NULL);
CREATE TABLE actor_names(no INTEGER PRIMARY KEY, name TEXT NOT NULL);  -- every actor a claim names
CREATE TABLE text_dict(data BLOB NOT NULL);  -- one row: the dictionary claims.text is deflated with
CREATE TABLE events(no INTEGER PRIMARY KEY, pos INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL, note TEXT, crc INTEGER NOT NULL);
CREATE TABLE claims(
    rowid INTEGER PRIMARY KEY,  -- dataset order, from 1
    id TEXT NOT NULL,
    source INTEGER NOT NULL,    -- sources.no
    date TEXT,                  -- EDTF as written; NULL if undated
    lo INTEGER, hi INTEGER,     -- first and last day ordinal; NULL if undated
    pub INTEGER NOT NULL,       -- the source's publication day ordinal
    date_basis INTEGER NOT NULL, kind INTEGER NOT NULL,  -- indexes into model.DATE_BASES, KINDS
    text BLOB NOT NULL,         -- summary and quote, deflated (packing.py) with text_dict's dictionary
    topics TEXT NOT NULL, actors TEXT NOT NULL,       -- topics.no and actor_names.no joined by spaces
    date_note TEXT, event INTEGER, stance INTEGER,    -- events.no
    crc INTEGER NOT NULL       -- rows.claim_crc of the record as read back: damage is noticed
);
CREATE TABLE source_files(name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER,
    digest BLOB NOT NULL) WITHOUT ROWID;  -- each source text as validated (mtime NULL: too recent)
CREATE TABLE claim_topics(topic INTEGER NOT NULL, claim INTEGER NOT NULL,
    PRIMARY KEY(topic, claim)) WITHOUT ROWID;
"""

# Timeline order: dated claims by first day (an open start, "until 2016", by its last day: its
# first day is date.min, day 1, and the timeline files it under its end's decade), last day,
# publication day; undated claims last, by
# publication day; then dataset order. The index holds exactly these expressions, so that
# `ORDER BY TIMELINE_ORDER LIMIT n` reads n entries of it.
TIMELINE_KEY = "ifnull(iif(lo = 1, hi, lo), 10000000), ifnull(hi, pub), iif(lo IS NULL, 0, pub)"
TIMELINE_ORDER = (
    "ifnull(iif(claims.lo = 1, claims.hi, claims.lo), 10000000), ifnull(claims.hi, claims.pub), "
    "iif(claims.lo IS NULL, 0, claims.pub), claims.rowid"
)
# Compare's order within a source: undated last, then first and last day, then id
DATE_ORDER = "claims.lo IS NULL, claims.lo, claims.hi, claims.id"

# Made after the claims are in: one sort each, instead of a B-tree kept in order row by row.
# No index of kind: it has three values, and cost 0.9 MB at 100,000 claims.
INDEXES = f"""
CREATE INDEX claims_source ON claims(source);
CREATE INDEX claims_timeline ON claims({TIMELINE_KEY});
CREATE INDEX claims_event ON claims(event, {TIMELINE_KEY}) WHERE event IS NOT NULL;
"""
ID_INDEX = "CREATE UNIQUE INDEX claims_id ON claims(id);"  # made first: it finds duplicate ids

# What compare and topics count (topic_source, source_claims, topic_event, event_sources): tally.py

# Every table a complete database has, with its columns: checked when one is opened
EXPECTED = {
    "meta": ("key", "value"),
    "sources": (
        "no",
        "pos",
        "id",
        "title",
        "author",
        "author_note",
        "outlet",
        "outlet_basis",
        "published",
        "published_basis",
        "text",
        "outlook_score",
        "outlook_label",
        "outlook_quote",
        "pub",
        "pub_end",
        "crc",
    ),
    "topics": ("no", "pos", "id", "label", "aliases", "crc"),
    "actors": ("pos", "name", "aliases", "crc"),
    "actor_names": ("no", "name"),
    "text_dict": ("data",),
    "events": ("no", "pos", "id", "label", "note", "crc"),
    "claims": (
        "rowid",
        "id",
        "source",
        "date",
        "lo",
        "hi",
        "pub",
        "date_basis",
        "kind",
        "text",
        "topics",
        "actors",
        "date_note",
        "event",
        "stance",
        "crc",
    ),
    "claim_topics": ("topic", "claim"),
    "source_files": ("name", "size", "mtime", "digest"),
    "topic_source": ("topic", "source", "claims", "stance_sum", "stances"),
    "source_claims": ("source", "claims"),
    "event_sources": ("event", "sources"),
    "topic_event": ("topic", "event", "sources", "first"),
}
