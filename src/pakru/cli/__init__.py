"""The command line: parse arguments, call the core, hand results to a renderer.

Every command runs through ``_run``, the one place that turns pakru's errors
into one line each on stderr and an exit code (a traceback only with --debug).
Exit codes: 0 ok, 1 invalid dataset or (search) no match, 2 usage error or unknown name,
130 interrupted, 141 output pipe closed, 70 internal error.
"""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import contextlib
import copy
import functools
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from pakru import __version__
from pakru.core.errors import DatasetError, PakruError, QueryError

if TYPE_CHECKING:
    from pakru.core.model import Claim, Filters
    from pakru.queries.events import EventFacts
    from pakru.store.open import Store

from typer import Abort, Exit
from typer._click.exceptions import ClickException  # typer 0.28 vendors click (see pyproject)

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED, EXIT_PIPE, EXIT_INTERNAL = 130, 141, 70

EXAMPLES = (
    'pakru search "Gwadr port"',
    "pakru timeline --topic defence --from 2014",
    "pakru compare --topic india",
    "pakru compare --kind prediction",
    "pakru events --conflicts",
    "pakru show karim-020",
)
# typer's help prints the epilog's lines as they are, and a blank line between paragraphs
EPILOG = "\n\n".join(
    [
        "\n".join(["Examples:", *(f"  {e}" for e in EXAMPLES)]),
        "Global options (--data, --no-cache, --debug, --no-pager) and --json may come before or after "
        "the command. The README (README.md in the source, or the project page) documents every "
        "command, the JSON shapes and the data format.",
    ]
)

