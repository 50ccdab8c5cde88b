"""What a command's filters or limit left out, so that it can say so rather than drop it silently."""

from datetime import date

from pakru.model import Dataset
from pakru.query import Filters, select


def undated_left_out(dataset: Dataset, f: Filters) -> int:
    """How many undated claims pass every filter but the date bounds, which leave them out."""
    if (f.start is None and f.end is None) or f.undated:
        return 0
    without_dates = f._replace(start=None, end=None)
    every_dated = f._replace(start=date.min, end=None)  # the same claims with a date
    return len(select(dataset, without_dates)) - len(select(dataset, every_dated))
