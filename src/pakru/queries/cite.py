"""A claim's quote in the context of its source, and how to cite the source."""

import bisect
import functools
import itertools
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pakru.core import textnorm
from pakru.core.model import Claim, Dataset, Source
from pakru.core.record import Record
from pakru.dataset import paragraphs


class Context(Record):
    before: str
    quote: str  # the quote as the source prints it
    after: str
    gap_before: str = " "  # what separates the quote from its context in the source: " " or ""
    gap_after: str = " "


_WORD = re.compile(r"\S+")  # what str.isspace() is not: the whitespace for_quotes splits on


def located(raw: str) -> tuple[str, "array[int]", "array[int]"]:
    """for_quotes(raw), and for each of its characters the span of ``raw`` it came from (its
    start, its end: two arrays).

    A word at a time (most words are ASCII, which NFC and the typographic table leave as they
    are), each other word a character at a time with the combining marks after it, as NFC
    composes them ("e" and U+0301 are "é", from both). The indices take 4 bytes each (arrays,
    not lists of ints); a text is at most textfile.MAX_TEXT_BYTES.
    """
    out: list[str] = []
    starts, ends = array("I"), array("I")
    typographic = textnorm._TYPOGRAPHIC
    for match in _WORD.finditer(raw):
        start, end = match.span()
        if out:  # the whitespace before the word, as one space, from its last character
            out.append(" ")
            starts.append(start - 1)
            ends.append(start)
        word = match.group()
        if word.isascii():
            out.append(word)
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
            continue
        for i, cluster in _clusters(word, start):
            composed = unicodedata.normalize("NFC", cluster)
            mapped = composed.translate(typographic)  # one character for one
            out.append(mapped)
            if composed == cluster:  # as in a text in NFC: each character from itself
                starts.extend(range(i, i + len(cluster)))
                ends.extend(range(i + 1, i + len(cluster) + 1))
            else:
                starts.extend([i] * len(mapped))
                ends.extend([i + len(cluster)] * len(mapped))
    return "".join(out), starts, ends


def _clusters(word: str, start: int) -> Iterator[tuple[int, str]]:
    """(index, text) of each character of a word with the combining marks that follow it."""
    first = 0
    for k in range(1, len(word) + 1):
        if k == len(word) or not unicodedata.combining(word[k]):
            yield start + first, word[first:k]
            first = k


class SourceText:
    """A source's text made ready to find quotes in, once: an export finds one per claim.

    A text in NFC (as texts nearly always are) keeps its characters one for one in for_quotes:
    only its whitespace runs become one space each. Its words' starts, in the text and in
    for_quotes' text, then place any character (two arrays of the words, not one entry per
    character: 2.2 ms for the unsigned article where located() took 4.4, side by side on a
    loaded machine). Any other text is located() in full.
    """

    __slots__ = ("_ends", "_norm", "_norm_starts", "_raw_starts", "_starts", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._starts: array[int] | None = None
        self._ends: array[int] | None = None
        if unicodedata.is_normalized("NFC", raw):
            spans = [m.span() for m in _WORD.finditer(raw)]
            self._norm = textnorm.for_quotes(raw)
            self._raw_starts = array("I", [a for a, _b in spans])
            self._norm_starts = array(
                "I", [0, *itertools.accumulate(b - a + 1 for a, b in spans)][: len(spans)]
            )
        else:
            self._norm, self._starts, self._ends = located(raw)

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """The span of ``raw`` that for_quotes' characters ``first`` to ``last`` came from: a
        quote's, never starting or ending on a space (for_quotes strips a quote's ends)."""
        if self._starts is not None and self._ends is not None:
            return self._starts[first], self._ends[last]
        return self._raw_index(first), self._raw_index(last) + 1

    def _raw_index(self, pos: int) -> int:
        """Where in a text in NFC the character at ``pos`` of for_quotes' text came from."""
        k = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._raw_starts[k] + pos - self._norm_starts[k]

    def find_all(self, quote: str) -> Iterator[tuple[int, int]]:
        """The spans in ``raw`` of each occurrence of the quote as quote checking finds it
        (forgiving Unicode form, whitespace and typographic quotes and dashes), in order."""
        target = textnorm.for_quotes(quote)
        pos = self._norm.find(target) if target else -1
        while pos != -1:
            yield self._span(pos, pos + len(target) - 1)
            pos = self._norm.find(target, pos + 1)


# `show` finds its quote twice in one text (its context, its paragraph): made once
_source_text = functools.lru_cache(maxsize=2)(SourceText)


def find_quotes(raw: str, quote: str) -> Iterator[tuple[int, int]]:
    """SourceText(raw).find_all(quote), the text made ready once for the two last texts asked."""
    return _source_text(raw).find_all(quote)


def in_article(found: Iterable[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The first of the found spans that starts in one of the paragraphs' spans (a pull quote
    repeats a sentence of the article before it: its paragraph is where the quote stands), or
    the first found if none does, or None."""
    first = None
    for span in found:
        if any(start <= span[0] <= end for start, end in spans):
            return span
        first = first or span
    return first


_SENTENCE_END = re.compile(r"[.!?](?:[\"'”’)]*)\s+|\n\s*\n")


def quote_in_context(text: str, quote: str, sentences: int = 1) -> Context | None:
    """The quote with up to ``sentences`` sentences either side, or None if not found. The
    sentences may be of the paragraphs before and after the quote's, but not of the page's
    furniture (a headline, a byline: paragraphs.prose_around)."""
    span = in_article(find_quotes(text, quote), paragraphs.paragraphs(text))
    if span is None:
        return None
    start, end = span
    opens, closes = paragraphs.prose_around(text, start, end)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, opens, closes)]
    before_ends = [e for e in ends if e <= start]
    ctx_start = before_ends[-1 - sentences] if len(before_ends) > sentences else opens
    # The first end after the quote closes the quote's own sentence: then ``sentences`` more,
    # as before it, where the last end at or before the quote opens its sentence
    after_ends = [e for e in ends if e > end]
    ctx_end = after_ends[sentences] if len(after_ends) > sentences else closes
    before, after = text[ctx_start:start], text[end:ctx_end]
    shown_before, shown_after = _squash(before), _squash(after)
    return Context(
        shown_before,
        _squash(text[start:end]),
        shown_after,
        " " if shown_before and before[-1:].isspace() else "",  # nothing to keep apart
        " " if shown_after and after[:1].isspace() else "",
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
