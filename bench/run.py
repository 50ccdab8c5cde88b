"""Time pakru as whole processes against its targets and write docs/benchmark.md.

    python bench/run.py                 # full run, several minutes: writes docs/benchmark.md
    python bench/run.py --quick         # smoke run: few runs, small datasets, bench/out/benchmark-quick.md
    python bench/run.py --python /path/to/venv/bin/python   # time that interpreter's pakru

Every figure is a fresh process (start-up included) with stdout to /dev/null, as a script would run
it, and with a warm cache (one untimed run first) unless it says "first run". Commands of one group
run in turn, round after round and in a fresh order each round, so that drift hits them alike;
the median of the runs is reported.
Baselines (`python -c pass`, `import typer`, `import typer, rich.table, rapidfuzz.process`) are
measured in the same run with the same interpreter. pakru runs from its compiled bytecode, as it
does once pip has installed it (PYTHONDONTWRITEBYTECODE is dropped from the environment). Synthetic
datasets come from bench/generate.py, in a temporary folder under bench/out/ (git-ignored). Peak
memory is each command's max RSS, from GNU time (/usr/bin/time -f %M); without it, from wait4, which
counts the harness's own RSS at fork (tens to hundreds of MB once it has generated the datasets) as
a floor.
The first-run progress check passes when every first run longer than 1.5 s (a second of work, plus
start-up) has written to stderr by then. The exit status is 0 whatever the figures: this is a
report, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import DEVNULL, PIPE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

REPO = Path(__file__).resolve().parent.parent
SLOW = 1.0  # seconds: a command whose first timed run takes longer gets --slow-runs runs
TRR = "typer+rich+rapidfuzz"
PROGRESS = 1.5  # seconds from the start: "more than a second" of work, plus start-up
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    code: int
    stderr: str
    first_stderr: float | None  # seconds from start to the first byte on stderr
    tree_mb: float | None = None  # peak of the process tree's summed PSS (run_once(tree=True))


@dataclass
class Row:
    dataset: str
    figure: str
    target: str  # "baseline" for a baseline, not a target
    median: str
    ratio: str
    samples: list[Sample]
    ok: bool | None  # None: skipped

    def cells(self) -> list[str]:
        rss = f"{max(s.rss_mb for s in self.samples):.0f} MB" if self.samples else ""
        result = (
            "" if self.target == "baseline" else {True: "pass", False: "**FAIL**", None: "skipped"}[self.ok]
        )
        head = [self.dataset, self.figure, self.target, self.median, self.ratio]
        return [*head, str(len(self.samples)), rss, result]


MEMORY = "max RSS, or the processes' PSS summed if larger"


def memory(s: Sample) -> float:
    """A run's memory: with a child writing the database, the larger process's max RSS is not
    all of it; the processes' PSS summed (sampled every 0.1 s, where /proc has it) is."""
    return max(s.rss_mb, s.tree_mb or 0.0)


def tree_pss_kb(root: int) -> int | None:
    """The summed PSS (kB) of a process and its descendants, from /proc (Linux); None if it
    cannot be read. PSS counts a page shared by n processes as 1/n in each: a forked child's
    pages shared with its parent are counted once, not twice as summed RSS would."""
    children: dict[int, list[int]] = {}
    try:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
    except OSError:
        return None
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                found = re.search(rb"^Pss:\s+(\d+) kB", fh.read(), re.M)
        except OSError:
            continue
        total += int(found[1]) if found else 0
    return total


def run_once(cmd: list[str], env: dict[str, str], *, tree: bool = False) -> Sample:
    """One run; ``tree``: also sample the summed PSS of the process tree (a first run may fork a
    child to write the database) every 0.1 s."""
    rss_r, rss_w = os.pipe()
    if TIME:  # GNU time's child is forked from a small process, so its max RSS is the command's own
        cmd = [TIME, "-o", f"/dev/fd/{rss_w}", "-f", "%M", *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=DEVNULL, stdout=DEVNULL, stderr=PIPE, env=env, pass_fds=(rss_w,))
    os.close(rss_w)
    assert proc.stderr is not None
    chunks: list[bytes] = []
    first: list[float] = []

    def drain(fd: int) -> None:
        while data := os.read(fd, 65536):
            if not first:
                first.append(time.perf_counter() - start)
            chunks.append(data)

    reader = threading.Thread(target=drain, args=(proc.stderr.fileno(),))
    reader.start()
    peaks: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            kb = tree_pss_kb(proc.pid)
            if kb is not None:
                peaks.append(kb)

    sampler = threading.Thread(target=sample) if tree and os.path.isdir("/proc") else None
    if sampler is not None:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    if sampler is not None:
        sampler.join()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    proc.stderr.close()
    text = b"".join(chunks).decode("utf-8", "replace")
    with os.fdopen(rss_r) as fh:
        found = re.search(r"(\d+)\s*$", fh.read())
    kb = int(found[1]) if TIME and found else usage.ru_maxrss
    tree_mb = max(peaks) / 1024 if peaks else None
    return Sample(seconds, kb / 1024, proc.returncode, text, first[0] if first else None, tree_mb)


