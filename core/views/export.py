"""Export the library as JSON lines, one object per item.

Reads ``items`` and ``decisions`` as two streams in item order (:mod:`core.store.export`) and
merges them: nothing holds the whole library, and there is no query per item.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import TextIO

from core.store.db import Store
from core.store.export import decisions_in_item_order, items_in_order


def export_items(store: Store, out: TextIO) -> int:
    """Write every item; returns how many.

    Keys: path, title, year, type, tmdb_id, match_confidence, match_status, genres; then id (the
    item id ``reelscale list --why`` takes), decisions (one ``{collection, include, confidence,
    decided_at}`` per judged collection: its tag, the verdict, the confidence, and when, in Unix
    seconds) and tags (the tags of the collections the item is included in).
    """
    count = 0
    rows = items_in_order(store)
    decisions = _decisions_by_item(store)
    pending = next(decisions, None)
    for item_id, key, title, year, type_, tmdb_id, confidence, status, metadata in rows:
        while pending is not None and pending[0] < item_id:  # decisions of a vanished item
            pending = next(decisions, None)
        judged = []
        if pending is not None and pending[0] == item_id:
            judged = pending[1]
            pending = next(decisions, None)
        meta = json.loads(metadata) if metadata else {}
        record = {
            "path": os.fsdecode(key) if isinstance(key, bytes) else key,
            "title": title,
            "year": year,
            "type": type_,
            "tmdb_id": tmdb_id,
            "match_confidence": confidence,
            "match_status": status,
            "genres": meta.get("genres", []),
            "id": item_id,
            "decisions": judged,
            "tags": [d["collection"] for d in judged if d["include"]],
        }
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _decisions_by_item(store: Store) -> Iterator[tuple[int, list[dict]]]:
    """``(item_id, [decision, ...])`` in item order, one item's decisions at a time."""
    current, group = None, []
    for item_id, collection, include, confidence, decided_at in decisions_in_item_order(store):
        if item_id != current:
            if group:
                yield current, group
            current, group = item_id, []
        group.append(
            {
                "collection": collection,
                "include": bool(include),
                "confidence": confidence,
                "decided_at": decided_at,
            }
        )
    if group:
        yield current, group
