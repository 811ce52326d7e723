"""The store: reelscale's one SQLite file, and every query on it.

The rule: only this package writes SQL. The rest of reelscale reads and writes the store through
the named functions of its modules, which take a :class:`Store` and plain values and return plain
records (tuples, slots dataclasses) or iterators over them; no SQL text or cursor leaves it.

- :mod:`~core.store.db`: :class:`Store`, :func:`open_store`, the transaction (``store.atomic()``);
- :mod:`~core.store.migrations`: the schema, as forward migrations;
- :mod:`~core.store.items`: library items and the folder scan's index, and their TMDB matches;
- :mod:`~core.store.series`: folder series grouped from episode files, and their id lists;
- :mod:`~core.store.arr_items`: the mirror of a Radarr or Sonarr library in ``items``;
- :mod:`~core.store.provider_cache`: the SQLite tier of the provider cache and its counters;
- :mod:`~core.store.runs`: runs, priced requests and open Message Batches;
- :mod:`~core.store.decisions`: decisions per (item, collection), deferred items, memberships;
- :mod:`~core.store.tag_changes`: the tags runs added and removed;
- :mod:`~core.store.listing`, :mod:`~core.store.export`: the read-only queries of
  ``reelscale list`` and ``reelscale export``;
- :mod:`~core.store.backup`, :mod:`~core.store.lock`: online copies, and one run at a time.

Transactions: a function that writes a whole change commits it (its docstring says "commits").
A function that writes one part of a larger change says "part of the caller's
``store.atomic()``": the caller groups such writes in one ``with store.atomic():`` (a request and
its decisions, a cache flush), and they refuse to run outside one.
"""

from core.errors import StoreError
from core.store.db import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]