def measure(
    group: dict[str, tuple[list[str], dict[str, str]]], runs: int, slow: int
) -> dict[str, list[Sample]]:
    """One untimed run of each command, then rounds of timed runs, each command in turn."""
    for cmd, env in group.values():
        warm = run_once(cmd, env)
        if warm.code:
            print(f"  ! {' '.join(cmd)}: exit {warm.code}: {warm.stderr.strip()[-300:]}", flush=True)
    samples = {key: [run_once(cmd, env)] for key, (cmd, env) in group.items()}
    wanted = {key: runs if got[0].seconds < SLOW else slow for key, got in samples.items()}
    keys = list(group)
    for i in range(1, max(wanted.values(), default=0)):
        # A fresh order each round: this machine's speed drifts in bursts, and a fixed order
        # let a burst that recurs at the same point of each round fall on the same command.
        random.Random(i).shuffle(keys)
        for key in keys:
            if i < wanted[key]:
                samples[key].append(run_once(*group[key]))
    for key, got in samples.items():
        report(key, group[key][0], got)
    return samples


def report(key: str, cmd: list[str], got: list[Sample]) -> None:
    times = [s.seconds for s in got]
    shown = " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))
    print(
        f"  {key:<16} {secs(statistics.median(times)):>9}  (min {secs(min(times))}, max {secs(max(times))}, "
        f"{len(times)} runs, max RSS {max(s.rss_mb for s in got):.0f} MB)  {shown}",
        flush=True,
    )


