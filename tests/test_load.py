"""The hardened loader: YAML that means something other than it says is refused, with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from pakru.core.errors import DatasetError, Problem
from pakru.dataset.load import load
from pakru.dataset.yamlnodes import Map, Scalar, parse

NAME_RULE = "a name must not hold the control character "


def problems_of(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "events.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(DatasetError) as info:
        load(path)
    return info.value.lines()


def test_fixture_loads(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    assert [s.id for s in d.sources] == ["alpha", "beta"]
    assert len(d.claims) == 11
    assert d.claim("alpha-001").stance == 2
    assert d.claim("alpha-005").date is None
    assert d.source_by_id["beta"].author is None
    assert d.claim("alpha-005").quote.endswith("\\")


def test_scalars_stay_text() -> None:
    root = parse("a: NO\nb: 1.10\nc: 1:20\nd: 2017-01-16\ne: 0755\nf: yes\ng: ~\n", "x.yaml")
    assert isinstance(root, Map)
    values = {k: v.value for k, v in root.items.items() if isinstance(v, Scalar)}
    assert values == {
        "a": "NO",
        "b": "1.10",
        "c": "1:20",
        "d": "2017-01-16",
        "e": "0755",
        "f": "yes",
        "g": "~",
    }


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        ("a: &x 1\nb: *x\n", "anchors (&x) are not allowed"),
        (
            "a: !!python/object/apply:os.system ['echo hi']\n",
            "tags (tag:yaml.org,2002:python/object/apply:os.system)",
        ),
        ("a: !!int abc\n", "tags"),
        ("a: 1\na: 2\n", "duplicate key 'a' (first at line 1, again at line 2)"),
        ("a: [1, 2\n", "invalid YAML"),
        ("a: b\n---\nc: d\n", "more than one YAML document"),
        ("[" * 200 + "]" * 200, "nested deeper than 32 levels"),
    ],
)
def test_yaml_refusals(yaml_text: str, fragment: str) -> None:
    with pytest.raises(DatasetError) as info:
        parse(yaml_text, "bad.yaml")
    text = "\n".join(info.value.lines())
    assert fragment in text
    assert text.startswith("bad.yaml:")


DEEP_CASES = [
    # (text, line and column of the 33rd opening): far past libyaml's own limit of 1,000
    # levels in newer PyYAML wheels, and within it (pakru's guard alone)
    ("[" * 10_000 + "]" * 10_000, "1:33"),
    ("claims: " + "[" * 100_000, "1:40"),
    ("a: 'é'\nb:\n  - " + "[\n" * 2000, "33:1"),
    ("a: 'é'\nb:\n  - " + "[\n" * 40 + "]" * 40, "33:1"),
    ("x: [\n" + "  [\n" * 1200, "32:3"),
]


def one_problem(text: str) -> str:
    with pytest.raises(DatasetError) as info:
        parse(text, "deep.yaml")
    (line,) = info.value.lines()
    return line


@pytest.mark.parametrize(("text", "where"), DEEP_CASES)
def test_too_deep_is_pakrus_own_error_at_the_33rd_level(text: str, where: str) -> None:
    assert one_problem(text) == f"deep.yaml:{where}: nested deeper than 32 levels"


@pytest.mark.parametrize(("text", "where"), DEEP_CASES)
def test_too_deep_without_libyaml(text: str, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML without its C extension: the same error from pakru's own guard."""
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert one_problem(text) == f"deep.yaml:{where}: nested deeper than 32 levels"


