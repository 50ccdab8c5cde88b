"""Bad datasets, as real processes: one clear line naming the file (and line), exit 1, no traceback.

Each row of CASES breaks a copy of the fixture dataset in one way, and runs as
`pakru --data DIR timeline` and `pakru --data DIR check`. The test asserts the exit
code, that a stderr line starts with FILE:LINE: (FILE: when there is no line) and
holds the fragment, that stderr has one line per problem and nothing else (`check`
adds its count), no traceback, that stdout is empty, and that no YAML tag ran a
command. The fragments are pakru's own words, never a library's: deep nesting, for
one, is pakru's error at the 33rd level whatever limit the installed libyaml has.
The runs are forked from a pre-imported pakru (see pakru_procs; PAKRU_TEST_EXEC=1
runs `python -m pakru` each time). Timings are recorded with record_property (see
--junitxml), never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import FIXTURE
from pakru_procs import Zygote, run_as_nobody, shared_folder, timed, zygote_fixture  # noqa: F401

TEXT = (FIXTURE / "events.yaml").read_text(encoding="utf-8")
BETA = (FIXTURE / "sources" / "beta.txt").read_text(encoding="utf-8")
L_END = (FIXTURE / "events.yaml").read_bytes().count(b"\n") + 1  # the line after the last
DATASET_LIMIT = 4 * 1024**3  # textfile.MAX_FILE_BYTES: a guard, not a dataset size limit
TEXT_LIMIT = 256 * 1024**2  # textfile.MAX_TEXT_BYTES: a file read whole
PWNED = "PWNED"  # what the os.system payloads would create in the dataset folder
Build = Callable[[Path], "Path | None"]  # breaks the dataset in a folder; returns --data if not the folder


def line_of(needle: str) -> int:
    return TEXT.count("\n", 0, TEXT.index(needle)) + 1


def sub(old: str, new: str, *more: str) -> Build:
    """Replace old with new (and each further pair in more) once; {ds} is the dataset folder."""
    pairs = [(old, new), *zip(more[::2], more[1::2], strict=True)]

    def build(ds: Path) -> None:
        text = TEXT
        for a, b in pairs:
            assert a in text, a
            text = text.replace(a, b.replace("{ds}", str(ds)), 1)
        (ds / "events.yaml").write_text(text, encoding="utf-8")

    return build


def write(data: bytes | str, name: str = "events.yaml") -> Build:
    def build(ds: Path) -> None:
        (ds / name).write_bytes(data if isinstance(data, bytes) else data.encode())

    return build


def act(fn: Callable[[Path], object]) -> Build:
    def build(ds: Path) -> None:
        fn(ds)

    return build


def sparse(name: str, size: int) -> Build:
    return act(lambda ds: os.truncate(ds / name, size))  # a hole: nothing is written


def dir_instead(rel: str) -> Build:
    def build(ds: Path) -> None:
        (shutil.rmtree if (ds / rel).is_dir() else os.unlink)(ds / rel)
        (ds / rel).mkdir()

    return build


def latin(title: str, encoding: str) -> bytes:
    plain = TEXT.replace("“", "'").replace("”", "'")
    return plain.replace("Alpha on the Ties", title).encode(encoding)


def bomb(item: str = "{name}: ") -> str:
    """The billion laughs: nine levels of aliases, each nine times the one before (9**10 leaves)."""
    lines = [item.format(name="a") + "&a [" + ",".join(["lol"] * 9) + "]"]
    for i in range(1, 10):
        name, prev = chr(97 + i), chr(96 + i)
        lines.append(item.format(name=name) + f"&{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def sources_is_a_file(ds: Path) -> None:
    shutil.rmtree(ds / "sources")
    (ds / "sources").write_text("not a folder", encoding="utf-8")


class Case(NamedTuple):
    id: str
    build: Build
    fragment: str  # must be in a stderr line that starts with FILE:LINE:
    line: int | None  # the events.yaml line the error must name; None: the file alone
    file: str = "events.yaml"  # relative to the dataset folder
    nobody: bool = False  # run as an unprivileged user (permissions mean nothing to root)
    problems: int = 1  # the problem lines on stderr (`check` adds one line, its count)
    bug: str = ""  # a known bug in src/: the row is a strict xfail with this reason


SUMMARY = 'summary: "Russia ended its arms embargo on Pakistan in 2014."'
TOPICS = "topics: [arms-embargo, defence]"
L_SUMMARY, L_DATE, L_STANCE, L_TOPICS = (line_of(x) for x in (SUMMARY, 'date: "2014"', "stance: 2", TOPICS))
L_KIND, L_TITLE, L_BETA = line_of("kind: event"), line_of('title: "Alpha'), line_of("text: beta.txt")
L_OUTLOOK = line_of('quote: "Relations may well reverse')
DEEP, DIGITS = 10_000, "9" * 5000
OS_SYSTEM = '!!python/object/apply:os.system ["touch {ds}/' + PWNED + '"]'
NOT_INT = "is not a whole number from -2 to 2"
TOO_DEEP = "nested deeper than 32 levels"
QUOTES = "write the date in quotes"


def summary(v: str) -> Build:
    return sub(SUMMARY, f"summary: {v}")


def stance(v: str) -> Build:
    return sub("stance: 2", f"stance: {v}")


def date(v: str) -> Build:
    return sub('date: "2014"', f"date: {v}")


def topics(v: str) -> Build:
    return sub(TOPICS, f"topics: {v}")


C = Case
CASES = [
    # YAML tags that construct objects: refused, and nothing runs
    C(
        "tag-os-system",
        summary(OS_SYSTEM),
        "tags (tag:yaml.org,2002:python/object/apply:os.system)",
        L_SUMMARY,
    ),
    C("tag-os-system-top", write(f"format: {OS_SYSTEM}\n"), "YAML tags", 1),
    C("tag-object-new", summary(OS_SYSTEM.replace("apply", "new")), "python/object/new:os.system", L_SUMMARY),
    C("tag-name", summary("!!python/name:os.system"), "YAML tags", L_SUMMARY),
    C("tag-set", topics("!!set {a, b}"), "YAML tags (tag:yaml.org,2002:set)", L_TOPICS),
    C("tag-local", summary("!shell rm -rf /"), "YAML tags (!shell)", L_SUMMARY),
    # anchors and aliases, billion laughs included: refused while parsing
    C("anchor-alias", stance("&s 2\n    x: *s"), "YAML anchors (&s) are not allowed", L_STANCE, problems=2),
    C("undefined-alias", summary("*nowhere"), "YAML aliases (*nowhere) are not allowed", L_SUMMARY),
    C("billion-laughs", write(bomb()), "YAML anchors (&a) are not allowed", 1, problems=50),
    C(
        "billion-laughs-nested",
        topics("\n" + bomb("      - ")),
        "anchors (&a) are not allowed",
        L_TOPICS + 1,
        problems=50,
    ),
    C(
        "merge-key",
        sub("  - id: alpha-001\n", "  - &c1\n    id: alpha-001\n", "  - id: alpha-002\n", "  - <<: *c1\n"),
        "YAML anchors (&c1) are not allowed",
        line_of("  - id: alpha-001"),
        problems=2,
    ),
    # nesting thousands deep: refused at depth 33, before anything recurses
    C("deep-flow-seq", write("[" * DEEP + "]" * DEEP), TOO_DEEP, 1),
    C("deep-flow-map", write("{a: " * DEEP + "}" * DEEP), TOO_DEEP, 1),
    C("deep-unclosed", write("claims: " + "[" * 100_000), TOO_DEEP, 1),
    C("deep-block-seq", write("- " * DEEP + "x\n"), TOO_DEEP, 1),
    C("deep-block-map", write("".join(" " * i + f"k{i}:\n" for i in range(2000))), TOO_DEEP, 33),
    C("depth-33", write("[" * 33 + "]" * 33), TOO_DEEP, 1),
    C("deep-in-claim", topics("[" * DEEP + "]" * DEEP), TOO_DEEP, L_TOPICS),
    # YAML 1.1 surprises: kept as text (see test_yaml11_values_stay_text), so the schema refuses them
    C("yaml11-NO", stance("NO"), f"'NO' {NOT_INT}", L_STANCE),
    C("yaml11-yes", stance("yes"), f"'yes' {NOT_INT}", L_STANCE),
    C("yaml11-float", sub("format: 1", "format: 1.10"), "unsupported format '1.10'", 2),
    C("yaml11-sexagesimal", date("1:20"), f'{QUOTES} ("1:20")', L_DATE),
    C("yaml11-octal", stance("0755"), f"'0755' {NOT_INT}", L_STANCE),
    C("unquoted-date", date("2014-01-16"), QUOTES, L_DATE),
    C("unquoted-year", date("2014"), QUOTES, L_DATE),
    C(
        "unquoted-published",
        sub('published: "2019-03-01"', "published: 2019-03-01"),
        f"source alpha: field published: {QUOTES}",
        line_of('published: "2019-03-01"'),
        problems=1,  # the source's own problem: its 7 claims are not told it is unknown
    ),
    C(
        "blank-date",  # one problem: the basis is not also told the date is null
        date('""'),
        "field date: must not be blank",
        L_DATE,
        problems=1,
    ),
    C(
        "typographic-quotes-date",
        date("“2014”"),
        'field date: write the date in straight quotes ("2014"), not typographic ones',
        L_DATE,
    ),
    C(
        "open-ended-published",
        sub('published: "2019-03-01"', 'published: "2019/.."'),
        "source alpha: field published: a publication date needs both ends",
        line_of('published: "2019-03-01"'),
        problems=1,
    ),
    C(
        "duplicate-key",
        sub("    kind: event\n", "    kind: event\n    kind: event\n"),
        f"duplicate key 'kind' (first at line {L_KIND}, again at line {L_KIND + 1})",
        L_KIND + 1,
    ),
    C(
        "duplicate-section",
        sub("actors:\n", "topics: []\nactors:\n"),
        f"duplicate key 'topics' (first at line {line_of('topics:')}, again at line {line_of('actors:')})",
        line_of("actors:"),
    ),
    C(
        "line-separator",
        sub("Alpha on the Ties", "Alpha on\u2028the Ties", "    stance: -1\n", "    stance: 7\n"),
        f"'7' {NOT_INT}",
        line_of("    stance: -1\n"),
    ),
    C(
        "carriage-return",
        sub("Alpha on the Ties", "Alpha on\rthe Ties", "    stance: -1\n", "    stance: 7\n"),
        f"'7' {NOT_INT}",
        line_of("    stance: -1\n"),
    ),
    C(
        "old-mac-line-breaks",  # CR alone ends each line: lines are counted as an editor shows them
        write(TEXT.replace("stance: -1\n", "stance: 7\n").replace("\n", "\r")),
        f"'7' {NOT_INT}",
        line_of("    stance: -1\n"),
    ),
    C("two-documents", write(TEXT + "---\nformat: 1\n"), "more than one YAML document", TEXT.count("\n") + 1),
    # values PyYAML itself rejects with ValueError and friends
    C("feb-30-plain", date("2017-02-30"), QUOTES, L_DATE),
    C("feb-30", date('"2017-02-30"'), "'2017-02-30': day 30 does not exist in February 2017", L_DATE),
    C("int-tag", stance("!!int abc"), "YAML tags (tag:yaml.org,2002:int)", L_STANCE),
    C("timestamp-tag", date("!!timestamp nope"), "YAML tags (tag:yaml.org,2002:timestamp)", L_DATE),
    C("5000-digits", stance(DIGITS), NOT_INT, L_STANCE),
    C("5000-digits-tag", sub("format: 1", f"format: !!int {DIGITS}"), "YAML tags", 2),
    C("5000-digits-date", date(f'"{DIGITS}"'), "is not an EDTF date", L_DATE),
    # bytes: UTF-8 only (a BOM is fine: test_bom_is_accepted), no NUL, no raw control characters
    C("latin-1", write(latin("Alpha on the Tiés", "latin-1")), "not UTF-8 text (byte 0xe9)", L_TITLE),
    C("cp1251", write(latin("Россия", "cp1251")), "not UTF-8 text (byte 0xd0)", L_TITLE),
    C("utf-16", write(TEXT.encode("utf-16")), "not UTF-8 text (byte 0xff)", 1),
    C("nul", sub("in 2014.", "in\x002014."), "contains a NUL byte", L_SUMMARY),
    C("escape", sub("in 2014.", "in \x1b[31m2014."), "control character U+001B", L_SUMMARY),
    C("c1-control", sub("in 2014.", "in \u009b2014."), "control character U+009B", L_SUMMARY),
    C("empty", write(b""), "the file is empty", 1),
    C("only-comments", write(b"# nothing\n\n   \n"), "the file is empty", 1),
    C(
        "source-latin-1",
        write(("é" + BETA).encode("latin-1"), "sources/beta.txt"),
        "beta.txt: not UTF-8",
        L_BETA,
    ),
    C(
        "source-cp1251",
        write(("Ж" + BETA).encode("cp1251"), "sources/beta.txt"),
        "beta.txt: not UTF-8",
        L_BETA,
    ),
    C("source-nul", write("\x00" + BETA, "sources/beta.txt"), "beta.txt: contains a NUL byte", L_BETA),
    C(
        "source-empty",
        write(b"", "sources/beta.txt"),
        "outlook.quote: quote not found",
        L_OUTLOOK,
        problems=5,
    ),
    # files missing, of the wrong kind, unreadable or too large
    C("no-dataset-folder", lambda ds: ds / "nowhere", "no such dataset file", None, file="nowhere"),
    C("no-events-yaml", act(lambda ds: os.unlink(ds / "events.yaml")), "no such dataset file", None),
    C(
        "events-is-dir",
        dir_instead("events.yaml"),
        "is a directory, expected a dataset file",
        None,
    ),
    C("no-source-text", act(lambda ds: os.unlink(ds / "sources/beta.txt")), "no such source text", L_BETA),
    C(
        "no-sources-dir",
        act(lambda ds: shutil.rmtree(ds / "sources")),
        "no such source text",
        L_BETA,
        problems=2,
    ),
    C("source-is-dir", dir_instead("sources/beta.txt"), "is a directory, expected a source text", L_BETA),
    C("sources-is-file", act(sources_is_a_file), "cannot read the source text", L_BETA, problems=2),
    C("unreadable", act(lambda ds: os.chmod(ds / "events.yaml", 0)), "permission denied", None, nobody=True),
    C(
        "unreadable-source",
        act(lambda ds: os.chmod(ds / "sources/beta.txt", 0)),
        "permission",
        L_BETA,
        nobody=True,
    ),
    C(
        "unreadable-sources",
        act(lambda ds: os.chmod(ds / "sources", 0)),
        "permission denied",
        L_BETA,
        nobody=True,
        problems=2,
    ),
    C(
        "huge",
        sparse("events.yaml", DATASET_LIMIT + 1),
        "dataset file is 4,294,967,297 bytes, over the 4,294,967,296-byte limit",
        None,
    ),
    C(
        "huge-source",
        sparse("sources/beta.txt", TEXT_LIMIT + 1),
        "source text is 268,435,457 bytes, over the",
        L_BETA,
    ),
    # under the limit: read only as far as its first megabyte, where the NULs are
    C("2gb-of-nul", sparse("events.yaml", 2 << 30), "contains a NUL byte; not a text file", L_END),
    C("2gb-source-unread", sparse("sources/beta.txt", 2 << 30), "text is 2,147,483,648 bytes, over", L_BETA),
    C("dev-zero", lambda ds: Path("/dev/zero"), "not a regular file", None, file="/dev/zero"),
    C(
        "fifo",
        act(lambda ds: (os.unlink(ds / "events.yaml"), os.mkfifo(ds / "events.yaml"))),
        "not a regular",
        None,
    ),
    C(
        "fifo-source",
        act(lambda ds: (os.unlink(ds / "sources/beta.txt"), os.mkfifo(ds / "sources/beta.txt"))),
        "beta.txt: cannot read the source text: not a regular file",
        L_BETA,
    ),
    # schema errors
    C("root-is-list", write("- a\n- b\n"), "expected a mapping, found a list", 1),
    C("missing-field", sub(f"    {SUMMARY}\n", ""), "claim alpha-001: field summary: missing", L_DATE - 2),
    C(
        "missing-section",
        sub("claims:\n", "claimz:\n"),
        "field claims: missing top-level section",
        2,
        problems=2,
    ),
    C("unknown-field", sub("stance: 2", "stanse: 2"), "field stanse: unknown field", L_STANCE),
    C("text-not-list", topics("defence"), "field topics: expected a list, found text", L_TOPICS),
    C("list-not-text", summary("[a, b]"), "field summary: expected text, found a list", L_SUMMARY),
    C("map-not-text", summary("{a: b}"), "expected text, found a mapping", L_SUMMARY),
    C("unknown-topic", topics("[arms-embargo, defense]"), "unknown topic 'defense'", L_TOPICS),
    C(
        "unknown-source",
        sub("source: alpha", "source: gamma"),
        "unknown source 'gamma'",
        line_of("source: alpha"),
    ),
    C("bad-edtf", date('"2014-13"'), "'2014-13': month 13 does not exist", L_DATE),
    C("not-edtf", date('"March 2014"'), "'March 2014' is not an EDTF date", L_DATE),
    C("stance-high", stance("3"), f"'3' {NOT_INT}", L_STANCE),
    C("stance-low", stance("-3"), f"'-3' {NOT_INT}", L_STANCE),
    C("stance-float", stance("1.5"), f"'1.5' {NOT_INT}", L_STANCE),
    C(
        "quote-not-in-source",
        sub("In 2014, Russia lifted", "In 2015, Russia lifted"),
        "claim alpha-001: field quote: quote not found in source 'alpha'",
        line_of('quote: "In 2014, Russia lifted'),
    ),
]


@pytest.fixture
def place(tmp_path: Path) -> Iterator[Callable[[bool], Path]]:
    """A fresh copy of the fixture; for runs as nobody, in a folder nobody can read."""
    with ExitStack() as stack:
        yield lambda shared: stack.enter_context(shared_folder(FIXTURE)) / "ds" if shared else copy(tmp_path)


def copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "ds")
    return tmp_path / "ds"


def param(c: Case) -> object:
    marks = [pytest.mark.xfail(reason=c.bug, strict=True, raises=AssertionError)] if c.bug else []
    return pytest.param(c, id=c.id, marks=marks)


@pytest.mark.parametrize("command", ["timeline", "check"])
@pytest.mark.parametrize("case", [param(c) for c in CASES])
def test_bad_dataset(case: Case, command: str, place, zygote: Zygote, record_property) -> None:  # type: ignore[no-untyped-def]
    ds = place(case.nobody)
    data = case.build(ds) or ds
    if case.nobody:
        r = run_as_nobody(ds.parent, "--data", str(data), command)
    else:
        r, elapsed = timed(zygote, "--data", str(data), command)
        record_property("elapsed_s", round(elapsed, 3))
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == 1, err
    assert "Traceback" not in err
    assert r.stdout == b""
    where = f"{ds / case.file}:" + (f"{case.line}:" if case.line is not None else " ")
    lines = err.splitlines()
    assert any(line.startswith(where) and case.fragment in line for line in lines), (where, err[:2000])
    assert len(lines) == case.problems + (command == "check"), err[:2000]
    named = (str(ds), str(ds / case.file))  # each problem names its file first
    assert all(line.startswith(named) for line in lines[: case.problems]), err[:2000]
    assert not (ds / PWNED).exists(), "a YAML tag ran a command"


JSON_CASES = {
    "tag-os-system",
    "billion-laughs",
    "deep-flow-seq",
    "latin-1",
    "duplicate-key",
    "no-events-yaml",
}


@pytest.mark.parametrize("case", [c for c in CASES if c.id in JSON_CASES], ids=lambda c: c.id)
def test_bad_dataset_json(case: Case, place, zygote: Zygote) -> None:  # type: ignore[no-untyped-def]
    """--json: stdout is valid JSON (check) or empty (timeline); the problems carry file and line."""
    ds = place(False)
    data = case.build(ds) or ds
    r = zygote.run("--data", str(data), "timeline", "--json")
    assert r.returncode == 1 and r.stdout == b"" and b"Traceback" not in r.stderr
    r = zygote.run("--data", str(data), "check", "--json")
    assert r.returncode == 1 and b"Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["problems"]
    assert (doc["problems"][0]["file"], doc["problems"][0]["line"]) == (str(ds / case.file), case.line)
    assert len(r.stderr.decode().splitlines()) == len(doc["problems"]) + 1  # each problem, then the count


def test_bom_is_accepted(place, zygote: Zygote) -> None:  # type: ignore[no-untyped-def]
    ds = place(False)
    (ds / "events.yaml").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    (ds / "sources" / "beta.txt").write_bytes(b"\xef\xbb\xbf" + BETA.encode())
    r = zygote.run("--data", str(ds), "check")
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    r = zygote.run("--data", str(ds), "timeline", "--json")
    assert r.returncode == 0 and r.stderr == b"" and len(json.loads(r.stdout)) == 11


def test_yaml11_values_stay_text(place, zygote: Zygote) -> None:  # type: ignore[no-untyped-def]
    """Where text is expected, what YAML 1.1 would make a bool, number or date is kept as written."""
    values = ["NO", "yes", "1.10", "1:20", "0755", "2017-01-16", "2017-02-30", "0x1F", ".inf", "~x", DIGITS]
    ds = place(False)
    aliases = ", ".join(values)
    sub('"Mi-35", "Mi35", "Mi-35M"', aliases, 'label: "Helicopters"', "label: 1.10")(ds)
    r = zygote.run("--data", str(ds), "topics", "--json")
    assert r.returncode == 0, r.stderr
    topic = {t["id"]: t for t in json.loads(r.stdout)}["helicopters"]
    assert topic["label"] == "1.10" and topic["aliases"] == values
