"""The queries ``reelscale import kometa-ai`` needs: the Radarr items its decisions map to, the
decisions it adds (never replacing reelscale's own), and how many a later run reports."""

from __future__ import annotations

from collections.abc import Iterable

from core.store.arr_items import RADARR
from core.store.db import Store, require_transaction
from core.store.decisions import DECISION_COLUMNS

__all__ = ["IMPORT_COMMAND", "imported_before", "insert_imported_decisions", "radarr_items"]

IMPORT_COMMAND = "import kometa-ai"
_CHUNK = 500  # keys per IN (...) query, well under SQLite's 32,766 variables
_INSERT = (
    f"INSERT OR IGNORE INTO decisions ({', '.join(DECISION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(DECISION_COLUMNS))})"
)


def radarr_items(store: Store, keys: Iterable[str]) -> dict[str, tuple[int, str, int, str]]:
    """``{radarr movie id: (item_id, title, year, metadata)}`` of the keys the store holds."""
    keys = list(keys)
    found: dict[str, tuple[int, str, int, str]] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, *row in store.conn.execute(
            f"SELECT key, id, title, year, metadata FROM items "
            f"WHERE source = ? AND type = 'movie' AND key IN ({marks})",
            (RADARR, *chunk),
        ):
            found[key] = tuple(row)
    return found


def insert_imported_decisions(store: Store, rows: list[tuple]) -> int:
    """Add decisions (rows of :data:`~core.store.decisions.DECISION_COLUMNS`) where the pair has
    none yet; returns how many were added. Part of the caller's ``store.atomic()``."""
    conn = require_transaction(store)
    before = conn.total_changes
    conn.executemany(_INSERT, rows)
    return conn.total_changes - before


def imported_before(store: Store, run_id: int) -> int:
    """Decisions imported from Kometa-AI since the ``run`` before ``run_id`` (what that run's
    summary reports)."""
    row = store.conn.execute(
        "SELECT coalesce(sum(json_extract(summary, '$.imported')), 0) FROM runs "
        "WHERE command = ? AND status = 'ok' AND id < ? AND json_valid(summary) AND id > "
        "coalesce((SELECT max(id) FROM runs WHERE command = 'run' AND id < ?), 0)",
        (IMPORT_COMMAND, run_id, run_id),
    ).fetchone()
    return int(row[0])
