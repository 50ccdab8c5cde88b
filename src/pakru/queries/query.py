"""Filters shared by every command, and resolving what a user types to ids."""

from collections.abc import Iterable, Sequence

from pakru.core.errors import OptionError, QueryError
from pakru.core.model import KINDS, Claim, Dataset, Event, Filters, Source, Topic

# textnorm (unicodedata and a compiled pattern) is imported by the functions that fold a name
# someone typed: a run whose options name no topic or source does not need it.


def apply(claims: Iterable[Claim], f: Filters) -> list[Claim]:
    """A new list of the claims that pass every filter; the input is untouched."""
    topics, sources, kinds = set(f.topics), set(f.sources), set(f.kinds)
    out = []
    for c in claims:
        if sources and c.source not in sources:
            continue
        if kinds and c.kind not in kinds:
            continue
        if topics and topics.isdisjoint(c.topics):
            continue
        if f.dated_only or (f.undated and c.date is not None):
            if c.date is None:
                continue
            if f.start is not None and c.date.end < f.start:
                continue
            if f.end is not None and c.date.start > f.end:
                continue
        out.append(c)
    return out


def check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """The kinds named, in any case ('Prediction' is 'prediction')."""
    out = []
    for k in kinds:
        if k.strip().lower() not in KINDS:
            raise OptionError(f"--kind: unknown kind {k!r}; choose from: {', '.join(KINDS)}")
        out.append(k.strip().lower())
    return tuple(out)


def _nearest(query: str, names: dict[str, str], limit: int = 3) -> list[str]:
    """Up to ``limit`` distinct targets whose names are closest to the query."""
    from rapidfuzz import fuzz, process

    from pakru.core import textnorm

    hits = process.extract(textnorm.fold(query), list(names), scorer=fuzz.WRatio, limit=limit * 4)
    out: list[str] = []
    for name, _score, _ in hits:
        if names[name] not in out:
            out.append(names[name])
        if len(out) == limit:
            break
    return out


def _resolve(query: str, names: dict[str, str], what: str, cutoff: float = 85) -> str:
    """The one target an exact, then a close fuzzy, match of the query names."""
    from pakru.core import textnorm

    folded = textnorm.fold(query)
    if folded in names:
        return names[folded]
    from rapidfuzz import fuzz, process

    best = process.extractOne(folded, list(names), scorer=fuzz.ratio, score_cutoff=cutoff)
    if best is not None:
        return names[best[0]]
    # One edit (a letter dropped, added, changed, or two swapped) from a name of four letters or
    # more, when the names it could be are of one target: 'Inida' is India, whose ratio (80) a
    # short name's single swap cannot reach
    from rapidfuzz.distance import OSA

    close = {t for n, t in names.items() if len(n) >= 4 and OSA.distance(folded, n, score_cutoff=1) <= 1}
    if len(close) == 1:
        return close.pop()
    near = _nearest(query, names)
    hint = f"; nearest: {', '.join(near)}" if near else ""
    raise QueryError(f"unknown {what} {query!r}{hint}")


def topic_names(dataset: Dataset) -> dict[str, str]:
    from pakru.core import textnorm

    names: dict[str, str] = {}
    for t in dataset.topics:
        for name in t.names:
            names.setdefault(textnorm.fold(name), t.id)
    return names


def resolve_topic(dataset: Dataset, query: str) -> Topic:
    """A topic by id, label or alias, forgiving case, punctuation and small typos."""
    exact = dataset.topic_by_id.get(query)  # an id as given: no names to fold (~1.7 ms of a run)
    if exact is not None:
        return exact
    return dataset.topic_by_id[_resolve(query, topic_names(dataset), "topic")]


def resolve_source(dataset: Dataset, query: str) -> Source:
    """A source by id, author's full, last or first name, 'unsigned', or title."""
    from pakru.core import textnorm

    names: dict[str, str] = {}
    for s in dataset.sources:
        candidates = [s.id, s.title, s.byline]
        if s.author:
            candidates += [s.author.split()[-1], s.author.split()[0]]
        for name in candidates:
            names.setdefault(textnorm.fold(name), s.id)
    return dataset.source_by_id[_resolve(query, names, "source", cutoff=80)]


def resolve_sources(dataset: Dataset, query: str) -> tuple[Source, ...]:
    """The sources a --source names: every article of an outlet ('Arab News'), else one source
    as resolve_source finds it."""
    from pakru.core import textnorm

    def outlet(name: str) -> str:  # "The Express Tribune" is also "Express Tribune"
        folded = textnorm.fold(name)
        return folded[4:] if folded.startswith("the ") else folded

    wanted = outlet(query)
    of_outlet = tuple(s for s in dataset.sources if s.outlet and outlet(s.outlet) == wanted)
    return of_outlet or (resolve_source(dataset, query),)


def resolve_event(dataset: Dataset, query: str) -> Event:
    """An event by id or label, forgiving case and small typos."""
    from pakru.core import textnorm

    names: dict[str, str] = {}
    for e in dataset.events:
        for name in (e.id, e.label):
            names.setdefault(textnorm.fold(name), e.id)
    return dataset.event_by_id[_resolve(query, names, "event", cutoff=85)]


def resolve_claim(dataset: Dataset, claim_id: str) -> Claim:
    claim = dataset.claim(claim_id.strip()) or dataset.claim(claim_id.strip().lower())
    if claim is None:
        ids = {i: i for i in dataset.claims.near_ids(claim_id.strip())}
        near = _nearest(claim_id, ids) if ids else []
        raise QueryError(f"no claim {claim_id!r}" + (f"; nearest: {', '.join(near)}" if near else ""))
    return claim
