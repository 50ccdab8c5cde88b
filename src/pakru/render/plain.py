"""Plain text for pipes and files: no colour, no wrapping, one fact per line, no rich import."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from pakru.core.model import Claim, Dataset, Topic
from pakru.queries.citation import claim_in_text, reference
from pakru.queries.cite import published_phrase
from pakru.render.common import (
    author_line,
    by_publication,
    count,
    date_text,
    disagreement,
    mean_stance_label,
    silent_on,
    source_line,
    stance_text,
    verdict,
    who,
)
from pakru.render.safe import clean

if TYPE_CHECKING:  # only the command that shows one imports its module
    from pakru.queries.cite import Context
    from pakru.queries.compare import Comparison
    from pakru.queries.events import EventFacts
    from pakru.queries.grid import Grid
    from pakru.queries.search import Results
    from pakru.queries.timeline import Timeline


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
    from pakru.queries.timeline import UNDATED

    w = Writer(out)
    current = None
    for e in t.entries:
        if e.heading != current:
            current = e.heading
            title = "Undated (placed by their source's publication date)" if current == UNDATED else current
            if w.lines:
                w()
            w(f"== {title} ==")
        facts = t.events.get(e.event) if e.event is not None else None
        indent = ""  # an attested event's claims, under its line
        if facts is not None and facts.attested_by > 1:
            note = f"attested by {count(facts.attested_by, 'source')}"
            if facts.conflict:
                note += f"; sources disagree on the date: {disagreement(d, facts.claims)}"
            w(f"* {facts.event.label} ({note})")
            indent = "  "
        for c in e.claims:
            w(f"{indent}{_when(d, c)}  {c.summary}{_opinion(c)} — {who(d.source_by_id[c.source])} [{c.id}]")
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
            f"{mean_stance_label(cmp.topic.label)}: {stance_text(v.stance)} · {count(v.claim_count, 'claim')}"
        )
        _listing(w, v.claims, who(s))
        if v.claim_count > len(v.claims):
            w(f"  … {v.claim_count - len(v.claims)} more claims (pakru compare --all shows them)")
        w.spill()
    if cmp.silent:
        w()
        w(f"{silent_on(cmp)}: " + "; ".join(f"{who(s)} ({s.id})" for s in cmp.silent))
    if cmp.shared:
        w()
        w("Events more than one source reports:")
        for e in cmp.shared:
            said = verdict(e) + (f": {disagreement(d, e.disputed)}" if e.agree is False else "")
            w(f"- {e.event.label}: {', '.join(e.sources)}; {said}")
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


def _listing(w: Writer, claims: Iterable[Claim], author: str) -> None:
    """One line a claim, with its id and author, so that grep finds whole claims; made as one
    string from its cleaned fields (clean() of each field is clean() of the line). A compare at
    100,000 claims lists 22,000."""
    add = w.lines.append
    author = clean(author)
    for c in claims:
        when, summary, quote, cid = date_text(c), c.summary, c.quote, c.id
        if not (summary.isprintable() and quote.isprintable() and cid.isprintable() and when.isprintable()):
            when, summary, quote, cid = clean(when), clean(summary), clean(quote), clean(cid)
        add(f"- [{cid}] {when} — {author}: {summary}{_opinion(c)} “{quote}”")


def _opinion(c: Claim) -> str:
    """After an opinion's summary, what kind it is, as the terminal views mark it: a line that
    grep finds must not pass an author's reading off as an event."""
    return "" if c.kind == "event" else f" ({c.kind})"


def events(d: Dataset, found: list[EventFacts], out: TextIO | None = None) -> None:
    """One line an event, then one line each attestation."""
    w = Writer(out)
    for f in found:
        said = verdict(f) + (f": {disagreement(d, f.claims)}" if f.agree is False else "")
        w(f"{f.event.id}: {f.event.label} · attested by {count(f.attested_by, 'source')} · {said}")
        for c in f.claims:
            w(f"  {_when(d, c)} — {who(d.source_by_id[c.source])} [{c.id}]: {c.summary}{_opinion(c)}")
    if not found:
        w("No events.")
    w.flush()


def grid(d: Dataset, g: Grid, out: TextIO | None = None) -> None:
    """A tab-separated matrix: one row a topic, one column a source, each cell 'stance/claims'."""
    w = Writer(out)
    w.row(["topic", *(s.id for s in g.sources)])
    w.row(["(outlook)", *(stance_text(s.outlook.score) for s in g.sources)])
    for t in g.topics:
        cells = g.cells[t.id]
        w.row([t.id, *(_cell(cells[s.id].stance, cells[s.id].claims) for s in g.sources)])
    w.flush()


def _cell(stance: float | None, claims: int) -> str:
    return "" if not claims else f"{stance_text(stance)}/{claims}"


def show(d: Dataset, c: Claim, ctx: Context | None, f: EventFacts | None, out: TextIO | None = None) -> None:
    w = Writer(out)
    s = d.source_by_id[c.source]
    w(f"{c.id} · {c.kind}")
    w(f"Date: {c.date.label} ({c.date_basis}, EDTF {c.date.text})" if c.date else "Date: undated")
    if c.date_note:
        w(f"Date note: {c.date_note}")
    w(f"Summary: {c.summary}")
    w(f"Quote: “{c.quote}”")
    if ctx is not None:
        w(f"In context: …{ctx.before}{ctx.gap_before}«{ctx.quote}»{ctx.gap_after}{ctx.after}…")
    w(f"Topics: {', '.join(c.topics)}")
    w(f"Actors: {', '.join(c.actors) or '–'}")
    w(f"Stance: {stance_text(c.stance)}")
    w(f"Source: {source_line(s)}")
    w(f"Published: {s.published_basis}")
    if c.event and f is not None:
        note = f"attested by {count(f.attested_by, 'source')}"
        if f.conflict:
            note += f"; sources disagree on the date: {disagreement(d, f.claims)}"
        w(f"Event: {f.event.label} ({c.event}), {note}")
        for x in (x for x in f.claims if x.id != c.id):
            w(f"- {_when(d, x)}: {x.summary} — {who(d.source_by_id[x.source])} [{x.id}]")
    w(f"Cite as: {reference(s)}")
    w(f"In text: {claim_in_text(d, c)}")
    w.flush()


def sources(d: Dataset, out: TextIO | None = None) -> None:
    w = Writer(out)
    counts = d.claims_per_source()
    for s in d.sources:
        w(f"{s.id}: {s.title}")
        w(f"   author: {author_line(s)}")
        basis = s.outlet_basis or ""
        if s.outlet is None and basis.startswith("not stated"):  # not "not stated — not stated: …"
            basis = basis.removeprefix("not stated").lstrip(":").strip()
        w(f"   outlet: {s.outlet or 'not stated'}{' — ' + basis if basis else ''}")
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
