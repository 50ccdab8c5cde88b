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


def fold(text: str) -> str:
    """Case, accents and punctuation do not matter to search: 'Détente' -> 'detente'."""
    if text.isascii():  # nothing to decompose: 2-3x faster, and most text is ASCII
        return " ".join(_NON_WORD.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())
