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


def _written(doc: object, encoding: str) -> bytes:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding)
    jsonout.write(doc, out)
    return raw.getvalue()


@pytest.fixture
def hostile_timeline(tmp_path):  # type: ignore[no-untyped-def]
    from exportdata import hostile_dataset
    from pakru.export import claims_for
    from pakru.queries.query import Filters
    from storedata import store_of

    d = hostile_dataset(tmp_path)
    t = claims_for(store_of(d), Filters())
    # a lone surrogate (text read with surrogateescape) cannot be written as UTF-8 either
    claim = t.entries[0].claims[0]._replace(quote="bad \udcff byte", date_note="note \x1b[31m")
    return d, t._replace(entries=(t.entries[0]._replace(claims=(claim,)), *t.entries[1:]))


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "ascii"])
@pytest.mark.parametrize("which", ["hostile", "fixture", "shipped"])
def test_the_timeline_made_as_text_is_the_documents_json(
    which: str, encoding: str, request: pytest.FixtureRequest
) -> None:
    from pakru.queries.timeline import build

    if which == "hostile":
        d, t = request.getfixturevalue("hostile_timeline")
    else:
        store = request.getfixturevalue(f"{which}_store")
        d, t = store.dataset, build(store)
    doc = jsonout.timeline_doc(d, t)
    made = jsonout.document("timeline", d, t)
    assert isinstance(made, jsonout.TimelineText)
    got = _written(made, encoding)
    assert got == _written(doc, encoding)  # what the dicts' encoding writes, escapes and all
    assert json.loads(got) == doc
    if which != "hostile" and encoding == "utf-8":
        assert got == (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
    if encoding == "ascii":
        assert got.isascii() and "\\u" in got.decode("ascii")


def test_the_timeline_at_a_terminal_is_indented(fixture_store) -> None:  # type: ignore[no-untyped-def]
    from pakru.queries.timeline import build

    t = build(fixture_store)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    jsonout.write(jsonout.document("timeline", fixture_store.dataset, t), out)
    doc = jsonout.timeline_doc(fixture_store.dataset, t)
    assert out.getvalue() == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