def secs(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def median(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def failed(samples: list[Sample]) -> str:
    bad = [s for s in samples if s.code]
    last = bad[0].stderr.strip().splitlines()[-1:] if bad else []
    return f" (exit {bad[0].code}: {last[0][:80] if last else 'no message'})" if bad else ""


def relative(
    dataset: str, figure: str, got: list[Sample], base: list[Sample], label: str, limit: float
) -> Row:
    ratio, bad = median(got) / median(base), failed(got)
    target = f"≤ {limit:g}× {label}"
    return Row(
        dataset, figure + bad, target, secs(median(got)), f"{ratio:.2f}×", got, ratio <= limit and not bad
    )


def absolute(dataset: str, figure: str, got: list[Sample], limit: float) -> Row:
    value, bad = median(got), failed(got)
    ratio = f"{value / limit:.2f} of limit"
    return Row(dataset, figure + bad, f"< {secs(limit)}", secs(value), ratio, got, value < limit and not bad)


def machine(python: str) -> dict[str, str]:
    probe = (
        "import json, platform, importlib.metadata as m, importlib.util\n"
        "v = {n: next((d.version for d in m.distributions(name=n)), 'not installed')"
        " for n in ('pakru', 'typer', 'rich', 'rapidfuzz', 'pyyaml')}\n"
        "print(json.dumps({**v, 'python': platform.python_version(),"
        " 'where': importlib.util.find_spec('pakru').origin}))"
    )
    info = json.loads(capture([python, "-c", probe]))
    info["nproc"] = capture(["nproc"]).strip() or str(len(os.sched_getaffinity(0)))
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    info["cpu"] = found[1].strip() if found else platform.processor() or "unknown"
    info["os"] = f"{platform.system()} {platform.release()}"
    where = str(Path(info.pop("where")).parent)  # the commit of the checkout pakru runs from, if any
    commit = capture(["git", "-C", where, "rev-parse", "--short", "HEAD"]).strip()
    dirty = capture(["git", "-C", where, "status", "--porcelain", "."])
    info["commit"] = f"{commit}{' with uncommitted changes' if dirty else ''} ({where})" if commit else where
    info["load"] = "load average {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
    info["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return info


def capture(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def edtf_start(date: str) -> datetime.datetime | None:
    m = re.match(r"(\d{3})([\dX])(?:-(\d\d))?(?:-(\d\d))?", date)
    if not m:
        return None
    year = int(m[1] + m[2].replace("X", "0"))
    return datetime.datetime(year, int(m[3] or 1), int(m[4] or 1), 9, 0)


def write_jrnl(events: Path, folder: Path, version: str) -> Path:
    """The dataset's claims as a plain-text jrnl journal, and a jrnl config in folder/config/jrnl/."""
    published: dict[str, str] = {}
    entries: list[tuple[datetime.datetime, str]] = []
    source = date = summary = ""
    for line in events.read_text(encoding="utf-8").splitlines():
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        if key == "id" and value.startswith("s"):
            source = value
        elif key == "published":
            published[source] = json.loads(value)
        elif key in ("source", "date"):
            source, date = (value, "null") if key == "source" else (source, value)
        elif key == "summary":
            summary = json.loads(value)
        elif key == "quote" and line.startswith("    quote"):
            when = edtf_start(json.loads(date) if date != "null" else published[source])
            entries.append((when or datetime.datetime(2022, 1, 1, 9), f"{summary} {json.loads(value)}"))
    entries.sort(key=lambda e: e[0])
    journal, config = folder / "journal.txt", folder / "config" / "jrnl" / "jrnl.yaml"
    config.parent.mkdir(parents=True)
    journal.write_text("".join(f"[{d:%Y-%m-%d %H:%M}] {text}\n\n" for d, text in entries), encoding="utf-8")
    # YAML, not JSON: jrnl takes a JSON config for a 1.x one and upgrades it
    config.write_text(
        f"version: {json.dumps(version)}\njournals:\n  default:\n    journal: {json.dumps(str(journal))}\n"
        'editor: ""\nencrypt: false\ntemplate: false\ndefault_hour: 9\ndefault_minute: 0\n'
        'timeformat: "%Y-%m-%d %H:%M"\ntagsymbols: "#@"\nhighlight: false\nlinewrap: 79\n'
        'indent_character: "|"\ncolors: {body: none, date: none, tags: none, title: none}\n'
    )
    return journal


def markdown(rows: list[Row], info: dict[str, str], met: str, notes: list[str], took: float) -> str:
    lines = [
        "# pakru benchmark",
        "",
        f"Written by `{' '.join(['python bench/run.py', *sys.argv[1:]])}` on {info['date']}"
        f" (the whole run took {took / 60:.1f} min).",
        "Rerun it to refresh this page; its docstring says how the figures are taken. In short: each",
        "figure is a whole process, start-up included, with stdout to /dev/null and a warm cache unless",
        "it says first run, and the median of several runs. Ratios are to baselines of the same run.",
        "",
        f"**Machine:** {info['nproc']} CPUs (`nproc`), {info['cpu']}, {info['os']}; "
        f"Python {info['python']}; typer {info['typer']}, rich {info['rich']}, "
        f"rapidfuzz {info['rapidfuzz']}, pyyaml {info['pyyaml']}, jrnl {info['jrnl']}; "
        f"pakru {info['pakru']} at {info['commit']}.",
        "",
        "| dataset | figure | target | median | ratio | runs | max RSS | result |",
        "|---|---|---|---:|---:|---:|---:|---|",
        *("| " + " | ".join(r.cells()) + " |" for r in rows),
        "",
        f"**{met}**",
        "",
        *(f"- {n}" for n in notes),
    ]
    return "\n".join(lines) + "\n"


def shipped(py: str, pakru: str, env: dict[str, str], runs: int, slow: int) -> list[Row]:
    print("shipped dataset, with baselines:")
    trr = "import typer, rich.table, rapidfuzz.process"
    base = {"python pass": "pass", "import typer": "import typer", "import trr": trr}
    commands = {
        "search": ["search", "Gwadar"],
        "compare": ["compare", "--topic", "india"],
        "timeline": ["timeline"],
    }
    terminal_views = {
        "timeline": ["timeline"],
        "compare": ["compare", "--topic", "india"],
        "grid": ["compare"],
        "search": ["search", "Gwadar"],
        "show": ["show", "karim-020"],
        "sources": ["sources"],
        "topics": ["topics"],
        "events": ["events"],
    }
    commands |= {f"{key} json": [*args, "--json"] for key, args in commands.items()}
    # The terminal layout, colours included, at 80 columns (PAKRU_TERMINAL=1 renders as on a
    # terminal; stdout is still /dev/null, so no pager runs)
    term_env = dict(env, PAKRU_TERMINAL="1", COLUMNS="80", LINES="50")
    group = {key: ([py, "-c", code], env) for key, code in base.items()}
    group |= {key: ([pakru, *args], env) for key, args in commands.items()}
    group |= {f"{key} terminal": ([pakru, *args], term_env) for key, args in terminal_views.items()}
    m = measure(group, runs, slow)
    rows = [
        Row("—", f'`python -c "{code}"`', "baseline", secs(median(m[k])), "", m[k], None)
        for k, code in base.items()
    ]
    rows[-1].figure += f" ({TRR})"
    for key, args in commands.items():
        against, label = ("import typer", "`import typer`") if "json" in key else ("import trr", TRR)
        limit = 1.5 if key == "timeline" else 1.15
        rows.append(relative("shipped", f"`pakru {' '.join(args)}`", m[key], m[against], label, limit))
    for key, args in terminal_views.items():
        limit = 1.5 if key == "timeline" else 1.15
        figure = f"`PAKRU_TERMINAL=1 pakru {' '.join(args)}` (terminal layout, 80 columns)"
        rows.append(relative("shipped", figure, m[f"{key} terminal"], m["import trr"], TRR, limit))
    return rows


def synthetic(
    pakru: str, env: dict[str, str], data: Path, runs: int, slow: int, cold_runs: int, notes: list[str]
) -> list[Row]:
    label = f"{int(data.name):,} synthetic"
    search = [pakru, "--data", str(data), "search", "gwadar"]
    print(f"{label}, first run (an empty cache each time):")
    cold: list[Sample] = []
    for i in range(cold_runs):
        cache = data.parent / f"cold-{i}"
        cold.append(run_once(search, dict(env, PAKRU_CACHE_DIR=str(cache)), tree=True))
        shutil.rmtree(cache, ignore_errors=True)
    report("first run", search, cold)
    print(f"{label}, warm cache:")
    m = measure(
        {
            "search": (search, env),
            "timeline 50": ([pakru, "--data", str(data), "timeline", "--limit", "50"], env),
            "compare": ([pakru, "--data", str(data), "compare", "--topic", "india"], env),
        },
        runs,
        slow,
    )
    long_runs = [s for s in cold if s.seconds > PROGRESS]
    late = [s for s in long_runs if s.first_stderr is None or s.first_stderr > PROGRESS]
    shown = [s.first_stderr for s in long_runs if s.first_stderr is not None]
    when = f"at {secs(statistics.median(shown))}" if shown else ("none" if long_runs else "n/a")
    if long_runs and shown:
        notes.append(f"First-run progress message: `{long_runs[0].stderr.strip().splitlines()[0]}`")
    every = {"first run": cold, **{f"warm {k}": v for k, v in m.items()}}
    peak_key = max(every, key=lambda k: max(memory(s) for s in every[k]))
    peak = max(memory(s) for s in every[peak_key])
    return [
        absolute(label, "`pakru search gwadar`", m["search"], 0.4),
        absolute(label, "`pakru search gwadar`, first run (builds the cache)", cold, 15.0),
        Row(label, "first run: progress on stderr when slow", f"on stderr by {PROGRESS:g} s", when,
            f"{len(long_runs) - len(late)}/{len(long_runs)} runs in time", cold, not late),
        Row(label, f"peak memory of the runs above ({peak_key}; {MEMORY})", "< 300 MB", f"{peak:.0f} MB",
            f"{peak / 300:.2f} of limit", every[peak_key], peak < 300),
        absolute(label, "`pakru timeline --limit 50`", m["timeline 50"], 0.5),
        absolute(label, "`pakru compare --topic india`", m["compare"], 0.5),
    ]  # fmt: skip


SCALE = (10_000, 100_000, 1_000_000)


def scale(
    pakru: str, env: dict[str, str], folder: Path, sizes: tuple[int, ...], runs: int, seed: int
) -> list[Row]:
    """The scale targets: warm commands at the largest size against the same at the smallest, in
    one group of runs (ratios within one run: the machine may be shared), and the first run and
    database size at the largest."""
    for n in sizes:
        if not (folder / str(n) / "events.yaml").exists():
            print(f"generating {n:,} synthetic claims…", flush=True)
            generate(n, folder / str(n), seed)
    small, large = sizes[0], sizes[-1]
    print(f"scale, first run at {large:,} claims (an empty cache):")
    cache = folder / f"cold-{large}"
    shutil.rmtree(cache, ignore_errors=True)
    data = folder / str(large)
    cold = run_once(
        [pakru, "--data", str(data), "search", "gwadar"], dict(env, PAKRU_CACHE_DIR=str(cache)), tree=True
    )
    report("first run", [pakru, "search"], [cold])
    (db,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite") and not p.name.startswith(".")]
    db_ratio = db.stat().st_size / (data / "events.yaml").stat().st_size
    terminal = dict(env, PAKRU_TERMINAL="1", COLUMNS="100")
    commands = {
        "search": (["search", "gwadar"], env),
        # a question as users type it: BM25 over several words, stopwords dropped (issue 14)
        "question": (["search", "Why did Russia lift the arms embargo?"], env),
        "show": (["show", "c0000500"], env),
        "timeline 50": (["timeline", "--limit", "50"], env),
        "compare terminal": (["compare", "--topic", "india"], terminal),
    }
    group = {}
    for n in sizes:
        for key, (args, e) in commands.items():
            group[f"{key} {n}"] = (
                [pakru, "--data", str(folder / str(n)), *args],
                dict(e, PAKRU_CACHE_DIR=str(cache)),
            )
    print(f"scale, warm, {', '.join(f'{n:,}' for n in sizes)} claims in turn:")
    m = measure(group, runs, runs)
    label = f"{large:,} synthetic"
    rows = []
    for key, (args, _) in commands.items():
        limit = 2.0 if key.startswith("compare") else 1.3
        shown = f"`pakru {' '.join(args)}`" + (" (terminal view)" if key.startswith("compare") else "")
        for n in sizes[1:]:
            got = relative(
                f"{n:,} synthetic", shown, m[f"{key} {n}"], m[f"{key} {small}"], f"{small:,}", limit
            )
            if n != large:
                got.target, got.ok = "(for the record)", None
            rows.append(got)
    rows.append(absolute(label, "`pakru search gwadar`, first run (builds the database)", [cold], 120.0))
    peak = memory(cold)
    rows.append(Row(label, f"first run: peak memory ({MEMORY})", "< 300 MB", f"{peak:.0f} MB",
                    f"{peak / 300:.2f} of limit", [cold], peak < 300))  # fmt: skip
    rows.append(Row(label, "database size ÷ events.yaml size", "≤ 1.2", f"{db.stat().st_size / 1e6:.1f} MB",
                    f"{db_ratio:.2f}", [cold], db_ratio <= 1.2))  # fmt: skip
    return rows


def versus_jrnl(
    pakru: str, jrnl: str, version: str, env: dict[str, str], data: Path, runs: int, slow: int
) -> Row:
    label = f"{int(data.name):,} synthetic"
    folder = data.parent / "jrnl"
    write_jrnl(data / "events.yaml", folder, version)
    jenv = dict(env, XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"))
    print(f"{label}, pakru and jrnl side by side:")
    m = measure(
        {
            "pakru search": ([pakru, "--data", str(data), "search", "gwadar"], env),
            "jrnl -contains": ([jrnl, "-contains", "gwadar"], jenv),
        },
        runs,
        slow,
    )
    j = m["jrnl -contains"]
    target = f"`jrnl -contains gwadar` ({secs(median(j))}{failed(j)})"
    return relative(label, "`pakru search gwadar`, jrnl side by side", m["pakru search"], j, target, 0.35)


def compile_package(py: str, env: dict[str, str]) -> None:
    """Write pakru's bytecode, as `pip install` does (an editable install has none yet)."""
    where = "import os, pakru; print(os.path.dirname(pakru.__file__))"
    folder = subprocess.run([py, "-c", where], env=env, capture_output=True, text=True, check=True)
    subprocess.run([py, "-m", "compileall", "-q", folder.stdout.strip()], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter whose pakru is timed")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 runs, 5,000/2,000 claims")
    parser.add_argument("--runs", type=int, help="runs of a fast command (default 15, quick 3)")
    parser.add_argument("--slow-runs", type=int, help="runs of a command over 1 s (default 5, quick 1)")
    parser.add_argument("--cold-runs", type=int, help="first runs with an empty cache (default 3, quick 1)")
    parser.add_argument("--jrnl", help="jrnl to compare with (default: beside --python, else on PATH)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic datasets")
    parser.add_argument("--out", type=Path, help="Markdown file (default docs/benchmark.md)")
    parser.add_argument(
        "--scale",
        type=Path,
        metavar="DIR",
        help="also the scale targets, on 10,000/100,000/1,000,000 claims in DIR/N (generated when missing; "
        "the 1M first run alone takes about two minutes)",
    )
    parser.add_argument("--only-scale", action="store_true", help="with --scale: the scale targets alone")
    args = parser.parse_args()
    quick = args.quick
    runs, slow = args.runs or (3 if quick else 15), args.slow_runs or (1 if quick else 5)
    cold_runs = args.cold_runs or (1 if quick else 3)
    big, mid = (5_000, 2_000) if quick else (100_000, 10_000)
    out = args.out or REPO / ("bench/out/benchmark-quick.md" if quick else "docs/benchmark.md")
    py = args.python
    bindir = Path(py).parent  # not resolved: a venv's python is a symlink out of the venv
    pakru = str(bindir / "pakru")
    if not Path(pakru).exists():
        sys.exit(f"bench/run.py: no pakru console script beside {py}")
    jrnl = args.jrnl or (str(bindir / "jrnl") if (bindir / "jrnl").exists() else shutil.which("jrnl"))
    began = time.perf_counter()
    info = machine(py)
    found = re.search(r"(\d+(?:\.\d+)+)", capture([jrnl, "--version"])) if jrnl else None
    info["jrnl"] = found[1] if found else "none"
    print(f"pakru {info['pakru']} ({pakru}), Python {info['python']}, {info['nproc']} CPUs, {info['cpu']}")
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="run-", dir=REPO / "bench" / "out"))
    # PYTHONDONTWRITEBYTECODE would make every run compile pakru from source (~30 ms), which no
    # installed pakru does: pip compiles a package's bytecode when it installs it. So this
    # environment drops it, and pakru's package is compiled here as pip would have.
    unwanted = ("FORCE_COLOR", "PAKRU_TERMINAL", "PAKRU_DATA", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env["PAKRU_CACHE_DIR"] = str(tmp / "cache")
    compile_package(py, env)
    notes = [f"At the start: {info['load']}."]
    notes += [f"Quick smoke run: {big:,} and {mid:,} claims, not 100,000 and 10,000."] if quick else []
    try:
        rows = [] if args.only_scale else shipped(py, pakru, env, runs, slow)
        if args.scale:
            sizes = (2_000, 5_000, 20_000) if quick else SCALE
            rows += scale(pakru, env, args.scale, sizes, min(runs, 9), args.seed)
            notes.append(f"Scale targets: datasets in {args.scale}, ratios from one group of runs.")
        for n in (big, mid) if not args.only_scale else ():
            print(f"generating {n:,} synthetic claims…", flush=True)
            generate(n, tmp / "data" / str(n), args.seed)
        if not args.only_scale:
            rows += synthetic(pakru, env, tmp / "data" / str(big), runs, slow, cold_runs, notes)
        if args.only_scale:
            pass
        elif jrnl:
            rows.append(versus_jrnl(pakru, jrnl, info["jrnl"], env, tmp / "data" / str(mid), runs, slow))
        else:
            figure, target = "`pakru search gwadar`, jrnl side by side", "≤ 0.35× `jrnl -contains gwadar`"
            rows.append(Row(f"{mid:,} synthetic", figure, target, "", "", [], None))
            notes.append("jrnl is not installed (beside the interpreter or on PATH): its row was skipped.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    targets = [r for r in rows if r.target not in ("baseline", "(for the record)")]
    met = f"{sum(r.ok is True for r in targets)}/{len(targets)} targets met"
    took = time.perf_counter() - began
    notes.append("At the end: load average {:.2f}, {:.2f}, {:.2f}.".format(*os.getloadavg()))
    text = markdown(rows, info, met, notes, took)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"{met} (written to {out}; the run took {took:.0f} s)")


if __name__ == "__main__":
    main()
