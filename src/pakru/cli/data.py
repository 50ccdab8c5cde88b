"""The commands about the dataset itself and its cache: sources, topics, check, cache."""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import typer

from pakru.cli.app import _emit, _load, _run, _stderr, state
from pakru.cli.options import JsonOpt


@_run
def sources(as_json: bool = JsonOpt) -> None:
    """The dataset's sources (the shipped one's five articles): author, outlet, publication date and
    how it is known, outlook.

    Example: pakru sources
    """
    loaded = _load()
    _emit(as_json, "sources", loaded.dataset)


@_run
def topics(as_json: bool = JsonOpt) -> None:
    """Every topic with its aliases and how many claims each source has on it.

    Example: pakru topics
    """
    loaded = _load()
    d = loaded.dataset
    topic_list = sorted(d.topics, key=lambda t: t.label.casefold())
    _emit(as_json, "topics", d, topic_list)


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
    failing = strict and bool(report.warnings)
    if not as_json and not failing:  # no "OK" on stdout beside a failed step's exit 1
        print(report.summary())
    if failing:
        _stderr(f"pakru check: {len(report.warnings)} warning(s) in {report.path}, failing as --strict asks")
        raise typer.Exit(1)


cache_app = typer.Typer(
    name="cache",
    help="Where pakru keeps its databases of the datasets it has read, and how big they are.",
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
