"""Event facts are the whole dataset's, whatever the filters and the limit (events.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pakru.cli import app
from pakru.core.model import Claim, Dataset
from pakru.queries import events, timeline
from pakru.queries.query import Filters
from storedata import store_of

runner = CliRunner()


def test_facts_see_every_attestation(fixture_dataset, fixture_store) -> None:  # type: ignore[no-untyped-def]
    d = fixture_dataset
    f = events.facts(fixture_store, ["embargo-lifted", "heli-delivery", "nope"])
    assert set(f) == {"embargo-lifted", "heli-delivery"}
    lifted = f["embargo-lifted"]
    assert [c.id for c in lifted.claims] == ["beta-001", "alpha-001"]  # by date
    assert lifted.attested_by == 2 and lifted.conflict and lifted.agree is False
    assert f["heli-delivery"].attested_by == 2 and f["heli-delivery"].agree is False
    # without alpha's account, one source dates the helicopters: no agreement to speak of
    alone = Dataset.of(
        d.sources,
        d.topics,
        d.actors,
        d.events,
        [c for c in d.claims if c.id != "alpha-007"],
        d.path,
        d.sources_dir,
    )
    heli = events.facts(store_of(alone), ["heli-delivery"])["heli-delivery"]
    assert heli.attested_by == 1 and heli.agree is None
    assert events.attested_by(fixture_store, ["embargo-lifted"]) == {"embargo-lifted": 2}


def test_claims_of_one_source_never_conflict(fixture_dataset) -> None:  # type: ignore[no-untyped-def]
    """Two dates of one source (a span and a year in it, a first and a later report) are not a
    disagreement between sources: only claims of different sources are compared."""
    d = fixture_dataset
    lifted = [c for c in d.claims if c.event == "embargo-lifted"]
    beta = next(c for c in lifted if c.source == "beta")
    # every claim of the event is beta's: beta's dates, however far apart, cannot disagree
    same = [c._replace(source=beta.source) for c in lifted]
    others = [c for c in d.claims if c.event != "embargo-lifted"]
    one_source = Dataset.of(d.sources, d.topics, d.actors, d.events, [*others, *same], d.path, d.sources_dir)
    f = events.facts(store_of(one_source), ["embargo-lifted"])["embargo-lifted"]
    assert f.sources == ("beta",) and not f.conflict and f.agree is None and f.witnesses == ()


def test_timeline_facts_do_not_depend_on_filters(fixture_store) -> None:  # type: ignore[no-untyped-def]
    t = timeline.build(fixture_store, Filters(sources=("alpha",)), limit=1)
    assert {c.source for c in t.claims} == {"alpha"}
    t = timeline.build(fixture_store, Filters(sources=("alpha",)))
    assert "alpha-001" in {c.id for c in t.claims} and "beta-001" not in {c.id for c in t.claims}
    assert t.events["embargo-lifted"].attested_by == 2 and t.events["embargo-lifted"].conflict
    assert timeline.build(fixture_store, limit=1).events["embargo-lifted"].attested_by == 2


def test_filtered_timeline_still_says_attested_and_conflict() -> None:
    for args in (["--from", "2014", "--to", "2014"], ["--source", "alpha"], ["--limit", "4"]):
        r = runner.invoke(app, ["timeline", *args, "--json"])
        doc = {x["id"]: x for x in json.loads(r.stdout)}
        assert doc["alpha-001"]["attested_by"] == 2 and doc["alpha-001"]["date_conflict"] is True, args
        plain = runner.invoke(app, ["timeline", *args]).stdout
        assert (
            "* Russia lifts its arms embargo (attested by 2 sources; sources disagree on the date:" in plain
        )


def test_shipped_facts_under_filters(shipped) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(runner.invoke(app, ["timeline", "--topic", "defence", "-n", "5", "--json"]).stdout)
    lifted = [x for x in doc if x["event"] == "arms-embargo-lifted"]
    assert lifted and all(x["attested_by"] == 4 for x in lifted)
    doc = json.loads(
        runner.invoke(
            app, ["timeline", "--topic", "defence", "--from", "2017", "--to", "2017", "--json"]
        ).stdout
    )
    (rizvi,) = [x for x in doc if x["id"] == "rizvi-032"]
    assert rizvi["attested_by"] == 2 and rizvi["date_conflict"] is True
    out = runner.invoke(app, ["show", "rizvi-032"]).stdout
    assert (
        "attested by 2 sources; sources disagree on the date: 2017 (Hasan Askari Rizvi) vs 2018 (unsigned)"
        in out
    )
    assert json.loads(runner.invoke(app, ["show", "rizvi-032", "--json"]).stdout)["attested_by"] == 2


def test_compare_says_when_only_one_source_dates_an_event(shipped) -> None:  # type: ignore[no-untyped-def]
    r = runner.invoke(app, ["compare", "--topic", "india"])
    assert (
        "Militant attack on an Indian army base at Uri (18 September): naseer, rana; only one source dates it"
        in r.stdout
    )
    assert "Uri (18 September): naseer, rana; dates agree" not in r.stdout
    doc = json.loads(runner.invoke(app, ["compare", "--topic", "india", "--json"]).stdout)
    uri = next(e for e in doc["shared_events"] if e["sources"] == ["naseer", "rana"] and "Uri" in e["label"])
    assert uri["agree"] is None
    assert all(e["agree"] in (True, False, None) for e in doc["shared_events"])


def _sources_disagree(claims: list[Claim]) -> bool:
    """Some dated claim of one source ends before a dated claim of another source begins."""
    dated = [c for c in claims if c.date is not None]
    return any(a.source != b.source and a.date.end < b.date.start for a in dated for b in dated)  # type: ignore[union-attr]


def test_facts_by_sql_match_a_plain_reading(shipped_dataset, shipped_store) -> None:  # type: ignore[no-untyped-def]
    """facts() asks the store with grouped queries; this is the same said from the claims in
    memory, with and without building the claims."""
    d, store = shipped_dataset, shipped_store
    ids = [e.id for e in d.events]
    full, lean = events.facts(store, ids), events.facts(store, ids, claims="disputed")
    bare = events.facts(store, ids, claims="none")
    for e in ids:
        mine = [c for c in d.claims if c.event == e]
        f = full[e]
        assert sorted(c.id for c in f.claims) == sorted(c.id for c in mine)
        assert f.conflict == _sources_disagree(mine) == lean[e].conflict
        assert set(f.sources) == {c.source for c in mine} and f.sources == lean[e].sources
        assert set(f.dating_sources) == {c.source for c in mine if c.date is not None}
        assert f.dating_sources == lean[e].dating_sources
        assert lean[e].claims == (tuple(c for c in f.claims if c.date) if f.conflict else ())
        assert bare[e].claims == () and bare[e].conflict == f.conflict
        proof = store.claims_at(bare[e].witnesses)
        if f.conflict:
            assert len(proof) == 2 and proof[0].source != proof[1].source
            assert proof[0].date.end < proof[1].date.start
        else:
            assert proof == []
    assert [f.event.id for f in events.every_event(store, conflicts_only=True)] == [
        "warming-around-2010",  # karim "after 2010" (2011/..) against unsigned "In 2010"
        "mi35-delivery",
    ]


def test_compare_names_the_disagreement(shipped) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(app, ["compare", "--topic", "helicopters"]).stdout
    assert "dates differ: 2017 (Hasan Askari Rizvi) vs 2018 (unsigned)" in out
    doc = json.loads(runner.invoke(app, ["compare", "--topic", "helicopters", "--json"]).stdout)
    (mi35,) = [e for e in doc["shared_events"] if e["event"] == "mi35-delivery"]
    assert mi35["agree"] is False and mi35["date_conflict"] is True and mi35["attested_by"] == 2
