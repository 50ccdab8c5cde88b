"""`pakru cache`: the cache folder's databases, as lines (terminal or pipe) or JSON.

Its own module, so the views of the dataset's commands stay as they are: the lines are plain on a
terminal too (a short listing needs no table), cleaned of control characters like every view.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pakru.render.safe import clean
from pakru.store.admin import Listing


def listing_doc(listing: Listing) -> dict[str, Any]:
    return {
        "folder": str(listing.folder),
        "bytes": listing.bytes,
        "databases": [
            {
                "file": str(e.file),
                "bytes": e.bytes,
                "dataset": e.dataset,
                "claims": e.claims,
                "pakru": e.pakru,
                "usable": e.usable,
            }
            for e in listing.entries
        ],
        "other_bytes": listing.other_bytes,
    }


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)  # pragma: no cover


def listing_lines(listing: Listing, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    n = len(listing.entries)
    lines = [
        f"Cache folder: {listing.folder}",
        f"{n} database{'s' if n != 1 else ''}, {_size(listing.bytes)} in all",
    ]
    for e in listing.entries:
        what = e.dataset or "(unreadable: not a database this pakru reads)"
        details = [_size(e.bytes)]
        if e.claims is not None:
            details.append(f"{e.claims:,} claims")
        if e.pakru and not e.usable:
            details.append(f"written by pakru {e.pakru}: rebuilt when next used")
        lines.append(f"- {what} ({'; '.join(details)})")
        lines.append(f"  {e.file.name}")
    if listing.other_bytes:
        lines.append(f"Also {_size(listing.other_bytes)} of temporary and side files")
    lines.append("pakru cache clear removes them all; each is rebuilt when its dataset is next used.")
    out.write("".join(clean(line) + "\n" for line in lines))
    out.flush()


def cleared_doc(removed: int, freed: int, folder: str) -> dict[str, Any]:
    return {"folder": folder, "removed": removed, "bytes": freed}


def cleared_lines(removed: int, freed: int, folder: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(
        clean(f"Removed {removed} file{'s' if removed != 1 else ''} ({_size(freed)}) from {folder}") + "\n"
    )
    out.flush()
