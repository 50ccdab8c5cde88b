"""`pakru check`: validate a dataset from its files, never from the cache.

Beyond the errors that make a dataset unreadable (load reports them all, sorted),
check gives warnings: what is valid but against the curation conventions of the
README. They do not fail a check unless it is ``--strict``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pakru.core.errors import DatasetError, Problem, place
from pakru.core.model import Dataset
from pakru.core.record import Record

NEAR_COPY_RATIO = 0.85  # difflib ratio of the folded summary and quote above which a summary is a near copy

RULES = {
    "single-source-event": "an event attested by fewer than two sources",
    "near-copy-summary": "a summary that only swaps synonyms in its quote",
    "stated-date-names-no-time": "a stated date whose quote and note name no time",
    "note-names-missing-file": "a date note naming a file that is not in the dataset",
    "id-not-of-its-source": "a claim id that does not begin with its source's id",
    "quote-in-several-places": "a quote its source's paragraphs hold more than once",
    "source-without-paragraphs": "a source text with no line that counts as a paragraph",
}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DECADE_WORDS = "twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
# What "names a time" means for a stated date: a year from 1000 to 2099 (also "1980s", "1970’s"),
# a short decade ("’80s"), a decade word ("the eighties"), a century ("21st century"), or a
# month. Bare numbers (14,000 troops) and relative words ("last year", "recently") are not:
# a date read from those is resolved, not stated.
_NAMES_A_TIME = re.compile(  # months capitalised, as English writes them: "may" is not May
    rf"\b(?:1[0-9]{{3}}|20[0-9]{{2}})(?:[’']?s)?\b|[’']?\b[0-9]0s\b|\b(?i:{_DECADE_WORDS})\b"
    rf"|\b(?i:centur(?:y|ies))\b|\b(?:{_MONTHS})\b"
)
_FILE_NAME = re.compile(r"[\w.\-/]*\w\.(?:txt|yaml|yml|md)\b")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


class CheckWarning(Record):
    """Something valid that the curation conventions advise against, at a place in a file."""

    file: str
    line: int | None
    column: int | None
    context: str  # "claim naseer-001", "event uri-attack"
    rule: str  # a key of RULES
    message: str

    def __str__(self) -> str:
        return f"{place(self.file, self.line, self.column)}: warning: {self.context}: {self.message}"


class Report(Record):
    path: str
    dataset: Dataset | None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[CheckWarning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems

    def counts(self) -> dict[str, int]:
        d = self.dataset
        if d is None:
            return {}
        return {
            "sources": len(d.sources),
            "claims": len(d.claims),
            "events": len(d.events),
            "topics": len(d.topics),
            "actors": len(d.actors),
            "quotes": len(d.claims) + len(d.sources),
        }

    def summary(self) -> str:
        c = self.counts()
        warned = f"; {len(self.warnings)} warning(s)" if self.warnings else ""
        counted = ", ".join(
            _count(c[k], k.rstrip("s")) for k in ("sources", "claims", "events", "topics", "actors")
        )
        quotes = (
            f"all {_count(c['quotes'], 'quote')} found verbatim in their sources"
            if c["quotes"]
            else "no quotes"
        )
        return f"OK {self.path}: {counted}; {quotes}{warned}"

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": self.path,
            **self.counts(),
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "context": p.context,
                    "field": p.field,
                    "message": p.message,
                }
                for p in self.problems
            ],
            "warnings": [w._asdict() for w in self.warnings],
        }


def run_check(path: str | os.PathLike[str] | None = None) -> Report:
    from pakru.dataset.load import load
    from pakru.dataset.locate import locate

    events_path = locate(path)
    try:
        dataset = load(events_path)
    except DatasetError as exc:
        return Report(str(events_path), None, tuple(exc.problems))
    return Report(str(events_path), dataset, (), tuple(warnings(dataset, Path(events_path))))


def fold(text: str) -> str:
    """Casefolded, whitespace collapsed: what the near-copy ratio compares."""
    return " ".join(text.casefold().split())


def near_copy_ratio(summary: str, quote: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, fold(summary), fold(quote)).ratio()


def near_copy(summary: str, quote: str) -> float | None:
    """The ratio when it is above NEAR_COPY_RATIO, else None.

    real_quick_ratio() and quick_ratio() are upper bounds of ratio() that cost a fraction of it:
    most summaries are ruled out by them (ratio() alone took ~0.5 ms a claim).
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, fold(summary), fold(quote))
    if matcher.real_quick_ratio() <= NEAR_COPY_RATIO or matcher.quick_ratio() <= NEAR_COPY_RATIO:
        return None
    ratio = matcher.ratio()
    return ratio if ratio > NEAR_COPY_RATIO else None


