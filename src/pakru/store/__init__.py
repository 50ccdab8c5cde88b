"""The store: one SQLite database per dataset, both the cache of the validated YAML and the index
every command queries (see schema.py for its tables, fts.py for full-text search).

open_store() finds the database of a dataset in the cache folder, checks that it is pakru's, of
this schema and pakru version, complete and current (fresh.py), and builds it afresh otherwise:
into a temporary file in the cache folder, renamed into place when complete, so a reader sees the
old database or the new one, never half of one. Anything wrong with a database is a miss: pakru
warns once, rebuilds, and carries on (in memory, if the cache folder cannot be written).

Store, open_store and DamagedCache are in store/open.py; this package's own namespace holds only
where the cache is (store/locate.py); where a dataset is, is the dataset layer's (dataset/locate.py).
"""

from pakru.store.locate import cache_dir, cache_file_for

__all__ = ["cache_dir", "cache_file_for"]
