"""Plain text for pipes and files: no colour, no wrapping, one fact per line, no rich import."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from pakru.cite import citation, published_phrase
from pakru.model import Claim, Dataset, Topic
from pakru.render.common import by_publication, date_text, disagreement, source_line, stance_text, who
from pakru.render.safe import clean

if TYPE_CHECKING:  # only the command that shows one imports its module
    from pakru.cite import Context
    from pakru.compare import Comparison
    from pakru.search import Results
    from pakru.timeline import Timeline


class Writer:
    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        self.lines.append(clean(text))

    def row(self, cells: list[str]) -> None:
        """A tab-separated line; each cell cleaned, tabs kept as separators."""
        self.lines.append("\t".join(clean(cell) for cell in cells))

    def spill(self) -> None:
        """Write out what has gathered once it is a couple of thousand items (of up to two
        lines): the text of a large compare (53,000 lines) is then never built whole, and its
        memory is reused, where a fresh page costs ~5 µs to fault in here (at 4,096 items of
        two lines, writing a compare at 100,000 claims faulted 1,700 pages: ~9 ms)."""
        if len(self.lines) >= 2048:
            self._write()

    def flush(self) -> None:
        self._write()
        self.out.flush()

    def _write(self) -> None:
        text = "\n".join(self.lines) + ("\n" if self.lines else "")
        self.lines.clear()
        try:
            self.out.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self.out, "encoding", None) or "ascii"
            self.out.write(text.encode(encoding, "replace").decode(encoding))


def _claim_block(w: Writer, d: Dataset, c: Claim, indent: str = "   ") -> None:
    w(f"{indent}{c.summary}")
    w(f"{indent}“{c.quote}”")
    w(f"{indent}— {source_line(d.source_by_id[c.source])} [{c.id}]")


def search(d: Dataset, r: Results, out: TextIO | None = None) -> None:
    """Notices first (words no claim holds), then each hit with its matched words in «»."""
    from pakru.render.common import marked, search_head

    w = Writer(out)
    for notice in r.notices:
        w(f"note: {notice}")
    for n, h in enumerate(r.hits, 1):
        c = h.claim
        w(f"{n}. {search_head(c, h)}")
        w(f"   {marked(c.summary, h.words)}")
        w(f"   “{marked(c.quote, h.words)}”")
        w(f"   — {source_line(d.source_by_id[c.source])} [{c.id}]")
        w()
    w.flush()


def timeline(d: Dataset, t: Timeline, out: TextIO | None = None) -> None:
    from pakru.timeline import UNDATED

    w = Writer(out)
    current = None
    for e in t.entries:
        if e.heading != current:
            current = e.heading
            title = "Undated (placed by their source's publication date)" if current == UNDATED else current
            if w.lines:
                w()
            w(f"== {title} ==")
        if e.event is not None and len(e.sources) > 1:
            note = f"attested by {len(e.sources)} sources"
            if e.conflict:
                note += f"; sources disagree on the date: {disagreement(d, e.claims)}"
            w(f"* {d.event_by_id[e.event].label} ({note})")
            for c in e.claims:
                w(f"  {_when(d, c)}  {c.summary} — {who(d.source_by_id[c.source])} [{c.id}]")
        else:
            for c in e.claims:
                w(f"{_when(d, c)}  {c.summary} — {who(d.source_by_id[c.source])} [{c.id}]")
    if not t.entries:
        w("No claims match these filters.")
    w.flush()


def _when(d: Dataset, c: Claim) -> str:
    return date_text(c) if c.date is not None else f"undated, {by_publication(d, c)}"


def compare(d: Dataset, cmp: Comparison, out: TextIO | None = None) -> None:
    w = Writer(out)
    w(f"Topic: {cmp.topic.label} ({cmp.topic.id})")
    for v in cmp.views:
        s = v.source
        w()
        w(f"== {who(s)}: {s.title} ==")
        w(f"{s.outlet or 'outlet not stated'} · {published_phrase(s)}")
        w(
            f"Outlook on the ties: {stance_text(s.outlook.score)} ({s.outlook.label}) · "
            f"stance on {cmp.topic.label}: {stance_text(v.stance)} · {v.claim_count} claims"
        )
        _listing(w, v.claims)
        if v.claim_count > len(v.claims):
            w(f"  … {v.claim_count - len(v.claims)} more claims (pakru compare --all shows them)")
        w.spill()
    if cmp.silent:
        w()
        w(f"Silent on {cmp.topic.label}: " + "; ".join(f"{who(s)} ({s.id})" for s in cmp.silent))
    if cmp.shared:
        w()
        w("Events more than one source reports:")
        for e in cmp.shared:
            verdict = "dates agree" if e.agree else f"dates differ: {disagreement(d, e.claims)}"
            w(f"- {e.event.label}: {', '.join(e.sources)}; {verdict}")
    if cmp.more_views or cmp.more_silent or cmp.more_shared:
        w()
        w(f"Not shown: {_more(cmp)} (pakru compare --all shows them)")
    if not cmp.views:
        w(f"No source says anything on {cmp.topic.label} with these filters.")
    w.flush()


def _more(cmp: Comparison) -> str:
    counts = [
        (cmp.more_views, "sources"),
        (cmp.more_silent, "silent sources"),
        (cmp.more_shared, "shared events"),
    ]
    return ", ".join(f"{n:,} more {what}" for n, what in counts if n)


def _listing(w: Writer, claims: Iterable[Claim]) -> None:
    """Two lines a claim, made as one string from its cleaned fields: clean() of each field is
    clean() of the lines, since the text between them holds no break. A compare at 100,000
    claims lists 22,000; this took ~20% less time than a line at a time, each checked whole."""
    add = w.lines.append
    for c in claims:
        when, summary, quote, cid = date_text(c), c.summary, c.quote, c.id
        if not (summary.isprintable() and quote.isprintable() and cid.isprintable() and when.isprintable()):
            when, summary, quote, cid = clean(when), clean(summary), clean(quote), clean(cid)
        add(f"- {when}: {summary} [{cid}]\n  “{quote}”")


def show(d: Dataset, c: Claim, ctx: Context | None, out: TextIO | None = None) -> None:
    w = Writer(out)
    s = d.source_by_id[c.source]
    w(f"{c.id} · {c.kind}")
    w(
        f"Date: {c.date.label if c.date else 'undated'} ({c.date_basis}"
        f"{', EDTF ' + c.date.text if c.date else ''})"
    )
    if c.date_note:
        w(f"Date note: {c.date_note}")
    w(f"Summary: {c.summary}")
    w(f"Quote: “{c.quote}”")
    if ctx is not None:
        w(f"In context: …{ctx.before} «{ctx.quote}» {ctx.after}…")
    w(f"Topics: {', '.join(c.topics)}")
    w(f"Actors: {', '.join(c.actors) or '–'}")
    w(f"Stance: {stance_text(c.stance)}")
    w(f"Source: {source_line(s)}")
    w(f"Published: {s.published_basis}")
    if c.event:
        others = [x for x in d.attestations(c.event) if x.id != c.id]
        w(
            f"Event: {d.event_by_id[c.event].label} ({c.event}), attested by "
            f"{len({x.source for x in d.attestations(c.event)})} sources"
        )
        for x in others:
            w(f"- {_when(d, x)}: {x.summary} — {who(d.source_by_id[x.source])} [{x.id}]")
    w(f"Cite as: {citation(s)}")
    w.flush()


def sources(d: Dataset, out: TextIO | None = None) -> None:
    w = Writer(out)
    counts = d.claims_per_source()
    for s in d.sources:
        w(f"{s.id}: {s.title}")
        w(f"   author: {s.author or 'unsigned'}{' (' + s.author_note + ')' if s.author_note else ''}")
        w(f"   outlet: {s.outlet or 'not stated'}{' — ' + s.outlet_basis if s.outlet_basis else ''}")
        w(f"   published: {published_phrase(s)} — {s.published_basis}")
        w(f"   outlook: {stance_text(s.outlook.score)} ({s.outlook.label}): “{s.outlook.quote}”")
        w(f"   claims: {counts[s.id]}")
        w()
    w.flush()


def topics(d: Dataset, topic_list: list[Topic], out: TextIO | None = None) -> None:
    w = Writer(out)
    ids = [s.id for s in d.sources]
    w.row(["topic", *ids, "total", "aliases"])
    per_topic = d.claims_per_topic()
    for t in topic_list:
        per = list(per_topic[t.id].values())
        w.row([t.id, *map(str, per), str(sum(per)), ", ".join(t.aliases)])
    w.flush()
