"""NDJSON: one claim object per line, the shape of ``timeline --json`` (render/jsonout)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakru.core.model import Dataset
    from pakru.queries.timeline import Timeline


def ndjson(d: Dataset, t: Timeline) -> str:
    from pakru.render.jsonout import json_text, timeline_doc

    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    # json escapes \n and \r inside strings; json_text escapes U+2028/U+2029, which some readers
    # (Python's str.splitlines, JavaScript before ES2019) take for line ends, and what a terminal
    # would act on (C1, bidi controls)
    return json_text("".join(encode(obj) + "\n" for obj in timeline_doc(d, t)))