def names_a_time(text: str) -> bool:
    return _NAMES_A_TIME.search(text) is not None


def missing_files(note: str, dataset_dir: Path, known: Iterable[str]) -> list[str]:
    """The file names in ``note`` that are neither the dataset's files nor exist under its folder."""
    names = set(known)
    return [
        token
        for token in dict.fromkeys(_FILE_NAME.findall(note))
        if token not in names
        and not (dataset_dir / token).is_file()
        and not (dataset_dir / "sources" / token).is_file()
    ]


_SOURCE = "\0source"  # the field of a source's warning, in warnings' list (a claim's is its field's name)


def _placing(dataset: Dataset, events_path: Path) -> list[tuple[str, str, str, str]]:
    """Where show and cite would place each quote: a source text with no paragraph gives no
    pinpoint, and a quote its paragraphs hold twice is placed at the first, whichever is meant."""
    from pakru.core import textnorm
    from pakru.dataset.load import default_sources_dir
    from pakru.dataset.paragraphs import MIN_WORDS, paragraphs
    from pakru.dataset.textfile import read_text

    folder = default_sources_dir(events_path)
    claims: dict[str, list[tuple[str, str]]] = {}
    for c in dataset.claims:
        claims.setdefault(c.source, []).append((c.id, c.quote))
    found = []
    for s in dataset.sources:
        if s.id not in claims:
            continue
        raw = read_text(folder / s.text, "source text")  # read once already: the quotes were found
        spans = paragraphs(raw)
        if not spans:
            message = (
                f"no line of {s.text} reads as a paragraph (one line of {MIN_WORDS} or more words, ending a "
                "sentence), so no citation of its claims gives one: put each paragraph on one line"
            )
            found.append((s.id, _SOURCE, "source-without-paragraphs", message))
            continue
        prose = "\n".join(textnorm.for_quotes(raw[a:b]) for a, b in spans)  # no quote holds a \n
        for claim_id, quote in claims[s.id]:
            target = textnorm.for_quotes(quote)
            times = prose.count(target) if target else 0
            if times > 1:
                message = (
                    f"the quote is in {times} places of {s.text}'s paragraphs; show and cite place it at "
                    "the first: quote enough of its sentence to name one"
                )
                found.append((claim_id, "quote", "quote-in-several-places", message))
    return found


