"""The cache's encoding of a dataset's records: compact rows, checked on the way back in.

Decoding trusts nothing: a row of the wrong length or type raises ValueError or
TypeError, which the store treats as a damaged cache.
"""

from collections.abc import Sequence
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from pakru.dates import EdtfDate
from pakru.model import Actor, Claim, Dataset, Event, Outlook, Source, Topic

_ORD = date.toordinal
_FROM = date.fromordinal


def encode_date(d: EdtfDate) -> list[Any]:
    return [d.text, _ORD(d.start), _ORD(d.end), d.label, d.approximate, d.uncertain]


def decode_date(row: Any) -> EdtfDate:
    text, start, end, label, approximate, uncertain = row  # null or another length: an error
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
    "".join(xs)  # raises TypeError, at C speed, if any item is not text
    return tuple(xs)


def _int(x: Any) -> int | None:
    if x is None:
        return None
    if type(x) is not int or not -2 <= x <= 2:
        raise TypeError("bad score")
    return x


def encode_header(d: Dataset) -> dict[str, Any]:
    """Everything but the claims: small, and always read whole."""
    return {
        "sources": [
            [
                s.id, s.title, s.author, s.author_note, s.outlet, s.outlet_basis, encode_date(s.published),
                s.published_basis, s.text, [s.outlook.score, s.outlook.label, s.outlook.quote],
            ]
            for s in d.sources
        ],
        "topics": [[t.id, t.label, list(t.aliases)] for t in d.topics],
        "actors": [[a.name, list(a.aliases)] for a in d.actors],
        "events": [[e.id, e.label, e.note] for e in d.events],
        "sources_dir": d.sources_dir,
    }  # fmt: skip


def encode_claim(c: Claim) -> list[Any]:
    """A claim's row: what the columns do not hold (source, kind, event, topics and the date's
    place in the table of dates are there)."""
    return [c.id, c.date_basis, c.summary, c.quote, list(c.actors), c.date_note, c.stance]


def decode_claims(
    rows: Any,
    sources: Sequence[str],
    kinds: Sequence[str],
    events: Sequence[str | None],
    topics: Sequence[tuple[str, ...]],
    dates: Sequence[EdtfDate | None],
) -> list[Claim]:
    """Claims from their rows and what their columns say (one of each per row).

    One loop for all (a compare at 100,000 claims decodes 22,000): per claim, it checks
    types at C speed where it can and builds the tuple directly.
    """
    out: list[Claim] = []
    append, make = out.append, tuple.__new__
    # json.loads makes a new str for every value; the date bases and actors repeat across
    # claims, so one object of each is kept (fewer fresh pages: ~5 µs each here).
    bases: dict[str, str] = {}
    actor_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row, source, kind, event, topic, when in zip(
        rows, sources, kinds, events, topics, dates, strict=True
    ):
        cid, basis, summary, quote, actors, note, stance = row
        "".join((cid, basis, summary, quote))  # raises TypeError unless all are text
        if type(actors) is not list or (note is not None and type(note) is not str):
            raise TypeError("bad actors or note")
        "".join(actors)
        if stance is not None and (type(stance) is not int or not -2 <= stance <= 2):
            raise TypeError("bad stance")
        basis = bases.setdefault(basis, basis)
        actors = tuple(actors)
        actors = actor_sets.setdefault(actors, actors)
        append(
            make(
                Claim,
                (cid, source, when, basis, kind, summary, quote, topic, actors, note, event, stance),
            )
        )
    return out


class Header(NamedTuple):
    sources: tuple[Source, ...]
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    sources_dir: str


def decode_header(doc: Any) -> Header:
    sources = []
    for sid, title, author, note, outlet, obasis, published, pbasis, text, outlook in doc["sources"]:
        score, label, quote = outlook
        sources.append(
            Source(
                _str(sid), _str(title), _opt(author), _opt(note), _opt(outlet), _opt(obasis),
                decode_date(published), _str(pbasis), _str(text),
                Outlook(_int(score) or 0, _str(label), _str(quote)),
            )
        )  # fmt: skip
    # A large dataset has thousands of events: made with _make and checked a field at a time
    events = tuple(map(Event._make, doc["events"]))  # TypeError unless three fields each
    "".join(map(attrgetter("id"), events))  # TypeError unless all are text
    "".join(map(attrgetter("label"), events))
    "".join([e.note for e in events if e.note is not None])
    return Header(
        tuple(sources),
        tuple(Topic(_str(i), _str(label), _strs(al)) for i, label, al in doc["topics"]),
        tuple(Actor(_str(n), _strs(al)) for n, al in doc["actors"]),
        events,
        _str(doc["sources_dir"]),
    )
