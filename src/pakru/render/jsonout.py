"""The JSON contract (documented in the README): stable shapes for scripts.

json.dumps escapes control characters, so hostile text cannot reach a terminal
through --json either; non-ASCII text is kept as is (ensure_ascii=False) unless
the output encoding cannot carry it.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from pakru.core.model import Claim, Dataset, Source, Topic

if TYPE_CHECKING:  # only the command that needs one imports its module
    from pakru.queries.cite import Context
    from pakru.queries.compare import Comparison
    from pakru.queries.events import EventFacts
    from pakru.queries.grid import Grid
    from pakru.queries.search import Results
    from pakru.queries.timeline import Timeline


LIST_CHUNK = 64  # items of a list document encoded together


def source_obj(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "author": s.author,
        "outlet": s.outlet,
        "published": s.published.text,
    }


def claim_obj(d: Dataset, c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "date": c.date.text if c.date else None,
        "start": c.date.start.isoformat() if c.date else None,
        "end": c.date.end.isoformat() if c.date else None,
        "date_label": c.date.label if c.date else "undated",
        "date_basis": c.date_basis,
        "date_note": c.date_note,
        "kind": c.kind,
        "summary": c.summary,
        "quote": c.quote,
        "topics": list(c.topics),
        "actors": list(c.actors),
        "stance": c.stance,
        "event": c.event,
        "source": source_obj(d.source_by_id[c.source]),
    }


def search_doc(d: Dataset, r: Results) -> list[dict[str, Any]]:
    return [
        {
            **claim_obj(d, h.claim),
            "score": h.score,
            "matched": list(h.matched),
            "terms": h.terms,
            "approximate": h.approximate,
            "attested_by": h.attested_by,
        }
        for h in r.hits
    ]


def timeline_doc(d: Dataset, t: Timeline) -> list[dict[str, Any]]:
    out = []
    for c, group, attested, conflict in _timeline_rows(t):
        obj = claim_obj(d, c)  # a new dict: extended in place rather than copied
        obj["group"] = group
        obj["attested_by"] = attested
        obj["date_conflict"] = conflict
        out.append(obj)
    return out


def _timeline_rows(t: Timeline) -> Iterator[tuple[Claim, str, int, bool]]:
    """Each claim of the timeline, its group, and its event's facts in the whole dataset (whatever
    the filters and the limit): how many sources attest it and whether they disagree."""
    for entry in t.entries:
        facts = t.events.get(entry.event) if entry.event is not None else None
        attested, conflict = (facts.attested_by, facts.conflict) if facts is not None else (1, False)
        for c in entry.claims:
            yield c, entry.heading, attested, conflict


class TimelineText:
    """timeline_doc as JSON text, made from pieces rather than by encoding its dicts.

    The whole timeline is the longest document pakru writes (274 KB of the shipped dataset's 343
    claims), and json's encoder took more of `timeline --json` than reading the claims did. Most
    of a claim's object repeats from claim to claim (its source, its date, its topics and
    actors): each such piece is encoded once, and per claim only its own texts. The strings are
    escaped by the functions json's encoder uses, so the text is the one json.dumps makes of
    timeline_doc (tests/test_jsonout.py holds them equal), without importing json (~2 ms).
    """

    def __init__(self, d: Dataset, t: Timeline) -> None:
        self.d, self.t = d, t
        self.rows = list(_timeline_rows(t))
        self._pieces: dict[bool, _ClaimPieces] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def item(self, i: int, ascii_only: bool) -> str:
        """The text of the ``i``-th object, all of it ASCII (non-ASCII escaped) if ``ascii_only``."""
        pieces = self._pieces.get(ascii_only)
        if pieces is None:
            pieces = self._pieces[ascii_only] = _ClaimPieces(self.d, ascii_only)
        c, group, attested, conflict = self.rows[i]
        tail = f', "group": {pieces.text(group)}, "attested_by": {attested!r}, "date_conflict": '
        return pieces.claim(c) + tail + ("true}" if conflict else "false}")

    def objects(self) -> list[dict[str, Any]]:
        return timeline_doc(self.d, self.t)


class _ClaimPieces:
    """claim_obj's text without its closing brace, each repeated piece encoded once."""

    def __init__(self, d: Dataset, ascii_only: bool) -> None:
        try:  # json's own escaping, in C, without the json package
            from _json import encode_basestring, encode_basestring_ascii
        except ImportError:  # not CPython
            from json.encoder import py_encode_basestring as encode_basestring
            from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii
        self.text = encode_basestring_ascii if ascii_only else encode_basestring
        self.d = d
        self._sources: dict[str, str] = {}
        self._dates: dict[Any, str] = {}
        self._lists: dict[tuple[str, ...], str] = {}

    def optional(self, value: str | None) -> str:
        return "null" if value is None else self.text(value)

    def claim(self, c: Claim) -> str:
        text, optional = self.text, self.optional
        date = self._dates.get(c.date)
        if date is None:
            date = self._dates[c.date] = self._date(c)
        source = self._sources.get(c.source)
        if source is None:
            s = self.d.source_by_id[c.source]
            source = self._sources[c.source] = (
                f'{{"id": {text(s.id)}, "title": {text(s.title)}, "author": {optional(s.author)}, '
                f'"outlet": {optional(s.outlet)}, "published": {text(s.published.text)}}}'
            )
        stance = "null" if c.stance is None else int.__repr__(c.stance)
        return (
            f'{{"id": {text(c.id)}, {date}, "date_basis": {text(c.date_basis)}, '
            f'"date_note": {optional(c.date_note)}, "kind": {text(c.kind)}, '
            f'"summary": {text(c.summary)}, "quote": {text(c.quote)}, '
            f'"topics": {self._list(c.topics)}, "actors": {self._list(c.actors)}, '
            f'"stance": {stance}, "event": {optional(c.event)}, "source": {source}'
        )

    def _date(self, c: Claim) -> str:
        d, text = c.date, self.text
        if d is None:
            return '"date": null, "start": null, "end": null, "date_label": "undated"'
        return (
            f'"date": {text(d.text)}, "start": {text(d.start.isoformat())}, '
            f'"end": {text(d.end.isoformat())}, "date_label": {text(d.label)}'
        )

    def _list(self, names: tuple[str, ...]) -> str:
        got = self._lists.get(names)
        if got is None:
            got = self._lists[names] = "[" + ", ".join(map(self.text, names)) + "]"
        return got


