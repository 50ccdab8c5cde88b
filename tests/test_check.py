"""`pakru check`'s warnings: each rule found where it applies, and only there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURE
from pakru.cli import app
from pakru.dataset.check import RULES, names_a_time, near_copy_ratio, run_check

runner = CliRunner()
LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): warning: (?P<context>(claim|event|source) [\w-]+): "
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rules(path: Path) -> set[tuple[str, str]]:
    report = run_check(path)
    assert report.ok, report.problems
    return {(w.context, w.rule) for w in report.warnings}


def test_the_fixture_is_clean() -> None:
    r = runner.invoke(app, ["--data", str(FIXTURE), "check", "--strict"])
    assert r.exit_code == 0 and r.stderr == "" and "warning" not in r.stdout


def test_single_source_event(dataset_copy: Path) -> None:
    edit(
        dataset_copy,
        '    event: embargo-lifted\n    kind: event\n    summary: "Some say',
        '    kind: event\n    summary: "Some say',
    )
    assert rules(dataset_copy) == {("event embargo-lifted", "single-source-event")}
    edit(dataset_copy, "    event: embargo-lifted\n", "")  # now no claim at all
    (w,) = run_check(dataset_copy).warnings
    assert w.context == "event embargo-lifted" and "no claim" in w.message
    assert (
        w.line
        == dataset_copy.read_text(encoding="utf-8")
        .splitlines()
        .index('  - {id: embargo-lifted, label: "Russia lifts its arms embargo"}')
        + 1
    )


def test_two_claims_of_one_source_are_still_one_source(dataset_copy: Path) -> None:
    edit(
        dataset_copy,
        '    event: embargo-lifted\n    kind: event\n    summary: "Some say',
        '    kind: event\n    summary: "Some say',
    )
    edit(
        dataset_copy,
        "id: alpha-003\n    source: alpha\n",
        "id: alpha-003\n    source: alpha\n    event: embargo-lifted\n",
    )
    (w,) = run_check(dataset_copy).warnings
    assert w.rule == "single-source-event" and "alpha-001, alpha-003" in w.message


def test_near_copy_summary(dataset_copy: Path) -> None:
    edit(
        dataset_copy,
        'summary: "Russia ended its arms embargo on Pakistan in 2014."',
        'summary: "In 2014, Russia lifted its arms embargo against Pakistan."',
    )
    assert rules(dataset_copy) == {("claim alpha-001", "near-copy-summary")}
    assert (
        near_copy_ratio(
            "In 2014, Russia  LIFTED its arms embargo on Pakistan!",
            "In 2014, Russia lifted its arms embargo on Pakistan.",
        )
        > 0.85
    )
    assert (
        near_copy_ratio(
            "Russia ended its arms embargo on Pakistan in 2014.",
            "In 2014, Russia lifted its arms embargo on Pakistan.",
        )
        <= 0.85
    )


def test_stated_date_that_names_no_time(dataset_copy: Path) -> None:
    edit(
        dataset_copy,
        "id: beta-003\n    source: beta\n    date: null\n    date_basis: undated",
        'id: beta-003\n    source: beta\n    date: "2018"\n    date_basis: stated',
    )
    assert rules(dataset_copy) == {("claim beta-003", "stated-date-names-no-time")}
    # a note that names the time it was read from is enough
    edit(
        dataset_copy,
        'id: beta-003\n    source: beta\n    date: "2018"\n    date_basis: stated\n',
        'id: beta-003\n    source: beta\n    date: "2018"\n    date_basis: stated\n'
        '    date_note: "the 2018 of the sentence before"\n',
    )
    assert rules(dataset_copy) == set()


@pytest.mark.parametrize(
    "text",
    [
        "since the late 1980s",
        "in the 1970’s",
        "In 2015, Pakistan",
        "the first decade of the 21st century",
        "throughout the eighties",
        "the ’80s",
        "Spearhead Opinion – 16.01.2017",
        "in December",
        "the 1950s and 1960s",
    ],
)
def test_what_names_a_time(text: str) -> None:
    assert names_a_time(text)


@pytest.mark.parametrize(
    "text",
    [
        "14,000 soldiers and 35,000 wounded",
        "last year",
        "recently at Moscow talks",
        "it may soon",
        "a 60% share",
        "the 9th meeting",
    ],
)
def test_what_names_no_time(text: str) -> None:
    assert not names_a_time(text)


def test_note_naming_a_missing_file(dataset_copy: Path) -> None:
    note = 'date_note: "“Last year”, against publication in 2019"'
    edit(
        dataset_copy,
        note,
        'date_note: "“Last year”, against publication in 2019 (see header.yaml and alpha.txt)"',
    )
    (w,) = run_check(dataset_copy).warnings
    assert (w.context, w.rule) == (
        "claim alpha-002",
        "note-names-missing-file",
    ) and "'header.yaml'" in w.message
    edit(dataset_copy, "header.yaml", "events.yaml")  # files of the dataset are fine
    assert rules(dataset_copy) == set()


def test_warning_lines_json_and_strict(dataset_copy: Path) -> None:
    edit(
        dataset_copy,
        'summary: "Russia ended its arms embargo on Pakistan in 2014."',
        'summary: "In 2014, Russia lifted its arms embargo against Pakistan."',
    )
    edit(dataset_copy, "    event: heli-delivery\n", "")
    r = runner.invoke(app, ["--data", str(dataset_copy), "check"])
    assert r.exit_code == 0 and r.stdout.startswith("OK ") and "2 warning(s)" in r.stdout
    found = [LINE.match(line) for line in r.stderr.splitlines()]
    assert all(found) and len(found) == 2
    assert [m["context"] for m in found if m] == ["event heli-delivery", "claim alpha-001"]  # by line
    lines = [int(m["line"]) for m in found if m]
    assert lines == sorted(lines)
    strict = runner.invoke(app, ["--data", str(dataset_copy), "check", "--strict"])
    assert strict.exit_code == 1 and "failing as --strict asks" in strict.stderr
    assert strict.stdout == ""  # no "OK" beside the failure
    doc = json.loads(runner.invoke(app, ["--data", str(dataset_copy), "check", "--json"]).stdout)
    assert doc["ok"] is True and [w["rule"] for w in doc["warnings"]] == [
        "single-source-event",
        "near-copy-summary",
    ]
    assert set(doc["warnings"][0]) == {"file", "line", "column", "context", "rule", "message"}
    assert {w["rule"] for w in doc["warnings"]} <= set(RULES)
    strict_json = runner.invoke(app, ["--data", str(dataset_copy), "check", "--json", "--strict"])
    assert strict_json.exit_code == 1 and json.loads(strict_json.stdout)["warnings"]


def test_shipped_curation_is_clean_but_for_unsigned_summaries(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """The four sources of issue 15's second pass; the unsigned article's summaries are curated separately."""
    report = run_check(Path(shipped_dataset.path))
    left = [
        str(w)
        for w in report.warnings
        if not (w.rule == "near-copy-summary" and w.context.startswith("claim unsigned-"))
    ]
    assert left == []


def test_a_quote_in_two_places_of_its_source_is_told_where_it_is_placed(dataset_copy: Path) -> None:
    beta = dataset_copy.parent / "sources" / "beta.txt"
    beta.write_text(
        beta.read_text(encoding="utf-8")
        + "\nOfficials repeat it: ISIS remains a shared threat for both states.\n",
        encoding="utf-8",
    )
    assert rules(dataset_copy) == {("claim beta-003", "quote-in-several-places")}
    (w,) = run_check(dataset_copy).warnings
    text = dataset_copy.read_text(encoding="utf-8")
    assert w.line == text[: text.index('quote: "ISIS remains')].count("\n") + 1  # at the claim's quote
    assert "in 2 places of beta.txt's paragraphs" in w.message


def test_a_source_text_without_paragraphs_is_told_it_gives_no_pinpoints(dataset_copy: Path) -> None:
    import textwrap

    alpha = dataset_copy.parent / "sources" / "alpha.txt"
    wrapped = "\n\n".join(textwrap.fill(p, 30) for p in alpha.read_text(encoding="utf-8").split("\n"))
    alpha.write_text(wrapped, encoding="utf-8")  # hard-wrapped: no line is a whole sentence
    assert rules(dataset_copy) == {("source alpha", "source-without-paragraphs")}
    (w,) = run_check(dataset_copy).warnings
    text = dataset_copy.read_text(encoding="utf-8")
    assert w.line == text[: text.index("text: alpha.txt")].count("\n") + 1
    r = runner.invoke(app, ["--data", str(dataset_copy), "check"])
    assert LINE.match(r.stderr) and "source alpha: no line of alpha.txt reads as a paragraph" in r.stderr


def test_a_claim_id_that_names_another_source_is_told_so(dataset_copy: Path) -> None:
    edit(dataset_copy, "id: beta-002", "id: alpha-099")
    assert rules(dataset_copy) == {("claim alpha-099", "id-not-of-its-source")}
    edit(dataset_copy, "id: alpha-099", "id: bet-2")
    (w,) = run_check(dataset_copy).warnings
    assert w.rule == "id-not-of-its-source" and "('beta-…')" in w.message
    text = dataset_copy.read_text(encoding="utf-8")
    assert w.line == text[: text.index("id: bet-2")].count("\n") + 1


def test_the_ok_line_counts_in_words_that_agree_with_the_numbers(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    empty = "format: 1\nsources: []\ntopics: []\nclaims: []\n"
    (tmp_path / "events.yaml").write_text(empty, encoding="utf-8")
    r = runner.invoke(app, ["--data", str(tmp_path), "check"])
    assert r.exit_code == 0
    assert r.stdout.endswith(": 0 sources, 0 claims, 0 events, 0 topics, 0 actors; no quotes\n")
    r = runner.invoke(app, ["--data", str(FIXTURE), "check"])
    assert "2 sources, 11 claims, 2 events, 7 topics, 4 actors; all 13 quotes found verbatim" in r.stdout
