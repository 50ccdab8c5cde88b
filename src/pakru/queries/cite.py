"""A claim's quote in the context of its source, and how to cite the source."""

import re
import unicodedata
from pathlib import Path

from pakru.core import textnorm
from pakru.core.model import Claim, Dataset, Source
from pakru.core.record import Record


class Context(Record):
    before: str
    quote: str  # the quote as the source prints it
    after: str
    gap_before: str = " "  # what separates the quote from its context in the source: " " or ""
    gap_after: str = " "


def _normalised_with_map(raw: str) -> tuple[str, list[int]]:
    """for_quotes(raw), and for each of its characters the index in ``raw`` it came from."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(raw):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        mapped = unicodedata.normalize("NFC", ch).translate(textnorm._TYPOGRAPHIC)
        for m in mapped:
            out.append(m)
            where.append(i)
    return "".join(out), where


_SENTENCE_END = re.compile(r"[.!?](?:[\"'”’)]*)\s+|\n\s*\n")


def quote_in_context(text: str, quote: str, sentences: int = 1) -> Context | None:
    """The quote with up to ``sentences`` sentences either side, or None if not found."""
    norm, where = _normalised_with_map(text)
    target = textnorm.for_quotes(quote)
    pos = norm.find(target)
    if pos == -1 or not target:
        return None
    start, end = where[pos], where[pos + len(target) - 1] + 1
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    before_ends = [e for e in ends if e <= start]
    ctx_start = before_ends[-1 - sentences] if len(before_ends) > sentences else 0
    after_ends = [e for e in ends if e > end]
    ctx_end = after_ends[sentences - 1] if len(after_ends) >= sentences else len(text)
    before, after = text[ctx_start:start], text[end:ctx_end]
    return Context(
        _squash(before),
        _squash(text[start:end]),
        _squash(after),
        " " if before[-1:].isspace() else "",
        " " if after[:1].isspace() else "",
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


def source_text(dataset: Dataset, source: Source) -> str:
    from pakru.dataset.textfile import read_text

    return read_text(Path(dataset.sources_dir) / source.text, "source text")


def published_phrase(source: Source) -> str:
    inferred = source.published_basis.startswith("inferred")
    return f"{source.published.label}{' (inferred)' if inferred else ''}"


def claim_context(dataset: Dataset, claim: Claim) -> Context | None:
    return quote_in_context(source_text(dataset, dataset.source_by_id[claim.source]), claim.quote)
