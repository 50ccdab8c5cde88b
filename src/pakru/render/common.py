"""Wording shared by the human renderers (plain and rich)."""

from __future__ import annotations

from pakru.cite import published_phrase
from pakru.model import Claim, Dataset, Source


def who(source: Source) -> str:
    return source.author or "unsigned"


def short(source: Source) -> str:
    """The author's last name, or 'unsigned': enough to tell five sources apart."""
    return source.author.split()[-1] if source.author else "unsigned"


def source_line(source: Source) -> str:
    return f"{who(source)}, {source.outlet or 'outlet not stated'}, {published_phrase(source)}"


def date_text(claim: Claim) -> str:
    if claim.date is None:
        return "undated"
    return claim.date.label + (" (resolved)" if claim.date_basis == "resolved" else "")


def stance_text(stance: float | None) -> str:
    if stance is None:
        return "–"
    return f"{stance:+g}" if stance else "0"


def by_publication(dataset: Dataset, claim: Claim) -> str:
    return f"by {dataset.source_by_id[claim.source].published.label}"


def disagreement(dataset: Dataset, claims: tuple[Claim, ...]) -> str:
    """'2017 (Hasan Askari Rizvi) vs 2018 (unsigned)': the dates each source gives."""
    parts = [f"{c.date.label} ({who(dataset.source_by_id[c.source])})" for c in claims if c.date is not None]
    return " vs ".join(dict.fromkeys(parts))
