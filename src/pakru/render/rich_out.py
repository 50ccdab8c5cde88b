"""Tables and panels for a terminal. Data text only ever enters rich as Text, cleaned."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from pakru.core.model import Claim, Dataset, Topic
from pakru.queries.citation import claim_in_text, reference
from pakru.render import views
from pakru.render.common import (
    author_line,
    count,
    date_text,
    disagreement,
    search_head,
    source_line,
    stance_text,
    who,
    word_spans,
)
from pakru.render.safe import clean
from pakru.render.views import stance_style

if TYPE_CHECKING:  # only the command that shows one imports its module
    from pakru.queries.cite import Context
    from pakru.queries.compare import Comparison
    from pakru.queries.events import EventFacts
    from pakru.queries.grid import Grid
    from pakru.queries.search import Results
    from pakru.queries.timeline import Timeline


def console() -> Console:
    from pakru.render import pager

    target = pager.target()  # a buffer when the output may go through a pager
    options = target.options if target else {}
    if not target and os.environ.get("PAKRU_TERMINAL"):  # as on a terminal, colours included
        options = {"force_terminal": True}
    return Console(
        file=target.file if target else sys.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        no_color="NO_COLOR" in os.environ or None,
        **options,
    )


def notes(lines: list[str]) -> None:
    """What the filters or the limit left out, after the view."""
    con = console()
    for line in lines:
        con.print(T(line, "dim"))


def T(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def highlighted(text: str, words: Collection[str], style: str = "italic") -> Text:
    """The text with every word whose folded form matched the query in bold yellow."""
    out = T(text, style)
    for start, end in word_spans(out.plain, words):
        out.stylize("bold yellow", start, end)
    return out


def search(d: Dataset, r: Results) -> None:
    from rich.console import Group
    from rich.padding import Padding

    con = console()
    for notice in r.notices:
        con.print(T(f"note: {notice}", "bold yellow"))
    for n, h in enumerate(r.hits, 1):
        c = h.claim
        head = Text.assemble(
            T(f"{n}. ", "bold"), T(search_head(c, h), "bold cyan" if not h.approximate else "yellow")
        )
        body = Group(
            highlighted(c.summary, h.words, ""),
            highlighted(f"“{c.quote}”", h.words),
            Text.assemble(
                T("— "), T(source_line(d.source_by_id[c.source]), "dim"), T(f"  {c.id}", "dim cyan")
            ),
        )
        con.print(head)
        con.print(Padding(body, (0, 0, 1, 3)))


def timeline(d: Dataset, t: Timeline) -> None:
    views.timeline(console(), d, t)


def compare(d: Dataset, cmp: Comparison) -> None:
    views.compare(console(), d, cmp)


def events(d: Dataset, found: list[EventFacts]) -> None:
    views.events(console(), d, found)


def grid(d: Dataset, g: Grid) -> None:
    views.grid(console(), d, g)


def sources(d: Dataset) -> None:
    views.sources(console(), d)


def topics(d: Dataset, topic_list: list[Topic]) -> None:
    views.topics(console(), d, topic_list)


def show(d: Dataset, c: Claim, ctx: Context | None, f: EventFacts | None) -> None:
    from rich.panel import Panel
    from rich.table import Table

    con = console()
    marks = views.marks(con)
    s = d.source_by_id[c.source]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    date = f"{c.date.label} ({c.date_basis}; EDTF {c.date.text})" if c.date else "undated"
    grid.add_row(T("date"), T(date, "cyan"))
    if c.date_note:
        grid.add_row(T("date note"), T(c.date_note))
    grid.add_row(T("kind"), T(c.kind))
    grid.add_row(T("summary"), T(c.summary))
    grid.add_row(T("quote"), T(f"“{c.quote}”", "italic"))
    if ctx is not None:
        quote = f"«{ctx.quote}»" if marks else ctx.quote
        grid.add_row(
            T("in context"),
            Text.assemble(
                T(f"…{ctx.before}{ctx.gap_before}"),
                T(quote, "bold yellow"),
                T(f"{ctx.gap_after}{ctx.after}…"),
            ),
        )
    grid.add_row(T("topics"), T(", ".join(c.topics)))
    grid.add_row(T("actors"), T(", ".join(c.actors) or "–"))
    grid.add_row(T("stance"), T(stance_text(c.stance), stance_style(c.stance)))
    grid.add_row(T("source"), T(source_line(s)))
    grid.add_row(T("author"), T(author_line(s), "dim"))
    grid.add_row(T("published"), T(s.published_basis, "dim"))
    if c.event and f is not None:
        event = Text.assemble(
            T(f"{f.event.label} ({c.event}), attested by {count(f.attested_by, 'source')}"),
            T(f"; sources disagree on the date: {disagreement(d, f.claims)}", "bold red")
            if f.conflict
            else T(""),
        )
        grid.add_row(T("event"), event)
        for x in f.claims:
            if x.id != c.id:
                when = date_text(x) if x.date else "undated"
                grid.add_row(T(""), T(f"{when}: {x.summary} — {who(d.source_by_id[x.source])} {x.id}"))
    grid.add_row(T("cite as"), T(reference(s)))
    grid.add_row(T("in text"), T(claim_in_text(d, c)))
    con.print(Panel(grid, title=T(c.id, "bold"), title_align="left"))
