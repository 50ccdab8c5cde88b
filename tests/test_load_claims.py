"""_claim's fast path for well-formed claims against its full checks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakru.core.errors import Problem
from pakru.dataset import records
from pakru.dataset.yamlnodes import Map, parse

# For each field: values that pass its checks (None leaves the field out), and values
# that each fail one of them. Some pass alone and fail together (a date and its basis,
# a summary that repeats the quote).
VARIANTS: dict[str, tuple[list[str | None], list[str | None]]] = {
    "id": (["c-1_a", "'c2'"], [None, "null", "''", '" c3"', "c/4", "[c5]", "{a: b}", '"  "']),
    "source": (["s1", '"null"'], [None, "~", "[s1]", "' '"]),
    "date": (
        ['"2016"', '"2016-04-01"', "2016-04~", "null", "NULL", "'2016-XX'", '"1980/1985"', "~"],
        ['"2016-13"', "2016", "''", None, "[2016]", '" "', '"2016-04-31"'],
    ),
    "date_basis": (["stated", "resolved", "undated"], ["maybe", None, "null", "[stated]", "' stated'"]),
    "date_note": ([None, "null", "as of the talks", "~"], ["''", "' '", "[x]"]),
    "event": ([None, "e1", "null"], ["' '", "{a: 1}"]),
    "kind": (["event", "assessment", "prediction"], ["guess", None, "Event", "null"]),
    "summary": (["Talks on gas, in Moscow.", "Talks on gas.", "Gas talks!"], [None, "null", "' '", "[a]"]),
    "quote": (["talks on gas", "Talks   on gas", "the port"], [None, "''", "'- a'"]),
    "topics": (
        ["[trade]", "[trade, china]", "[]"],
        [None, "null", "trade", "['', x]", "[null]", "[[a]]", "{}"],
    ),
    "actors": ([None, "[Russia]", "[]", "null", "~"], ["Russia", "[' ']", "[Russia, null]", "{}"]),
    "stance": ([None, '"1"', '"-2"', '"+2"', "' 0 '", "null"], ['"3"', "1", "''", "[1]", '"1.0"']),
    "colour": ([None], ["red"]),
}


def claim_yaml(choice: dict[str, str | None]) -> str:
    lines = [f"{k}: {v}" for k, v in choice.items() if v is not None]
    return "claims:\n  - " + "\n    ".join(lines) + "\n" if lines else "claims:\n  - {}\n"


def claim_node(choice: dict[str, str | None]) -> Map:
    items: list[Map] = []
    parse(claim_yaml(choice), "f.yaml", on_item=lambda section, node: items.append(node))  # type: ignore[arg-type]
    return items[0]


def read(node: Map, *, fast: bool) -> tuple[object, list[Problem]]:
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(records, "_plain_claim", lambda m: None)
        problems: list[Problem] = []
        made = records.read_claim(records.Reader("f.yaml", problems), node)
    return made, problems


def variant(good: list[str | None], bad: list[str | None]) -> st.SearchStrategy[str | None]:
    """The usual value (good[0]) 55% of the time, another that passes 30%, one that fails 15%:
    about one claim in twelve passes whole, and most others fail one check only."""
    pick = st.tuples(st.integers(0, 19), st.sampled_from(good), st.sampled_from(bad))
    return pick.map(lambda p: good[0] if p[0] < 11 else p[1] if p[0] < 17 else p[2])


choices = st.fixed_dictionaries({k: variant(good, bad) for k, (good, bad) in VARIANTS.items()})


@settings(max_examples=1500, deadline=None)
@given(choices)
def test_fast_path_is_the_full_checks(choice: dict[str, str | None]) -> None:
    node = claim_node(choice)
    assert read(node, fast=True) == read(node, fast=False)


def test_fast_path_takes_the_usual_claim() -> None:
    usual = {k: good[0] for k, (good, _) in VARIANTS.items()}
    node = claim_node(usual | {"stance": '"+1"', "actors": "[Russia]"})
    claim = records._plain_claim(node)
    assert claim is not None and claim.id == "c-1_a" and claim.stance == 1 and claim.actors == ("Russia",)
    assert read(node, fast=False) == ((claim, node), [])
