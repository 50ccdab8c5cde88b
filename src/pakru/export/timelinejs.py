"""TimelineJS 3 JSON (timeline.knightlab.com/docs/json-format.html).

Each dated claim is a slide: ``start_date``/``end_date`` are its EDTF bounds at the
precision it has, ``display_date`` its label, which keeps what TimelineJS cannot express
("c. 2018", "2017?", "1965–1970"); the summary is the headline, the quote and the citation
the text (HTML-escaped: TimelineJS reads text as HTML); ``group`` is the source, so each
source has its row. TimelineJS cannot place an undated slide, so undated claims are left
out; the title slide says how many.
"""

from __future__ import annotations

import html
import json
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakru.core.dates import EdtfDate
    from pakru.core.model import Claim, Dataset
    from pakru.queries.timeline import Timeline


def _precision(d: EdtfDate, end: int) -> int:
    """How many of year, month, day one end of the date states: 1, 2 or 3."""
    parts = d.text.split("/")
    part = parts[min(end, len(parts) - 1)].rstrip("~?%")
    return 1 if "X" in part or part in ("", "..") else len(part.split("-"))


def _tl_date(day: date, precision: int) -> dict[str, int]:
    out = {"year": day.year}
    if precision >= 2:
        out["month"] = day.month
    if precision >= 3:
        out["day"] = day.day
    return out


def _open_ends(d: EdtfDate) -> tuple[bool, bool]:
    """Whether an interval's start and end are open or unknown (``../2016``, ``2016/..``,
    ``2016/``): such an end has no day TimelineJS could draw to."""
    if "/" not in d.text:
        return False, False
    left, right = d.text.split("/", 1)
    return left in ("", ".."), right in ("", "..")


def slide(d: Dataset, c: Claim, citation: str) -> dict[str, Any]:
    assert c.date is not None
    s = d.source_by_id[c.source]
    open_start, open_end = _open_ends(c.date)
    # an open start ("until 2016") is placed at its known end
    start = (
        _tl_date(c.date.end, _precision(c.date, 1))
        if open_start
        else _tl_date(c.date.start, _precision(c.date, 0))
    )
    out: dict[str, Any] = {
        "unique_id": c.id,
        "start_date": start,
        "display_date": c.date.label,
        "text": {
            "headline": html.escape(c.summary),
            "text": f"<blockquote>{html.escape(c.quote)}</blockquote><p>{html.escape(citation)}</p>",
        },
        "group": html.escape(s.author or s.title),  # TimelineJS shows it as HTML
    }
    end = _tl_date(c.date.end, _precision(c.date, 1))
    if not (open_start or open_end) and end != start:
        out["end_date"] = end
    return out


def timelinejs(d: Dataset, t: Timeline) -> str:
    from pakru.queries.citation import Citer

    citer = Citer(d)
    claims = t.claims
    dated = [c for c in claims if c.date is not None]
    left_out = len(claims) - len(dated)
    from pakru.export import sources_of

    note = f" {left_out} undated claim(s) are not shown: TimelineJS cannot place them." if left_out else ""
    doc = {
        "title": {
            "text": {
                "headline": "Pakistan–Russia relations",
                "text": html.escape(
                    f"{len(dated)} dated claims from {len(sources_of(d, t))} articles.{note}"
                ),
            }
        },
        "events": [slide(d, c, citer.cite(c).rendered.in_text) for c in dated],
    }
    from pakru.render.jsonout import json_text

    return json_text(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n"
