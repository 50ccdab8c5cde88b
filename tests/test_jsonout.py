"""jsonout.write: a list written a few items at a time is the text one json.dumps makes."""

from __future__ import annotations

import io
import json

import pytest

from pakru.render import jsonout
from pakru.render.jsonout import LIST_CHUNK


@pytest.mark.parametrize("n", [0, 1, LIST_CHUNK - 1, LIST_CHUNK, LIST_CHUNK + 1, 3 * LIST_CHUNK + 5])
def test_a_list_in_chunks_is_one_dumps(n: int) -> None:
    doc = [{"id": f"x-{i}", "text": "Россия “quoted” \x1b[31m", "n": i, "none": None} for i in range(n)]
    out = io.StringIO()
    jsonout.write(doc, out)
    assert out.getvalue() == json.dumps(doc, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "doc", [[{"t": "é"}] * LIST_CHUNK + [{"t": "Россия"}] + [{"t": "é"}] * 9, {"t": "Россия é"}]
)
def test_text_the_output_cannot_encode_is_escaped(doc: object) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="latin-1")
    jsonout.write(doc, out)
    text = raw.getvalue().decode("latin-1")
    assert json.loads(text) == doc
    assert "\\u0420" in text  # Р
