"""The subset of EDTF (ISO 8601-2) a historian of these articles needs.

Supported: ``2016``, ``2018-04``, ``2021-12-02``, a decade ``198X``, a century
``19XX``, an interval ``1965/1970`` (each end any of the former), and the
qualifiers ``~`` (approximate), ``?`` (uncertain) and ``%`` (both) after a date
or either end of an interval. Every date covers a range of days, from its
earliest to its latest, which is what sorting and range filters use.

An interval end may also be open or unknown (EDTF level 1): ``2016/..`` is open
("since 2016": the state continues at the time of writing), ``2016/`` has an
unknown end ("2016–?"), ``../2016`` an open start ("until 2016") and ``/2016`` an
unknown start ("?–2016"). Either kind of missing end covers every day on that side
(``date.max`` or ``date.min``), so that a range filter finds a "since 2016" claim
from any later year and sorting puts an open start first; the text keeps which it was.
"""

from datetime import date

from pakru.core.record import Record

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit() takes other scripts' digits too
_QUALIFIERS = ("~", "?", "%")


def _fields(text: str) -> tuple[str, str | None, str | None, str | None] | None:
    """Year, month, day and qualifier of ``YYYY[-MM[-DD]][q]`` (the year may end in X or XX), or
    None. Read by hand rather than with a regular expression: compiling one took ~0.3 ms of every
    run that shows dates."""
    qualifier = None
    if text[-1:] in _QUALIFIERS:
        qualifier, text = text[-1], text[:-1]
    parts = text.split("-")
    year = parts[0]
    known = year.rstrip("X")
    if len(parts) > 3 or len(year) != 4 or len(known) < 2 or not _DIGITS.issuperset(known):
        return None
    for part in parts[1:]:
        if len(part) != 2 or not _DIGITS.issuperset(part):
            return None
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    return year, month, day, qualifier


def _days_in(year: int, month: int) -> int:
    """The days of a month (calendar.monthrange's answer, without importing calendar: ~0.5 ms)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class EdtfError(ValueError):
    """A string that is not a date in pakru's EDTF subset."""


class EdtfDate(Record):
    text: str
    start: date
    end: date
    label: str
    approximate: bool = False
    uncertain: bool = False

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.start.toordinal(), self.end.toordinal())

    @property
    def open_start(self) -> bool:
        """The interval has no known start (``../2016`` or ``/2016``): it covers every earlier day."""
        return self.text.startswith(("/", ".."))

    @property
    def open_end(self) -> bool:
        """The interval has no known end (``2016/..`` or ``2016/``): it covers every later day."""
        return self.text.endswith(("/", ".."))

    def overlaps(self, other: "EdtfDate") -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        return self.text


class _Single(Record):
    start: date
    end: date
    label: str
    approximate: bool
    uncertain: bool


def _parse_single(text: str, whole: str) -> _Single:
    fields = _fields(text)
    if fields is None:
        raise EdtfError(
            f"{whole!r} is not an EDTF date (use e.g. 2016, 2018-04, 2021-12-02, 198X, "
            "1965/1970, 2018~ or 2018?)"
        )
    year, month, day, qualifier = fields
    if "X" in year:
        if month:
            raise EdtfError(f"{whole!r}: a decade or century cannot have a month")
        low, high = int(year.replace("X", "0")), int(year.replace("X", "9"))
        start, end = date(max(low, 1), 1, 1), date(high, 12, 31)
        label = f"{low}s" if year.count("X") == 1 else f"{low}–{high}"
    else:
        y = int(year)
        if y == 0:
            raise EdtfError(f"{whole!r}: year 0000 is outside the supported range")
        if month is None:
            start, end, label = date(y, 1, 1), date(y, 12, 31), year
        else:
            mo = int(month)
            if not 1 <= mo <= 12:
                raise EdtfError(f"{whole!r}: month {month} does not exist")
            last = _days_in(y, mo)
            if day is None:
                start, end = date(y, mo, 1), date(y, mo, last)
                label = f"{MONTHS[mo - 1]} {y}"
            else:
                d = int(day)
                if not 1 <= d <= last:
                    raise EdtfError(f"{whole!r}: day {day} does not exist in {MONTHS[mo - 1]} {y}")
                start = end = date(y, mo, d)
                label = f"{d} {MONTHS[mo - 1]} {y}"
    approximate = qualifier in ("~", "%")
    uncertain = qualifier in ("?", "%")
    if approximate:
        label = f"c. {label}"
    if uncertain:
        label = f"{label}?"
    return _Single(start, end, label, approximate, uncertain)


def _the(label: str) -> str:
    """'the 1980s' after "since" or "until"; other labels as they are."""
    return f"the {label}" if label[:1].isdigit() and label.endswith("s") else label


def parse_edtf(text: str) -> EdtfDate:
    """Parse an EDTF date; raise EdtfError with a message fit for a user."""
    if not isinstance(text, str):
        raise EdtfError(f"{text!r} is not an EDTF date string")
    stripped = text.strip()
    if stripped != text or not text:
        raise EdtfError(f"{text!r} is not an EDTF date (no spaces, not empty)")
    if text.count("/") > 1:
        raise EdtfError(f"{text!r}: an interval has exactly one '/'")
    if "/" in text:
        left, right = text.split("/")
        if left in ("", "..") and right in ("", ".."):
            raise EdtfError(f"{text!r}: an interval needs at least one known end (e.g. 2016/..)")
        if right in ("", ".."):
            a = _parse_single(left, text)
            label = f"since {_the(a.label)}" if right == ".." else f"{a.label}–?"
            return EdtfDate(text, a.start, date.max, label, a.approximate, a.uncertain)
        if left in ("", ".."):
            b = _parse_single(right, text)
            label = f"until {_the(b.label)}" if left == ".." else f"?–{b.label}"
            return EdtfDate(text, date.min, b.end, label, b.approximate, b.uncertain)
        a, b = _parse_single(left, text), _parse_single(right, text)
        if a.start > b.end:
            raise EdtfError(f"{text!r}: the interval ends before it starts")
        joiner = "–" if " " not in a.label + b.label else " – "
        return EdtfDate(
            text,
            a.start,
            b.end,
            f"{a.label}{joiner}{b.label}",
            a.approximate or b.approximate,
            a.uncertain or b.uncertain,
        )
    s = _parse_single(text, text)
    return EdtfDate(text, s.start, s.end, s.label, s.approximate, s.uncertain)


def parse_bound(text: str, *, upper: bool) -> date:
    """A --from/--to bound: a year, year-month or date; the range's first or last day."""
    try:
        d = parse_edtf(text)
    except EdtfError:
        raise EdtfError(f"{text!r} is not a year, year-month or date (e.g. 2014, 2018-04)") from None
    return d.end if upper else d.start


def year_of(d: EdtfDate) -> int:
    """The year a timeline files a date under: its start's, or its end's when the start is open."""
    return d.end.year if d.open_start else d.start.year


def decade_of(d: EdtfDate) -> str:
    """The decade heading a timeline files a date under: '1960s'."""
    return f"{year_of(d) // 10 * 10}s"
