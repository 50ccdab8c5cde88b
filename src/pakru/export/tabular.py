"""CSV and TSV: one row per claim, for spreadsheets.

Multi-valued cells (topics, actors) are joined with ";". A text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read as a formula by a
spreadsheet (OWASP "CSV injection"), so it gets a leading single quote, which spreadsheets
show as text. Only text cells are neutralised: the date columns and the stance are values
pakru validated (an EDTF date, an ISO day, an integer from -2 to 2), and a stance of "-1"
must stay a number.
"""

from __future__ import annotations

import csv as _csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakru.core.model import Dataset
    from pakru.queries.timeline import Timeline

COLUMNS = (
    "id",
    "date",
    "start",
    "end",
    "date_label",
    "date_basis",
    "kind",
    "summary",
    "quote",
    "topics",
    "actors",
    "stance",
    "event",
    "source_id",
    "source_author",
    "source_outlet",
    "source_title",
    "source_published",
)
# Columns whose values pakru produced from validated data, never free text.
VALUE_COLUMNS = frozenset({"date", "start", "end", "stance", "source_published"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def rows(d: Dataset, t: Timeline) -> list[list[str]]:
    out = []
    for c in t.claims:
        s = d.source_by_id[c.source]
        values = {
            "id": c.id,
            "date": c.date.text if c.date else "",
            "start": c.date.start.isoformat() if c.date else "",
            "end": c.date.end.isoformat() if c.date else "",
            "date_label": c.date.label if c.date else "undated",
            "date_basis": c.date_basis,
            "kind": c.kind,
            "summary": c.summary,
            "quote": c.quote,
            "topics": ";".join(c.topics),
            "actors": ";".join(c.actors),
            "stance": "" if c.stance is None else str(c.stance),
            "event": c.event or "",
            "source_id": s.id,
            "source_author": s.author or "",
            "source_outlet": s.outlet or "",
            "source_title": s.title,
            "source_published": s.published.text,
        }
        out.append([v if k in VALUE_COLUMNS else neutralise(v) for k, v in values.items()])
    return out


def _table(d: Dataset, t: Timeline, delimiter: str) -> str:
    buf = io.StringIO()
    writer = _csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(d, t))
    return buf.getvalue()


def csv(d: Dataset, t: Timeline) -> str:
    return _table(d, t, ",")


def tsv(d: Dataset, t: Timeline) -> str:
    """Tab-separated; a cell holding a tab or line break is quoted, as csv does."""
    return _table(d, t, "\t")
