"""The export command: the claims a timeline shows, in a format other tools read."""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import sys

import typer

from pakru.cli.app import _load, _run, _stderr
from pakru.cli.options import (
    FromOpt,
    KindOpt,
    SourceOpt,
    ToOpt,
    TopicOpt,
    UndatedOpt,
    _filters,
    _left_out_notes,
)

BOM_FORMATS = ("csv", "tsv")  # what --bom is for: spreadsheets that read UTF-8 only after one


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
    undated: bool = UndatedOpt,
    event: str = typer.Option(None, "--event", "-e", help="Only the claims of one event, from every source."),
    output: str = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE, whole or not at all (a device or named pipe is written into).",
    ),
    bom: bool = typer.Option(False, "--bom", help="csv, tsv: begin with a byte order mark (for Excel)."),
) -> None:
    """The claims a timeline with these filters shows, in a format other tools read.

    Bibliographic formats (csl-json, biblatex, bibtex, ris) list the sources of those claims.

    Example: pakru export html --topic defence -o defence.html
    """
    from pakru import export as ex

    render = ex.renderer(fmt)  # an unknown format fails before the dataset is read
    if bom and fmt not in BOM_FORMATS:  # JSON may not begin with one (RFC 8259), nor need others
        raise typer.BadParameter(f"only for {' and '.join(BOM_FORMATS)}, not {fmt}", param_hint="'--bom'")
    loaded = _load()
    f = _filters(loaded, topic, source, date_from, date_to, kind, undated)
    data = ("\ufeff" if bom else "") + render(loaded.dataset, ex.claims_for(loaded, f, event))
    if output:
        ex.write_atomic(output, data.encode("utf-8"))
    else:
        ex.write_stream(data.encode("utf-8"), sys.stdout.buffer)
    if event is None:  # an event's claims are all of it, whatever the dates
        for note in _left_out_notes(loaded, f):
            _stderr(note)
