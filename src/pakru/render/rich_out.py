"""Tables and panels for a terminal. Data text only ever enters rich as Text, cleaned."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from pakru.cite import citation, published_phrase
from pakru.model import Claim, Dataset, Topic
from pakru.render.common import (
    by_publication,
    date_text,
    disagreement,
    search_head,
    short,
    source_line,
    stance_text,
    who,
    word_spans,
)
from pakru.render.safe import clean

if TYPE_CHECKING:  # only the command that shows one imports its module
    from pakru.cite import Context
    from pakru.compare import Comparison
    from pakru.search import Results
    from pakru.timeline import Timeline


def console() -> Console:
    return Console(
        file=sys.stdout,
        markup=False,
        emoji=False,
        highlight=False,
        no_color="NO_COLOR" in os.environ or None,
    )


def T(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def stance_style(stance: float | None) -> str:
    if stance is None or stance == 0:
        return "dim"
    return "green" if stance > 0 else "red"


def highlighted(text: str, words: Collection[str], style: str = "italic") -> Text:
    """The text with every word whose folded form matched the query in bold yellow."""
    out = T(text, style)
    for start, end in word_spans(out.plain, words):
        out.stylize("bold yellow", start, end)
    return out


def search(d: Dataset, r: Results) -> None:
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
    from pakru.timeline import UNDATED

    con = console()
    if not t.entries:
        con.print(T("No claims match these filters."))
        return
    table: Table | None = None
    current = None
    resolved = False
    for e in t.entries:
        if e.heading != current:
            if table is not None:
                con.print(table)
            current = e.heading
            title = "Undated (placed by their source's publication date)" if current == UNDATED else current
            con.print(Rule(T(title, "bold")))
            table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
            table.add_column("date", style="cyan", width=16)
            table.add_column("claim", ratio=1)
        assert table is not None
        if e.event is not None and len(e.sources) > 1:
            note = f"{d.event_by_id[e.event].label} — attested by {len(e.sources)} sources"
            line = T(note, "bold")
            if e.conflict:
                line.append_text(T(f"; dates disagree: {disagreement(d, e.claims)}", "bold red"))
            table.add_row(T(""), line)
        for c in e.claims:
            if c.date is None:
                when = f"undated, {by_publication(d, c)}"
            else:
                when = c.date.label + ("*" if c.date_basis == "resolved" else "")
                resolved = resolved or c.date_basis == "resolved"
            claim = T(c.summary, "" if c.kind == "event" else "italic")
            claim.append_text(T(f" — {short(d.source_by_id[c.source])} · {c.id}", "dim"))
            table.add_row(T(when), claim)
    if table is not None:
        con.print(table)
    if resolved:
        con.print(
            T(
                "* resolved from a relative phrase (“last year”) against the article's publication date; "
                "see pakru show ID",
                "dim",
            )
        )


def compare(d: Dataset, cmp: Comparison) -> None:
    con = console()
    con.print(T(f"What the sources say on {cmp.topic.label}", "bold"))
    overview = Table(box=box.SIMPLE_HEAD, expand=False)
    for name in ("source", "outlet", "published", "outlook", "stance", "claims"):
        overview.add_column(name, no_wrap=name in ("outlook", "stance", "claims"))
    for v in cmp.views:
        s = v.source
        overview.add_row(
            T(who(s), "bold"),
            T(s.outlet or "not stated"),
            T(published_phrase(s)),
            T(f"{stance_text(s.outlook.score)} {s.outlook.label}", stance_style(s.outlook.score)),
            T(stance_text(v.stance), stance_style(v.stance)),
            T(str(v.claim_count)),
        )
    for s in cmp.silent:
        overview.add_row(
            T(who(s), "dim"),
            T(s.outlet or "not stated", "dim"),
            T(published_phrase(s), "dim"),
            T(f"{stance_text(s.outlook.score)} {s.outlook.label}", "dim"),
            T("silent", "dim"),
            T("0", "dim"),
        )
    con.print(overview)
    for v in cmp.views:
        rows: list[Text | Padding] = []
        for c in v.claims:
            rows.append(Text.assemble(T(date_text(c), "cyan"), T("  "), T(c.summary), T(f"  {c.id}", "dim")))
            rows.append(Padding(T(f"“{c.quote}”", "italic dim"), (0, 0, 0, 2)))
        if v.claim_count > len(v.claims):
            rows.append(T(f"… {v.claim_count - len(v.claims)} more claims (--all shows them)", "dim"))
        con.print(Panel(Group(*rows), title=T(f"{who(v.source)} — {v.source.title}"), title_align="left"))
    if cmp.silent:
        con.print(T(f"Silent on {cmp.topic.label}: " + ", ".join(who(s) for s in cmp.silent), "dim"))
    if cmp.shared:
        table = Table(title=T("Events more than one source reports"), box=box.SIMPLE_HEAD)
        table.add_column("event")
        table.add_column("sources")
        table.add_column("dates")
        for e in cmp.shared:
            verdict = (
                T("agree", "green") if e.agree else T(f"differ: {disagreement(d, e.claims)}", "bold red")
            )
            table.add_row(T(e.event.label), T(", ".join(e.sources)), verdict)
        con.print(table)
    if cmp.more_views or cmp.more_silent or cmp.more_shared:
        from pakru.render.plain import _more

        con.print(T(f"Not shown: {_more(cmp)} (pakru compare --all shows them)", "dim"))


def show(d: Dataset, c: Claim, ctx: Context | None) -> None:
    con = console()
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
        grid.add_row(
            T("in context"),
            Text.assemble(T(f"…{ctx.before} "), T(ctx.quote, "bold yellow"), T(f" {ctx.after}…")),
        )
    grid.add_row(T("topics"), T(", ".join(c.topics)))
    grid.add_row(T("actors"), T(", ".join(c.actors) or "–"))
    grid.add_row(T("stance"), T(stance_text(c.stance), stance_style(c.stance)))
    grid.add_row(T("source"), T(source_line(s)))
    grid.add_row(T("published"), T(s.published_basis, "dim"))
    if c.event:
        grid.add_row(T("event"), T(f"{d.event_by_id[c.event].label} ({c.event})"))
        for x in d.attestations(c.event):
            if x.id != c.id:
                when = date_text(x) if x.date else "undated"
                grid.add_row(T(""), T(f"{when}: {x.summary} — {who(d.source_by_id[x.source])} {x.id}"))
    grid.add_row(T("cite as"), T(citation(s)))
    con.print(Panel(grid, title=T(c.id, "bold"), title_align="left"))


def sources(d: Dataset) -> None:
    con = console()
    counts = d.claims_per_source()
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("id", "author · title", "outlet", "published", "outlook", "claims"):
        table.add_column(name, no_wrap=name in ("id", "claims"))
    for s in d.sources:
        table.add_row(
            T(s.id, "bold"),
            Text.assemble(T(who(s), "bold"), T(f"\n{s.title}")),
            T(s.outlet or "not stated"),
            T(published_phrase(s)),
            T(f"{stance_text(s.outlook.score)} {s.outlook.label}", stance_style(s.outlook.score)),
            T(str(counts[s.id])),
        )
    con.print(table)


def topics(d: Dataset, topic_list: list[Topic]) -> None:
    con = console()
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("topic")
    for s in d.sources:
        table.add_column(s.id, justify="right", no_wrap=True)
    table.add_column("total", justify="right")
    table.add_column("aliases", style="dim")
    per_topic = d.claims_per_topic()
    for t in topic_list:
        per = list(per_topic[t.id].values())
        table.add_row(
            Text.assemble(T(t.label, "bold"), T(f"\n{t.id}", "dim")),
            *(T(str(n) if n else "·") for n in per),
            T(str(sum(per))),
            T(", ".join(t.aliases)),
        )
    con.print(table)
