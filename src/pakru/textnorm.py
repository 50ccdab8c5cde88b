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
# Joins ASCII texts folded together. A word character (so that one [\W_]+ pass keeps
# it: a class that excluded a separator would need an alternation, which makes re
# several times slower) that ASCII text cannot contain.
_UNIT = "\ua66e"


def fold(text: str) -> str:
    """Case, accents and punctuation do not matter to search: 'Détente' -> 'detente'."""
    if text.isascii():  # nothing to decompose: 2-3x faster, and most text is ASCII
        return " ".join(_NON_WORD.sub(" ", text.lower()).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def fold_many(texts: list[str]) -> list[str]:
    """fold() of each text; the ASCII ones (most) in one pass over them all.

    The same result as [fold(t) for t in texts] (a test holds them together), several
    times faster on the thousands of texts a cache is built from. Non-ASCII texts are
    folded one by one: removing combining marks from a joined string with a regular
    expression measured ~8x slower than fold()'s per-character filter.
    """
    ascii_at = [i for i, t in enumerate(texts) if t.isascii()]
    out = [t if t.isascii() else fold(t) for t in texts]
    joined = _UNIT.join(texts[i] for i in ascii_at)
    if len(ascii_at) > 1 and _UNIT.lower() not in joined.lower():
        # One pass leaves a single space for each run of non-word characters, so only a
        # space at either end of a text remains to trim.
        parts = _NON_WORD.sub(" ", joined.lower()).split(_UNIT)
        for i, part in zip(ascii_at, parts, strict=True):
            out[i] = part.strip(" ")
    else:
        for i in ascii_at:
            out[i] = fold(texts[i])
    return out
