"""textnorm's fast paths against the plain definitions they replaced."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pakru.core.textnorm import _TYPOGRAPHIC, first_mismatch, fold, fold_many, for_quotes

_NON_WORD = re.compile(r"[\W_]+")


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def reference_for_quotes(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC).split())


# Characters where folding has something to get wrong: combining marks (some that
# reorder), case folding that grows ("ß", "İ"), compatibility forms (ligatures,
# fractions, fullwidth, mathematical letters), letters NFKD makes capitals ("ℂ"),
# Cyrillic, Urdu with its marks, emoji, typographic quotes and dashes, whitespace and
# control characters, NUL (fold_many's joiner) and a lone surrogate.
ALPHABET = list(
    " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000_-.,'\"AbcZ09é\u0301\u0327\u0323\u05b0\u0345"
    "’‘“”«»–—−′ßİıǅΣςﬁ½⁄ℂＡａ１Дж\u0438\u0306\U0001d400ꙮ"
    "\u0627\u0631\u062f\u0648\u064b\u0650\u0651\u06f1"
    "😀👍🏽\u200d\ufe0f\x00\ud800"
)
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=20) | st.text(max_size=20)


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_fold_is_its_definition(text: str) -> None:
    assert fold(text) == reference_fold(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, max_size=8))
def test_fold_many_is_its_definition(batch: list[str]) -> None:
    assert fold_many(batch) == [reference_fold(t) for t in batch]


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_for_quotes_is_its_definition(text: str) -> None:
    assert for_quotes(text) == reference_for_quotes(text)


def test_every_character() -> None:
    every = "".join(chr(i) for i in range(sys.maxunicode + 1))
    runs = [every[i : i + 40] for i in range(0, len(every), 40)]
    marked = ["".join(f"{c}\u0301b{c}\u0327" for c in every[i : i + 10]) for i in range(0, len(every), 70)]
    assert fold_many(runs) == [reference_fold(t) for t in runs]
    assert [fold(t) for t in marked] == [reference_fold(t) for t in marked]
    assert [for_quotes(t) for t in runs] == [reference_for_quotes(t) for t in runs]
    # for_quotes' shortcut: no whitespace but " " is printable
    assert [c for c in every if c.isspace() and c.isprintable()] == [" "]


def test_a_quote_that_differs_only_in_case_is_told_so() -> None:
    text = for_quotes("In 2016 the two armies met. The 1990s changed little of that distance.")
    said = first_mismatch("the 1990s Changed little", text)
    assert said == "differs only in letter case: the source has 'The 1990s changed little'"
    assert first_mismatch("The 1990s changed much", text).startswith("matches up to ")