def compare_doc(d: Dataset, cmp: Comparison) -> dict[str, Any]:
    return {
        "topic": {"id": cmp.topic.id, "label": cmp.topic.label},
        "sources": [
            {
                "source": source_obj(v.source),
                "outlook": v.source.outlook.score,
                "outlook_label": v.source.outlook.label,
                "stance": v.stance,
                "claims": [claim_obj(d, c) for c in v.claims],
            }
            for v in cmp.views
        ],
        "silent": [s.id for s in cmp.silent],
        "shared_events": [
            {
                "event": e.event.id,
                "label": e.event.label,
                "sources": list(e.sources),
                "attested_by": e.facts.attested_by,
                "agree": e.agree,
                "date_conflict": e.facts.conflict,
                "dates": {c.id: (c.date.text if c.date else None) for c in e.claims},
            }
            for e in cmp.shared
        ],
    }


def events_doc(d: Dataset, found: list[EventFacts]) -> list[dict[str, Any]]:
    return [
        {
            "id": f.event.id,
            "label": f.event.label,
            "note": f.event.note,
            "sources": list(f.sources),
            "attested_by": f.attested_by,
            "agree": f.agree,
            "date_conflict": f.conflict,
            "attestations": [
                {
                    "claim": c.id,
                    "source": c.source,
                    "date": c.date.text if c.date else None,
                    "date_label": c.date.label if c.date else "undated",
                }
                for c in f.claims
            ],
        }
        for f in found
    ]


def grid_doc(d: Dataset, g: Grid) -> dict[str, Any]:
    return {
        "kinds": list(g.kinds),
        "sources": [
            {**source_obj(s), "outlook": s.outlook.score, "outlook_label": s.outlook.label} for s in g.sources
        ],
        "topics": [
            {
                "id": t.id,
                "label": t.label,
                "cells": {
                    sid: {"claims": cell.claims, "stance": cell.stance} for sid, cell in g.cells[t.id].items()
                },
            }
            for t in g.topics
        ],
    }


def sources_doc(d: Dataset) -> list[dict[str, Any]]:
    from pakru.queries.citation import reference
    from pakru.queries.cite import published_phrase

    counts = d.claims_per_source()
    return [
        {
            **source_obj(s),
            "author_note": s.author_note,
            "outlet_basis": s.outlet_basis,
            "published_label": published_phrase(s),
            "published_basis": s.published_basis,
            "outlook": {"score": s.outlook.score, "label": s.outlook.label, "quote": s.outlook.quote},
            "claims": counts[s.id],
            "citation": reference(s),
        }
        for s in d.sources
    ]


