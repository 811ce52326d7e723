"""The schema: forward migrations, applied in order by :class:`~core.store.db.Store`.

Each migration is a named function registered with sqlite-utils' ``Migrations`` (the names are
recorded in ``_sqlite_migrations``, so they never change); their count is the schema version,
which the store mirrors in ``PRAGMA user_version``. A new migration is appended, never inserted.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

__all__ = ["INDEX_TITLES", "MIGRATIONS", "SCHEMA_VERSION"]

MIGRATIONS = Migrations("reelscale")
_applied_in_order: list = []


def _migration(fn):
    """Register a forward migration; their count is the schema version."""
    _applied_in_order.append(fn)
    return MIGRATIONS()(fn)


@_migration
def m001_items_and_scan_index(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            title TEXT,
            year INTEGER,
            type TEXT NOT NULL,
            season INTEGER,
            episode INTEGER,
            edition TEXT,
            resolution TEXT,
            quality_source TEXT,
            codec TEXT,
            release_group TEXT,
            UNIQUE (source, key)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE scan_index (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL
        )
        """
    )


@_migration
def m002_provider_cache(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE provider_cache (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            size INTEGER NOT NULL,
            expires_at REAL NOT NULL,
            accessed_at REAL NOT NULL
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX provider_cache_accessed ON provider_cache (accessed_at)")
    db.execute("CREATE INDEX provider_cache_expires ON provider_cache (expires_at)")
    db.execute(
        """
        CREATE TABLE cache_counters (
            tier TEXT NOT NULL,
            name TEXT NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (tier, name)
        )
        """
    )


@_migration
def m003_item_enrichment(db: sqlite_utils.Database) -> None:
    for column, kind in (
        ("tmdb_id", "INTEGER"),
        ("match_confidence", "REAL"),
        ("match_status", "TEXT"),
        ("match_error", "TEXT"),
        ("metadata", "TEXT"),
        ("enriched_at", "REAL"),
    ):
        db.execute(f"ALTER TABLE items ADD COLUMN {column} {kind}")
    db.execute("CREATE INDEX items_tmdb_id ON items (tmdb_id)")


@_migration
def m004_tmdb_hint(db: sqlite_utils.Database) -> None:
    """The TMDB id written in a file or folder name (``[tmdbid-603]``), used before any search."""
    db.execute("ALTER TABLE items ADD COLUMN tmdb_hint INTEGER")


@_migration
def m005_classification(db: sqlite_utils.Database) -> None:
    """Runs, priced requests, decisions per (item, collection), deferred pairs, open batches."""
    db.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            finished_at REAL,
            command TEXT NOT NULL,
            status TEXT NOT NULL,
            model TEXT,
            mode TEXT,
            summary TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE requests (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            batch_id TEXT,
            custom_id TEXT,
            model TEXT NOT NULL,
            items INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_5m INTEGER NOT NULL,
            cache_write_1h INTEGER NOT NULL,
            cache_read INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            outcome TEXT NOT NULL,
            at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX requests_run ON requests (run_id)")
    db.execute(
        """
        CREATE TABLE decisions (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            collection TEXT NOT NULL,
            include INTEGER NOT NULL,
            confidence REAL NOT NULL,
            model TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            rechecks INTEGER NOT NULL DEFAULT 0,
            run_id INTEGER NOT NULL,
            request_id INTEGER,
            decided_at REAL NOT NULL,
            PRIMARY KEY (item_id, collection)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX decisions_collection ON decisions (collection, include)")
    db.execute(
        """
        CREATE TABLE deferred (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            run_id INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL,
            created_at REAL NOT NULL,
            status TEXT NOT NULL,
            chunks TEXT NOT NULL,
            results_read INTEGER NOT NULL DEFAULT 0
        )
        """
    )


@_migration
def m006_tag_changes(db: sqlite_utils.Database) -> None:
    """Tags a run added to or removed from movies; ``applied`` is 1 when written, 0 when the write
    failed or the run was a dry run."""
    db.execute(
        """
        CREATE TABLE tag_changes (
            run_id INTEGER NOT NULL,
            item_id INTEGER NOT NULL,
            collection TEXT NOT NULL,
            action TEXT NOT NULL,
            applied INTEGER NOT NULL,
            at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX tag_changes_run ON tag_changes (run_id)")
    db.execute("CREATE INDEX tag_changes_item ON tag_changes (item_id)")


def _other_titles(meta: str) -> str:
    """SQL for the titles in a ``metadata`` JSON column besides the parsed one, one per line:
    TMDB title, original title, alternate titles (strings, or Radarr's ``{"title": ...}``)."""
    return (
        f"CASE WHEN json_valid({meta}) THEN "
        f"coalesce(json_extract({meta}, '$.title'), '') || char(10) || "
        f"coalesce(json_extract({meta}, '$.original_title'), '') || char(10) || "
        "coalesce((SELECT group_concat(CASE type WHEN 'object' THEN json_extract(value, '$.title') "
        f"WHEN 'text' THEN value END, char(10)) FROM json_each({meta}, '$.alternate_titles')), '') "
        "END"
    )


INDEX_TITLES = (
    "INSERT INTO items_fts (rowid, title, other_titles) "
    f"SELECT id, title, {_other_titles('metadata')} FROM items"
)


@_migration
def m007_title_search_and_list_indexes(db: sqlite_utils.Database) -> None:
    """``items_fts`` (title search), filled from the existing items, the queue its triggers
    feed, and a covering index for the per-run tag change counts of ``list --changed-since``.

    The triggers on ``items`` only queue the ids whose titles changed (``items_fts_pending``);
    :meth:`~core.store.db.Store.sync_title_index` indexes them in bulk. FTS5 flushes its pending
    terms at every savepoint, which a trigger statement is, so writing ``items_fts`` from the
    triggers cost ~18 µs per row, 5x a bare insert; the queue costs 1-2 µs, the bulk sync ~4 µs.
    ``columnsize=0``: nothing ranks with bm25.
    """
    db.execute(
        "CREATE VIRTUAL TABLE items_fts USING fts5(title, other_titles, "
        "tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)"
    )
    db.execute(INDEX_TITLES)
    db.execute("CREATE TABLE items_fts_pending (item_id INTEGER)")  # no constraint to conflict
    queue = "INSERT INTO items_fts_pending (item_id) VALUES"
    db.execute(f"CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN {queue} (new.id); END")
    db.execute(f"CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN {queue} (old.id); END")
    db.execute(
        "CREATE TRIGGER items_fts_update AFTER UPDATE OF id, title, metadata ON items "
        "WHEN old.id IS NOT new.id OR old.title IS NOT new.title "
        "OR old.metadata IS NOT new.metadata "
        f"BEGIN {queue} (new.id); "
        "INSERT INTO items_fts_pending (item_id) SELECT old.id WHERE old.id IS NOT new.id; END"
    )
    db.execute(
        "CREATE INDEX tag_changes_summary ON tag_changes (run_id, collection, action, applied)"
    )


@_migration
def m008_folder_series(db: sqlite_utils.Database) -> None:
    """Series grouped from a folder's episode files (:mod:`core.store.series`).

    A series is an ``items`` row (source ``files-series``, type ``series``, key
    ``series:<title>|<year>``)
    so it is matched, judged and listed like a movie; each episode row points to it through
    ``series_id``. A trigger clears an episode's ``series_id`` whenever the scan rewrites its
    path or parsed fields (a changed or moved file), so grouping after a scan reads only the
    episodes with no series: none after a rescan with nothing changed.
    """
    db.execute("ALTER TABLE items ADD COLUMN series_id INTEGER")
    db.execute("CREATE INDEX items_series ON items (series_id) WHERE series_id IS NOT NULL")
    db.execute(
        "CREATE INDEX items_ungrouped ON items (id) WHERE type = 'episode' AND series_id IS NULL"
    )
    db.execute(
        "CREATE TRIGGER items_series_regroup AFTER UPDATE OF key, title, year, type ON items "
        "WHEN new.series_id IS NOT NULL AND new.type != 'series' "
        "BEGIN UPDATE items SET series_id = NULL WHERE id = new.id; END"
    )


SCHEMA_VERSION = len(_applied_in_order)
