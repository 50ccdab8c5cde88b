"""Every command, human and JSON, on the fixture and on the shipped dataset (CliRunner)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from pakru.cli import app

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def terminal(*args: str):  # type: ignore[no-untyped-def]
    """As on an 80-column colour terminal."""
    return invoke(*args, env={"FORCE_COLOR": "1", "COLUMNS": "80"})


def test_version_and_help() -> None:
    r = invoke("--version")
    assert r.exit_code == 0 and re.fullmatch(r"pakru \d+\.\d+\.\d+\n", r.stdout)
    r = invoke("--help")
    assert r.exit_code == 0
    for command in ("search", "timeline", "compare", "show", "sources", "topics", "check"):
        assert command in r.stdout


@pytest.mark.parametrize("command", ["search", "timeline", "compare", "show", "sources", "topics", "check"])
def test_every_command_has_an_example(command: str) -> None:
    r = invoke(command, "--help")
    assert r.exit_code == 0
    assert "Example: pakru" in r.stdout and command in r.stdout.split("Example: pakru", 1)[1]


def test_search_plain() -> None:
    r = invoke("search", "gwadr")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "note: no claim contains 'gwadr'; showing matches for 'gwadar'"
    assert lines[1].startswith("1. 2018 (resolved) · event · score ") and ", approximate" in lines[1]
    assert "“Last year, the first joint exercise was held near the port of «Gwadar».”" in r.stdout
    assert "— Ada Alpha, The Test Review, 1 March 2019 [alpha-002]" in r.stdout
    assert "\x1b" not in r.stdout


def test_search_terminal_highlights() -> None:
    r = terminal("search", "Gwadar")
    assert r.exit_code == 0
    assert "\x1b[1;33mGwadar" in r.stdout or "\x1b[1;3;33mGwadar" in r.stdout
    assert all(len(line) <= 80 for line in ANSI.sub("", r.stdout).splitlines())
    r = terminal("search", "gwadr")
    assert ANSI.sub("", r.stdout).startswith("note: no claim contains 'gwadr'; showing matches for 'gwadar'")


def test_search_exit_status_like_grep() -> None:
    r = invoke("search", "qqqq wwww")
    assert r.exit_code == 1 and r.stdout == ""
    assert "pakru: no claims match 'qqqq wwww'" in r.stderr
    r = invoke("search", "what is the")
    assert r.exit_code == 1 and "only common words (what, is, the)" in r.stderr
    r = invoke("search", "qqqq", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout) == []
    for q in ("", "?!", "  "):
        r = invoke("search", q)
        assert r.exit_code == 2 and "no words to search for" in r.stderr


def test_search_json_approximate() -> None:
    r = invoke("search", "gwadr", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc[0]["id"] == "alpha-002" and doc[0]["approximate"] is True
    assert doc[0]["terms"] == {"gwadr": "gwadar"}
    assert "pakru: note: no claim contains 'gwadr'; showing matches for 'gwadar'" in r.stderr
    exact = json.loads(invoke("search", "Gwadar nuclear", "--json").stdout)[0]
    assert exact["approximate"] is False and exact["terms"] == {"gwadar": "gwadar", "nuclear": None}
    assert set(exact) >= {"score", "matched", "terms", "approximate", "attested_by"}


def test_search_hostile_text_in_highlights_stays_text() -> None:
    r = terminal("search", "flourish")
    assert r.exit_code == 0
    assert "[bold red]despite all odds[/bold red]" in ANSI.sub("", r.stdout)
    r = invoke("search", "citation")
    assert "[«citation» needed]" in r.stdout and ":smile:" in r.stdout
    r = terminal("search", "citation")
    assert "[citation needed]" in ANSI.sub("", r.stdout) and ":smile:" in r.stdout


def test_search_json() -> None:
    r = invoke("search", "embargo", "--json")
    doc = json.loads(r.stdout)
    assert r.stderr == ""
    assert [x["id"] for x in doc] == ["beta-001", "alpha-001"] or {x["id"] for x in doc} == {
        "beta-001",
        "alpha-001",
    }
    first = doc[0]
    for key in (
        "id",
        "date",
        "start",
        "end",
        "date_label",
        "kind",
        "summary",
        "quote",
        "topics",
        "actors",
        "stance",
        "event",
        "source",
        "score",
        "matched",
    ):
        assert key in first
    assert set(first["source"]) == {"id", "title", "author", "outlet", "published"}
    assert 0 <= first["score"] <= 100 and first["matched"]


def test_search_filters() -> None:
    r = invoke("search", "Russia", "--source", "unsigned", "--kind", "event", "--json")
    assert {x["source"]["id"] for x in json.loads(r.stdout)} == {"beta"}
    r = invoke("search", "Russia", "--from", "2015", "--to", "2018-03", "--json")
    # beta-002 names no Russia; alpha-006 ("since 2016") reaches into the range
    assert {x["id"] for x in json.loads(r.stdout)} == {"alpha-003", "alpha-006", "alpha-002"}
    r = invoke("search", "Russia", "--topic", "Daesh", "--json")
    assert {x["id"] for x in json.loads(r.stdout)} == {"alpha-004", "beta-003"}
    r = invoke("search", "Russia", "--limit", "1", "--json")
    assert len(json.loads(r.stdout)) == 1


def test_timeline_plain_shows_conflict_and_undated() -> None:
    r = invoke("timeline")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "== 2010s =="
    assert lines[1] == (
        "* Russia lifts its arms embargo (attested by 2 sources; sources disagree on the date: "
        "2013 (unsigned) vs 2014 (Ada Alpha))"
    )
    assert "== Undated (placed by their source's publication date) ==" in lines
    assert any(line.startswith("undated, by c. 2020  The Islamic State") for line in lines)


def test_timeline_terminal() -> None:
    r = terminal("timeline", "--by", "year")
    plain = ANSI.sub("", r.stdout)
    assert r.exit_code == 0
    assert "2013" in plain and "dates disagree: 2013 (unsigned) vs 2014 (Ada Alpha)" in " ".join(
        plain.replace("│", "").split()
    )
    assert "* date resolved from a relative phrase" in " ".join(plain.split())


def test_timeline_json_and_event() -> None:
    doc = json.loads(invoke("timeline", "--json").stdout)
    assert [x["id"] for x in doc][:2] == ["beta-001", "alpha-001"]
    assert doc[0]["date_conflict"] is True and doc[0]["attested_by"] == 2 and doc[0]["group"] == "2010s"
    assert doc[-1]["date"] is None and doc[-1]["start"] is None
    doc = json.loads(invoke("timeline", "--event", "embargo-lifted", "--json").stdout)
    assert [x["id"] for x in doc] == ["beta-001", "alpha-001"]
    assert len(json.loads(invoke("timeline", "--limit", "3", "--json").stdout)) == 3


def test_an_open_ended_claim_reaches_every_later_date() -> None:
    """alpha-006 is "2016/..": --from 2020 finds it, from the YAML and again from the cache."""
    for _ in range(2):  # the first run writes the cache, the second reads it
        doc = json.loads(invoke("timeline", "--from", "2020", "--json").stdout)
        assert [x["id"] for x in doc] == ["alpha-006"]
        assert (doc[0]["date"], doc[0]["date_label"], doc[0]["start"], doc[0]["end"]) == (
            "2016/..",
            "since 2016",
            "2016-01-01",
            "9999-12-31",
        )
    assert "since 2016" in invoke("timeline", "--from", "2020").stdout
    years = invoke("timeline", "--by", "year", "--json")
    assert years.exit_code == 0 and any(x["group"] == "since 2016" for x in json.loads(years.stdout))
    assert [x["id"] for x in json.loads(invoke("timeline", "--to", "2015", "--json").stdout)] == [
        "beta-001",
        "alpha-001",
        "alpha-003",
    ]


def test_compare_plain_and_json() -> None:
    r = invoke("compare", "--topic", "embargo")
    assert r.exit_code == 0
    assert "Topic: Arms embargo (arms-embargo)" in r.stdout
    assert (
        "- Russia lifts its arms embargo: beta, alpha; dates differ: 2013 (unsigned) vs 2014 (Ada Alpha)"
        in r.stdout
    )
    doc = json.loads(invoke("compare", "--topic", "india", "--json").stdout)
    assert doc["topic"] == {"id": "india", "label": "India"}
    assert doc["silent"] == ["alpha"]
    assert "Silent on India: " in invoke("compare", "--topic", "india").stdout
    # a filter that leaves out all of a source's claims on the topic: not "silent" on it
    within = invoke("compare", "--topic", "embargo", "--from", "2014-06").stdout
    assert "Nothing on Arms embargo within these filters: " in within and "Silent on" not in within
    (entry,) = doc["sources"]
    assert entry["source"]["id"] == "beta" and entry["outlook"] == -1 and entry["stance"] == -1
    assert [c["id"] for c in entry["claims"]] == ["beta-004"]


def test_compare_terminal() -> None:
    r = terminal("compare", "--topic", "helicopter")
    assert r.exit_code == 0
    assert "What the sources say on Helicopters" in ANSI.sub("", r.stdout)


def test_show() -> None:
    r = invoke("show", "beta-002")
    assert r.exit_code == 0
    assert (
        "In context: …Russia ended its embargo in 2013, some say. «The helicopters reached Pakistan in 2018.»"
        in r.stdout
    )
    assert "Cite as: Beta's Caution. (ca. 2020).\n" in r.stdout  # APA, as `pakru cite` renders it
    doc = json.loads(invoke("show", "alpha-001", "--json").stdout)
    assert doc["context"]["quote"] == "In 2014, Russia lifted its arms embargo on Pakistan."
    assert [x["id"] for x in doc["attestations"]] == ["beta-001"]
    assert doc["citation"] == "Alpha, A. (2019, March 1). Alpha on the Ties. The Test Review."
    assert "alpha-001" in ANSI.sub("", terminal("show", "alpha-001").stdout)


def test_sources_and_topics() -> None:
    r = invoke("sources")
    assert "alpha: Alpha on the Ties" in r.stdout and "   claims: 7" in r.stdout
    doc = json.loads(invoke("sources", "--json").stdout)
    assert [(s["id"], s["claims"], s["outlook"]["score"]) for s in doc] == [("alpha", 7, 2), ("beta", 4, -1)]
    doc = json.loads(invoke("topics", "--json").stdout)
    isis = next(t for t in doc if t["id"] == "isis")
    assert isis["claims"] == {"alpha": 1, "beta": 1} and "Daesh" in isis["aliases"]
    assert "arms-embargo\t1\t1\t2\tembargo" in invoke("topics").stdout
    for command in ("sources", "topics"):
        assert terminal(command).exit_code == 0


def test_check() -> None:
    r = invoke("check")
    assert r.exit_code == 0
    assert r.stdout.startswith("OK ") and "2 sources, 11 claims, 2 events, 7 topics, 4 actors" in r.stdout
    doc = json.loads(invoke("check", "--json").stdout)
    assert doc["ok"] is True and doc["claims"] == 11 and doc["problems"] == []


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (
            ["compare", "--topic", "astronomy"],
            2,
            "pakru: error: --topic: unknown topic 'astronomy'; nearest:",
        ),
        (["show", "alpha-999"], 2, "pakru: error: no claim 'alpha-999'; nearest:"),
        (["search", "x", "--kind", "rumour"], 2, "unknown kind 'rumour'"),
        (["search", "x", "--from", "last year"], 2, "pakru: error: --from: 'last year' is not a year"),
        (["timeline", "--to", "soon"], 2, "pakru: error: --to: 'soon' is not a year"),
        (["timeline", "--source", "nobody"], 2, "pakru: error: --source: unknown source 'nobody'"),
        (["search", "x", "--from", "2019", "--to", "2010"], 2, "--from is after --to"),
        (["timeline", "--event", "nope"], 2, "--event: unknown event 'nope'"),
        (["timeline", "--by", "century"], 2, "--by: must be 'decade' or 'year'"),
        (["search", "x", "--limit", "0"], 2, "--limit must be at least 1"),
        (
            ["--data", "/nonexistent/events.yaml", "timeline"],
            1,
            "/nonexistent/events.yaml: no such dataset file",
        ),
    ],
)
def test_errors(args: list[str], code: int, fragment: str) -> None:
    r = invoke(*args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert fragment in r.stderr
    assert r.stdout == ""
    # a value no dataset accepts is a usage error, which says where to look; a name the dataset
    # lacks is not
    usage = any(f in fragment for f in ("unknown kind", "is not a year", "is after", "--by:", "--limit"))
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stderr and lines[1:] == ([f"Try 'pakru {args[0]} --help'."] if usage else [])


def test_check_reports_every_problem(dataset_copy) -> None:  # type: ignore[no-untyped-def]
    text = dataset_copy.read_text(encoding="utf-8")
    text = text.replace(
        'quote: "India will not accept a Russian tilt."', 'quote: "India will never accept it."'
    )
    text = text.replace('source: beta\n    date: "2013"', 'source: gamma\n    date: "2013"')
    text = text.replace('date: "2015"', 'date: "2015-02-30"')
    text = text.replace("id: beta-003", "id: beta-002")
    dataset_copy.write_text(text, encoding="utf-8")
    r = invoke("--data", str(dataset_copy), "check")
    assert r.exit_code == 1
    err = r.stderr
    assert "claim alpha-003: field date: '2015-02-30': day 30 does not exist in February 2015" in err
    assert "duplicate claim id 'beta-002'" in err
    assert "claim beta-001: field source: unknown source 'gamma'" in err
    # the broken quote too, although the same file has a bad date and a duplicate id
    assert "claim beta-004: field quote: quote not found" in err
    assert err.strip().splitlines()[-1].startswith("pakru check: ")
    lines = [int(line.split(":")[1]) for line in err.strip().splitlines()[:-1]]
    assert len(lines) == 4 and lines == sorted(lines)  # sorted by line
    # with the rest fixed, only the quote is left
    text = (
        text.replace("source: gamma", "source: beta")
        .replace("2015-02-30", "2015")
        .replace(
            "id: beta-002\n    source: beta\n    date: null", "id: beta-003\n    source: beta\n    date: null"
        )
    )
    dataset_copy.write_text(text, encoding="utf-8")
    r = invoke("--data", str(dataset_copy), "check", "--json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert [(p["context"], p["field"]) for p in doc["problems"]] == [("claim beta-004", "quote")]
    assert re.search(r"events\.yaml:\d+:\d+: claim beta-004: field quote: quote not found", r.stderr)


def test_debug_shows_traceback(dataset_copy) -> None:  # type: ignore[no-untyped-def]
    dataset_copy.write_text("claims: [\n", encoding="utf-8")
    r = invoke("--debug", "--data", str(dataset_copy), "timeline")
    assert r.exit_code == 1 and "Traceback" in r.stderr
    r = invoke("--data", str(dataset_copy), "timeline")
    assert r.exit_code == 1 and "Traceback" not in r.stderr and "invalid YAML" in r.stderr


def test_shipped_dataset_commands(shipped) -> None:  # type: ignore[no-untyped-def]
    r = invoke("check")
    assert r.exit_code == 0 and "5 sources" in r.stdout
    doc = json.loads(invoke("search", "Gwadar", "--json").stdout)
    assert doc and all("gwadar" in json.dumps(x).lower() for x in doc[:3])
    doc = json.loads(invoke("compare", "--topic", "india", "--json").stdout)
    assert len(doc["sources"]) + len(doc["silent"]) == 5
    t = json.loads(invoke("timeline", "--json").stdout)
    dated = [x for x in t if x["start"]]
    assert dated[0]["start"] < "1960" and dated[-1]["end"] >= "2021-12-01"
    # by earliest day; an open start ("until c. December 2021") by its last
    starts = [x["end"] if x["start"] == "0001-01-01" else x["start"] for x in dated if x["attested_by"] == 1]
    assert starts == sorted(starts)
    for command in (
        ["timeline"],
        ["compare", "--topic", "india"],
        ["sources"],
        ["topics"],
        ["show", "karim-020"],
        ["search", "Tashkant agreemnt"],
    ):
        r = terminal(*command)
        assert r.exit_code == 0 and r.stderr == ""
        assert all(len(line) <= 80 for line in ANSI.sub("", r.stdout).splitlines()), command


ONE_COMMAND_RUNS = [
    ["search", "helicopters"],
    ["search", "helicopters", "--json"],
    ["--no-cache", "timeline", "--by", "year"],
    ["--debug", "compare", "--topic", "defence"],
    ["show", "beta-002"],
    ["sources", "--json"],
    ["topics"],
    ["check"],
    ["search", "--help"],
    ["timeline", "-h"],
    ["compare"],
    ["search", "--limit", "0", "x"],
    ["show", "nosuch-id"],
]


@pytest.mark.parametrize("args", ONE_COMMAND_RUNS, ids=" ".join)
def test_a_run_with_only_its_command_says_what_the_full_app_says(args: list[str]) -> None:
    """main() builds an app holding only the command a run names; it must change nothing."""
    from pakru.cli import _app_for

    one = _app_for(args)
    assert one is not app and [c.callback.__name__ for c in one.registered_commands] == [  # type: ignore[union-attr]
        next(a for a in args if not a.startswith("-"))
    ]
    env = {"COLUMNS": "80"}
    full, single = runner.invoke(app, args, env=env), runner.invoke(one, args, env=env)
    assert (single.exit_code, single.stdout, single.stderr) == (full.exit_code, full.stdout, full.stderr)


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["serch", "x"], ["--data", "search"], ["--data=x", "--bogus", "search"]],
    ids=repr,
)
def test_runs_naming_no_command_get_the_full_app(args: list[str]) -> None:
    from pakru.cli import _app_for

    assert _app_for(args) is app


def test_the_full_app_lists_every_command_of_the_table_in_its_order() -> None:
    from pakru.cli.app import COMMANDS

    names = [c.callback.__name__ for c in app.registered_commands if c.callback]
    assert names[: len(COMMANDS)] == list(COMMANDS)
    assert [g.typer_instance.info.name for g in app.registered_groups][:1] == ["cache"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "module"),
    [(["timeline", "--json"], "listing"), (["show", "alpha-001"], "claim"), (["sources"], "data")],
)
def test_a_run_imports_the_module_of_its_command_alone(args: list[str], module: str) -> None:
    import subprocess
    import sys

    from conftest import FIXTURE

    code = (
        f"import os, sys; os.environ['PAKRU_DATA'] = {str(FIXTURE)!r}\n"
        "from pakru.cli import main\n"
        f"try: main({args!r})\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('pakru.cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1].replace("'", '"')))
    commands = {"pakru.cli.listing", "pakru.cli.claim", "pakru.cli.data", "pakru.cli.exports"}
    assert loaded & commands == {f"pakru.cli.{module}"}


def test_the_value_of_data_is_not_taken_for_a_command() -> None:
    from pakru.cli import _command_in

    assert _command_in(["--data", "search", "timeline"]) == "timeline"
    assert _command_in(["--data=search", "--no-cache", "compare", "search"]) == "compare"


def test_search_highlight_inside_markup_like_text_stays_text() -> None:
    r = terminal("search", "bold red odds")
    assert r.exit_code == 0
    plain = ANSI.sub("", r.stdout)
    assert "[bold red]despite all odds[/bold red]" in plain  # highlighted, never read as markup
    assert "\x1b[1;33modds" in r.stdout or "\x1b[1;3;33modds" in r.stdout
    r = invoke("search", "bold red odds")
    assert "[«bold» «red»]despite all «odds»[/«bold» «red»]" in r.stdout


def test_search_says_the_dates_left_out_the_undated_and_keeps_them_with_undated() -> None:
    bounded = invoke("search", "India", "--from", "2014", "--json")  # beta-004 is undated
    assert bounded.exit_code == 1 and json.loads(bounded.stdout) == []
    assert "undated claims are left out by --from; --undated to include them" in bounded.stderr
    kept = invoke("search", "India", "--from", "2014", "--undated", "--json")
    assert kept.exit_code == 0 and "left out" not in kept.stderr
    assert [h["id"] for h in json.loads(kept.stdout)] == ["beta-004"]


def test_show_places_a_quote_in_a_source_text_written_in_nfd(dataset_copy) -> None:  # type: ignore[no-untyped-def]
    """A text saved decomposed ("e" and a combining accent, as some editors on macOS write it)
    holds the quote as check reads it: show places it, and prints it as the source does."""
    import unicodedata

    text = dataset_copy.parent / "sources" / "beta.txt"
    old = "The helicopters reached Pakistan in 2018."
    new = "The hélicoptères reached Pakistan in 2018, à Karachi."
    text.write_text(unicodedata.normalize("NFD", text.read_text("utf-8").replace(old, new)), "utf-8")
    dataset_copy.write_text(dataset_copy.read_text("utf-8").replace(old, new), "utf-8")
    assert invoke("--data", str(dataset_copy), "check").exit_code == 0
    doc = json.loads(invoke("--data", str(dataset_copy), "show", "beta-002", "--json").stdout)
    assert unicodedata.normalize("NFC", doc["context"]["quote"]) == new
    assert doc["context"]["before"] == "Russia ended its embargo in 2013, some say."
    assert doc["context"]["after"] == "ISIS remains a shared threat for both states."


def test_piped_lines_mark_an_opinion_as_the_terminal_does() -> None:
    """grep finds whole claims in piped output: a line must not pass an author's reading off as
    an event."""
    from conftest import FIXTURE
    from pakru.dataset.load import load

    kinds = {c.id: c.kind for c in load(FIXTURE / "events.yaml").claims}
    assert {"event", "assessment", "prediction"} <= set(kinds.values())
    marks = 0
    for args in (["timeline"], ["compare", "--topic", "defence"], ["events"]):
        lines = [line for line in invoke(*args).stdout.splitlines() if re.search(r"\[\w+-\d+\]", line)]
        assert lines
        for line in lines:
            cid = re.search(r"\[(\w+-\d+)\]", line)[1]  # type: ignore[index]
            marked = f"({kinds[cid]})" in line
            assert marked == (kinds[cid] != "event"), (args, line)
            marks += marked
    assert marks >= 2


@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--limit", "0"],
        ["search", "x", "--kind", "opinion"],
        ["timeline", "--by", "month"],
        ["timeline", "--from", "2020", "--to", "2010"],
        ["compare", "--topic", "india", "--from", "20x0"],
        ["cite", "alpha-001", "-f", "docx"],
        ["cite", "alpha-001", "--json", "-f", "ris"],
    ],
)
def test_a_value_no_dataset_accepts_is_a_usage_error_that_says_where_to_look(args: list[str]) -> None:
    r = invoke(*args)
    assert r.exit_code == 2 and r.stdout == ""
    first, second = r.stderr.splitlines()
    assert first.startswith("pakru: error: ")
    assert second == f"Try 'pakru {args[0]} --help'."


def test_a_name_the_dataset_lacks_is_one_line() -> None:
    r = invoke("compare", "--topic", "astronomy")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("name", ["The Test Review", "the test review", "Test Review", "test  REVIEW"])
def test_source_by_outlet_with_or_without_its_article(name: str) -> None:
    doc = json.loads(invoke("timeline", "--source", name, "--json").stdout)
    assert doc and {c["source"]["id"] for c in doc} == {"alpha"}


def test_cite_names_a_span_of_paragraphs_as_the_styles_do(dataset_copy) -> None:  # type: ignore[no-untyped-def]
    old = 'quote: "The helicopters reached Pakistan in 2018."'
    new = 'quote: "The helicopters reached Pakistan in 2018. ISIS remains a shared threat"'
    text = dataset_copy.read_text("utf-8")
    assert old in text
    dataset_copy.write_text(text.replace(old, new), "utf-8")
    out = invoke("--data", str(dataset_copy), "cite", "beta-002").stdout
    assert "ISIS remains a shared threat” (paragraphs 1–2)\n" in out and "paras. 1–2" in out
    single = invoke("cite", "beta-001").stdout
    assert "some say.” (paragraph 1)\n" in single


def test_piped_sources_say_not_stated_once() -> None:
    lines = [line for line in invoke("sources").stdout.splitlines() if "outlet:" in line]
    assert lines and not any(line.count("not stated") > 1 for line in lines)
