"""Markdown: the claims by decade, each with its date, summary, quote and citation; then the
sources with their outlooks and references.

Data text is escaped so that it stays text under CommonMark: every ASCII punctuation mark that
can start markup gets a backslash, ``<`` and ``&`` become entities (no raw HTML, no entity
references), and line breaks become spaces (a quote is one blockquote line).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakru.core.model import Dataset
    from pakru.queries.timeline import Timeline

_INLINE = re.compile(r"([\\`*_\[\]|~])")  # emphasis, code, links, tables, strikethrough
_LINE_START = re.compile(r"^(\d*)([#>+\-=]|(?<=\d)[.)])")  # headings, quotes, lists, setext rules
_LINE_END = re.compile(r"#+$")  # a heading's closing sequence, which CommonMark drops


def escape(text: str) -> str:
    """Data text as literal CommonMark inline text, on one line, nothing raw for a terminal.

    Inline markup characters get a backslash anywhere; the marks that only count at the
    start of a line (``#``, ``>``, ``-``, ``+``, ``1.``) get one there, since every value may
    follow a ``> `` or begin a line; and so do the ``#`` that end it (a heading would drop them).
    """
    from pakru.render.safe import clean

    # control and bidi characters as visible escapes (a Markdown file is read on terminals too)
    text = clean(" ".join(text.split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_END.sub(lambda m: "\\#" * len(m.group()), text)
    return _LINE_START.sub(r"\1\\\2", text)


def markdown(d: Dataset, t: Timeline) -> str:
    from pakru.queries.citation import Citer

    citer = Citer(d)
    out = ["# Pakistan–Russia relations: claims from pakru", ""]
    filed_under = None
    for entry in t.entries:
        if entry.heading != filed_under:
            filed_under = entry.heading
            out += [f"## {escape(entry.heading)}", ""]
        # an event's claims are headings under the event's: where the event ends is plain
        level = "###"
        if entry.event is not None and len(entry.claims) > 1:
            label = d.event_by_id[entry.event].label
            note = " Sources disagree on its date." if entry.conflict else ""
            out += [f"### Event: {escape(label)}", "", f"{len(entry.sources)} sources.{note}", ""]
            level = "####"
        for c in entry.claims:
            cited = citer.cite(c)
            date = c.date.label if c.date else "undated"
            out += [
                f"{level} {escape(date)}: {escape(c.summary)}",
                "",
                f"> {escape(c.quote)}",
                "",
                f"{escape(cited.rendered.in_text)}, {escape(c.kind)}, `{c.id}`",
                "",
            ]
    from pakru.export import sources_of

    out += ["## Sources", ""]
    for s in sources_of(d, t):
        ref = citer.rendered(s).reference
        out += [
            f"- {escape(ref)}  ",
            f"  Outlook: {escape(s.outlook.label)} ({s.outlook.score:+d}): “{escape(s.outlook.quote)}”",
        ]
    out.append("")
    return "\n".join(out)
