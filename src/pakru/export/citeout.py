"""What `pakru cite` writes: a citation as text, JSON, CSL-JSON, BibLaTeX or RIS.

The JSON shape (documented in the README): ``claim``, ``source``, ``style``, ``in_text``,
``reference``, ``pinpoint`` ({``label``: "paragraph", ``first``, ``last``, ``locator``} or
null), ``quote``, ``csl`` (the CSL-JSON item) and ``citation_item`` (the CSL citation item
with its locator).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from pakru.render.safe import clean

if TYPE_CHECKING:
    from pakru.queries.citation import ClaimCitation

FORMATS = ("text", "csl-json", "biblatex", "ris")
CSL_CITATION_SCHEMA = "https://resource.citationstyles.org/schema/latest/input/json/csl-citation.json"


def doc(c: ClaimCitation) -> dict[str, Any]:
    pin = c.pinpoint
    return {
        "claim": c.claim.id,
        "source": c.source.id,
        "style": c.rendered.style,
        "in_text": c.rendered.in_text,
        "reference": c.rendered.reference,
        "pinpoint": None
        if pin is None
        else {"label": "paragraph", "first": pin.first, "last": pin.last, "locator": pin.locator},
        "quote": c.claim.quote,
        "csl": c.item,
        "citation_item": c.citation_item(),
    }


def csl_citation(c: ClaimCitation) -> dict[str, Any]:
    """A citation object of the CSL schema (csl-citation.json)."""
    return {
        "schema": CSL_CITATION_SCHEMA,
        "citationID": c.claim.id,
        "citationItems": [c.citation_item()],
        "properties": {"noteIndex": 0},
    }


def text(c: ClaimCitation) -> str:
    pin = c.pinpoint
    if pin is None:
        where = " (not in a counted paragraph)"
    else:  # as the styles print a span: with an en dash
        where = (
            f" (paragraph {pin.first})" if pin.first == pin.last else f" (paragraphs {pin.first}–{pin.last})"
        )
    return (
        f"In text:   {clean(c.rendered.in_text)}\n"
        f"Reference: {clean(c.rendered.reference)}\n"
        f"Quote:     “{clean(c.claim.quote)}”{where}\n"
    )


def biblatex(c: ClaimCitation) -> str:
    from pakru.export.bibliography import bib_key, biblatex_entry

    entry = biblatex_entry(c.source)
    if c.pinpoint is None:
        return entry
    # The pinpoint belongs to the citation command, not the entry; a .bib reader skips this line.
    return f"{entry}% \\autocite[para.~{c.pinpoint.locator}]{{{bib_key(c.source.id)}}}\n"


def ris(c: ClaimCitation) -> str:
    from pakru.export.bibliography import ris_record

    where = f"para. {c.pinpoint.locator}: " if c.pinpoint else ""
    return ris_record(c.source, notes=[f"{where}“{c.claim.quote}”"])


def write(c: ClaimCitation, fmt: str) -> None:
    if fmt == "json":
        from pakru.render import jsonout

        jsonout.write(doc(c))
        return
    if fmt == "csl-json":
        from pakru.render.jsonout import json_text

        out = json_text(json.dumps(csl_citation(c), ensure_ascii=False, indent=2)) + "\n"
    else:
        out = {"text": text, "biblatex": biblatex, "ris": ris}[fmt](c)
    sys.stdout.write(out)
    sys.stdout.flush()
