"""ranges.within: the lane arithmetic agrees with the plain definition."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pakru.core.ranges import LANES, within

INT64 = st.integers(-(2**63), 2**63 - 1)
EDGES = [-(2**63), -(2**62), -2, -1, 0, 1, 2**62 - 1, 2**62, 2**63 - 1]


def column(values: list[int]) -> memoryview:
    return memoryview(array("q", values).tobytes()).cast("q")


@settings(max_examples=400)
@given(
    low=st.sampled_from([0, -1, -7]),
    span=st.integers(0, 5000) | st.sampled_from([2**62 - 1, 2**62]),
    inside=st.lists(st.integers(0, 10**6), max_size=50),
    outside=st.lists(INT64 | st.sampled_from(EDGES), max_size=3),
    data=st.data(),
)
@example(low=-1, span=1, inside=[0, 0], outside=[], data=None)  # -1 next to -1: no carry between lanes
def test_within_is_the_plain_range_check(
    low: int, span: int, inside: list[int], outside: list[int], data: st.DataObject | None
) -> None:
    high = low + span
    values = [low + v % span for v in inside] if span else []
    if data is not None:
        for v in outside:
            values.insert(data.draw(st.integers(0, len(values))), v)
    assert within(column(values), low, high) == all(low <= v < high for v in values)


@pytest.mark.parametrize("bad_at", [0, LANES - 1, LANES, 2 * LANES + 3, 3 * LANES - 1])
def test_every_lane_of_every_step_is_checked(bad_at: int) -> None:
    values = [-1, 4] * (3 * LANES // 2)
    assert within(column(values), -1, 5)
    values[bad_at] = 5
    assert not within(column(values), -1, 5)
    values[bad_at] = -2
    assert not within(column(values), -1, 5)


def test_an_empty_range_holds_only_an_empty_column() -> None:
    assert within(column([]), 0, 0)
    assert not within(column([0]), 0, 0)


def test_a_partial_integer_is_out_of_range() -> None:
    assert not within(memoryview(b"\0" * 12), 0, 10)


def test_ranges_it_cannot_check_are_refused() -> None:
    with pytest.raises(ValueError):
        within(column([1]), 1, 10)
    with pytest.raises(ValueError):
        within(column([1]), 0, 2**62 + 1)
