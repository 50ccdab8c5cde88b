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


# The same as replacements, for whole texts: str.translate looks every character up in
# the table (cite.py's use, a character at a time), ~6x slower on a source text than
# finding and replacing the few typographic characters that occur.
_TYPOGRAPHIC_PAIRS = tuple((chr(k), str(v)) for k, v in _TYPOGRAPHIC.items())


def for_quotes(text: str) -> str:
    if not text.isascii():  # else no Unicode form or typographic characters to normalise
        text = unicodedata.normalize("NFC", text)
        for typographic, plain in _TYPOGRAPHIC_PAIRS:
            if typographic in text:
                text = text.replace(typographic, plain)
    # Most quotes are already single-spaced, and checking is ~5x faster than splitting.
    # Every whitespace character but " " is unprintable, so a printable text has no other.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def first_mismatch(quote: str, text: str) -> str:
    """Say how much of a quote the text does contain, to point at the typo."""
    q = for_quotes(quote)
    same_but_case = re.search(re.escape(q), text, re.IGNORECASE) if q else None
    if same_but_case is not None:
        return f"differs only in letter case: the source has {same_but_case.group()[:60]!r}"
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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _ascii_table(*, lower: bool, keep: str = "") -> str:
    """A str.translate table for ASCII: letters and digits kept, the rest made spaces.

    A str of only ASCII (not a dict) lets str.translate take its ASCII fast path, ~30x
    faster than re.sub; characters past its end are left as they are.
    """

    def out(c: str) -> str:
        if c.isalnum() or c in keep:
            return c.lower() if lower else c
        return " "

    return "".join(out(chr(i)) for i in range(128))


# fold_many joins texts with NUL; a text that has one of its own is folded alone.
_JOIN = "\x00"
_FOLD_ASCII = _ascii_table(lower=True)
_FOLD_ASCII_JOINED = _ascii_table(lower=True, keep=_JOIN)
# For UTF-8: a multi-byte character's bytes are all >= 0x80, and pass unchanged.
_SPACE_ASCII_JOINED = _ascii_table(lower=False, keep=_JOIN).encode("ascii") + bytes(range(128, 256))


def fold(text: str) -> str:
    """Case, accents and punctuation do not matter to search: 'Détente' -> 'detente'.

    The text is case-folded and NFKD-decomposed, its combining marks dropped, and its
    words (runs of what re calls \\w, less '_') joined by single spaces. ASCII text is
    lower-cased instead of case-folded: the same for ASCII, and faster.
    """
    if text.isascii():  # most text
        return " ".join(text.translate(_FOLD_ASCII).split())
    return _fold_unicode(text.replace(_JOIN, " "))[0]


def fold_many(texts: list[str]) -> list[str]:
    """fold() of each text, in a few passes over them all joined.

    The same result as [fold(t) for t in texts] (a test holds them together), several
    times faster on the thousands of texts a cache is built from.
    """
    out = list(texts)
    plain = [i for i, t in enumerate(texts) if t.isascii()]
    other = [i for i, t in enumerate(texts) if not t.isascii()]
    for at, fold_joined in ((plain, _fold_ascii), (other, _fold_unicode)):
        if not at:
            continue
        joined = _JOIN.join(texts[i] for i in at)
        if joined.count(_JOIN) == len(at) - 1:
            parts = fold_joined(joined)
        else:  # a NUL in a text: fold them one by one, where NUL is a space like any other
            parts = [fold_joined(texts[i].replace(_JOIN, " "))[0] for i in at]
        for i, part in zip(at, parts, strict=True):
            out[i] = part
    return out


def _fold_ascii(joined: str) -> list[str]:
    return _split_joined(joined.translate(_FOLD_ASCII_JOINED))


def _fold_unicode(joined: str) -> list[str]:
    # Case folding maps each character on its own, and NFKD reorders marks only up to the
    # next base character, such as NUL: joined texts come out as if folded one by one.
    decomposed = unicodedata.normalize("NFKD", joined.casefold())
    # Only runs of non-ASCII characters need looking at one character at a time; the
    # ASCII between them goes through a bytes table. Every non-ASCII character left is a
    # letter or digit (no surrogate), so it encodes as UTF-8.
    spaced = _NON_ASCII.sub(_RunFolder(), decomposed).encode("utf-8")
    return _split_joined(spaced.translate(_SPACE_ASCII_JOINED).decode("utf-8"))


class _RunFolder(dict[str, str]):
    """For re.sub: a run of non-ASCII characters without its combining marks, and with a
    space for each character that is not a letter or digit. The same few runs ("’", "é")
    recur, so each is worked out once."""

    def __call__(self, match: re.Match[str]) -> str:
        run = match.group()
        out = self.get(run)
        if out is None:
            out = self[run] = "".join(
                ch if ch.isalnum() else " " for ch in run if not unicodedata.combining(ch)
            )
        return out


def _split_joined(spaced: str) -> list[str]:
    """Each text's words, from joined texts left with only letters, digits, spaces and NUL."""
    while "  " in spaced:
        spaced = spaced.replace("  ", " ")
    return [part.strip(" ") for part in spaced.split(_JOIN)]
