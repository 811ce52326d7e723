"""Runs, the priced requests they sent, and the Message Batches still open.

``runs`` has one row per ``classify`` / ``run`` (status, model, mode, the summary as JSON);
``requests`` one row per Claude request with its usage and price, which the decisions it paid
for point to; ``batches`` one row per Message Batch, with the map from its requests' custom ids
back to items, so that a restarted run resumes polling instead of paying again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import NamedTuple

from core.store.db import Store, require_transaction, stream

__all__ = [
    "RequestRecord",
    "count_open_batches",
    "finish_run",
    "insert_request",
    "last_success_end",
    "mark_batch_read",
    "open_batches",
    "read_custom_ids",
    "request_sizes",
    "save_batch",
    "start_run",
]


def start_run(store: Store, command: str, *, model: str, mode: str) -> int:
    """Record a run as started now (commits); returns its id."""
    with store.atomic():
        cur = store.conn.execute(
            "INSERT INTO runs (started_at, command, status, model, mode) VALUES (?, ?, ?, ?, ?)",
            (time.time(), command, "running", model, mode),
        )
    return cur.lastrowid


def finish_run(store: Store, run_id: int, status: str, summary_json: str) -> None:
    """Record a run as finished now, with its status and summary (commits)."""
    with store.atomic():
        store.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
            (time.time(), status, summary_json, run_id),
        )


def last_success_end(store: Store) -> float | None:
    """When the last successful ``reelscale run`` ended (Unix seconds), None before the first."""
    return store.conn.execute(
        "SELECT max(finished_at) FROM runs WHERE command = 'run' AND status = 'ok'"
    ).fetchone()[0]


class RequestRecord(NamedTuple):
    """One Claude request as stored: who sent it, for how many items, its usage and price."""

    run_id: int
    batch_id: str | None
    custom_id: str | None
    model: str
    items: int
    input_tokens: int
    output_tokens: int
    cache_write_5m: int
    cache_write_1h: int
    cache_read: int
    cost_usd: float
    outcome: str
    at: float


def insert_request(store: Store, request: RequestRecord) -> int:
    """Store ``request``; returns its id. Part of the caller's ``store.atomic()``, which also
    writes the decisions the request paid for."""
    return (
        require_transaction(store)
        .execute(
            "INSERT INTO requests (run_id, batch_id, custom_id, model, items, input_tokens, "
            "output_tokens, cache_write_5m, cache_write_1h, cache_read, cost_usd, outcome, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            request,
        )
        .lastrowid
    )


def request_sizes(store: Store) -> Iterator[tuple[int, int]]:
    """``(items, output_tokens)`` of every stored request."""
    return stream(store.conn.execute("SELECT items, output_tokens FROM requests"))


def save_batch(store: Store, batch_id: str, run_id: int, chunks_json: str) -> None:
    """Record a Message Batch as submitted now, with its chunk map (commits)."""
    with store.atomic():
        store.conn.execute(
            "INSERT INTO batches (id, run_id, created_at, status, chunks) VALUES (?, ?, ?, ?, ?)",
            (batch_id, run_id, time.time(), "submitted", chunks_json),
        )


def open_batches(store: Store) -> list[tuple[str, str]]:
    """``(batch_id, chunks_json)`` of every batch not read yet, oldest first."""
    return store.conn.execute(
        "SELECT id, chunks FROM batches WHERE status != 'read' ORDER BY created_at"
    ).fetchall()


def count_open_batches(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM batches WHERE status != 'read'").fetchone()[0]


def read_custom_ids(store: Store, batch_id: str) -> set[str]:
    """The custom ids of the batch's requests already recorded (a crash mid-read)."""
    return {
        custom_id
        for (custom_id,) in store.conn.execute(
            "SELECT custom_id FROM requests WHERE batch_id = ?", (batch_id,)
        )
    }


def mark_batch_read(store: Store, batch_id: str) -> None:
    """Every result of the batch is recorded (commits)."""
    with store.atomic():
        store.conn.execute(
            "UPDATE batches SET status = 'read', results_read = 1 WHERE id = ?", (batch_id,)
        )
