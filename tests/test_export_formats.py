"""Each export format read back by a real reader of that format, on hostile text and on the
shipped dataset: csv, json, a JSON Schema validator, a CommonMark parser, bibtexparser, rispy."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from exportdata import HOSTILE, QUOTE, hostile_dataset
from pakru.export import FORMATS, claims_for, renderer
from pakru.export.bibliography import bib_key
from pakru.queries.query import Filters
from storedata import store_of

SCHEMAS = Path(__file__).parent / "data" / "schema"


@pytest.fixture
def hostile(tmp_path: Path):  # type: ignore[no-untyped-def]
    d = hostile_dataset(tmp_path)
    return d, claims_for(store_of(d), Filters())


@pytest.fixture(scope="module")
def shipped_defence(shipped_store):  # type: ignore[no-untyped-def]
    return shipped_store.dataset, claims_for(shipped_store, Filters(topics=("defence",)))


def out(fmt: str, pair) -> str:  # type: ignore[no-untyped-def]
    return renderer(fmt)(*pair)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_tabular_round_trip_and_formula_neutralising(fmt: str, hostile) -> None:  # type: ignore[no-untyped-def]
    text = out(fmt, hostile)
    rows = list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    assert [r["id"] for r in rows] == ["h-1", "u-1", "u-2"]
    first = rows[0]
    assert first["summary"] == "'-" + HOSTILE  # text that starts with "-" is neutralised, kept whole
    assert first["quote"] == QUOTE
    assert first["source_outlet"].startswith("'=")
    assert first["actors"] == "'+Actor"
    assert first["stance"] == "-2"  # a number stays a number
    assert (first["date"], first["start"], first["end"]) == ("1965/1970", "1965-01-01", "1970-12-31")
    assert rows[1]["summary"].startswith("'@")
    assert rows[2]["date"] == "" and rows[2]["date_label"] == "undated" and rows[2]["stance"] == ""
    for row in rows:
        for name, cell in row.items():
            if name not in ("stance",):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)


def test_csv_shipped_columns(shipped_defence) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(out("csv", shipped_defence))))
    assert rows[0][:4] == ["id", "date", "start", "end"] and "source_published" in rows[0]
    assert len(rows) - 1 == len(shipped_defence[1].claims)
    assert all("defence" in r[rows[0].index("topics")].split(";") for r in rows[1:])


def test_ndjson_is_timeline_json_one_per_line(hostile) -> None:  # type: ignore[no-untyped-def]
    from pakru.render.jsonout import timeline_doc

    lines = out("ndjson", hostile).split("\n")
    assert lines[-1] == "" and len(lines) == 4
    assert [json.loads(x) for x in lines[:-1]] == timeline_doc(*hostile)
    assert "\u2028" not in "".join(lines) and "\u2028" in json.loads(lines[0])["summary"]


def test_markdown_keeps_data_as_text(hostile) -> None:  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    md = out("markdown", hostile)
    html = MarkdownIt().render(md)
    assert "<script" not in html and "<b>" not in html and "<em>em" not in html
    assert 'href="y"' not in html  # [x](y) is no link
    assert html.count("<h1>") == 1  # "# h" and "#Heading" in data are not headings
    assert "<h3>undated: #Heading</h3>" in html
    assert html.count("<blockquote>") == 3
    assert "=HYPERLINK(&quot;http://x&quot;) {}}{\\%$&amp;#_^~ *em* [x](y) # h ER -" in html
    assert "## 1960s" in md and "## Undated" in md and "## Sources" in md
    assert "Outlook: \\-1 wary (-1)" in md


def test_csl_json_valid_against_the_official_schema(hostile, shipped_defence) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads((SCHEMAS / "csl-data.json").read_text(encoding="utf-8"))
    for pair in (hostile, shipped_defence):
        items = json.loads(out("csl-json", pair))
        jsonschema.validate(items, schema)
    items = {i["id"]: i for i in json.loads(out("csl-json", hostile))}
    assert items["h{1}"]["issued"] == {"date-parts": [[2021, 12]], "circa": True}
    assert items["h{1}"]["author"] == [{"family": "<b>Doe</b>", "given": "Jane"}]
    assert "author" not in items["u"] and "container-title" not in items["u"]
    assert items["u"]["issued"] == {"date-parts": [[2019]]}


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_bibtex_parsed_back(fmt: str, hostile, shipped_defence) -> None:  # type: ignore[no-untyped-def]
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    # pylatexenc does not know \textbraceleft{} and \textbraceright{} (LaTeX's, biber's): as \{ \}
    bib = out(fmt, hostile).replace(r"\textbraceleft{}", r"\{").replace(r"\textbraceright{}", r"\}")
    lib = bibtexparser.parse_string(bib, append_middleware=[LatexDecodingMiddleware()])
    assert not lib.failed_blocks
    entries = {e.key: e for e in lib.entries}
    assert set(entries) == {bib_key("h{1}"), "u"} and bib_key("h{1}").startswith("h-1--")
    # pylatexenc decodes \textasciicircum{} to U+02C6, the modifier letter: the same glyph in print
    title = entries[bib_key("h{1}")].fields_dict["title"].value.replace("\u02c6", "^")
    assert title == " ".join(HOSTILE.split())  # every special character survives as text
    assert entries[bib_key("h{1}")].entry_type == "article" and entries["u"].entry_type in ("online", "misc")
    assert "author" not in entries["u"].fields_dict
    fields = [line for line in out(fmt, hostile).splitlines() if line.startswith("  ")]
    for line in fields:  # braces balance as BibTeX counts them, blind to backslashes
        depth = 0
        for ch in line:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0, line
        assert depth == 0, line
    assert any("\\textbraceright{}\\textbraceleft{}" in line for line in fields)
    shipped = bibtexparser.parse_string(out(fmt, shipped_defence))
    assert not shipped.failed_blocks and len(shipped.entries) == 5
    if fmt == "biblatex":
        assert entries[bib_key("h{1}")].fields_dict["entrysubtype"].value == "newspaper"
        raw = {e.key: e for e in bibtexparser.parse_string(out(fmt, hostile)).entries}
        assert raw[bib_key("h{1}")].fields_dict["date"].value == "2021-12~"  # EDTF, which biber reads as is
    else:
        assert entries[bib_key("h{1}")].fields_dict["year"].value == "2021"


def test_ris_parsed_back(hostile, shipped_defence) -> None:  # type: ignore[no-untyped-def]
    import rispy

    text = out("ris", hostile)
    records = rispy.loads(text)
    assert len(records) == 2 and all(r["type_of_reference"] == "NEWS" for r in records)
    assert records[0]["title"] == " ".join(HOSTILE.split())  # the line break inside did not end it
    assert records[0]["authors"] == ["<b>Doe</b>, Jane"] and "authors" not in records[1]
    assert records[0]["date"] == "2021/12//circa"
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in text.splitlines() if line)
    assert len(rispy.loads(out("ris", shipped_defence))) == 5


def test_timelinejs(hostile, shipped_defence) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(out("timelinejs", hostile))
    events = doc["events"]
    assert [e["unique_id"] for e in events] == ["h-1", "u-1"]  # the undated claim is left out
    assert "1 undated claim(s) are not shown" in doc["title"]["text"]["text"]
    first = events[0]
    assert first["start_date"] == {"year": 1965} and first["end_date"] == {"year": 1970}
    assert first["display_date"] == "1965–1970"
    assert "<script>" not in json.dumps(doc) and "&lt;script&gt;" in first["text"]["headline"]
    assert first["text"]["text"].startswith("<blockquote>the plan was &lt;b&gt;bold&lt;/b&gt; &amp;")
    assert first["group"] == "Jane &lt;b&gt;Doe&lt;/b&gt;"
    assert "end_date" not in events[1]
    shipped = json.loads(out("timelinejs", shipped_defence))["events"]
    labels = {e["display_date"] for e in shipped}
    assert all("year" in e["start_date"] for e in shipped) and len(labels) > 3


def test_html_escapes_everything(hostile) -> None:  # type: ignore[no-untyped-def]
    page = out("html", hostile)
    assert page.count("<script") == 2  # the data block and the page's own script, nothing else
    assert page.lower().count("</script>") == 2
    assert "<b>bold" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    for word in ("http://", "https://"):
        assert word not in page.replace('"http://x', "").replace("http://x", "")
    data = page.split('<script type="application/json" id="pakru-data">')[1].split("</script>")[0]
    assert json.loads(data)["claims"][0]["summary"] == "-" + HOSTILE
    assert "\u2028" not in data


def test_every_format_renders_the_shipped_dataset(shipped_store) -> None:  # type: ignore[no-untyped-def]
    shipped_dataset = shipped_store.dataset
    everything = claims_for(shipped_store, Filters())
    for fmt in FORMATS:
        assert out(fmt, (shipped_dataset, everything)).strip()


def test_timelinejs_open_interval_ends(hostile) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from pakru.core.dates import EdtfDate
    from pakru.export.timelinejs import slide

    d, t = hostile
    claim = t.claims[0]
    since = claim._replace(date=EdtfDate("2016/..", date(2016, 1, 1), date(9999, 12, 31), "since 2016"))
    s = slide(d, since, "(cite)")
    assert s["start_date"] == {"year": 2016} and "end_date" not in s and s["display_date"] == "since 2016"
    until = claim._replace(date=EdtfDate("../2016-05", date(1, 1, 1), date(2016, 5, 31), "until May 2016"))
    s = slide(d, until, "(cite)")
    assert s["start_date"] == {"year": 2016, "month": 5} and "end_date" not in s


def test_importing_the_exporters_loads_no_citeproc_nor_terminal_library() -> None:
    import json as _json
    import subprocess
    import sys

    probe = (
        "import sys, pakru.queries.citation, pakru.export, pakru.export.tabular, pakru.export.html, "
        "pakru.export.bibliography, pakru.export.markdown, pakru.export.timelinejs, pakru.export.ndjson\n"
        "import json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert {"citeproc", "lxml", "typer", "rich"}.isdisjoint(_json.loads(out))


def test_citation_keys_are_distinct_for_ids_a_key_cannot_spell() -> None:
    ids = ["karim", "ünal", "önal", "a b", "a-b", "a/b", "日本", "中国"]
    keys = [bib_key(i) for i in ids]
    assert keys[:3] == ["karim", "unal", "onal"] and keys[4] == "a-b"  # kept, or only unaccented
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[A-Za-z0-9_:.\-]+", k) for k in keys)


def test_a_heading_keeps_the_hashes_that_end_its_text() -> None:
    from markdown_it import MarkdownIt

    from pakru.export.markdown import escape

    for text in ("a number #", "two ##", "#1 and # 2 #", "c#"):
        html = MarkdownIt("commonmark").render(f"### 2016: {escape(text)}")
        assert html == f"<h3>2016: {text}</h3>\n"


@pytest.mark.parametrize(
    ("published", "py", "da"),
    [
        ("198X", "1980", "1980///198X"),
        ("2017/2018", "2017", "2017///2017–2018"),
        ("2018?", "2018", "2018///circa"),
    ],
)
def test_ris_keeps_a_decade_or_span_of_publication_as_written(published: str, py: str, da: str) -> None:
    import rispy

    from pakru.core.dates import parse_edtf
    from pakru.core.model import Outlook, Source
    from pakru.export.bibliography import ris_record

    s = Source(
        "s", "T", "A B", None, None, None, parse_edtf(published), "inferred", "s.txt", Outlook(0, "", "q")
    )
    [record] = rispy.loads(ris_record(s))
    assert (record["year"], record["date"]) == (py, da)


def test_html_isolates_data_text_that_could_turn_the_words_after_it() -> None:
    from pakru.export.html import t

    assert t("Beta's <Caution> \u202eevil") == "<bdi>Beta&#x27;s &lt;Caution&gt; \u202eevil</bdi>"
    assert t("پاکستان روس") == "<bdi>پاکستان روس</bdi>"  # right-to-left letters
    assert t("Détente, “friends” — 2018") == "Détente, “friends” — 2018"  # left-to-right: as it is


def test_markdown_puts_an_events_claims_under_its_heading() -> None:
    from conftest import FIXTURE
    from pakru.dataset.load import load

    d = load(FIXTURE / "events.yaml")
    lines = out("markdown", (d, claims_for(store_of(d), Filters()))).splitlines()
    event = lines.index("### Event: Russia lifts its arms embargo")
    heads = [line for line in lines[event + 1 :] if line.startswith("#")]
    assert [h[:5] for h in heads[:3]] == ["#### ", "#### ", "### 2"]  # two claims, then the next claim
