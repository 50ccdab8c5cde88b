"""The terminal views that list many things (timeline, compare, sources, topics, events, grid),
laid out by render/layout.py to the terminal's width: readable at 80 columns, stacked below 60."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from pakru.core.model import Claim, Dataset, Source, Topic
from pakru.queries.cite import published_phrase
from pakru.render.common import (
    author_line,
    count,
    date_text,
    disagreement,
    short,
    silent_on,
    stance_text,
    verdict,
    who,
)
from pakru.render.layout import Lines, fit

if TYPE_CHECKING:
    from pakru.queries.compare import Comparison
    from pakru.queries.events import EventFacts
    from pakru.queries.grid import Grid
    from pakru.queries.timeline import Timeline

NARROW = 60  # below this many columns, views stack their fields


def stance_style(stance: float | None) -> str:
    if stance is None or stance == 0:
        return "dim"
    return "green" if stance > 0 else "red"


def marks(con: Console) -> bool:
    """Whether colour is off (TERM=dumb, where no style shows, or NO_COLOR): then text marks
    stand in for what colour and italics say."""
    return con.color_system is None or con.no_color


def _when(c: Claim) -> str:
    if c.date is None:
        return "undated"
    return c.date.label + ("*" if c.date_basis == "resolved" else "")


def timeline(con: Console, d: Dataset, t: Timeline) -> None:
    from pakru.queries.timeline import UNDATED

    out = Lines(con.width)
    if not t.entries:
        out.line(("No claims match these filters.", ""))
        out.print(con)
        return
    marked = marks(con)
    names = {s.id: short(s) for s in d.sources}
    dated = [_when(c) for e in t.entries if e.heading != UNDATED for c in e.claims]
    wide = out.width >= NARROW
    date_w = min(max(map(len, dated), default=4), max(out.width // 5, 8))
    who_w = max(len(n) for n in names.values())
    current = None
    undated_source = None
    seen_resolved = seen_opinion = False

    def claim(c: Claim, bar: str, with_date: bool, with_who: bool = True) -> None:
        nonlocal seen_resolved, seen_opinion
        seen_resolved = seen_resolved or (c.date is not None and c.date_basis == "resolved")
        opinion = c.kind != "event"
        seen_opinion = seen_opinion or opinion
        summary: list[tuple[str, str]] = [(c.summary, "italic" if opinion else "")]
        if opinion and marked:
            summary.append((f" ({c.kind})", ""))
        summary.append((f"  {c.id}", "dim"))
        if not with_who:  # under its source's heading
            out.wrapped(summary, indent=2, first=[(bar, "dim")], prefix=bar)
        elif wide:
            lead = [(bar, "dim")]
            if with_date:
                lead.append((_when(c).ljust(date_w) + "  ", "cyan"))
            lead.append((names[c.source].ljust(who_w) + "  ", "bold"))
            indent = (date_w + 2 if with_date else 0) + who_w + 2
            out.wrapped(summary, indent=indent, first=lead, prefix=bar)
        else:
            out.line((bar, "dim"), (_when(c) + "  " if with_date else "", "cyan"), (names[c.source], "bold"))
            out.wrapped(summary, indent=2, first=[(bar + "  ", "dim")], prefix=bar)

    for e in t.entries:
        if e.heading != current:
            current = e.heading
            if out.count:
                out.blank()
            out.rule("Undated (by source, in order of publication)" if current == UNDATED else current)
        facts = t.events.get(e.event) if e.event is not None else None
        if facts is not None and facts.attested_by > 1:
            undated_source = None
            head: list[tuple[str, str]] = [
                (f"{facts.event.label} — attested by {count(facts.attested_by, 'source')}", "bold")
            ]
            if facts.conflict:
                head.append((f"; dates disagree: {disagreement(d, facts.claims)}", "bold red"))
            out.wrapped(head, indent=2, first="┌ ", prefix="│")
            for c in e.claims:
                claim(c, "│ ", c.date is not None or current != UNDATED)
            out.line(("└─", "dim"))
            continue
        for c in e.claims:
            if c.date is None:
                if c.source != undated_source:
                    undated_source = c.source
                    s = d.source_by_id[c.source]
                    out.wrapped(
                        [
                            (who(s), "bold"),
                            (f" · {s.outlet or 'outlet not stated'} · by {published_phrase(s)}", "dim"),
                        ],
                        indent=2,
                    )
                claim(c, "  ", False, with_who=False)
            else:
                claim(c, "", True)
    legend = []
    if seen_opinion:
        legend.append(
            "(assessment)/(prediction): the author's reading"
            if marked
            else "italic: the author's assessment or prediction"
        )
    if seen_resolved:
        legend.append("* date resolved from a relative phrase (“last year”); pakru show ID says how")
    if legend:
        out.blank()
        out.wrapped([("; ".join(legend), "dim")], indent=0)
    out.print(con)


def _source_head(s: Source) -> list[tuple[str, str]]:
    return [(who(s), "bold"), (f" · {s.outlet or 'outlet not stated'} · {published_phrase(s)}", "")]


def compare(con: Console, d: Dataset, cmp: Comparison) -> None:
    out = Lines(con.width)
    topic = cmp.topic.label
    out.wrapped([(f"What the sources say on {topic}", "bold")])
    rows = [(v.source, v.stance, v.claim_count) for v in cmp.views] + [(s, None, 0) for s in cmp.silent]
    head = ["source", "outlet, published", "outlook on the ties", "stance", "claims"]
    cells = [
        [
            [(who(s), "dim" if not n else "bold")],
            [(s.outlet or "outlet not stated", "dim" if not n else ""), (published_phrase(s), "dim")],
            [
                (
                    f"{stance_text(s.outlook.score)} {s.outlook.label}",
                    "dim" if not n else stance_style(s.outlook.score),
                )
            ],
            [(stance_text(stance) if n else cmp.silence, stance_style(stance))],
            [(str(n), "dim" if not n else "")],
        ]
        for s, stance, n in rows
    ]
    natural = [max(len(h), *(max(len(t) for t, _ in c[k]) for c in cells)) for k, h in enumerate(head)]
    # who keeps its width first (a name up to 20 columns never wraps), then where and when
    minimum = [min(natural[0], 20), min(natural[1], 16), min(natural[2], 14), 6, 6]
    widths = fit(natural, minimum, out.width - 2 * (len(head) - 1)) if out.width >= NARROW else None
    out.blank()
    if widths is not None:
        out.cells([[(h, "bold dim")] for h in head], widths)
        for row in cells:
            out.cells(row, widths)
    else:  # stacked: every field kept, one source after another
        for (s, stance, n), row in zip(rows, cells, strict=True):
            out.wrapped(_source_head(s), indent=2)
            out.wrapped(row[2], indent=4, first="  outlook ")
            out.wrapped(
                [
                    (
                        f"stance {stance_text(stance) if n else cmp.silence} · {count(n, 'claim')}",
                        stance_style(stance),
                    )
                ],
                indent=4,
                first="  ",
            )
    out.wrapped(
        [
            (
                f"stance: the mean of what each source's {topic} claims imply for Pakistan–Russia ties "
                "(-2 to +2)",
                "dim",
            )
        ]
    )
    for v in cmp.views:
        out.blank()
        out.rule(f"{who(v.source)} — {v.source.title}")
        for c in v.claims:
            when = date_text(c) + "  "
            hang = len(when) if len(when) <= out.width // 3 else 2
            out.wrapped([(c.summary, ""), (f"  {c.id}", "dim")], indent=hang, first=[(when, "cyan")])
            out.wrapped([(f"“{c.quote}”", "italic dim")], indent=4, first="    ")
        if v.claim_count > len(v.claims):
            more = v.claim_count - len(v.claims)
            out.wrapped([(f"… {count(more, 'more claim')} (pakru compare --all shows them)", "dim")])
    if cmp.silent:
        out.blank()
        out.wrapped([(f"{silent_on(cmp)}: " + ", ".join(who(s) for s in cmp.silent), "dim")])
    if cmp.shared:
        out.blank()
        out.line(("Events more than one source reports", "bold"))
        for e in cmp.shared:
            said = verdict(e)
            style = "bold red" if e.agree is False else "green" if e.agree else "dim"
            if e.agree is False:
                said += f": {disagreement(d, e.disputed)}"
            out.wrapped(
                [(e.event.label, ""), (f" — {', '.join(e.sources)}: ", "dim"), (said, style)],
                indent=2,
                first="• ",
            )
    if cmp.more_views or cmp.more_silent or cmp.more_shared:
        from pakru.render.plain import _more

        out.blank()
        out.wrapped([(f"Not shown: {_more(cmp)} (pakru compare --all shows them)", "dim")])
    out.print(con)


def sources(con: Console, d: Dataset) -> None:
    """Every field of the piped view, stacked: readable at any width."""
    out = Lines(con.width)
    counts = d.claims_per_source()
    key_w = 11 if out.width >= 50 else 2
    for n, s in enumerate(d.sources):
        if n:
            out.blank()
        out.wrapped(
            [(s.id, "bold cyan"), ("  ", ""), (who(s), "bold"), (" — ", "dim"), (s.title, "")], indent=2
        )
        fields = [
            ("author", [(author_line(s), "")]),
            (
                "outlet",
                [
                    (s.outlet or "not stated", ""),
                    *([(f" — {s.outlet_basis}", "dim")] if s.outlet_basis else []),
                ],
            ),
            ("published", [(published_phrase(s), "cyan"), (f" — {s.published_basis}", "dim")]),
            (
                "outlook",
                [
                    (f"{stance_text(s.outlook.score)} {s.outlook.label}", stance_style(s.outlook.score)),
                    (f": “{s.outlook.quote}”", "italic"),
                ],
            ),
            ("claims", [(str(counts[s.id]), "")]),
        ]
        for key, pieces in fields:
            if key_w > 2:
                out.wrapped(pieces, indent=key_w + 2, first=[("  " + key.ljust(key_w), "bold")])
            else:
                out.line(("  " + key, "bold"))
                out.wrapped(pieces, indent=4, first="    ")
    out.print(con)


def topics(con: Console, d: Dataset, topic_list: list[Topic]) -> None:
    """One row a topic (label and id, claims per source, total), its aliases wrapped below it."""
    out = Lines(con.width)
    per_topic = d.claims_per_topic()
    ids = [s.id for s in d.sources]
    head = ["topic", *ids, "total"]
    rows = []
    for t in topic_list:
        per = list(per_topic[t.id].values())
        rows.append(
            [
                [(f"{t.label} ({t.id})", "bold")],
                *([(str(n) if n else "·", "" if n else "dim")] for n in per),
                [(str(sum(per)), "")],
            ]
        )
    natural = [max([len(h), *(len(r[k][0][0]) for r in rows)]) for k, h in enumerate(head)]
    minimum = [min(natural[0], 16), *natural[1:]]
    widths = fit(natural, minimum, out.width - (len(head) - 1)) if out.width >= NARROW else None
    if widths is not None:
        out.cells([[(h, "bold dim")] for h in head], widths, gap=1)
    for t, r in zip(topic_list, rows, strict=True):
        if widths is not None:
            out.cells(r, widths, gap=1)
        else:
            out.wrapped([(t.label, "bold"), (f" ({t.id})", "dim")], indent=2)
            counts = " · ".join(f"{i} {r[1 + k][0][0]}" for k, i in enumerate(ids))
            out.wrapped([(f"{counts} · total {r[-1][0][0]}", "")], indent=2, first="  ")
        if t.aliases:
            out.wrapped([(", ".join(t.aliases), "dim")], indent=4, first=[("  aka ", "dim")])
    out.print(con)


def events(con: Console, d: Dataset, found: list[EventFacts]) -> None:
    out = Lines(con.width)
    if not found:
        out.line(("No events.", ""))
    names = {s.id: short(s) for s in d.sources}
    date_w = min(max((len(_when(c)) for f in found for c in f.claims), default=7), max(out.width // 5, 8))
    for n, f in enumerate(found):
        if n:
            out.blank()
        said = verdict(f) + (f": {disagreement(d, f.claims)}" if f.agree is False else "")
        style = "bold red" if f.agree is False else "green" if f.agree else "dim"
        out.wrapped(
            [
                (f.event.label, "bold"),
                (f"  {f.event.id}", "dim"),
                (f" · attested by {count(f.attested_by, 'source')} · ", ""),
                (said, style),
            ],
            indent=2,
        )
        for c in f.claims:
            lead = [("  ", ""), (_when(c).ljust(date_w) + "  ", "cyan"), (names[c.source] + ": ", "bold")]
            hang = sum(len(t) for t, _ in lead) if out.width >= NARROW else 4
            out.wrapped([(c.summary, ""), (f"  {c.id}", "dim")], indent=hang, first=lead)
    out.print(con)


def grid(con: Console, d: Dataset, g: Grid) -> None:
    out = Lines(con.width)
    kinds = f" ({', '.join(g.kinds)} claims)" if g.kinds else ""
    out.wrapped(
        [
            (
                f"Viewpoints by topic{kinds}: each cell the mean stance of a source's claims for "
                "Pakistan–Russia ties (-2 to +2) and how many there are",
                "bold",
            )
        ]
    )
    head = [[("topic", "bold dim")]] + [
        [(short(s), "bold"), (f"outlook {stance_text(s.outlook.score)}", stance_style(s.outlook.score))]
        for s in g.sources
    ]
    rows = []
    for t in g.topics:
        row = [[(t.label, "")]]
        for s in g.sources:
            cell = g.cells[t.id][s.id]
            row.append(
                [
                    (
                        f"{stance_text(cell.stance)} ({cell.claims})" if cell.claims else "·",
                        stance_style(cell.stance) if cell.claims else "dim",
                    )
                ]
            )
        rows.append(row)
    natural = [max(max(len(x) for x, _ in r[k]) for r in [head, *rows]) for k in range(len(head))]
    minimum = [min(natural[0], 12), *natural[1:]]
    widths = fit(natural, minimum, out.width - 2 * (len(head) - 1)) if out.width >= NARROW else None
    out.blank()
    if widths is not None:
        out.cells(head, widths)
        for r in rows:
            out.cells(r, widths)
    else:
        for s in g.sources:
            out.wrapped(
                [
                    (who(s), "bold"),
                    (
                        f" · outlook {stance_text(s.outlook.score)} {s.outlook.label}",
                        stance_style(s.outlook.score),
                    ),
                ],
                indent=2,
            )
        for t, r in zip(g.topics, rows, strict=True):
            out.wrapped([(t.label, "bold")], indent=2)
            out.wrapped(
                [("; ".join(f"{short(s)} {c[0][0]}" for s, c in zip(g.sources, r[1:], strict=True)), "")],
                indent=2,
                first="  ",
            )
    out.print(con)
