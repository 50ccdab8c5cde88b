"""What the commands that list claims share: their options, and the filters those options make."""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import typer

from pakru.core.errors import OptionError, QueryError

if TYPE_CHECKING:
    from pakru.core.model import Filters
    from pakru.store.open import Store


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
        raise OptionError(f"{option}: {exc}") from None


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
        raise OptionError("--from is after --to")
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
        claims = "undated claim" if dropped == 1 else "undated claims"
        notes.append(f"{dropped} {claims} left out by {_bounds_given(f)}; --undated to include them")
    return notes


def _bounds_given(f: "Filters") -> str:
    """The date options that left the undated claims out: "--from", "--to" or both."""
    return " and ".join(o for o, v in (("--from", f.start), ("--to", f.end)) if v is not None)


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
        raise OptionError("--limit must be at least 1")


def _resolve_event(d: "Any", event: str) -> str:
    """An event id, in any case, typos forgiven (as topics are)."""
    from pakru.queries.query import resolve_event

    with _naming("--event"):
        return resolve_event(d, event).id
