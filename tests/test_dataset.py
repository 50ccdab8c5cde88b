"""What the shipped dataset promises: coverage, fidelity hooks, and honest metadata."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT

MINIMUM_CLAIMS = {"naseer": 30, "rizvi": 28, "unsigned": 60, "rana": 24, "karim": 24}
SEEDS = ROOT.parent / "shared" / "seeds"


def test_claim_counts(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(c.source for c in shipped_dataset.claims)
    for source, minimum in MINIMUM_CLAIMS.items():
        assert counts[source] >= minimum, (source, counts[source])
    assert sum(counts.values()) >= 150


def test_every_source_has_an_outlook_and_basis(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    for s in shipped_dataset.sources:
        assert -2 <= s.outlook.score <= 2 and s.outlook.label and s.outlook.quote
        assert s.published_basis.startswith(("stated", "inferred:"))
    scores = {s.id: s.outlook.score for s in shipped_dataset.sources}
    assert scores["karim"] < 0 < scores["unsigned"]  # the set holds both optimists and a sceptic


def test_every_topic_actor_and_event_used(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    d = shipped_dataset
    assert {t.id for t in d.topics} == {t for c in d.claims for t in c.topics}
    assert {a.name for a in d.actors} == {a for c in d.claims for a in c.actors}
    assert {e.id for e in d.events} == {c.event for c in d.claims if c.event}


def test_every_event_has_several_sources(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """The README's definition: an event is one happening that claims of two or more sources report."""
    d = shipped_dataset
    for event in d.events:
        assert len({c.source for c in d.attestations(event.id)}) >= 2, event.id
    assert len(d.events) >= 15


def test_an_open_span_is_found_by_a_later_range(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    """karim-017, "after 2010", is 2011/..: a filter from 2020 reaches it."""
    from datetime import date

    from pakru.queries import query

    found = query.apply(shipped_dataset.claims, query.Filters(start=date(2020, 1, 1)))
    assert "karim-017" in {c.id for c in found}
    assert shipped_dataset.claim("karim-017").date.label == "since 2011"


def test_unsigned_source_and_page_date(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    s = shipped_dataset.source_by_id["unsigned"]
    assert s.author is None and "Faisalabad" in (s.author_note or "")
    assert s.published.start.year == 2021  # not the web page's 2023 date line
    assert "2023" in s.published_basis


def test_resolved_dates_say_how(shipped_dataset) -> None:  # type: ignore[no-untyped-def]
    for c in shipped_dataset.claims:
        if c.date_basis == "resolved":
            assert c.date_note, c.id
        assert (c.date is None) == (c.date_basis == "undated"), c.id
        assert c.summary.strip() != c.quote.strip(), c.id


@pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason=f"no original articles to compare data/sources with: {SEEDS} does not exist. The project "
    "keeps them in shared/seeds, which CI lays beside its clone (../shared); a plain clone has no "
    "such folder, and nothing is wrong with it",
)
def test_source_texts_are_byte_identical_to_seeds() -> None:
    shipped = {p.read_bytes() for p in (ROOT / "data" / "sources").iterdir()}
    seeds = {p.read_bytes() for p in Path(SEEDS).iterdir()}
    assert shipped == seeds
