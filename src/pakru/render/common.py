"""Wording shared by the human renderers (plain and rich)."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from pakru.core.model import Claim, Dataset, Source
from pakru.queries.cite import published_phrase

if TYPE_CHECKING:
    from pakru.queries.compare import Comparison, SharedEvent
    from pakru.queries.events import EventFacts
    from pakru.queries.search import Hit

_WORD = re.compile(r"\w+")


def who(source: Source) -> str:
    return source.author or "unsigned"


def short(source: Source) -> str:
    """The author's last name, or 'unsigned': enough to tell five sources apart."""
    return source.author.split()[-1] if source.author else "unsigned"


def source_line(source: Source) -> str:
    return f"{who(source)}, {source.outlet or 'outlet not stated'}, {published_phrase(source)}"


def author_line(source: Source) -> str:
    """'Umar Karim' or, for an unsigned article, 'unsigned (The writer is …)' without repeating it."""
    if source.author:
        return source.author + (f" ({source.author_note})" if source.author_note else "")
    note = source.author_note or ""
    return f"unsigned ({note})" if note and not note.casefold().startswith("unsigned") else note or "unsigned"


def date_text(claim: Claim) -> str:
    if claim.date is None:
        return "undated"
    return claim.date.label + (" (resolved)" if claim.date_basis == "resolved" else "")


def stance_text(stance: float | None) -> str:
    """A stance or outlook score (-2..+2): an int as it is, a mean to one decimal."""
    if stance is None:
        return "–"
    if isinstance(stance, int):
        return f"{stance:+d}" if stance else "0"
    return f"{stance:+.1f}" if round(stance, 1) else "0.0"


def count(n: int, what: str) -> str:
    """'1 claim', '2 claims'."""
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def mean_stance_label(topic_label: str) -> str:
    return f"mean stance of its {topic_label} claims for Pakistan–Russia ties"


def silent_on(cmp: Comparison) -> str:
    """The heading of the sources with nothing on the topic: "within these filters" when a date
    or kind left claims out, as it may have left out all of a source's."""
    topic = cmp.topic.label
    return f"Nothing on {topic} within these filters" if cmp.filtered else f"Silent on {topic}"


def verdict(f: EventFacts | SharedEvent) -> str:
    """Whether the sources that date an event agree: 'dates agree', 'only one source dates it'..."""
    if f.agree is None:
        return "only one source dates it" if f.dating_sources else "no source dates it"
    return "dates agree" if f.agree else "dates differ"


def by_publication(dataset: Dataset, claim: Claim) -> str:
    return f"by {dataset.source_by_id[claim.source].published.label}"


def disagreement(dataset: Dataset, claims: tuple[Claim, ...]) -> str:
    """'2017 (Hasan Askari Rizvi) vs 2018 (unsigned)': the dates each source gives."""
    parts = [f"{c.date.label} ({who(dataset.source_by_id[c.source])})" for c in claims if c.date is not None]
    return " vs ".join(dict.fromkeys(parts))


def search_head(claim: Claim, hit: Hit) -> str:
    """'2014 · event · score 68, approximate · matched text, names · event attested by 4 sources'."""
    score = f"score {hit.score}" + (", approximate" if hit.approximate else "")
    parts = [date_text(claim), claim.kind, score, f"matched {', '.join(hit.matched)}"]
    if hit.attested_by:
        parts.append(f"event attested by {hit.attested_by} source{'s' if hit.attested_by != 1 else ''}")
    return " · ".join(parts)


def word_spans(text: str, words: Collection[str]) -> list[tuple[int, int]]:
    """Where the words of ``text`` whose folded form is one of ``words`` stand."""
    if not words:
        return []
    from pakru.core.textnorm import fold

    return [m.span() for m in _WORD.finditer(text) if fold(m.group()) in words]


def marked(text: str, words: Collection[str]) -> str:
    """The text with each matched word in «»."""
    out, last = [], 0
    for start, end in word_spans(text, words):
        out += [text[last:start], "«", text[start:end], "»"]
        last = end
    return "".join(out) + text[last:]
