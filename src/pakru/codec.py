"""The cache's encoding of a validated dataset: compact rows, checked on the way back in.

Decoding trusts nothing: a row of the wrong length or type raises ValueError or
TypeError, which the store treats as a damaged cache.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pakru.dates import EdtfDate
from pakru.model import Actor, Claim, Dataset, Event, Outlook, Source, Topic

_ORD = date.toordinal
_FROM = date.fromordinal


def _date(d: EdtfDate | None) -> list[Any] | None:
    if d is None:
        return None
    return [d.text, _ORD(d.start), _ORD(d.end), d.label, d.approximate, d.uncertain]


def _undate(row: Any) -> EdtfDate | None:
    if row is None:
        return None
    text, start, end, label, approximate, uncertain = row
    if type(text) is not str or type(label) is not str or type(start) is not int or type(end) is not int:
        raise TypeError("bad date")
    return EdtfDate(text, _FROM(start), _FROM(end), label, bool(approximate), bool(uncertain))


def _str(x: Any) -> str:
    if type(x) is not str:
        raise TypeError(f"expected text, found {type(x).__name__}")
    return x


def _opt(x: Any) -> str | None:
    return None if x is None else _str(x)


def _strs(xs: Any) -> tuple[str, ...]:
    if type(xs) is not list:
        raise TypeError("expected a list")
    return tuple(_str(x) for x in xs)


def _int(x: Any) -> int | None:
    if x is None:
        return None
    if type(x) is not int or not -2 <= x <= 2:
        raise TypeError("bad score")
    return x


def encode_dataset(d: Dataset) -> dict[str, Any]:
    return {
        "sources": [
            [
                s.id,
                s.title,
                s.author,
                s.author_note,
                s.outlet,
                s.outlet_basis,
                _date(s.published),
                s.published_basis,
                s.text,
                [s.outlook.score, s.outlook.label, s.outlook.quote],
            ]
            for s in d.sources
        ],
        "topics": [[t.id, t.label, list(t.aliases)] for t in d.topics],
        "actors": [[a.name, list(a.aliases)] for a in d.actors],
        "events": [[e.id, e.label, e.note] for e in d.events],
        "claims": [
            [
                c.id,
                c.source,
                _date(c.date),
                c.date_basis,
                c.kind,
                c.summary,
                c.quote,
                list(c.topics),
                list(c.actors),
                c.date_note,
                c.event,
                c.stance,
            ]
            for c in d.claims
        ],
        "sources_dir": d.sources_dir,
    }


def decode_dataset(doc: Any, path: str) -> Dataset:
    sources = []
    for sid, title, author, note, outlet, obasis, published, pbasis, text, outlook in doc["sources"]:
        score, label, quote = outlook
        published_date = _undate(published)
        if published_date is None:
            raise ValueError("source without a publication date")
        sources.append(
            Source(
                _str(sid),
                _str(title),
                _opt(author),
                _opt(note),
                _opt(outlet),
                _opt(obasis),
                published_date,
                _str(pbasis),
                _str(text),
                Outlook(_int(score) or 0, _str(label), _str(quote)),
            )
        )
    claims = []
    for cid, source, when, basis, kind, summary, quote, topics, actors, dnote, event, stance in doc["claims"]:
        claims.append(
            Claim(
                _str(cid),
                _str(source),
                _undate(when),
                _str(basis),
                _str(kind),
                _str(summary),
                _str(quote),
                _strs(topics),
                _strs(actors),
                _opt(dnote),
                _opt(event),
                _int(stance),
            )
        )
    return Dataset.of(
        sources=tuple(sources),
        topics=tuple(Topic(_str(i), _str(label), _strs(al)) for i, label, al in doc["topics"]),
        actors=tuple(Actor(_str(n), _strs(al)) for n, al in doc["actors"]),
        events=tuple(Event(_str(i), _str(label), _opt(note)) for i, label, note in doc["events"]),
        claims=tuple(claims),
        path=path,
        sources_dir=_str(doc["sources_dir"]),
    )
