"""One self-contained HTML page: the claims by decade, the viewpoint grid and the sources.

Everything is inline (html_template/page.css and page.js) and a Content-Security-Policy
forbids anything else, so the page works from file:// with no network and prints as it
shows. The page is complete without JavaScript; the script only adds the search box and the
topic and source filters, over the claims embedded as JSON (the shape of ``timeline --json``).

All data text goes through html.escape; the embedded JSON has ``<``, ``>``, ``&`` and the
line separators U+2028/U+2029 escaped, so no data can close its <script> element.
"""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakru.core.model import Claim, Dataset, Source
    from pakru.queries.citation import Citer
    from pakru.queries.timeline import Entry, Timeline

_TEMPLATE = Path(__file__).parent / "html_template"
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
STANCES = {-2: "strongly negative", -1: "negative", 0: "neutral", 1: "positive", 2: "strongly positive"}


def e(text: object) -> str:
    return escape(str(text), quote=True)


# What sets or changes a text's direction: a right-to-left letter (Urdu, Arabic, Hebrew) or a
# bidi control. Such data text runs on over pakru's words after it ("· the sources disagree")
# unless it is isolated.
_BIDI_CLASSES = frozenset(["R", "AL", "RLE", "RLO", "LRE", "LRO", "RLI", "LRI", "FSI", "PDF", "PDI"])


def t(text: object) -> str:
    """Data text as element content: escaped, and in <bdi> when it could turn what follows."""
    import unicodedata

    out = e(text)
    if not out.isascii() and any(unicodedata.bidirectional(ch) in _BIDI_CLASSES for ch in out):
        return f"<bdi>{out}</bdi>"
    return out


