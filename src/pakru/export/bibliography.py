"""The sources of the exported claims for reference managers: CSL-JSON, BibLaTeX, BibTeX, RIS.

Each entry holds only what the article says about itself (author, title, outlet, date);
nothing pakru writes about a source (how a date was inferred) enters an entry. An unsigned
piece has no author and a piece with no stated outlet no outlet field, so each tool and style
does what it does for such works.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pakru.queries.citation import csl_item

if TYPE_CHECKING:
    from pakru.core.model import Dataset, Source
    from pakru.queries.timeline import Timeline

CSL_DATA_SCHEMA = "https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json"


def _sources(d: Dataset, t: Timeline) -> list[Source]:
    from pakru.export import sources_of

    return sources_of(d, t)


# --- CSL-JSON -------------------------------------------------------------------------


def csl_json(d: Dataset, t: Timeline) -> str:
    """A csl-data.json array, one item per source."""
    from pakru.render.jsonout import json_text

    return json_text(json.dumps([csl_item(s) for s in _sources(d, t)], ensure_ascii=False, indent=2)) + "\n"


# --- BibLaTeX and BibTeX --------------------------------------------------------------

# Braces as commands, not \{ and \}: BibTeX, biber and pybtex count braces whatever comes
# before them, so one lone \} in a title ends the field there (and swallows or drops entries)
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEX_PATTERN = re.compile("[" + re.escape("".join(_TEX_SPECIAL)) + "]")


def tex_escape(text: str) -> str:
    """Data text as literal (La)TeX inside a braced field, on one line. Non-ASCII letters stay
    UTF-8, which biber and BibTeX 0.99+ with inputenc read."""
    return _TEX_PATTERN.sub(lambda m: _TEX_SPECIAL[m.group()], " ".join(text.split()))


def _tex_name(author: str) -> str:
    """``Family, Given`` so that a tool never guesses which part is the family name."""
    parts = author.split()
    if len(parts) == 1:
        return "{" + tex_escape(author) + "}"
    return f"{tex_escape(parts[-1])}, {tex_escape(' '.join(parts[:-1]))}"


def bib_key(source_id: str) -> str:
    """A citation key BibTeX and biber accept: ids are free text, keys are not. Accents are
    dropped ("ünal" is unal); an id with other characters a key cannot hold gets them as "-" and
    a checksum of the whole id, so that two such ids ("ünal", "önal" once) never share a key."""
    import unicodedata
    import zlib

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", source_id) if not unicodedata.combining(ch))
    key = re.sub(r"[^A-Za-z0-9_:.\-]", "-", plain)
    if key != plain or not key:
        key = f"{key}-{zlib.crc32(source_id.encode('utf-8', 'surrogatepass')):08x}".lstrip("-")
    return key


def _entry(kind: str, key: str, fields: Iterable[tuple[str, str]], month: str | None = None) -> str:
    lines = [f"  {name} = {{{value}}}" for name, value in fields]
    if month:
        lines.append(f"  month = {month}")  # BibTeX's month macro, unbraced, so styles can print it
    body = ",\n".join(lines)
    return f"@{kind}{{{bib_key(key)},\n{body}\n}}\n"


def biblatex_entry(s: Source) -> str:
    """biblatex's convention for a newspaper article: @article, journaltitle, entrysubtype =
    newspaper; without a stated outlet, @online. The date is EDTF, which biblatex reads
    (``2022?`` is printed as uncertain, ``2021-12~`` as circa)."""
    fields: list[tuple[str, str]] = []
    if s.author:
        fields.append(("author", _tex_name(s.author)))
    fields.append(("title", tex_escape(s.title)))
    if s.outlet:
        fields += [("journaltitle", tex_escape(s.outlet)), ("entrysubtype", "newspaper")]
    fields.append(("date", s.published.text))
    return _entry("article" if s.outlet else "online", s.id, fields)


_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_entry(s: Source) -> str:
    """Classic BibTeX: @article with journal, year and month; @misc without an outlet.
    BibTeX has no way to say circa: the year alone (use biblatex for that)."""
    fields: list[tuple[str, str]] = []
    if s.author:
        fields.append(("author", _tex_name(s.author)))
    fields.append(("title", tex_escape(s.title)))
    if s.outlet:
        fields.append(("journal", tex_escape(s.outlet)))
    d = s.published
    fields.append(
        ("year", str(d.start.year) if d.start.year == d.end.year else f"{d.start.year}--{d.end.year}")
    )
    parts = d.text.rstrip("~?%").split("-")
    month = _BIBTEX_MONTHS[int(parts[1]) - 1] if len(parts) > 1 and "/" not in d.text else None
    return _entry("article" if s.outlet else "misc", s.id, fields, month)


def biblatex(d: Dataset, t: Timeline) -> str:
    return "\n".join(biblatex_entry(s) for s in _sources(d, t))


def bibtex(d: Dataset, t: Timeline) -> str:
    return "\n".join(bibtex_entry(s) for s in _sources(d, t))


# --- RIS ------------------------------------------------------------------------------


def _ris_value(text: str) -> str:
    """One field is one line: line breaks (and any other control character) become spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def ris_record(s: Source, notes: Iterable[str] = ()) -> str:
    """``TY  - NEWS`` … ``ER  -``, the tags Zotero writes for a newspaper article. An inferred
    (approximate or uncertain) date keeps its precision in DA and says "circa" in DA's free
    "other" part, RIS's only place for it."""
    lines = [("TY", "NEWS")]
    if s.author:
        parts = s.author.split()
        lines.append(("AU", f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else s.author))
    lines.append(("TI", s.title))
    if s.outlet:
        lines.append(("T2", s.outlet))
    d = s.published
    lines.append(("PY", str(d.start.year)))
    text = d.text.rstrip("~?%")
    spans = "/" in text or "X" in text
    fields = text.split("-") if not spans else [str(d.start.year)]
    fields += [""] * (3 - len(fields))
    # a span (2017–2018: DA splits at "/") or a decade (198X) in DA's free part: PY and DA's
    # year give only its first year
    other = d.text.replace("/", "–") if spans else "circa" if d.approximate or d.uncertain else ""
    lines.append(("DA", "/".join([*fields, other])))
    lines += [("N1", n) for n in notes]
    lines.append(("ID", s.id))
    out = [f"{tag}  - {_ris_value(value)}" for tag, value in lines]
    return "\n".join([*out, "ER  - ", ""])


def ris(d: Dataset, t: Timeline) -> str:
    return "\n".join(ris_record(s) for s in _sources(d, t))
