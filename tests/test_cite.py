"""queries/cite.py: a quote found in its source's text, and the sentences around it."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pakru.core import textnorm
from pakru.queries import cite


def find_quote(raw: str, quote: str) -> tuple[int, int] | None:
    return next(cite.find_quotes(raw, quote), None)


def reference_located(raw: str) -> tuple[str, list[int], list[int]]:
    """located() as a character at a time: what it must equal. A character and the combining
    marks after it are one: NFC composes them."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = False
    i = 0
    while i < len(raw):
        if raw[i].isspace():
            pending_space = bool(out)
            i += 1
            continue
        if pending_space:
            out.append(" ")
            starts.append(i - 1)
            ends.append(i)
            pending_space = False
        j = i + 1
        while j < len(raw) and unicodedata.combining(raw[j]) and not raw[j].isspace():
            j += 1
        composed = unicodedata.normalize("NFC", raw[i:j])
        mapped = composed.translate(textnorm._TYPOGRAPHIC)
        out.append(mapped)
        if composed == raw[i:j]:
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
        else:
            starts.extend([i] * len(mapped))
            ends.extend([j] * len(mapped))
        i = j
    return "".join(out), starts, ends


# Whitespace that str.isspace() knows and a regular expression might not, typographic quotes and
# dashes, a combining accent, characters whose NFC is another (U+212B) or two (U+0344, U+FB1D...)
WHITESPACE = [
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u2000",
    "\u2028",
    "\u2029",
    "\u3000",
]
TYPOGRAPHIC = ["\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u00ab", "\u2212"]
UNICODE_FORMS = ["\u0301", "e\u0301", "\u00e9", "\u212b", "\u0344", "\ufb1d", "\u0958", "\u200b", "\ufeff"]
ALPHABET = st.sampled_from([*"ab Z.,\n\t\r", *WHITESPACE, *TYPOGRAPHIC, *UNICODE_FORMS, "\U0001d11e"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_located_is_the_text_as_quote_checking_reads_it_with_where_each_character_came_from(raw: str) -> None:
    norm, starts, ends = cite.located(raw)
    assert (norm, list(starts), list(ends)) == reference_located(raw)
    assert len(starts) == len(ends) == len(norm)
    assert norm == textnorm.for_quotes(raw)  # what the quote check reads


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=40).map("".join), st.data())
def test_a_quote_is_placed_where_a_character_at_a_time_reading_places_it(
    raw: str, data: st.DataObject
) -> None:
    """SourceText's two ways (word starts for a text in NFC, located() for any other) place
    every occurrence where the reference reading does."""
    norm, starts, ends = reference_located(raw)
    if not norm:
        return
    a = data.draw(st.integers(0, len(norm) - 1))
    b = data.draw(st.integers(a + 1, len(norm)))
    target = textnorm.for_quotes(norm[a:b])
    expected = []
    pos = norm.find(target) if target else -1
    while pos != -1:
        expected.append((starts[pos], ends[pos + len(target) - 1]))
        pos = norm.find(target, pos + 1)
    assert list(cite.SourceText(raw).find_all(norm[a:b])) == expected


def test_a_quote_is_found_across_line_breaks_and_typographic_marks() -> None:
    text = "It began.\nPakistan\u2019s  \u201cfriend\u201d \u2013 so\n\tit said. Then more."
    start, end = find_quote(text, 'Pakistan\'s "friend" - so it said.') or (0, 0)
    assert text[start:end] == "Pakistan\u2019s  \u201cfriend\u201d \u2013 so\n\tit said."
    assert find_quote(text, "not in it") is None
    assert find_quote(text, "") is None
    assert find_quote(text, "   ") is None


def test_the_first_occurrence_is_found() -> None:
    text = "one two. one two."
    assert find_quote(text, "one two") == (0, 7)


def test_a_quote_in_context_has_a_sentence_either_side_as_the_source_prints_them() -> None:
    text = "First one. Second  one\nruns on. The quote is here! Fourth one. Fifth."
    ctx = cite.quote_in_context(text, "The quote is here!")
    assert ctx is not None
    assert (ctx.before, ctx.quote, ctx.after) == ("Second one runs on.", "The quote is here!", "Fourth one.")
    assert (ctx.gap_before, ctx.gap_after) == (" ", " ")
    inside = cite.quote_in_context(text, "quote is")
    assert inside is not None
    assert (inside.before, inside.after) == ("Second one runs on. The", "here! Fourth one.")
    assert (inside.gap_before, inside.gap_after) == (" ", " ")
    assert cite.quote_in_context(text, "absent") is None


def test_a_quote_at_the_edges_of_its_text_has_no_context_on_that_side() -> None:
    ctx = cite.quote_in_context("Alone here.", "Alone here.")
    assert ctx is not None and (ctx.before, ctx.quote, ctx.after) == ("", "Alone here.", "")
    assert (ctx.gap_before, ctx.gap_after) == ("", "")


def test_the_context_crosses_paragraphs_but_not_the_page_s_furniture() -> None:
    text = (
        "A Headline Here\n\n"
        "The first paragraph has enough words to count. Its quote is here!\n\n"
        "The next paragraph also has enough words to count. And a second sentence.\n\n"
        "– A. Byline is an analyst. Twitter: @byline\n"
    )
    ctx = cite.quote_in_context(text, "Its quote is here!")
    assert ctx is not None
    assert (ctx.before, ctx.after) == ("The first paragraph has enough words to count.",
                                       "The next paragraph also has enough words to count.")  # fmt: skip
    first = cite.quote_in_context(text, "The first paragraph has enough")
    assert first is not None and (first.before, first.gap_before) == ("", "")  # not the headline
    last = cite.quote_in_context(text, "And a second sentence.")
    assert last is not None and (last.after, last.gap_after) == ("", "")  # not the byline
    assert last.before == "The next paragraph also has enough words to count."
