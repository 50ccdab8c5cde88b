from datetime import date

import pytest

from pakru.core.dates import EdtfError, decade_of, parse_bound, parse_edtf, year_of


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2016", date(2016, 1, 1), date(2016, 12, 31), "2016"),
        ("2018-04", date(2018, 4, 1), date(2018, 4, 30), "April 2018"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "February 2016"),
        ("2017-02", date(2017, 2, 1), date(2017, 2, 28), "February 2017"),
        ("2000-02-29", date(2000, 2, 29), date(2000, 2, 29), "29 February 2000"),
        ("2018-11", date(2018, 11, 1), date(2018, 11, 30), "November 2018"),
        ("2018-12-31", date(2018, 12, 31), date(2018, 12, 31), "31 December 2018"),
        ("2021-12-02", date(2021, 12, 2), date(2021, 12, 2), "2 December 2021"),
        ("198X", date(1980, 1, 1), date(1989, 12, 31), "1980s"),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31), "1900–1999"),
        ("1965/1970", date(1965, 1, 1), date(1970, 12, 31), "1965–1970"),
        ("1968/1969", date(1968, 1, 1), date(1969, 12, 31), "1968–1969"),
        ("196X/197X", date(1960, 1, 1), date(1979, 12, 31), "1960s–1970s"),
        ("2018~", date(2018, 1, 1), date(2018, 12, 31), "c. 2018"),
        ("2018?", date(2018, 1, 1), date(2018, 12, 31), "2018?"),
        ("2018%", date(2018, 1, 1), date(2018, 12, 31), "c. 2018?"),
        ("2018-04?", date(2018, 4, 1), date(2018, 4, 30), "April 2018?"),
        ("2021-12~", date(2021, 12, 1), date(2021, 12, 31), "c. December 2021"),
        ("2008?/2018?", date(2008, 1, 1), date(2018, 12, 31), "2008?–2018?"),
        ("2021-12-02/2022-01", date(2021, 12, 2), date(2022, 1, 31), "2 December 2021 – January 2022"),
        ("1955~", date(1955, 1, 1), date(1955, 12, 31), "c. 1955"),
    ],
)
def test_valid_dates(text: str, start: date, end: date, label: str) -> None:
    d = parse_edtf(text)
    assert (d.start, d.end, d.label, d.text) == (start, end, label, text)


def test_qualifiers_are_flags() -> None:
    assert parse_edtf("2018~").approximate and not parse_edtf("2018~").uncertain
    assert parse_edtf("2018?").uncertain and not parse_edtf("2018?").approximate
    assert parse_edtf("2018%").uncertain and parse_edtf("2018%").approximate
    assert not parse_edtf("2018").uncertain


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2017-02-30", "day 30 does not exist"),
        ("2017-02-29", "day 29 does not exist"),
        ("1900-02-29", "day 29 does not exist"),
        ("2018-09-31", "day 31 does not exist"),
        ("2018-13", "month 13 does not exist"),
        ("2018-00", "month 00 does not exist"),
        ("18", "not an EDTF date"),
        ("2018-4", "not an EDTF date"),
        ("April 2018", "not an EDTF date"),
        ("", "not an EDTF date"),
        (" 2018", "no spaces"),
        ("2018 ", "no spaces"),
        ("1970/1965", "ends before it starts"),
        ("../..", "at least one known end"),
        ("/", "at least one known end"),
        ("../", "at least one known end"),
        ("2018/...", "not an EDTF date"),
        ("./2018", "not an EDTF date"),
        ("2018/2019/2020", "exactly one"),
        ("198X-04", "cannot have a month"),
        ("2018~~", "not an EDTF date"),
        ("0000", "outside the supported range"),
        ("２０１８", "not an EDTF date"),
        ("١٩٩٠", "not an EDTF date"),
        ("1X9X", "not an EDTF date"),
        ("1XXX", "not an EDTF date"),
        ("2018-", "not an EDTF date"),
        ("2018-04-", "not an EDTF date"),
        ("2018-04-01-02", "not an EDTF date"),
        ("2018~-04", "not an EDTF date"),
        ("~", "not an EDTF date"),
    ],
)
def test_invalid_dates(text: str, fragment: str) -> None:
    with pytest.raises(EdtfError, match=fragment):
        parse_edtf(text)