app = typer.Typer(
    name="pakru",
    help="Dated, attributed, quote-checked claims on Pakistan–Russia relations from five opinion "
    "articles (2017–2022).",
    epilog=EPILOG,
    add_completion=True,  # --install-completion / --show-completion; ids complete lazily
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    """Global options, set by the callback for the command that follows."""

    data: str | None = None
    use_cache: bool = True
    debug: bool = False
    pager: bool = True
    # Held until the process ends, so that what a command decoded is not freed object by object
    # just before exiting: ~30 ms for a compare that decodes 22,000 claims of 100,000.
    loaded: "Store | None" = None


state = _State()


def _stderr(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _stdout_closed() -> bool:
    """Flush stdout; True if its reader has gone (stdout is then silenced)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return True
    return False


def _paragraphs(doc: str | None) -> str | None:
    """A docstring with each paragraph on one line, for the help to wrap at the terminal's width
    (rich keeps the source's line breaks, which broke lines raggedly)."""
    if not doc:
        return doc
    import inspect

    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _run(fn: F) -> F:
    """The single exit point for errors raised by a command."""

    fn.__doc__ = _paragraphs(fn.__doc__)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return _once_more_if_cache_damaged(fn, *args, **kwargs)
        except PakruError as exc:
            if state.debug:
                import traceback

                traceback.print_exc()
            for line in exc.lines():
                _stderr(line if isinstance(exc, DatasetError) else f"pakru: error: {line}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_PIPE) from None
        except (Exit, Abort, ClickException):
            raise
        except Exception as exc:
            if state.debug:
                raise
            _stderr(f"pakru: internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _once_more_if_cache_damaged(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A cache found damaged mid-command is a miss: drop it and run the command again.

    Every command reads what it needs before it prints, so nothing is printed twice.
    """
    import sqlite3

    from pakru.store.rows import DamagedCache, StaleCache

    try:
        return fn(*args, **kwargs)
    except (DamagedCache, sqlite3.DatabaseError) as exc:
        store = state.loaded
        path = exc.path if isinstance(exc, DamagedCache) else None
        if path is None and store is not None and store.file is not None:
            path = str(store.file)
        if path is None:
            raise
        reason = exc.reason if isinstance(exc, DamagedCache) else str(exc)
        if not isinstance(exc, StaleCache):  # a source text edited since: an ordinary miss
            _stderr(f"pakru: warning: the cache {path} is damaged ({reason}); rebuilding it")
        if store is not None:
            store.conn.close()
        state.loaded = None
        try:
            os.unlink(path)
        except OSError:
            state.use_cache = False  # cannot remove it: do without
        return fn(*args, **kwargs)


def _version(value: bool) -> None:
    if value:
        print(f"pakru {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    data: str = typer.Option(
        None,
        "--data",
        metavar="PATH",
        envvar="PAKRU_DATA",
        show_envvar=True,
        help="A dataset to use instead of the shipped one: events.yaml or its folder.",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read and validate the YAML, bypassing the cache."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Never page long terminal output (it goes through $PAGER or less)."
    ),
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show pakru's version and exit."
    ),
) -> None:
    """Dated, attributed, quote-checked claims on Pakistan–Russia relations.

    Every claim comes from one of five opinion articles (2017–2022) and carries its source's
    author, outlet, publication date and a verbatim quote that `pakru check` verifies.
    """
    state.data, state.use_cache, state.debug, state.pager = (
        data,
        not no_cache,
        debug or bool(os.environ.get("PAKRU_DEBUG")),
        not no_pager,
    )


def _load() -> "Store":
    from pakru.render.progress import Progress
    from pakru.store.open import open_store

    with Progress(_stderr) as progress:
        store = open_store(state.data, use_cache=state.use_cache, warn=_stderr, progress=progress.update)
    state.loaded = store
    return store


def _mode(as_json: bool) -> str:
    if as_json:
        return "json"
    if os.environ.get("FORCE_COLOR") or os.environ.get("PAKRU_TERMINAL") or sys.stdout.isatty():
        return "rich"
    return "plain"


def _emit(as_json: bool, view: str, *result: Any, notes: "list[str] | None" = None) -> None:
    """Hand a command's result to the renderer of the output: JSON, a terminal, or a pipe.

    Each renderer module has one function per view (render/plain.py: ``timeline``, ...);
    render/jsonout.py has ``timeline_doc``, ... giving the documented JSON shapes. ``notes`` say
    what the filters or the limit left out: after the view on a terminal, on stderr otherwise.
    """
    mode = _mode(as_json)
    if mode == "json":
        from pakru.render import jsonout

        jsonout.write(getattr(jsonout, f"{view}_doc")(*result))
    elif mode == "rich":
        from pakru.render import pager, rich_out

        with pager.paged(state.pager):
            getattr(rich_out, view)(*result)
            if notes:
                rich_out.notes(notes)
        return
    else:
        from pakru.render import plain

        getattr(plain, view)(*result)
    if notes:
        sys.stdout.flush()
        for note in notes:
            _stderr(note)


@contextlib.contextmanager
def _naming(option: str) -> "Iterator[None]":
    """A QueryError raised inside names the option whose value was wrong."""
    try:
        yield
    except QueryError as exc:
        raise QueryError(f"{option}: {exc}") from None


def _bound(option: str, text: str, upper: bool) -> "Any":
    """A --from/--to value: a year, year-month or date (2014, 2014-6, 2014-06-30), spaces forgiven."""
    import re

    from pakru.core.dates import EdtfError, parse_bound

    cleaned = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", cleaned)
    if m:
        cleaned = f"{m[1]}-{int(m[2]):02d}" + (f"-{int(m[3]):02d}" if m[3] else "")
    try:
        return parse_bound(cleaned, upper=upper)
    except EdtfError as exc:
        raise QueryError(f"{option}: {exc}") from None


def _filters(
    loaded: "Store",
    topic: list[str] | None,
    source: list[str] | None,
    date_from: str | None,
    date_to: str | None,
    kind: list[str] | None,
    undated: bool = False,
) -> "Filters":
    from pakru.core.model import Filters
    from pakru.queries.query import check_kinds, resolve_sources, resolve_topic

    d = loaded.dataset
    start = _bound("--from", date_from, upper=False) if date_from else None
    end = _bound("--to", date_to, upper=True) if date_to else None
    if start and end and start > end:
        raise QueryError("--from is after --to")
    with _naming("--topic"):
        topics = tuple(resolve_topic(d, t).id for t in topic or ())
    with _naming("--source"):
        sources = tuple(dict.fromkeys(x.id for s in source or () for x in resolve_sources(d, s)))
    return Filters(
        topics=topics,
        sources=sources,
        start=start,
        end=end,
        kinds=check_kinds(kind or ()),
        undated=undated,
    )


def _left_out_notes(loaded: "Store", f: "Filters", shown: int | None = None, total: int = 0) -> list[str]:
    """What the date bounds and the limit left out, said rather than dropped silently."""
    notes = []
    if shown is not None and shown < total:
        notes.append(f"showing {shown} of {total} claims; --limit to see more")
    if f.start is None and f.end is None:
        return notes
    from pakru.queries.leftout import undated_left_out

    dropped = undated_left_out(loaded, f)
    if dropped:
        bounds = " and ".join(o for o, v in (("--from", f.start), ("--to", f.end)) if v is not None)
        claims = "undated claim" if dropped == 1 else "undated claims"
        notes.append(f"{dropped} {claims} left out by {bounds}; --undated to include them")
    return notes


def _completing(what: str) -> Callable[..., list[str]]:
    """A shell-completion callback for ids of ``what``; the dataset is opened only when called."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from pakru.cli.complete import candidates

        root = ctx.find_root()
        return candidates(root.params.get("data") or os.environ.get("PAKRU_DATA"), what, incomplete)

    return complete


# Options shared by the commands that list claims.
TopicOpt = typer.Option(
    None,
    "--topic",
    "-t",
    metavar="TOPIC",
    autocompletion=_completing("topic"),
    help="Only claims on this topic: id, label or alias, any case, typos forgiven. "
    "Repeat for any of several.",
)
SourceOpt = typer.Option(
    None,
    "--source",
    "-s",
    metavar="SOURCE",
    autocompletion=_completing("source"),
    help="Only claims of this source: id, author (full, first or last name), title, or an outlet "
    "('Arab News': all its articles). Repeat for several.",
)
FromOpt = typer.Option(
    None,
    "--from",
    metavar="DATE",
    help="Only claims dated on or after this: a year (2014), year-month (2014-06) or date (2014-06-30).",
)
ToOpt = typer.Option(
    None,
    "--to",
    metavar="DATE",
    help="Only claims dated on or before this: a year, year-month or date, as for --from.",
)
KindOpt = typer.Option(
    None,
    "--kind",
    "-k",
    metavar="[event|assessment|prediction]",
    help="Only claims of this kind, any case. Repeat for several.",
)
UndatedOpt = typer.Option(
    False, "--undated", help="With --from/--to, keep the undated claims too (they are left out by default)."
)
JsonOpt = typer.Option(False, "--json", help="Write JSON to stdout (shape documented in the README).")


def _limit_ok(limit: int | None) -> None:
    if limit is not None and limit < 1:
        raise QueryError("--limit must be at least 1")


@app.command()
@_run
def search(
    query: str = typer.Argument(
        ...,
        metavar="QUERY",
        help='A question or words; "a phrase", -word to exclude. Case, accents and typos are forgiven.',
    ),
    topic: list[str] = TopicOpt,
    source: list[str] = SourceOpt,
    date_from: str = FromOpt,
    date_to: str = ToOpt,
    kind: list[str] = KindOpt,
    limit: int = typer.Option(20, "--limit", "-n", help="Show at most this many results."),
    as_json: bool = JsonOpt,
) -> None:
    """Search the claims: ask a question or give keywords.

    Words count by how rare they are, and a claim ranks by how much of the query's evidence it
    holds (score 0-100). Summaries, quotes, actors, events, topics and each source's author and
    title are searched; "quoted phrases" must match as written and -word leaves out claims that
    say it. Names of actors and topics stand for their aliases (Daesh, ISIS); a word no claim
    contains is matched to the dataset's nearest words, and the output says so. Exit status:
    0 with results, 1 with none, 2 for a query without words.

    Example: pakru search "Why did Russia lift its arms embargo?" --from 2014
    """
    from pakru.queries.search import search as run_search

    _limit_ok(limit)
    store = _load()
    f = _filters(store, topic, source, date_from, date_to, kind)
    results = run_search(store, query, f, limit)
    if as_json or not results.hits:
        for notice in results.notices:
            _stderr(f"pakru: note: {notice}")
    if not results.hits:
        why = f": it has only common words ({', '.join(results.ignored)})" if not results.terms else ""
        if as_json:
            print("[]")
        _stderr(f"pakru: no claims match {query!r}{why}")
        raise typer.Exit(1)
    _emit(as_json, "search", store.dataset, results)


@app.command()
@_run
def timeline(
    topic: list[str] = TopicOpt,
    source: list[str] = SourceOpt,
    date_from: str = FromOpt,
    date_to: str = ToOpt,
    kind: list[str] = KindOpt,
    undated: bool = UndatedOpt,
    event: str = typer.Option(
        None,
        "--event",
        "-e",
        metavar="EVENT",
        autocompletion=_completing("event"),
        help="Only the claims of one event (see pakru events).",
    ),
    by: str = typer.Option(
        "decade", "--by", metavar="[decade|year]", help="Group by decade or year, any case."
    ),
    limit: int = typer.Option(None, "--limit", "-n", help="Show only the first N claims."),
    as_json: bool = JsonOpt,
) -> None:
    """The claims in chronological order, grouped by decade or year.

    Claims of different sources about one event are shown together, with how many sources attest it
    and whether they disagree on its date (facts of the whole dataset, whatever the filters). Undated
    claims come last, grouped by source. What --from/--to or --limit leave out is said in a footer.

    Example: pakru timeline --from 2014 --topic defence
    """
    from pakru.queries import timeline as tl

    _limit_ok(limit)
    by = by.strip().lower()
    if by not in ("decade", "year"):
        raise QueryError(f"--by: must be 'decade' or 'year', not {by!r}")
    loaded = _load()
    d = loaded.dataset
    f = _filters(loaded, topic, source, date_from, date_to, kind, undated)
    wanted_id = _resolve_event(d, event) if event is not None else None
    t = tl.build(loaded, f, event=wanted_id, by=by, limit=limit)
    notes: list[str] = _left_out_notes(loaded, f, len(t.claims), t.total) if event is None else []
    _emit(as_json, "timeline", d, t, notes=notes)


def _resolve_event(d: "Any", event: str) -> str:
    """An event id, in any case, typos forgiven (as topics are)."""
    from pakru.queries.query import resolve_event

    with _naming("--event"):
        return resolve_event(d, event).id


@app.command()
@_run
def compare(
    topic: str = typer.Option(
        None,
        "--topic",
        "-t",
        metavar="TOPIC",
        autocompletion=_completing("topic"),
        help="The topic: id, label or alias, typos forgiven. Without it: the viewpoint grid of every topic.",
    ),
    source: list[str] = SourceOpt,
    date_from: str = FromOpt,
    date_to: str = ToOpt,
    kind: list[str] = KindOpt,
    undated: bool = UndatedOpt,
    show_all: bool = typer.Option(
        False,
        "--all",
        help="Every source, claim and shared event (the terminal view shows the first 25 of each).",
    ),
    as_json: bool = JsonOpt,
) -> None:
    """What each author says on a topic, side by side; without --topic, the viewpoint grid.

    For every source: its outlet, publication date, overall outlook on the ties, the mean stance
    of its claims on the topic for Pakistan–Russia ties and its claims with quotes; which sources
    are silent; and whether sources that report the same event agree on its date.

    Without --topic: a grid of sources by topics, each cell the mean stance of that source's claims
    on the topic and how many there are (--kind prediction: what each author expects).

    Example: pakru compare --topic india
    """
    from pakru.queries import query as q

    loaded = _load()
    d = loaded.dataset
    f = _filters(loaded, None, source, date_from, date_to, kind, undated)
    sources = [d.source_by_id[s] for s in f.sources] if f.sources else None
    if topic is None:
        from pakru.queries.grid import viewpoint_grid

        grid = viewpoint_grid(loaded, f, sources, f.kinds)
        _emit(as_json, "grid", d, grid, notes=_left_out_notes(loaded, f))
        return
    from pakru.queries.compare import Bounds
    from pakru.queries.compare import compare as run_compare

    with _naming("--topic"):
        chosen = q.resolve_topic(d, topic)
    bounded = None if as_json or show_all else Bounds()
    result = run_compare(loaded, chosen, f._replace(sources=()), sources, bounded=bounded)
    _emit(as_json, "compare", d, result, notes=_left_out_notes(loaded, f._replace(topics=(chosen.id,))))


@app.command()
@_run
def events(
    conflicts: bool = typer.Option(
        False, "--conflicts", help="Only the events whose sources disagree on the date."
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Every event: its label, the sources that attest it, the dates each gives, and whether they agree.

    An event is one real-world happening that claims of several sources report; `pakru timeline
    --event ID` shows its claims in full.

    Example: pakru events --conflicts
    """
    from pakru.queries.events import every_event

    loaded = _load()
    _emit(as_json, "events", loaded.dataset, every_event(loaded, conflicts_only=conflicts))


@app.command()
@_run
def show(
    claim_id: str = typer.Argument(
        ...,
        metavar="CLAIM_ID",
        autocompletion=_completing("claim"),
        help="A claim id, as the other commands print it (any case).",
    ),
    as_json: bool = JsonOpt,
) -> None:
    """One claim in full: its quote in context, its event's other sources, a citation.

    Example: pakru show karim-020
    """
    from pakru.queries.cite import claim_context
    from pakru.queries.query import resolve_claim

    loaded = _load()
    d = loaded.dataset
    claim = resolve_claim(d, claim_id)
    ctx = claim_context(d, claim)
    _emit(as_json, "show", d, claim, ctx, _event_facts(loaded, claim))


def _event_facts(store: "Store", claim: "Claim") -> "EventFacts | None":
    """The whole dataset's facts about the claim's event, with every attestation."""
    if claim.event is None:
        return None
    from pakru.queries.events import facts

    return facts(store, [claim.event]).get(claim.event)


@app.command()
@_run
def export(
    fmt: str = typer.Argument(
        ...,
        metavar="FORMAT",
        help="csv, tsv, ndjson, markdown, csl-json, biblatex, bibtex, ris, timelinejs, html.",
    ),
    topic: list[str] = TopicOpt,
    source: list[str] = SourceOpt,
    date_from: str = FromOpt,
    date_to: str = ToOpt,
    kind: list[str] = KindOpt,
    event: str = typer.Option(None, "--event", "-e", help="Only the claims of one event, from every source."),
    output: str = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE (atomically)."),
    bom: bool = typer.Option(False, "--bom", help="Begin with a UTF-8 byte order mark (Excel wants one)."),
) -> None:
    """The claims a timeline with these filters shows, in a format other tools read.

    Bibliographic formats (csl-json, biblatex, bibtex, ris) list the sources of those claims.

    Example: pakru export html --topic defence -o defence.html
    """
    from pakru import export as ex

    render = ex.renderer(fmt)  # an unknown format fails before the dataset is read
    loaded = _load()
    f = _filters(loaded, topic, source, date_from, date_to, kind)
    data = ("\ufeff" if bom else "") + render(loaded.dataset, ex.claims_for(loaded, f, event))
    if output:
        ex.write_atomic(output, data.encode("utf-8"))
    else:
        ex.write_stream(data.encode("utf-8"), sys.stdout.buffer)


@app.command()
@_run
def cite(
    claim_id: str = typer.Argument(
        ..., metavar="CLAIM_ID", help="A claim id, as the other commands print it."
    ),
    style: str = typer.Option(
        "apa",
        "--style",
        help="A CSL style: apa, chicago-author-date, mla, harvard-cite-them-right, or a .csl file.",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text, csl-json, biblatex or ris."),
    as_json: bool = JsonOpt,
) -> None:
    """Cite a claim's source, pinpointed to the paragraph its quote stands in, with the quote.

    Example: pakru cite karim-020 --style chicago-author-date
    """
    from pakru.export.citeout import FORMATS, write
    from pakru.queries.citation import cite as run_cite
    from pakru.queries.query import resolve_claim

    if fmt not in FORMATS:
        raise QueryError(f"unknown --format {fmt!r}; choose from: {', '.join(FORMATS)}")
    loaded = _load()
    write(
        run_cite(loaded.dataset, resolve_claim(loaded.dataset, claim_id), style), "json" if as_json else fmt
    )


@app.command()
@_run
def sources(as_json: bool = JsonOpt) -> None:
    """The five articles: author, outlet, publication date and how it is known, outlook.

    Example: pakru sources
    """
    loaded = _load()
    _emit(as_json, "sources", loaded.dataset)


@app.command()
@_run
def topics(as_json: bool = JsonOpt) -> None:
    """Every topic with its aliases and how many claims each source has on it.

    Example: pakru topics
    """
    loaded = _load()
    d = loaded.dataset
    topic_list = sorted(d.topics, key=lambda t: t.label.casefold())
    _emit(as_json, "topics", d, topic_list)


@app.command()
@_run
def check(
    as_json: bool = JsonOpt,
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too, as CI does."),
) -> None:
    """Validate the whole dataset: schema, ids, references, dates, and every quote in its source.

    Reads the YAML afresh (never the cache) and reports every problem as FILE:LINE:COL, one per line,
    sorted by file and line. A valid dataset is then checked against the curation conventions:
    each departure is a warning (FILE:LINE:COL: warning: ...), which fails the check only with --strict.

    Example: pakru --data my-dataset/ check --strict
    """
    from pakru.dataset.check import run_check

    report = run_check(state.data)
    if as_json:
        from pakru.render import jsonout

        jsonout.write(report.as_json())
    if not report.ok:
        for p in report.problems:
            _stderr(str(p))
        _stderr(f"pakru check: {len(report.problems)} problem(s) in {report.path}")
        raise typer.Exit(1)
    for w in report.warnings:
        _stderr(str(w))
    if not as_json:
        print(report.summary())
    if strict and report.warnings:
        _stderr(f"pakru check: {len(report.warnings)} warning(s) in {report.path}, failing as --strict asks")
        raise typer.Exit(1)


cache_app = typer.Typer(
    name="cache",
    help="Where pakru keeps its databases of the datasets it has read, and how big they are.",
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app)


@cache_app.callback()
@_run
def cache(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """The cache folder ($PAKRU_CACHE_DIR, else the user's cache folder), each dataset's database
    in it and its size.

    pakru keeps one SQLite database per dataset location: the validated YAML and its indexes,
    rebuilt whenever the dataset, its source texts or pakru change.

    Example: pakru cache
    """
    if ctx.invoked_subcommand is not None:
        return
    from pakru.render import cache_view
    from pakru.store.admin import listing

    found = listing()
    if as_json:
        from pakru.render import jsonout

        jsonout.write(cache_view.listing_doc(found))
    else:
        cache_view.listing_lines(found)


@cache_app.command("clear")
@_run
def cache_clear(as_json: bool = JsonOpt) -> None:
    """Remove every database (and temporary file) pakru keeps in the cache folder.

    Each is rebuilt the next time its dataset is used. Other files in the folder are left alone.

    Example: pakru cache clear
    """
    from pakru.render import cache_view
    from pakru.store.admin import clear
    from pakru.store.locate import cache_dir

    folder = cache_dir()
    removed, freed = clear(folder)
    if as_json:
        from pakru.render import jsonout

        jsonout.write(cache_view.cleared_doc(removed, freed, str(folder)))
    else:
        cache_view.cleared_lines(removed, freed, str(folder))


def _interrupted(_signum: int, _frame: Any) -> None:
    raise _Interrupted


class _Interrupted(BaseException):
    """Ctrl-C, kept apart from KeyboardInterrupt so that click does not print 'Aborted!'."""


def _command_in(args: list[str]) -> str | None:
    """The command the arguments name, after pakru's own options; None if they name none."""
    skip = False
    for arg in args:
        if skip or arg in ("--no-cache", "--debug", "--no-pager") or arg.startswith("--data="):
            skip = False
        elif arg == "--data":
            skip = True
        else:
            return None if arg.startswith("-") else arg
    return None


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command a run names, when it names one of them.

    typer builds click's objects for every registered command on each run (~2 ms for seven),
    and a run needs one. Anything else (no command, --help, --version, a typo) gets the full
    app, whose messages list every command. tests/test_cli.py holds the two to the same output.
    """
    name = _command_in(args)
    commands = [c for c in app.registered_commands if c.callback and c.callback.__name__ == name]
    if not commands:
        return app
    one = copy.copy(app)
    one.registered_commands = commands
    return one


def hoisted(args: list[str]) -> list[str]:
    """The arguments with global options moved before the command and --json after it."""
    from pakru.cli.argv import hoist

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    return hoist(args, names)


def _usage_error(exc: ClickException) -> None:
    """A usage error as pakru's other errors: what is wrong on one line, where to look on the next."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "pakru"
    _stderr(f"pakru: error: {exc.format_message()}")
    _stderr(f"Try '{where} --help'.")


def main(argv: list[str] | None = None) -> None:
    try:
        signal.signal(signal.SIGINT, _interrupted)
    except ValueError:  # not in the main thread
        pass
    try:
        args = sys.argv[1:] if argv is None else argv
        if args[:1] == ["help"]:  # `pakru help [COMMAND]`, as git and gh have it
            args = [*args[1:], "--help"]
        args = hoisted(args)
        code = _app_for(args)(args=args, prog_name="pakru", standalone_mode=False)
    except _Interrupted:
        _silence_stdout()
        sys.exit(EXIT_INTERRUPTED)
    except ClickException as exc:
        _usage_error(exc)
        sys.exit(exc.exit_code)
    except Abort:
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_PIPE)
    if _stdout_closed():
        sys.exit(EXIT_PIPE)
    sys.exit(code if isinstance(code, int) else 0)


def run() -> NoReturn:
    """The console script and ``python -m pakru``: main(), then end the process at once.

    Once the answer is written and flushed nothing is left to do, yet the interpreter's
    teardown (freeing every module and object one by one) takes ~20 ms after typer's imports
    alone, as long as all of pakru's own work on the shipped dataset, and longer with a large
    dataset in memory. os._exit skips it. Nothing pakru leaves open needs it: files are
    written and closed by the commands, and no atexit handler is registered. Tests call
    main(), which exits the usual way.

    For the same reason the cyclic garbage collector is off: a run allocates many objects
    (22,000 claims read back for one compare at 100,000) and frees almost none before it
    ends, so each collection walks them all for nothing (~30% of such a run).
    """
    import gc

    gc.disable()
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        _stderr(str(code))
        code = 1
    try:
        if _stdout_closed():
            code = EXIT_PIPE
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code or 0)
