"""Names for shell completion: topic, source, event and claim ids of a dataset.

Called only while the shell completes a word (typer's --install-completion installs the hook):
a normal run never imports this module or opens the dataset for it.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakru.store.open import Store


def _names(store: "Store", what: str, incomplete: str) -> list[str]:
    dataset = store.dataset
    if what == "topic":
        return [t.id for t in dataset.topics]
    if what == "source":
        return [s.id for s in dataset.sources]
    if what == "event":
        return [e.id for e in dataset.events]
    # claim ids read from the table, no claim built: LIKE is case-insensitive for ASCII, the
    # final filter in candidates() for the rest
    pattern = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = "SELECT id FROM claims WHERE id LIKE ? ESCAPE '\\' ORDER BY rowid"
    return [r[0] for r in store.conn.execute(sql, (pattern,))]


def candidates(data: str | None, what: str, incomplete: str) -> list[str]:
    """The ids of kind ``what`` that begin with ``incomplete`` (any case); none if the dataset
    cannot be read (completion must never print an error into the user's command line)."""
    from pakru.core.errors import PakruError
    from pakru.store.open import open_store

    try:
        store = open_store(data, use_cache=True)  # warnings and progress: silent
    except (PakruError, OSError):
        return []
    start = incomplete.casefold()
    return [name for name in _names(store, what, incomplete) if name.casefold().startswith(start)]
