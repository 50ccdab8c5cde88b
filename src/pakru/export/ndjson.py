"""NDJSON: one claim object per line, the shape of ``timeline --json`` (render/jsonout)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakru.core.model import Dataset
    from pakru.queries.timeline import Timeline


def ndjson(d: Dataset, t: Timeline) -> str:
    from pakru.render.jsonout import timeline_doc

    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    # json escapes \n and \r inside strings; U+2028/U+2029 are escaped here, as some readers
    # (Python's str.splitlines, JavaScript before ES2019) take for line ends
    text = "".join(encode(obj) + "\n" for obj in timeline_doc(d, t))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