def script_json(doc: Any) -> str:
    """JSON safe inside <script>: no ``</script>``, ``<!--`` or line separators can appear."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _colour(stance: float | None) -> str:
    if stance is None:
        return "var(--none)"
    return f"var(--s{round(stance)})"


def _claim(d: Dataset, c: Claim, citer: Citer) -> str:
    cited = citer.cite(c).rendered.in_text
    stance = "no stance" if c.stance is None else f"stance {c.stance:+d}, {STANCES[c.stance]}"
    return (
        f'<article class="claim" id="claim-{e(c.id)}" data-id="{e(c.id)}" style="--c:{_colour(c.stance)}">'
        f'<div class="date">{e(c.date.label if c.date else "undated")} '
        f'<span class="kind">· {e(c.kind)} · {e(stance)}</span></div>'
        f"<h3>{t(c.summary)}</h3>"
        f"<blockquote>{t(c.quote)}</blockquote>"
        f'<p class="cite"><a href="#source-{e(c.source)}">{t(cited)}</a> · <code>{t(c.id)}</code></p>'
        "</article>"
    )


def _entry(d: Dataset, entry: Entry, citer: Citer) -> str:
    claims = "".join(_claim(d, c, citer) for c in entry.claims)
    if entry.event is None or len(entry.claims) < 2:
        return claims
    label = d.event_by_id[entry.event].label
    names = ", ".join(d.source_by_id[s].author or d.source_by_id[s].title for s in entry.sources)
    conflict = ' <span class="conflict">· the sources disagree on its date</span>' if entry.conflict else ""
    return (
        f'<div class="event" data-event="{e(entry.event)}"><h3>Event: {t(label)} '
        f'<span class="muted">· {len(entry.sources)} sources: {t(names)}</span>{conflict}</h3>{claims}</div>'
    )


def _timeline(d: Dataset, t: Timeline, citer: Citer) -> tuple[str, str]:
    """The decade sections, and the overview strip: one coloured dot per claim."""
    decades: dict[str, list[Entry]] = defaultdict(list)
    for entry in t.entries:
        decades[entry.heading].append(entry)
    sections, strip = [], []
    for n, (heading, entries) in enumerate(decades.items()):
        anchor = f"decade-{n}"
        body = "".join(_entry(d, x, citer) for x in entries)
        sections.append(f'<section class="decade" id="{anchor}"><h2>{e(heading)}</h2>{body}</section>')
        dots = "".join(
            f'<span class="dot" data-id="{e(c.id)}" style="--c:{_colour(c.stance)}"></span>'
            for x in entries
            for c in x.claims
        )
        strip.append(f'<a href="#{anchor}"><span>{e(heading)}</span><span class="dots">{dots}</span></a>')
    return "".join(sections), f'<nav class="overview" aria-label="Claims per decade">{"".join(strip)}</nav>'


def _grid(d: Dataset, t: Timeline, sources: list[Source]) -> str:
    """Topics by sources: each source's mean stance on the topic and its number of claims."""
    cells: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in t.claims:
        for topic_id in c.topics:
            cells[topic_id, c.source].append(c)
    topics = [x for x in d.topics if any((x.id, s.id) in cells for s in sources)]
    head = "".join(f'<th scope="col">{e(s.author or s.title)}</th>' for s in sources)
    rows = []
    for topic in topics:
        tds = []
        for s in sources:
            claims = cells.get((topic.id, s.id), [])
            stances = [c.stance for c in claims if c.stance is not None]
            if not claims:
                tds.append('<td class="muted">·</td>')
            elif not stances:
                tds.append(f"<td>– <small>({len(claims)})</small></td>")
            else:
                mean = sum(stances) / len(stances)
                light = " light" if abs(mean) < 1.5 else ""
                tds.append(
                    f'<td class="v{light}" style="background:{_colour(mean)}" '
                    f'title="mean stance {mean:+.1f} over {len(stances)} claim(s)">'
                    f"{mean:+.1f} <small>({len(claims)})</small></td>"
                )
        rows.append(f'<tr><th scope="row">{e(topic.label)}</th>{"".join(tds)}</tr>')
    return (
        '<section class="block" id="viewpoints"><h2>Viewpoints: mean stance by topic and source</h2>'
        '<p class="muted">Each cell: the mean stance (−2 … +2) of the source’s claims on the topic that '
        "carry one, and (in brackets) how many claims it has on it; · none.</p>"
        f'<table class="grid"><thead><tr><th scope="col">Topic</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _sources(sources: list[Source], citer: Citer) -> str:
    items = []
    for s in sources:
        ref = citer.rendered(s).reference
        items.append(
            f'<div class="source" id="source-{e(s.id)}" '
            f'style="border-left:6px solid {_colour(s.outlook.score)}">'
            f"<h3>{t(s.title)}</h3>"
            f'<p class="muted">{t(s.author or "unsigned")} · {t(s.outlet or "outlet not stated")} · '
            f"{e(s.published.label)}</p>"
            f"<p>Outlook: <strong>{t(s.outlook.label)}</strong> ({s.outlook.score:+d})</p>"
            f"<blockquote>{t(s.outlook.quote)}</blockquote>"
            f'<p class="cite">Reference (APA): {t(ref)}</p></div>'
        )
    return f'<section class="block" id="sources"><h2>Sources</h2>{"".join(items)}</section>'


def _options(values: list[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{e(everything)}</option>' + "".join(
        f'<option value="{e(v)}">{e(label)}</option>' for v, label in values
    )


def html(d: Dataset, t: Timeline) -> str:
    from pakru import __version__
    from pakru.export import sources_of
    from pakru.queries.citation import Citer
    from pakru.render.jsonout import timeline_doc

    citer = Citer(d)
    sources = sources_of(d, t)
    claims = t.claims
    used_topics = {x for c in claims for x in c.topics}
    topic_options = _options([(x.id, x.label) for x in d.topics if x.id in used_topics], "All topics")
    source_options = _options([(s.id, s.author or s.title) for s in sources], "All sources")
    legend = "".join(f'<span style="--c:var(--s{k})">{k:+d} {v}</span>' for k, v in STANCES.items())
    sections, strip = _timeline(d, t, citer)
    css = (_TEMPLATE / "page.css").read_text(encoding="utf-8")
    js = (_TEMPLATE / "page.js").read_text(encoding="utf-8")
    data = script_json({"claims": timeline_doc(d, t)})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pakistan–Russia relations: a timeline of claims</title>
<style>
{css}</style>
</head>
<body>
<header>
<h1>Pakistan–Russia relations: a timeline of claims</h1>
<p class="lede">{len(claims)} attributed claims from {len(sources)} opinion articles, each with its
verbatim quote and the paragraph it stands in. Exported by pakru {e(__version__)}.</p>
<form id="controls" role="search">
<input id="q" type="search" placeholder="Search summaries, quotes, actors…" aria-label="Search claims">
<select id="topic" aria-label="Topic">{topic_options}</select>
<select id="source" aria-label="Source">{source_options}</select>
<span id="count" aria-live="polite">{len(claims)} of {len(claims)} claims</span>
</form>
<div class="legend"><span style="--c:var(--none)">no stance</span>{legend}</div>
{strip}
</header>
<main id="timeline">
{sections}
</main>
{_grid(d, t, sources)}
{_sources(sources, citer)}
<footer>Stance: how favourable a claim is to Pakistan–Russia ties, −2 … +2, as curated in pakru's
dataset. Paragraphs are counted in each article's captured text.</footer>
<script type="application/json" id="pakru-data">{data}</script>
<script>
{js}</script>
</body>
</html>
"""
