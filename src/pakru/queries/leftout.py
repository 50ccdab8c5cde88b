"""What a command's filters or limit left out, so that it can say so rather than drop it silently."""

from typing import TYPE_CHECKING

from pakru.core.model import Filters

if TYPE_CHECKING:
    from pakru.store.open import Store


def undated_left_out(store: "Store", f: Filters) -> int:
    """How many undated claims pass every filter but the date bounds, which leave them out."""
    if (f.start is None and f.end is None) or f.undated:
        return 0
    where, params = store.where(f._replace(start=None, end=None))
    sql = f"SELECT count(*) FROM claims WHERE {where} AND claims.lo IS NULL"
    return int(store.conn.execute(sql, params).fetchone()[0])
