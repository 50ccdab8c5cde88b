"""The commands about one claim: show it in full, cite its source."""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
from typing import TYPE_CHECKING

import typer

from pakru.cli.app import _emit, _load, _run
from pakru.cli.options import JsonOpt, _completing
from pakru.core.errors import OptionError

if TYPE_CHECKING:
    from pakru.core.model import Claim
    from pakru.queries.events import EventFacts
    from pakru.store.open import Store


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
        raise OptionError(f"unknown --format {fmt!r}; choose from: {', '.join(FORMATS)}")
    if as_json and fmt != "text":  # else one of the two would be ignored without a word
        raise OptionError(f"--json and --format {fmt}: choose one (the JSON holds its CSL-JSON)")
    loaded = _load()
    write(
        run_cite(loaded.dataset, resolve_claim(loaded.dataset, claim_id), style), "json" if as_json else fmt
    )
