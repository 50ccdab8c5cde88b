"""Text normalisation: what quote checking forgives, and what search ignores."""

from __future__ import annotations

import re
import unicodedata

# Quote checking forgives only Unicode form, whitespace, and typographic quotes
# and dashes: the differences a copy-and-paste or an editor introduces.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def for_quotes(text: str) -> str:
    if text.isascii():  # no Unicode form or typographic characters to normalise
        return " ".join(text.split())
    return " ".join(unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC).split())


def first_mismatch(quote: str, text: str) -> str:
    """Say how much of a quote the text does contain, to point at the typo."""
    q = for_quotes(quote)
    low, high = 0, len(q)
    while low < high:  # the longest prefix of the quote found in the text
        mid = (low + high + 1) // 2
        if q[:mid] in text:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return "not even its first character matches"
    return f"matches up to {q[max(0, low - 20) : low]!r}, then differs at {q[low : low + 20]!r}"


_NON_WORD = re.compile(r"[\W_]+")
_UNIT = "\x1f"  # joins texts folded together; fold() never produces it
_NON_WORD_KEEP_UNIT = re.compile(r"(?:[^\w\x1f]|_)+")
_SPACE_AT_UNIT = re.compile(r" ?\x1f ?")


def fold(text: str) -> str:
    """Case, accents and punctuation do not matter to search: 'Détente' -> 'detente'."""
    if text.isascii():  # nothing to decompose: 2-3x faster, and most text is ASCII
        return " ".join(_NON_WORD.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def fold_many(texts: list[str]) -> list[str]:
    """fold() of each text, in a few passes over them all at once when they are ASCII.

    The same result as [fold(t) for t in texts] (a test holds them together), several
    times faster on the thousands of texts a cache is built from.
    """
    joined = _UNIT.join(texts)
    if len(texts) < 2 or not joined.isascii() or joined.count(_UNIT) != len(texts) - 1:
        return [fold(t) for t in texts]
    folded = _SPACE_AT_UNIT.sub(_UNIT, _NON_WORD_KEEP_UNIT.sub(" ", joined.lower()))
    parts = folded.split(_UNIT)
    parts[0], parts[-1] = parts[0].lstrip(" "), parts[-1].rstrip(" ")
    return parts
