"""The conventions people expect of a CLI: options anywhere, any case, errors that say where
to look, footers for what was left out, -V, help with examples (CliRunner and main())."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from pakru.cli import app, argv, hoisted, main

runner = CliRunner()
COMMANDS = {"search", "timeline", "compare", "show", "sources", "topics", "check", "events"}


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """As main() runs it: the global options moved first."""
    return runner.invoke(app, hoisted(list(args)), env=env)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["check", "--data", "D"], ["--data", "D", "check"]),
        (["timeline", "--no-cache", "-n", "2"], ["--no-cache", "timeline", "-n", "2"]),
        (["--json", "sources"], ["sources", "--json"]),
        (["sources", "--json"], ["sources", "--json"]),
        (["search", "--topic", "--json", "x"], ["search", "--topic", "--json", "x"]),  # a value stays
        (["search", "x", "--", "--data"], ["search", "x", "--", "--data"]),  # after -- nothing moves
        (["timeline", "--data=D", "--debug"], ["--data=D", "--debug", "timeline"]),
        (["--help"], ["--help"]),
        (["serch", "--data", "D"], ["serch", "--data", "D"]),  # no known command: as given
    ],
)
def test_hoist(given: list[str], expected: list[str]) -> None:
    assert argv.hoist(given, COMMANDS) == expected


def test_value_options_are_the_commands_own() -> None:
    """argv.VALUE_OPTIONS must list every option that takes a value, or hoist() could take a
    value for an option."""
    import typer.main

    group = typer.main.get_command(app)
    taking = {"--data"}
    for command in group.commands.values():  # type: ignore[attr-defined]
        for param in command.params:
            if getattr(param, "is_flag", True) is False and param.param_type_name == "option":
                taking.update(param.opts)
    assert taking == set(argv.VALUE_OPTIONS)


def test_global_options_after_the_command(capsys: pytest.CaptureFixture[str], dataset_copy) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_main(capsys, "check", "--data", str(dataset_copy.parent))
    assert code == 0 and out.startswith("OK ")
    code, out, _ = run_main(capsys, "timeline", "--no-cache", "-n", "1", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    code, out, _ = run_main(capsys, "--json", "sources")
    assert code == 0 and [s["id"] for s in json.loads(out)] == ["alpha", "beta"]


def test_usage_errors_are_two_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "timeline", "--limit", "abc")
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and len(lines) == 2
    assert lines[0].startswith("pakru: error: ") and "--limit" in lines[0]
    assert lines[1] == "Try 'pakru timeline --help'."
    # an option without its value: click gives no context, the arguments name the command
    for command, args in [
        ("compare", ["compare", "--topic"]),
        ("timeline", ["--data", "x", "timeline", "--from"]),
        ("export", ["export", "html", "-t"]),
    ]:
        code, _, err = run_main(capsys, *args)
        assert code == 2 and err.strip().splitlines()[1] == f"Try 'pakru {command} --help'."
    code, _, err = run_main(capsys, "serch", "x")
    assert code == 2 and err.strip().splitlines() == [
        "pakru: error: No such command 'serch'. Did you mean 'search'?",
        "Try 'pakru --help'.",
    ]


def test_version_short_and_help_command(capsys: pytest.CaptureFixture[str]) -> None:
    r = invoke("-V")
    assert r.exit_code == 0 and re.fullmatch(r"pakru \d+\.\d+\.\d+\n", r.stdout)
    r = invoke("--help", env={"COLUMNS": "100"})
    assert "Examples:" in r.stdout and "README" in r.stdout and "--install-completion" in r.stdout
    code, out, _ = run_main(capsys, "help", "timeline")
    assert code == 0 and "Usage: pakru timeline" in out


def test_help_lists_choices_and_date_formats() -> None:
    text = " ".join(invoke("timeline", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "[event|assessment|prediction]" in text and "[decade|year]" in text
    assert "a year (2014), year-month (2014-06) or date (2014-06-30)" in text
    # paragraphs are wrapped by the help, not broken where the source broke them
    assert "Claims of different sources about one event are shown together, with how many" in text


def test_choices_in_any_case() -> None:
    upper = invoke("timeline", "--kind", "Prediction", "--by", "Year", "--json")
    lower = invoke("timeline", "--kind", "prediction", "--by", "year", "--json")
    assert upper.exit_code == 0 and upper.stdout == lower.stdout and json.loads(upper.stdout)
    assert json.loads(invoke("show", "ALPHA-001", "--json").stdout)["id"] == "alpha-001"
    assert json.loads(invoke("timeline", "--event", "Embargo-Lifted", "--json").stdout)


def test_dates_forgive_spaces_and_short_months() -> None:
    a = invoke("timeline", "--from", " 2018-4", "--json").stdout
    assert a == invoke("timeline", "--from", "2018-04", "--json").stdout and json.loads(a)


def test_source_by_first_name_full_name_and_outlet(shipped) -> None:  # type: ignore[no-untyped-def]
    def ids(*args: str) -> set[str]:
        r = invoke("timeline", *args, "--json")
        assert r.exit_code == 0, r.stderr
        return {c["source"]["id"] for c in json.loads(r.stdout)}

    assert ids("--source", "umar") == {"karim"}
    assert ids("--source", "Shirin") == {"naseer"}
    assert ids("--source", "Hasan Askari Rizvi") == {"rizvi"}
    assert ids("--source", "Arab News") == {"rizvi", "karim"}


def test_footers_say_what_was_left_out() -> None:
    r = invoke("timeline", "--from", "2014", "--limit", "2")
    assert r.exit_code == 0
    assert r.stderr.splitlines() == [
        "showing 2 of 7 claims; --limit to see more",
        "3 undated claims left out by --from; --undated to include them",
    ]
    assert "undated claims left out" not in r.stdout  # piped: the footer is not in the data
    r = invoke("timeline", "--from", "2014", "--undated", "--json")
    assert r.stderr == "" and sum(c["date"] is None for c in json.loads(r.stdout)) == 3
    r = invoke("compare", "--topic", "isis", "--from", "2010")
    assert "1 undated claim left out by --from; --undated to include them" in r.stderr
    terminal = invoke("timeline", "--to", "2014", env={"FORCE_COLOR": "1"})
    assert "undated claims left out by --to" in terminal.stdout and terminal.stderr == ""
    assert invoke("timeline").stderr == ""


def test_singular_and_one_decimal(shipped) -> None:  # type: ignore[no-untyped-def]
    out = invoke("compare", "--topic", "ukraine").stdout
    assert "· 1 claim\n" in out and "· 1 claims" not in out
    assert "mean stance of its Ukraine and Crimea claims for Pakistan–Russia ties: -0.8" in out
    stances = re.findall(r"Pakistan–Russia ties: ([-+]?\d+(?:\.\d+)?)", out)
    assert stances and all(re.fullmatch(r"[-+]?\d\.\d", s) for s in stances)


def test_plain_compare_is_one_claim_a_line(shipped) -> None:  # type: ignore[no-untyped-def]
    out = invoke("compare", "--topic", "defence").stdout
    listed = [line for line in out.splitlines() if line.startswith("- [")]
    assert listed and all(re.match(r"- \[[a-z]+-\d{3}\] .+ — .+: .+ “.+”$", line) for line in listed)
    assert any(line.startswith("- [karim-019] 2014 — Umar Karim: ") for line in listed)


def test_events_command() -> None:
    r = invoke("events")
    assert r.stdout.splitlines()[0] == (
        "embargo-lifted: Russia lifts its arms embargo · attested by 2 sources · "
        "dates differ: 2013 (unsigned) vs 2014 (Ada Alpha)"
    )
    assert (
        r.stdout.splitlines()[1] == "  2013 — unsigned [beta-001]: Some say Russia ended the embargo in 2013."
    )
    doc = json.loads(invoke("events", "--json").stdout)
    lifted = next(e for e in doc if e["id"] == "embargo-lifted")
    assert lifted["agree"] is False and lifted["attested_by"] == 2 and lifted["sources"] == ["beta", "alpha"]
    assert [a["claim"] for a in lifted["attestations"]] == ["beta-001", "alpha-001"]
    heli = next(e for e in doc if e["id"] == "heli-delivery")
    assert heli["agree"] is False and heli["date_conflict"] is True  # alpha 2017, beta 2018
    only = json.loads(invoke("events", "--conflicts", "--json").stdout)
    assert [e["id"] for e in only] == ["embargo-lifted", "heli-delivery"]


def test_viewpoint_grid() -> None:
    doc = json.loads(invoke("compare", "--json").stdout)
    assert [s["id"] for s in doc["sources"]] == ["alpha", "beta"] and doc["kinds"] == []
    defence = next(t for t in doc["topics"] if t["id"] == "defence")
    assert defence["cells"]["alpha"] == {"claims": 3, "stance": 2.0}  # alpha-001 +2, alpha-005 +2
    assert defence["cells"]["beta"] == {"claims": 0, "stance": None}
    doc = json.loads(invoke("compare", "--kind", "Prediction", "--json").stdout)
    assert doc["kinds"] == ["prediction"]
    assert {t["id"] for t in doc["topics"]} == {"defence", "india"}
    plain = invoke("compare").stdout.splitlines()
    assert plain[0] == "topic\talpha\tbeta" and plain[1] == "(outlook)\t+2\t-1"
    terminal = invoke("compare", env={"FORCE_COLOR": "1"}).stdout
    assert "outlook +2" in re.sub(r"\x1b\[[0-9;]*m", "", terminal)
