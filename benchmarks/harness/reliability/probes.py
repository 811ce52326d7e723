"""What the stand-ins and the database say about a run: how far it got, what it decided, billed
and tagged, and whether the database is intact. Read while a run is alive (to choose a kill or
pause point) and after it (to judge it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness.reliability.world import Case, Servers, kometa_path


@dataclass(frozen=True, slots=True)
class Progress:
    tmdb: int
    billed: int  # Claude: 200 answers to /v1/messages plus requests processed inside batches
    batch_creates: int
    batch_polls: int
    radarr_writes: int


def progress(servers: Servers) -> Progress:
    claude = servers.claude.counters
    endpoints = claude.by_endpoint
    billed = endpoints.get("batch_request", 0) + sync_billed(servers.claude)
    radarr = servers.radarr.counters.by_endpoint
    writes = radarr.get("movie_editor", 0) + radarr.get("tag_create", 0)
    return Progress(
        servers.tmdb.counters.total,
        billed,
        endpoints.get("batches_create", 0),
        endpoints.get("batches_retrieve", 0),
        writes,
    )


def sync_billed(claude) -> int:
    return sum(1 for r in claude.requests() if r.endpoint == "messages" and r.status == 200)


def stage_of(case: Case, seen: Progress) -> str:
    """The stage a run was in, from what it had sent.

    A folder's source stage is the scan and then the series grouping (#18), which sends nothing
    either: a run that has committed every index row but sent TMDB nothing is still reading its
    source (``scan``); enrich starts with its first request."""
    if seen.radarr_writes:
        return "tag"
    if seen.billed or seen.batch_creates:
        return "batch_poll" if seen.batch_polls else "classify"
    if case.source == "files":
        return "enrich" if seen.tmdb else "scan"
    return "source"


def scanned(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return rows(db, "SELECT count(*) FROM scan_index")[0][0]
    except sqlite3.Error:  # killed before the schema was written
        return 0


def rows(db: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def decisions(db: Path) -> dict[tuple[str, str], tuple]:
    """``(item key, tag) -> (include, run_id, request_id, rechecks)`` of every stored decision."""
    sql = (
        "SELECT i.source || ':' || i.key, d.collection, d.include, d.run_id, d.request_id, "
        "d.rechecks FROM decisions d JOIN items i ON i.id = d.item_id"
    )
    return {(key, tag): tuple(rest) for key, tag, *rest in rows(db, sql)}


def recheck_requests(db: Path) -> int:
    """Requests that rechecked a near-threshold verdict: every decision they wrote is marked."""
    sql = "SELECT count(DISTINCT request_id) FROM decisions WHERE rechecks >= 1"
    return rows(db, sql)[0][0]


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def recorded_billing(db: Path, run_ids: Sequence[int] | None = None) -> tuple[int, set[str]]:
    """Sync requests recorded in ``db`` (of ``run_ids``) and the ids of the batches recorded."""
    if not db.exists():
        return 0, set()
    sync = rows(db, "SELECT count(*) FROM requests WHERE batch_id IS NULL")[0][0]
    batches = {b for (b,) in rows(db, "SELECT id FROM batches")}
    batches |= {b for (b,) in rows(db, "SELECT DISTINCT batch_id FROM requests") if b}
    return sync, batches


def final_tags(servers: Servers, case: Case, db: Path, config: Path) -> dict:
    """What the run left for Kometa: Radarr's reelscale tags, or the Kometa file's text."""
    if case.source == "files":
        return {"kometa_file": kometa_path(db).read_text(encoding="utf-8")}
    from core.config.files import load_collections

    tags = servers.radarr.tags_by_label()
    return {c.tag: sorted(tags.get(c.tag, ())) for c in load_collections(config)}


def run_started(db: Path) -> bool:
    """Has a run begun (its row is written and not finished)?"""
    try:
        return bool(rows(db, "SELECT 1 FROM runs WHERE finished_at IS NULL LIMIT 1"))
    except sqlite3.Error:  # the victim is still creating the schema
        return False
