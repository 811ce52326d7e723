"""The series workload: the ten synthetic series collections as a config, and their right answer.

The synthetic TV library (:mod:`synthetic.library.series`) has one collection per hidden trait;
:func:`~synthetic.library.series_toml.series_toml` writes them as ``[[collection]]`` tables with ``kind = "series"`` (optionally
after the ten movie collections, for a run over Radarr and Sonarr), so a Sonarr run judges every
series against them and the stand-in Claude answers from the series' ground truth.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from synthetic.library.series import SERIES_COLLECTIONS
from synthetic.library.series_toml import series_toml

__all__ = ["series_tags", "series_toml", "stored_series_members"]


def series_tags() -> dict[str, str]:
    """Each series collection's name -> its tag (``kai-<slug>``)."""
    from core.config.collection import TAG_PREFIX, slugify

    return {c.name: TAG_PREFIX + slugify(c.name) for c in SERIES_COLLECTIONS}


def stored_series_members(db: Path) -> dict[str, set[int]]:
    """Per collection tag, the Sonarr ids of the series the stored decisions include."""
    conn = sqlite3.connect(db)
    try:
        members: dict[str, set[int]] = {}
        for tag, key in conn.execute(
            "SELECT d.collection, i.key FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.include = 1 AND i.source = 'sonarr'"
        ):
            members.setdefault(tag, set()).add(int(key))
        return members
    finally:
        conn.close()
