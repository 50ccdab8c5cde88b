"""Names for shell completion: topic, source, event and claim ids of a dataset.

Called only while the shell completes a word (typer's --install-completion installs the hook):
a normal run never imports this module or opens the dataset for it.
"""

from pakru.model import Dataset


def _names(dataset: Dataset, what: str) -> list[str]:
    if what == "topic":
        return [t.id for t in dataset.topics]
    if what == "source":
        return [s.id for s in dataset.sources]
    if what == "event":
        return [e.id for e in dataset.events]
    return [c.id for c in dataset.claims]


def candidates(data: str | None, what: str, incomplete: str) -> list[str]:
    """The ids of kind ``what`` that begin with ``incomplete`` (any case); none if the dataset
    cannot be read (completion must never print an error into the user's command line)."""
    from pakru.errors import PakruError
    from pakru.store.open import open_store

    try:
        dataset = open_store(data, use_cache=True).dataset  # warnings and progress: silent
    except (PakruError, OSError):
        return []
    start = incomplete.casefold()
    return [name for name in _names(dataset, what) if name.casefold().startswith(start)]
