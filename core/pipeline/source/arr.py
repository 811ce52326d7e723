"""Mirroring an *arr library (Radarr's movies, Sonarr's series) into the store, incrementally.

One streamed list request per run, consumed as it arrives: each element is projected to one
``items`` row (source ``radarr`` or ``sonarr``, key = the server's id, already matched since the
server knows the TMDB/TVDB ids) and written ``batch_size`` at a time, one transaction each; a row
is only rewritten when its content changed, so an unchanged library costs reads only. Keys seen go
to a temporary table, not a Python set, and at the end the items of that source not seen are
deleted (their decisions cascade). That only happens once the whole list arrived: a download that
breaks off raises before anything is removed, and an empty list while the store holds the source's
items is refused.

What differs between the two servers (which list, how an element becomes a row, the words of the
messages) is an :class:`ArrKind`; :mod:`core.pipeline.source.radarr` and
:mod:`core.pipeline.source.sonarr` hold theirs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from core.progress import NULL_REPORTER, Reporter
from core.store.arr_items import (
    count_arr_items,
    delete_unseen_arr_items,
    reset_seen_keys,
    upsert_arr_items,
)
from core.store.db import Store

dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class ArrKind:
    """One server's side of a sync.

    :param source: the ``items.source`` of its rows (``radarr``), also the progress stage's name.
    :param service: how messages name it (``Radarr``).
    :param noun: one element (``movie``); ``nouns`` several (``movies``).
    :param listing: the client method that streams the list (``movies``).
    :param row: an element to ``(title, year, tmdb_id, metadata JSON)``.
    :param error: the service's error class (exit 1).
    """

    source: str
    service: str
    noun: str
    nouns: str
    listing: str
    row: Callable[[object], tuple]
    error: type[Exception]

    @property
    def stopped(self) -> str:
        return f"stopped on request while reading {self.service}'s list; nothing was removed"


@dataclass(slots=True)
class SyncSummary:
    """What a sync saw and did. ``skipped``: list elements without a usable id; ``duplicates``:
    repeats of an id already read (the first copy is kept, wherever the batches are cut).
    ``as_dict`` is the ``--json`` output."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    stopped: str | None = None
    skipped_examples: list[str] = field(default_factory=list)
    duplicate_examples: list[str] = field(default_factory=list)

    def duplicate(self, example: str, count: int = 1) -> None:
        self.duplicates += count
        if len(self.duplicate_examples) < 3:
            self.duplicate_examples.append(example)

    def as_dict(self) -> dict:
        return asdict(self)


def sync_arr(
    store: Store,
    client,
    kind: ArrKind,
    *,
    reporter: Reporter = NULL_REPORTER,
    batch_size: int = 500,
    should_stop: Callable[[], bool] = lambda: False,
) -> SyncSummary:
    """Bring the store's items of ``kind.source`` in line with the library ``client`` lists.

    ``should_stop`` is asked between batches: once it says yes the download is closed, what was
    read is kept and nothing is removed (``stopped``).

    :raises kind.error: the server failed (nothing is removed then), or sent an empty library.
    :raises StoreError: the store cannot be written.
    """
    start = time.perf_counter()
    summary = SyncSummary()
    source = kind.source
    reset_seen_keys(store, source)
    reporter.start(source)
    elements = getattr(client, kind.listing)()
    for batch in _batches(elements, batch_size):
        _write_batch(store, kind, batch, summary)
        reporter.advance(
            source, len(batch), added=summary.added, updated=summary.updated, seen=summary.seen
        )
        if should_stop():
            elements.close()  # closes the download
            summary.stopped = kind.stopped
            reset_seen_keys(store, source)
            summary.seconds = round(time.perf_counter() - start, 3)
            return summary
    summary.skipped += client.skipped
    summary.skipped_examples = client.skipped_examples
    if summary.seen == 0 and client.skipped:
        raise kind.error(
            f"{kind.service}'s {kind.noun} list has {client.skipped:,} elements and none is a "
            f"usable {kind.noun} (e.g. {'; '.join(summary.skipped_examples)}); nothing was "
            f"changed. Check {kind.service} (System > Status), then run again"
        )
    summary.removed = _remove_unseen(store, kind, summary)
    reset_seen_keys(store, source)
    reporter.finish(source)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def _batches(elements: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for element in elements:
        batch.append(element)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(store: Store, kind: ArrKind, batch: list, summary: SyncSummary) -> None:
    fresh: dict[str, tuple] = {}
    for element in batch:
        key = str(element.id)
        if key in fresh:
            summary.duplicate(f"id {key} ({element.title!r} again)")
            continue
        fresh[key] = kind.row(element)
    counts = upsert_arr_items(store, kind.source, fresh, time.time())
    if counts.repeats:
        summary.duplicate(f"id {', '.join(counts.repeated_keys)}", counts.repeats)
    summary.seen += counts.seen
    summary.added += counts.added
    summary.updated += counts.updated
    summary.unchanged += counts.unchanged


def _remove_unseen(store: Store, kind: ArrKind, summary: SyncSummary) -> int:
    if summary.seen == 0:
        known = count_arr_items(store, kind.source)
        if known:
            raise kind.error(
                f"{kind.service} sent an empty library, but the store holds {known:,} of its "
                f"{kind.nouns}; nothing was removed. Check {kind.service} (System > Status), "
                "then run again"
            )
        return 0
    return delete_unseen_arr_items(store, kind.source)