def test_sorting_and_overlap() -> None:
    texts = ["2018", "198X", "2018-04", "1965/1970", "2017-12-31", "2018-04-02"]
    ordered = [d.text for d in sorted((parse_edtf(t) for t in texts), key=lambda d: d.sort_key)]
    assert ordered == ["1965/1970", "198X", "2017-12-31", "2018", "2018-04", "2018-04-02"]
    assert parse_edtf("2018").overlaps(parse_edtf("2018-04"))
    assert not parse_edtf("2017").overlaps(parse_edtf("2018"))
    assert parse_edtf("201X").overlaps(parse_edtf("2014"))


def test_bounds_and_decades() -> None:
    assert parse_bound("2014", upper=False) == date(2014, 1, 1)
    assert parse_bound("2014", upper=True) == date(2014, 12, 31)
    assert parse_bound("2018-02", upper=True) == date(2018, 2, 28)
    with pytest.raises(EdtfError, match="year, year-month or date"):
        parse_bound("last year", upper=False)
    assert decade_of(parse_edtf("1965/1970")) == "1960s"


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "open_start", "open_end"),
    [
        ("2016/..", date(2016, 1, 1), date.max, "since 2016", False, True),
        ("2016/", date(2016, 1, 1), date.max, "2016–?", False, True),
        ("../2016", date.min, date(2016, 12, 31), "until 2016", True, False),
        ("/2016", date.min, date(2016, 12, 31), "?–2016", True, False),
        ("2011~/..", date(2011, 1, 1), date.max, "since c. 2011", False, True),
        ("2018-04/..", date(2018, 4, 1), date.max, "since April 2018", False, True),
        ("../198X", date.min, date(1989, 12, 31), "until the 1980s", True, False),
        ("195X/..", date(1950, 1, 1), date.max, "since the 1950s", False, True),
        ("195X/", date(1950, 1, 1), date.max, "1950s–?", False, True),
        ("2016/2018", date(2016, 1, 1), date(2018, 12, 31), "2016–2018", False, False),
    ],
)
def test_open_and_unknown_interval_ends(
    text: str, start: date, end: date, label: str, open_start: bool, open_end: bool
) -> None:
    d = parse_edtf(text)
    assert (d.start, d.end, d.label, d.text) == (start, end, label, text)
    assert (d.open_start, d.open_end) == (open_start, open_end)


def test_open_end_overlaps_every_later_date() -> None:
    since = parse_edtf("2016/..")
    assert since.overlaps(parse_edtf("2022"))
    assert since.overlaps(parse_edtf("2016-03"))
    assert not since.overlaps(parse_edtf("2015"))
    assert parse_edtf("2016/").overlaps(parse_edtf("2030"))
    until = parse_edtf("../2016")
    assert until.overlaps(parse_edtf("1950"))
    assert not until.overlaps(parse_edtf("2017"))
    # a --from 2020 bound is reached by an open end, not by a closed one
    assert since.end >= parse_bound("2020", upper=False)
    assert parse_edtf("2016/2018").end < parse_bound("2020", upper=False)


def test_open_ends_sort_by_start_and_file_under_a_known_year() -> None:
    texts = ["2016/..", "2016", "../2016", "2015", "/2010"]
    ordered = [d.text for d in sorted((parse_edtf(t) for t in texts), key=lambda d: d.sort_key)]
    assert ordered == ["/2010", "../2016", "2015", "2016", "2016/.."]
    assert decade_of(parse_edtf("2016/..")) == "2010s"
    assert decade_of(parse_edtf("../1975")) == "1970s"
    assert year_of(parse_edtf("/2010")) == 2010
    assert year_of(parse_edtf("2011/..")) == 2011
