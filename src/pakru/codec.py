"""The cache's encoding of a dataset's records: compact rows, checked on the way back in.

Decoding trusts nothing: a row of the wrong length or type raises ValueError,
TypeError or KeyError, which the store treats as a damaged cache.
"""

import json
from collections.abc import Sequence
from datetime import date
from itertools import repeat
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


# A claim's row is its fields joined by FIELD, its actors by ITEM: read back with one
# str.split per batch of rows (rows are joined by FIELD too), where JSON took ~3x as long and
# left every value to be type-checked. A claim this cannot carry exactly (a separator in its
# text, an empty note or actor, see _splittable) is written as ROW and a JSON list instead:
# JSON never holds a control character raw, so neither kind of row is mistaken for the other.
FIELD, ITEM, ROW = "\x1f", "\x1d", "\x1e"
_FIELD_BYTES = FIELD.encode()
_WIDTH = 7  # fields per row
_STANCES: dict[str, int | None] = {"": None, "-2": -2, "-1": -1, "0": 0, "1": 1, "2": 2}
_JSON_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def encode_claim(c: Claim) -> str:
    """A claim's row: what the columns do not hold (source, kind, event, topics and the date's
    place in the table of dates are there)."""
    stance = "" if c.stance is None else str(c.stance)
    text = FIELD.join(
        (c.id, c.date_basis, c.summary, c.quote, ITEM.join(c.actors), c.date_note or "", stance)
    )
    if _splittable(c, text):
        return text
    return ROW + _JSON_ROW([c.id, c.date_basis, c.summary, c.quote, list(c.actors), c.date_note, c.stance])


def _splittable(c: Claim, text: str) -> bool:
    return (
        text.count(FIELD) == _WIDTH - 1
        and text.count(ITEM) == max(len(c.actors) - 1, 0)
        and ROW not in text
        and "" not in c.actors
        and c.date_note != ""
    )


def decode_claims(
    rows: Sequence[bytes | memoryview],
    sources: Sequence[str],
    kinds: Sequence[str],
    events: Sequence[str | None],
    topics: Sequence[tuple[str, ...]],
    dates: Sequence[EdtfDate | None],
) -> list[Claim]:
    """Claims from their rows (UTF-8) and what their columns say (one of each per row).

    Column by column, in C where it can: a compare at 100,000 claims decodes 22,000.
    """
    if not rows:
        return []
    text = _FIELD_BYTES.join(rows).decode("utf-8")
    if ROW not in text:
        return _from_fields(text.split(FIELD), sources, kinds, events, topics, dates)
    # A JSON row among them: rare, and read row by row
    out = []
    for row, *columns in zip(rows, sources, kinds, events, topics, dates, strict=True):
        one = str(row, "utf-8")
        if one.startswith(ROW):
            out.append(_from_json(one[1:], *columns))
        else:
            out += _from_fields(one.split(FIELD), *([column] for column in columns))
    return out


def _from_fields(
    fields: list[str],
    sources: Sequence[str],
    kinds: Sequence[str],
    events: Sequence[str | None],
    topics: Sequence[tuple[str, ...]],
    dates: Sequence[EdtfDate | None],
) -> list[Claim]:
    """Claims from the fields of their rows, in order, and their columns."""
    if len(fields) != _WIDTH * len(sources):
        raise ValueError("rows of the wrong width")
    # json.loads made a new str for every value; date bases and actors repeat across claims,
    # so one object of each is kept (fewer fresh pages: ~5 µs each here)
    bases: dict[str, str] = {}
    actor_sets: dict[str, tuple[str, ...]] = {"": ()}
    return list(
        map(
            tuple.__new__,
            repeat(Claim),
            zip(
                fields[0::_WIDTH],
                sources,
                dates,
                map(bases.setdefault, fields[1::_WIDTH], fields[1::_WIDTH]),
                kinds,
                fields[2::_WIDTH],
                fields[3::_WIDTH],
                topics,
                [
                    actor_sets[a] if a in actor_sets else actor_sets.setdefault(a, tuple(a.split(ITEM)))
                    for a in fields[4::_WIDTH]
                ],
                [note or None for note in fields[5::_WIDTH]],
                events,
                map(_STANCES.__getitem__, fields[6::_WIDTH]),  # KeyError unless -2..2 or empty
                strict=True,
            ),
        )
    )


def _from_json(
    text: str, source: str, kind: str, event: str | None, topics: tuple[str, ...], when: EdtfDate | None
) -> Claim:
    cid, basis, summary, quote, actors, note, stance = json.loads(text)
    "".join((cid, basis, summary, quote))  # raises TypeError unless all are text
    if type(actors) is not list or (note is not None and type(note) is not str):
        raise TypeError("bad actors or note")
    "".join(actors)
    if stance is not None and (type(stance) is not int or not -2 <= stance <= 2):
        raise TypeError("bad stance")
    return Claim(cid, source, when, basis, kind, summary, quote, topics, tuple(actors), note, event, stance)


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
