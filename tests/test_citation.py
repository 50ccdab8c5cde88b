"""pakru cite: paragraphs counted from the captured text, pinpoints, CSL styles, formats."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportdata import TEXT, hostile_dataset
from pakru.cli import app
from pakru.core.model import Claim
from pakru.queries import citation as c

runner = CliRunner()
SCHEMAS = Path(__file__).parent / "data" / "schema"


def test_paragraphs_skip_page_furniture() -> None:
    spans = c.paragraphs(TEXT)
    texts = [TEXT[a:b] for a, b in spans]
    assert len(texts) == 2  # headline, byline, "Leave a Reply", "Short Url", the comment form: not counted
    assert texts[0].startswith("This first paragraph") and texts[1].startswith("A second paragraph")


def test_pinpoint_of_a_quote() -> None:
    assert c.pinpoint(TEXT, "first paragraph has more") == c.Pinpoint(1, 1)
    assert c.pinpoint(TEXT, "it counts.  Short Url A second") == c.Pinpoint(1, 2)  # over furniture
    assert c.pinpoint(TEXT, "so it counts. Short Url") is None  # ends in furniture
    assert c.pinpoint(TEXT, "not in the text") is None
    two = (
        "One paragraph of prose that has enough words in it.\n"
        "Another paragraph of prose with its eight words.\n"
    )
    assert c.pinpoint(two, "words in it. Another") == c.Pinpoint(1, 2)
    assert c.Pinpoint(1, 2).locator == "1-2"


PULLED = (
    "The first paragraph is long enough to count as one.\n\n"
    "A thing worth pulling out of the article, it says twice.\n\n"
    "A. Writer\n\n"
    "The next paragraph comes after the pull quote and the name.\n\n"
    "It goes on. A thing worth pulling out of the article, it says twice. And ends here.\n"
)


def test_a_pull_quote_is_not_a_paragraph_and_not_where_its_words_stand() -> None:
    assert [PULLED[a : a + 9] for a, b in c.paragraphs(PULLED)] == ["The first", "The next ", "It goes o"]
    quote = "A thing worth pulling out of the article"
    assert c.pinpoint(PULLED, quote) == c.Pinpoint(3, 3)  # the article's paragraph, not the pull quote
    from pakru.queries.cite import quote_in_context

    ctx = quote_in_context(PULLED, quote)
    assert ctx is not None and (ctx.before, ctx.after) == ("It goes on.", ", it says twice. And ends here.")
    after = quote_in_context(PULLED, "The first paragraph is long")
    assert after is not None and after.after == "enough to count as one."  # not the pull quote
    before = quote_in_context(PULLED, "The next paragraph comes")
    assert before is not None and before.before == ""  # nor the pulled-out name


def test_every_shipped_quote_has_a_pinpoint(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    citer = c.Citer(shipped_dataset)
    for claim in shipped_dataset.claims:
        source = shipped_dataset.source_by_id[claim.source]
        assert c.pinpoint(citer.text(source), claim.quote) is not None, claim.id


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "mla", "harvard-cite-them-right"])
def test_many_claims_cited_at_once_as_each_alone(shipped_dataset, style: str) -> None:  # type: ignore[no-untyped-def]
    """A Citer finds each quote in a text made ready once and renders each source's reference
    once: what it gives for a claim is what cite() of that claim alone gives."""
    citer = c.Citer(shipped_dataset, style)
    by_source: dict[str, list[Claim]] = {}
    for claim in shipped_dataset.claims:
        by_source.setdefault(claim.source, []).append(claim)
    interleaved = [x for row in itertools.zip_longest(*by_source.values()) for x in row if x is not None]
    pins: dict[str, set[c.Pinpoint | None]] = {source: set() for source in by_source}
    for claim in interleaved:
        cited = citer.cite(claim)
        if cited.pinpoint in pins[claim.source] or len(pins[claim.source]) >= 3:
            continue
        pins[claim.source].add(cited.pinpoint)
        alone = c.cite(shipped_dataset, claim, style)
        assert (cited.pinpoint, cited.rendered) == (alone.pinpoint, alone.rendered), claim.id
    assert all(len(p) == 3 for p in pins.values())


@pytest.mark.parametrize(
    ("style", "in_text", "reference"),
    [
        ("apa", "(Karim, ca. 2022, para. 4)",
         "Karim, U. (ca. 2022). The imminent reversal of Pakistan’s Russian romance. Arab News."),
        ("chicago-author-date", "(Karim 2022, para. 4)", "Karim, Umar. 2022."),
        ("mla", "par. 4)", "Karim, Umar. “The Imminent Reversal of Pakistan’s Russian Romance”. Arab News"),
        ("harvard-cite-them-right", "(Karim, 2022, para. 4)", "Karim, U. (2022)"),
    ],
)  # fmt: skip
def test_styles_on_the_shipped_dataset(shipped_dataset, style: str, in_text: str, reference: str) -> None:  # type: ignore[no-untyped-def]
    cited = c.cite(shipped_dataset, shipped_dataset.claim("karim-020"), style)
    assert cited.pinpoint == c.Pinpoint(4, 4)
    assert in_text in cited.rendered.in_text
    assert reference in cited.rendered.reference


def test_unsigned_and_unstated_outlet_in_the_styles_own_words(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    source = shipped_dataset.source_by_id["unsigned"]
    for style in ("apa", "mla", "chicago-author-date", "harvard-cite-them-right"):
        ref = c.reference(source, style)
        assert "not stated" not in ref and "Unsigned" not in ref and "inferred" not in ref
        assert ref.count("Understanding Pakistan-Russia Rapprochement") == 1, (style, ref)
    assert c.reference(source, "apa") == "Understanding Pakistan-Russia Rapprochement. (ca. 2021, December)."


def test_unknown_style_is_a_usage_error() -> None:
    r = runner.invoke(app, ["cite", "alpha-001", "--style", "no-such-style"])
    assert r.exit_code == 2 and "unknown citation style 'no-such-style'" in r.stderr and "apa" in r.stderr


def test_style_from_a_csl_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text("<not-csl", encoding="utf-8")
    r = runner.invoke(app, ["cite", "alpha-001", "--style", str(bad)])
    assert r.exit_code == 2 and "not a CSL style" in r.stderr
    good = tmp_path / "mine.csl"
    good.write_bytes(c.style_path("apa").read_bytes())
    r = runner.invoke(app, ["cite", "alpha-001", "--style", str(good), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["style"] == "mine"


def test_cite_text_and_json() -> None:
    r = runner.invoke(app, ["cite", "alpha-001"])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [x.split(":")[0] for x in lines] == ["In text", "Reference", "Quote"]
    doc = json.loads(runner.invoke(app, ["cite", "alpha-001", "--json"]).stdout)
    assert set(doc) == {
        *("claim", "source", "style", "in_text", "reference", "pinpoint", "quote", "csl", "citation_item")
    }
    assert doc["claim"] == "alpha-001" and doc["style"] == "apa"
    if doc["pinpoint"] is not None:
        assert doc["citation_item"]["label"] == "paragraph"
        assert doc["citation_item"]["locator"] == doc["pinpoint"]["locator"]


def test_cite_machine_formats_parse(tmp_path: Path) -> None:
    import bibtexparser
    import jsonschema
    import rispy
    from referencing import Registry, Resource

    data = json.loads((SCHEMAS / "csl-data.json").read_text(encoding="utf-8"))
    citation = json.loads((SCHEMAS / "csl-citation.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources(
        [(data["$id"], Resource.from_contents(data)), (citation["$id"], Resource.from_contents(citation))]
    )
    r = runner.invoke(app, ["cite", "alpha-001", "--format", "csl-json"])
    assert r.exit_code == 0
    jsonschema.Draft7Validator(citation, registry=registry).validate(json.loads(r.stdout))
    r = runner.invoke(app, ["cite", "alpha-001", "--format", "biblatex"])
    lib = bibtexparser.parse_string(r.stdout)
    assert [e.key for e in lib.entries] == ["alpha"] and not lib.failed_blocks
    r = runner.invoke(app, ["cite", "alpha-001", "--format", "ris"])
    (record,) = rispy.loads(r.stdout)
    assert record["type_of_reference"] == "NEWS" and record["notes"]
    r = runner.invoke(app, ["cite", "alpha-001", "--format", "docx"])
    assert r.exit_code == 2 and "text, csl-json, biblatex, ris" in r.stderr


def test_cite_unknown_claim() -> None:
    r = runner.invoke(app, ["cite", "alpha-999"])
    assert r.exit_code == 2 and "no claim 'alpha-999'" in r.stderr


def test_hostile_text_cited(tmp_path: Path) -> None:
    d = hostile_dataset(tmp_path)
    cited = c.cite(d, d.claim("h-1"))
    assert cited.pinpoint == c.Pinpoint(2, 2)
    assert cited.rendered.in_text == "(<b>Doe</b>, ca. 2021, para. 2)"  # text, for the caller to escape


def test_show_uses_the_same_citation(shipped, shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["show", "karim-020", "--json"])
    assert json.loads(r.stdout)["citation"] == c.reference(shipped_dataset.source_by_id["karim"])


def _reference_in_a_fresh_process(cache: Path, title: str = "") -> tuple[str, bool]:
    import subprocess
    import sys

    from conftest import SHIPPED

    code = (
        "import sys; from pakru.store.open import open_store; from pakru.queries.citation import reference\n"
        f"s = open_store({str(SHIPPED)!r}).dataset.source_by_id['karim']\n"
        f"s = s._replace(title={title!r}) if {title!r} else s\n"
        "print(reference(s)); print('citeproc' in sys.modules)"
    )
    env = {**__import__("os").environ, "PAKRU_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    text, imported = out.stdout.splitlines()
    return text, imported == "True"


def test_a_rendered_reference_is_remembered(tmp_path: Path) -> None:
    first, rendered = _reference_in_a_fresh_process(tmp_path)
    again, rendered_again = _reference_in_a_fresh_process(tmp_path)
    assert rendered and not rendered_again and again == first
    assert list(json.loads((tmp_path / c.MEMO_FILE).read_text(encoding="utf-8")).values()) == [first]
    # a changed record is another reference, rendered afresh
    other, rendered_other = _reference_in_a_fresh_process(tmp_path, title="Another title")
    assert rendered_other and "Another title" in other


def test_a_damaged_memo_is_rendered_again(tmp_path: Path) -> None:
    (tmp_path / c.MEMO_FILE).write_text('{"not": [json', encoding="utf-8")
    text, rendered = _reference_in_a_fresh_process(tmp_path)
    assert rendered and text.startswith("Karim, U.")
    assert text in json.loads((tmp_path / c.MEMO_FILE).read_text(encoding="utf-8")).values()


def test_cache_clear_removes_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(tmp_path))
    _reference_in_a_fresh_process(tmp_path)
    assert (tmp_path / c.MEMO_FILE).exists()
    r = runner.invoke(app, ["cache", "clear"])
    assert r.exit_code == 0 and not (tmp_path / c.MEMO_FILE).exists()


def test_show_gives_the_in_text_citation_of_cite(shipped) -> None:  # type: ignore[no-untyped-def]
    cited = json.loads(runner.invoke(app, ["cite", "karim-020", "--json"]).stdout)
    shown = runner.invoke(app, ["show", "karim-020", "--json"])
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["in_text"] == cited["in_text"] == "(Karim, ca. 2022, para. 4)"
    plain = runner.invoke(app, ["show", "karim-020"]).stdout
    assert "In text: (Karim, ca. 2022, para. 4)" in plain