@pytest.mark.parametrize(("text", "where"), DEEP_CASES)
def test_too_deep_when_libyaml_stops_first(text: str, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever nesting limit the installed libyaml has: a parser that refuses the 40th
    level before handing over a single event (as libyaml's scanner refuses the 1,000th,
    with a ScannerError at that bracket) still yields pakru's message at the 33rd level."""
    import yaml

    class StopsAt40(yaml.SafeLoader):
        def get_event(self):  # type: ignore[no-untyped-def]
            ahead, depth = yaml.SafeLoader(text), 0
            while depth < 40:
                event = ahead.get_event()
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth += 1
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    depth -= 1
            mark = event.start_mark
            raise yaml.scanner.ScannerError(
                "while increasing flow level", mark, "exceeded maximum nesting depth", mark
            )

    monkeypatch.setattr(yaml, "CSafeLoader", StopsAt40)
    assert one_problem(text) == f"deep.yaml:{where}: nested deeper than 32 levels"


def test_too_deep_after_a_megabyte_is_still_pakrus_error_on_its_line() -> None:
    """Past yamlnodes.REREAD_LIMIT the place may be libyaml's (its 1,000th level), the words pakru's."""
    line = one_problem("x: '" + "a" * 1_000_001 + "'\ny: " + "[" * 2000)
    assert line.startswith("deep.yaml:2:") and line.endswith(": nested deeper than 32 levels"), line


def test_error_names_file_line_column(tmp_path: Path) -> None:
    lines = problems_of(tmp_path, "sources: []\ntopics: []\nclaims:\n  - id: x\n    source: nowhere\n")
    assert any(
        line.startswith(f"{tmp_path / 'events.yaml'}:4:5: claim x: field date: missing") for line in lines
    )


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('published: "2019-03-01"', 'published: "1 March 2019"', "source alpha: field published"),
        ('{id: india, label: "India"', '{id: india, label: ""', "topic india: field label"),
        ('{id: heli-delivery, label: "Helicopters delivered"}', "{id: heli-delivery}", "event heli-delivery"),
    ],
)
def test_an_invalid_record_is_one_problem_not_one_per_claim_naming_it(
    dataset_copy: Path, old: str, new: str, where: str
) -> None:
    assert [where in str(p) for p in problems_after(dataset_copy, old, new)] == [True]


def problems_after(dataset: Path, old: str, new: str) -> list[Problem]:
    """The problems load() finds once ``old`` is replaced by ``new`` in the dataset file."""
    text = dataset.read_text(encoding="utf-8")
    assert old in text
    dataset.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DatasetError) as exc:
        load(dataset)
    return exc.value.problems


def test_all_problems_at_once(dataset_copy: Path) -> None:
    text = dataset_copy.read_text(encoding="utf-8")
    text = text.replace('date: "2014"', 'date: "2014-13"', 1)
    text = text.replace("    stance: 1\n", "    stance: 7\n", 1)
    text = text.replace("kind: prediction", "kind: prophecy", 1)
    text = text.replace("topics: [india]", "topics: [indai]", 1)
    dataset_copy.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load(dataset_copy)
    joined = "\n".join(info.value.lines())
    assert "claim alpha-001: field date: '2014-13': month 13 does not exist" in joined
    assert "claim alpha-002: field stance: '7' is not a whole number from -2 to 2" in joined
    assert "claim alpha-005: field kind: 'prophecy' is not one of: event, assessment, prediction" in joined
    assert "claim beta-004: field topics: unknown topic 'indai'" in joined


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('date: "2014"', "date: 2014", "write the date in quotes"),
        ('date: "2014"', "date: [2014]", "expected text, found a list"),
        ("    stance: 2\n", "    stance: two\n", "'two' is not a whole number"),
        ("date_basis: stated", "date_basis: guessed", "'guessed' is not one of"),
        ('date: "2014"\n    date_basis: stated', "date: null\n    date_basis: stated", "use 'undated'"),
        (
            '    date_note: "“Last year”, against publication in 2019"\n',
            "",
            "a resolved date needs date_note",
        ),
        ('summary: "Russia ended', 'summray: "Russia ended', "claim alpha-001: field summray: unknown field"),
        ("{id: heli-delivery, label:", "{id: heli-delivery, labl:", "event heli-delivery: field labl"),
        # an unknown reference says which known one it most likely means, if one is near
        ('source: beta\n    date: "2013"', 'source: gamma\n    date: "2013"', "unknown source 'gamma'\n"),
        ("source: beta\n", "source: betta\n", "unknown source 'betta'; did you mean 'beta'?\n"),
        ("event: heli-delivery", "event: heli-deliveries", "'; did you mean 'heli-delivery'?"),
        ("actors: [Pakistan]\n", "actors: [Pakistani]\n", "(did you mean 'Pakistan'? else add"),
        ("topics: [india]", "topics: [indai]", "unknown topic 'indai'; did you mean 'india'?"),
        ("topics: [india]", "topics: [India]", "unknown topic 'India'; did you mean 'india'?"),
        ("topics: [india]", "topics: [astronomy]", "unknown topic 'astronomy'\n"),
        ("id: beta-002", "id: beta-001", "duplicate claim id 'beta-001'"),
        # a YAML escape writes a control character the raw file refuses; the store joins names on U+001F
        ('aliases: ["embargo"]', 'aliases: ["arms\\x1fembargo"]', f"{NAME_RULE}U+001F"),
        ('{name: "Russia",', '{name: "Rus\\nsia",', f"actor: field name: {NAME_RULE}U+000A"),
        ('aliases: ["Moscow"]', 'aliases: ["Mos\\tcow"]', f"field aliases: {NAME_RULE}U+0009"),
        ("actors: [Pakistan]\n", 'actors: ["Pakis\\x85tan"]\n', f"field actors: {NAME_RULE}U+0085"),
        ('published: "2019-03-01"', 'published: "March 2019"', "not an EDTF date"),
        ('published_basis: "stated: fixture"', 'published_basis: "guessed"', "must be 'stated'"),
        ("text: alpha.txt", "text: ../../etc/passwd", "must be a file name under"),
        ("text: alpha.txt", "text: missing.txt", "no such source text"),
        ("score: -1", "score: -3", "not a whole number from -2 to 2"),
        (
            'quote: "India will not accept a Russian tilt."',
            'quote: "India will never accept a Russian tilt."',
            "quote not found in source 'beta'",
        ),
        (
            'quote: "the partnership will flourish"',
            'quote: "the partnership will wither"',
            "field outlook.quote: quote not found in the source text (matches up to 'he partnership will ',",
        ),
        ("author: null", "author: null\n    author_note: null", "duplicate key"),
        (
            'summary: "Some say Russia ended the embargo in 2013."',
            'summary: "Russia ended its embargo in 2013 -- some say!"',
            "field summary: repeats the quote; say it in your own words",
        ),
    ],
)
def test_schema_errors(dataset_copy: Path, old: str, new: str, fragment: str) -> None:
    lines = [str(p) for p in problems_after(dataset_copy, old, new)]
    assert fragment in "".join(f"{line}\n" for line in lines)
    assert all(line.startswith(str(dataset_copy.parent)) for line in lines)