def topics_doc(d: Dataset, topics: list[Topic]) -> list[dict[str, Any]]:
    per_topic = d.claims_per_topic()
    out = []
    for t in topics:
        per = per_topic[t.id]
        out.append(
            {
                "id": t.id,
                "label": t.label,
                "aliases": list(t.aliases),
                "claims": per,
                "total": sum(per.values()),
            }
        )
    return out


def show_doc(d: Dataset, c: Claim, ctx: Context | None, f: EventFacts | None) -> dict[str, Any]:
    from pakru.queries.citation import claim_in_text, reference

    others = [x for x in f.claims if x.id != c.id] if f is not None else []
    return {
        **claim_obj(d, c),
        "event_label": f.event.label if f is not None else None,
        "attested_by": f.attested_by if f is not None else 1,
        "date_conflict": f.conflict if f is not None else False,
        "context": None if ctx is None else {"before": ctx.before, "quote": ctx.quote, "after": ctx.after},
        "attestations": [claim_obj(d, x) for x in others],
        "citation": reference(d.source_by_id[c.source]),
        "in_text": claim_in_text(d, c),
    }


def document(view: str, *result: Any) -> Any:
    """What write() is given for a view: its ``{view}_doc``, or for the timeline that document as
    text made in pieces (TimelineText)."""
    if view == "timeline":
        return TimelineText(*result)
    return globals()[f"{view}_doc"](*result)


# What JSON's encoder leaves raw (it escapes C0 only) that a terminal acts on or that reorders
# the text around it (DEL, C1, bidi controls); U+2028 and U+2029 end a line in JavaScript
JSON_RAW = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"


def json_text(text: str) -> str:
    """Encoded JSON with those characters as ``\\u`` escapes: the same JSON to a parser,
    nothing raw for a terminal. They can stand only inside strings (JSON's own syntax is ASCII),
    so the whole text is escaped at once."""
    # All of them are non-printable, and what else is (C0, other separators) JSON escapes or
    # the data seldom holds: one pass in C (~0.9 ms for the shipped timeline) before the scan
    if text.isascii() or text.isprintable():
        return text
    return _json_raw().sub(_json_escape, text)


@functools.cache
def _json_raw() -> re.Pattern[str]:
    return re.compile(JSON_RAW)  # when first needed: ~0.3 ms that a JSON command of ASCII lacks


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def write(doc: Any, out: TextIO | None = None) -> None:
    """Indented for a person at a terminal; one compact line for programs (3x faster to encode)."""
    out = out or sys.stdout
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    ascii_only = encoding in ("ascii", "us-ascii", "646", "ansi-x3.4-1968")
    isatty = getattr(out, "isatty", None)
    indent = 2 if isatty is not None and isatty() else None
    if isinstance(doc, TimelineText):
        if indent is None:
            _write_items(doc, out, ascii_only)
            out.flush()
            return
        doc = doc.objects()
    import json

    # A document is a tree made here: no cycle for the encoder to watch for (~10% faster)
    as_is = json.JSONEncoder(ensure_ascii=ascii_only, indent=indent, check_circular=False).encode
    escaped = json.JSONEncoder(ensure_ascii=True, indent=indent, check_circular=False).encode
    if indent is None and isinstance(doc, list):
        # A list a few items at a time (a long timeline is 256 KB of JSON): the same text as
        # one dumps(), without the whole of it in memory twice (~4 ms of a 100 ms run). Each
        # chunk is encoded as a list, its brackets cut: one call, not one per item (~20% faster)
        out.write("[")
        for first in range(0, len(doc), LIST_CHUNK):
            part = doc[first : first + LIST_CHUNK]
            gap = ", " if first else ""
            try:
                out.write(json_text(gap + as_is(part)[1:-1]))
            except UnicodeEncodeError:  # nothing of this chunk was written: all of it again
                out.write(gap + escaped(part)[1:-1])
        out.write("]\n")
    else:
        try:
            out.write(json_text(as_is(doc)))  # then "\n": a copy of a large document costs fresh pages
        except UnicodeEncodeError:
            out.write(escaped(doc))
        out.write("\n")
    out.flush()


def _write_items(doc: TimelineText, out: TextIO, ascii_only: bool) -> None:
    """write() of a document made as text: the same chunks, the same escaping where needed."""
    out.write("[")
    item = doc.item
    for first in range(0, len(doc), LIST_CHUNK):
        part = range(first, min(first + LIST_CHUNK, len(doc)))
        gap = ", " if first else ""
        try:
            out.write(json_text(gap + ", ".join([item(i, ascii_only) for i in part])))
        except UnicodeEncodeError:
            out.write(gap + ", ".join([item(i, True) for i in part]))
    out.write("]\n")
