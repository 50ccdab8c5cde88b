"""Width-adaptive layout for the terminal views, without rich's Table.

A view is built as lines of styled pieces into one rich Text, wrapped here to the terminal's
width and printed once (a 340-row rich Table took ~0.3 s to lay out; this takes a few ms).
Columns get their natural width when it fits, else shrink towards a minimum, the text
wrapping inside them; when even the minimums do not fit, the view stacks its fields instead of
dropping one. Data text enters only through add(), which makes it harmless (safe.clean).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from pakru.render.safe import clean

Piece = tuple[str, str]  # (text, style)


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most ``width`` cells (words longer than that are cut)."""
    width = max(width, 1)
    if cell_len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def fit(natural: Sequence[int], minimum: Sequence[int], available: int) -> list[int] | None:
    """Column widths: the natural ones if they fit; else each shrunk towards its minimum in
    proportion to how much it can give; None when even the minimums do not fit."""
    if sum(natural) <= available:
        return list(natural)
    if sum(minimum) > available:
        return None
    slack = [n - m for n, m in zip(natural, minimum, strict=True)]
    extra, total = available - sum(minimum), sum(slack)
    widths = [m + (s * extra) // total for m, s in zip(minimum, slack, strict=True)]
    # hand out what rounding left, to the columns that can still grow
    for i in sorted(range(len(widths)), key=lambda k: -slack[k]):
        if sum(widths) >= available:
            break
        if widths[i] < natural[i]:
            widths[i] += 1
    return widths


class Lines:
    """Styled lines gathered into one Text."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.text = Text(end="")
        self.count = 0

    def add(self, text: str, style: str = "") -> None:
        self.text.append(clean(text), style or None)

    def end(self) -> None:
        self.text.append("\n")
        self.count += 1

    def line(self, *pieces: Piece) -> None:
        for text, style in pieces:
            self.add(text, style)
        self.end()

    def blank(self) -> None:
        self.end()

    def rule(self, title: str, style: str = "bold") -> None:
        """A heading across the width: '── title ─────'; a long title wraps below its start."""
        lines = wrap(clean(title), self.width - 6)
        for n, line in enumerate(lines):
            rest = self.width - cell_len(line) - 4
            tail = (" " + "─" * rest, "dim") if n == len(lines) - 1 and rest >= 2 else ("", "")
            self.line(("── " if n == 0 else "   ", "dim"), (line, style), tail)

    def wrapped(
        self,
        pieces: Sequence[Piece],
        indent: int = 0,
        first: str | Sequence[Piece] = "",
        prefix: str = "",
    ) -> None:
        """Pieces as one paragraph wrapped to the width: ``first`` (text or styled pieces) before
        its first line, ``prefix`` (dim) plus ``indent`` spaces before the others (a hanging indent)."""
        lead: Sequence[Piece] = [(first, "")] if isinstance(first, str) else first
        lead_len = sum(cell_len(clean(t)) for t, _ in lead)
        hang = prefix + " " * indent
        width = self.width - max(lead_len, cell_len(hang))
        plain = "".join(clean(t) for t, _ in pieces)
        lines = wrap(plain, width)
        styles = self._styles(pieces)
        pos = 0
        for n, line in enumerate(lines):
            start = plain.find(line, pos) if line else pos
            start = pos if start < 0 else start
            if n == 0:
                for text, style in lead:
                    self.add(text, style)
            else:
                self.add(prefix, "dim")
                self.add(" " * indent)
            self._styled(line, start, styles)
            self.end()
            pos = start + len(line)

    def cells(self, columns: Sequence[Sequence[Piece]], widths: Sequence[int], gap: int = 2) -> None:
        """One row of columns, each wrapped in its width; a row is as tall as its tallest cell."""
        wrapped: list[list[tuple[str, str]]] = []
        for pieces, width in zip(columns, widths, strict=True):
            rows: list[tuple[str, str]] = []
            for text, style in pieces:  # each piece starts a line of its cell
                rows.extend((line, style) for line in wrap(clean(text), width))
            wrapped.append(rows)
        for r in range(max(len(c) for c in wrapped)):
            out: list[Piece] = []
            for k, (rows, width) in enumerate(zip(wrapped, widths, strict=True)):
                text, style = rows[r] if r < len(rows) else ("", "")
                pad = width - cell_len(text) if k < len(widths) - 1 else 0
                out.append((text, style))
                out.append((" " * (pad + (gap if k < len(widths) - 1 else 0)), ""))
            while out and not out[-1][0].strip():
                out.pop()
            self.line(*out)

    @staticmethod
    def _styles(pieces: Sequence[Piece]) -> list[tuple[int, int, str]]:
        spans, at = [], 0
        for text, style in pieces:
            n = len(clean(text))
            if style:
                spans.append((at, at + n, style))
            at += n
        return spans

    def _styled(self, line: str, start: int, spans: list[tuple[int, int, str]]) -> None:
        end = start + len(line)
        at = start
        for s, e, style in spans:
            if e <= at or s >= end:
                continue
            if s > at:
                self.text.append(line[at - start : s - start])
            self.text.append(line[max(s, at) - start : min(e, end) - start], style)
            at = min(e, end)
        if at < end:
            self.text.append(line[at - start :])

    def print(self, con: Console) -> None:
        con.print(self.text, soft_wrap=True, end="")