def test_quote_normalisation_forgives_typography_only(dataset_copy: Path) -> None:
    text = dataset_copy.read_text(encoding="utf-8")
    # straight quote for the source's apostrophe, extra spaces, a line break: all forgiven
    text = text.replace(
        "The helicopters reached Pakistan in 2018.", "The  helicopters reached\\n Pakistan in 2018."
    )
    dataset_copy.write_text(text, encoding="utf-8")
    assert load(dataset_copy).claim("beta-002")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("café: x\n".encode("latin-1"), "not UTF-8 text (byte 0xe9)"),
        ("a: Россия\n".encode("cp1251"), "not UTF-8 text"),
        (b"a: b\x00c\n", "contains a NUL byte"),
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"a: \x1b[31mred\n", "1:4: contains the control character U+001B"),
        ("a: \u009b31m\n".encode(), "control character U+009B"),
        (b"a: x\x7fy\n", "1:5: contains the control character U+007F"),
        ("a: «x» \ufffe\n".encode(), "1:8: contains the control character U+FFFE"),
        ("a: \uffff\n".encode(), "control character U+FFFF"),
        # past the first chunk that the scan reads, after a chunk with nothing to look at
        (b"a: |\n" + b"  padding\n" * 120_000 + b"  \x01\n", "120002:3: contains the control character"),
        (b"a: |\n" + "  «é»\n".encode() * 200_000 + "  \u0090\n".encode(), "200002:3: contains the control"),
    ],
)
def test_bad_bytes(tmp_path: Path, data: bytes, fragment: str) -> None:
    assert any(fragment in line for line in problems_of(tmp_path, data))


def test_bom_is_accepted(dataset_copy: Path) -> None:
    dataset_copy.write_bytes(b"\xef\xbb\xbf" + dataset_copy.read_bytes())
    assert len(load(dataset_copy).claims) == 11


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such dataset file"):
        load(tmp_path / "nothing.yaml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"empty/events\.yaml: no such dataset file"):
        load(tmp_path / "empty")


def test_source_text_that_is_a_directory(dataset_copy: Path) -> None:
    source = dataset_copy.parent / "sources" / "beta.txt"
    source.unlink()
    source.mkdir()
    with pytest.raises(DatasetError, match=r"source beta: field text: .*beta\.txt: is a directory"):
        load(dataset_copy)
