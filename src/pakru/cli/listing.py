"""The commands that list claims: search, timeline, compare and events."""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import typer

from pakru.cli.app import _emit, _load, _run, _stderr
from pakru.cli.options import (
    FromOpt,
    JsonOpt,
    KindOpt,
    SourceOpt,
    ToOpt,
    TopicOpt,
    UndatedOpt,
    _bounds_given,
    _completing,
    _filters,
    _left_out_notes,
    _limit_ok,
    _naming,
    _resolve_event,
)
from pakru.core.errors import OptionError


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
    undated: bool = UndatedOpt,
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
    f = _filters(store, topic, source, date_from, date_to, kind, undated)
    results = run_search(store, query, f, limit)
    notes = []
    if f.dated_only:  # how many of the undated would match is not counted: a second search
        notes.append(f"undated claims are left out by {_bounds_given(f)}; --undated to include them")
    if as_json or not results.hits:
        for notice in results.notices:
            _stderr(f"pakru: note: {notice}")
    if not results.hits:
        why = f": it has only common words ({', '.join(results.ignored)})" if not results.terms else ""
        if as_json:
            print("[]")
        _stderr(f"pakru: no claims match {query!r}{why}")
        for note in notes:
            _stderr(note)
        raise typer.Exit(1)
    _emit(as_json, "search", store.dataset, results, notes=notes)


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
        raise OptionError(f"--by: must be 'decade' or 'year', not {by!r}")
    loaded = _load()
    d = loaded.dataset
    f = _filters(loaded, topic, source, date_from, date_to, kind, undated)
    wanted_id = _resolve_event(d, event) if event is not None else None
    t = tl.build(loaded, f, event=wanted_id, by=by, limit=limit)
    notes: list[str] = _left_out_notes(loaded, f, len(t.claims), t.total) if event is None else []
    _emit(as_json, "timeline", d, t, notes=notes)


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
