"""The paragraphs of a captured source text: which of its lines read as the article's prose.

A captured page holds furniture as well as the article ("Short Url", a byline, "Leave a Reply",
a comment form), so a paragraph is a line of the text that reads as prose: at least
``MIN_WORDS`` words and ending with a full stop, question or exclamation mark, colon or
semicolon (a closing quote or bracket may follow). Headlines, bylines, share buttons, pull-out
names and "Required fields are marked *" are therefore not paragraphs. Nor is a pull quote, a
line whose every sentence a later line repeats (Karim's and Rizvi's pages each have one, before
the pulled-out name): the article's own paragraph is the later one. Citations count the
paragraphs (citation.pinpoint); a quote's context stays within them (cite.quote_in_context).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

MIN_WORDS = 8
_PROSE_END = re.compile(r"[.!?;:][\"'”’)\]]*$")
_SENTENCE_GAP = re.compile(r"(?<=[.!?][\"'”’)])\s+|(?<=[.!?])\s+")


def _reads_as_prose(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and _PROSE_END.search(text.strip()) is not None


# show asks for one text's paragraphs and pull quotes three times (the context, the pinpoint):
# read once (~1 ms each for the unsigned article's 18,227 characters)
@functools.lru_cache(maxsize=4)
def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets in ``text`` of each paragraph, in order: each line that reads as
    prose (the captured pages put a paragraph on one line) and is not a pull quote."""
    pulled = pull_quotes(text)
    return tuple(
        (pos, pos + len(line)) for pos, line in _lines(text) if pos not in pulled and _reads_as_prose(line)
    )


@functools.lru_cache(maxsize=4)
def pull_quotes(text: str) -> frozenset[int]:
    """The start offsets of the lines that read as prose but only repeat sentences of one or more
    later lines: read from the end, each line's sentences are looked up among those after it."""
    later: set[str] = set()
    out: set[int] = set()
    for start, line in reversed(list(_lines(text))):
        sentences = _SENTENCE_GAP.split(" ".join(line.split()))
        if _reads_as_prose(line) and all(x in later for x in sentences):
            out.add(start)
        later.update(sentences)
    return frozenset(out)


def prose_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the text around ``start:end`` up to the nearest block of lines (between
    blank lines) on either side that does not read as prose or is a pull quote, the page's
    furniture, or to the text's ends. A block, not a line: a text wrapped at some width is
    prose all the same."""
    opens, closes = 0, len(text)
    pulled = pull_quotes(text)
    for block_start, block_end in _blocks(text):
        if block_start not in pulled and _reads_as_prose(text[block_start:block_end]):
            continue
        if block_end < start:
            opens = block_end
        elif block_start > end:
            closes = block_start
            break
    return opens, closes


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of each run of non-blank lines."""
    first, last = -1, 0
    for pos, line in _lines(text):
        if line.strip():
            if first < 0:
                first = pos
            last = pos + len(line)
        elif first >= 0:
            yield first, last
            first = -1
    if first >= 0:
        yield first, last


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of the text with its start offset."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1