class _Positions:
    """Where each claim's and event's fields are, from a second parse of the file (check only)."""

    def __init__(self, events_path: Path) -> None:
        from pakru.dataset.textfile import read_text
        from pakru.dataset.yamlnodes import Map, Scalar, parse

        self.claims: dict[str, dict[str, tuple[int, int]]] = {}
        self.events: dict[str, tuple[int, int]] = {}
        self.sources: dict[str, tuple[int, int]] = {}  # where each source's text field is

        def item(section: str, node: Any) -> None:
            if not isinstance(node, Map):
                return
            ident = node.items.get("id")
            if not isinstance(ident, Scalar):
                return
            if section == "claims" and ident.value not in self.claims:
                fields = {k: (v.line, v.column) for k, v in node.items.items()}
                fields[""] = (node.line, node.column)
                self.claims[ident.value] = fields
            elif section == "events" and ident.value not in self.events:
                self.events[ident.value] = (node.line, node.column)
            elif section == "sources" and ident.value not in self.sources:
                text = node.items.get("text", node)
                self.sources[ident.value] = (text.line, text.column)

        root = parse(read_text(events_path, "dataset file"), str(events_path), on_item=item)
        if isinstance(root, Map):  # the items a parser did not stream (none today, but cheap to cover)
            for section in ("claims", "events", "sources"):
                seq = root.items.get(section)
                for node in getattr(seq, "items", []):
                    item(section, node)

    def of_claim(self, claim_id: str, field: str) -> tuple[int | None, int | None]:
        fields = self.claims.get(claim_id, {})
        return fields.get(field) or fields.get("") or (None, None)


def warnings(dataset: Dataset, events_path: Path) -> list[CheckWarning]:
    """Every warning of a valid dataset, sorted by line.

    The file is parsed a second time for the warnings' positions only when there is a warning:
    a clean dataset of 20,000 claims is spared ~2 s.
    """
    found: list[tuple[str, str, str, str]] = []  # (context, field or "" for an event, rule, message)
    attesting: dict[str, dict[str, list[str]]] = {e.id: {} for e in dataset.events}
    dataset_files = {events_path.name, *(s.text for s in dataset.sources)}
    for c in dataset.claims:
        if c.event is not None:
            attesting[c.event].setdefault(c.source, []).append(c.id)
        if not c.id.startswith(f"{c.source}-"):
            message = (
                f"the id does not begin with its source's id ('{c.source}-…'): ids are <source>-NNN, "
                "and a reader takes a claim's source from its id"
            )
            found.append((c.id, "id", "id-not-of-its-source", message))
        ratio = near_copy(c.summary, c.quote)
        if ratio is not None:
            found.append(
                (
                    c.id,
                    "summary",
                    "near-copy-summary",
                    f"the summary is a near copy of its quote (ratio {ratio:.3f} > {NEAR_COPY_RATIO}); "
                    "say what the quote does not: who, when, whose view",
                )
            )
        if c.date_basis == "stated" and not names_a_time(f"{c.quote} {c.date_note or ''}"):
            found.append(
                (
                    c.id,
                    "date",
                    "stated-date-names-no-time",
                    f"the date {c.date} is 'stated' but neither quote nor date_note names a time; "
                    "if it comes from another sentence it is 'resolved', with a note naming that sentence",
                )
            )
        for name in missing_files(c.date_note, events_path.parent, dataset_files) if c.date_note else ():
            found.append(
                (
                    c.id,
                    "date_note",
                    "note-names-missing-file",
                    f"the date_note names {name!r}, which is not a file of the dataset",
                )
            )
    found += _placing(dataset, events_path)
    for event in dataset.events:
        by_source = attesting[event.id]
        if len(by_source) < 2:
            claims = [i for ids in by_source.values() for i in ids]
            who = f"only source {next(iter(by_source))!r} ({', '.join(claims)})" if by_source else "no claim"
            message = f"attested by {who}; an event needs claims of two or more sources"
            found.append((event.id, "", "single-source-event", message))
    if not found:
        return []
    at = _Positions(events_path)
    file = str(events_path)
    out = []
    for ident, field, rule, message in found:
        if field == _SOURCE:
            line, column = at.sources.get(ident, (None, None))
            out.append(CheckWarning(file, line, column, f"source {ident}", rule, message))
        elif field:
            out.append(CheckWarning(file, *at.of_claim(ident, field), f"claim {ident}", rule, message))
        else:
            line, column = at.events.get(ident, (None, None))
            out.append(CheckWarning(file, line, column, f"event {ident}", rule, message))
    out.sort(key=lambda w: (w.file, w.line or 0, w.column or 0))
    return out
