"""Export the library as JSON lines, one object per item."""

from __future__ import annotations

import json
import os
from typing import TextIO

from .store import Store


def export_items(store: Store, out: TextIO) -> int:
    """Write every item; returns how many. Keys: path, title, year, type, tmdb_id,
    match_confidence, match_status, genres."""
    count = 0
    rows = store.conn.execute(
        "SELECT key, title, year, type, tmdb_id, match_confidence, match_status, metadata "
        "FROM items ORDER BY id"
    )
    for key, title, year, type_, tmdb_id, confidence, status, metadata in rows:
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
        }
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count
