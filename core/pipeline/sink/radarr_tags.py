"""The tag stage: make Radarr's tags match the stored decisions, with the fewest requests.

Current membership comes from one ``GET /api/v3/tag/detail`` (the movie ids per tag), never from
the movie list; the wanted membership is the decisions in the store. Per collection the difference
is written with ``PUT /api/v3/movie/editor`` in chunks (``applyTags`` add, then remove), so a
change costs 1/100th of a request instead of Kometa-AI's GET+PUT per movie.

Only reelscale's own collection tags are touched, and a movie is untagged only when a decision
says it does not belong: a movie that is not judged yet (deferred, budget) keeps what it has.
Every planned change is recorded in ``tag_changes`` with whether it was written, so ``reelscale
list --changed-since`` can answer what a run did. A chunk that fails after the client's retries is
reported, and since the next run computes the difference again, it is retried then.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from core.config.collection import Collection
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.decisions import radarr_verdicts
from core.store.tag_changes import record_tag_changes

STAGE = "tag"


@dataclass(slots=True)
class CollectionChange:
    name: str
    tag: str
    members: int = 0
    added: int = 0
    removed: int = 0
    failed: int = 0
    created: bool = False


@dataclass(slots=True)
class TagSummary:
    collections: list[CollectionChange] = field(default_factory=list)
    writes: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: dict[str, list[str]] = field(default_factory=dict)
    stopped: bool = False
    seconds: float = 0.0

    def error(self, cause: str, example: str) -> None:
        self.errors[cause] = self.errors.get(cause, 0) + 1
        examples = self.error_examples.setdefault(cause, [])
        if len(examples) < 3:
            examples.append(example)


@dataclass(slots=True)
class _Wanted:
    include: dict[int, int]  # radarr movie id -> item id
    exclude: dict[int, int]


def wanted(store: Store, tag: str) -> _Wanted:
    """The Radarr movies the decisions put in and out of the collection ``tag``."""
    include: dict[int, int] = {}
    exclude: dict[int, int] = {}
    for key, item_id, include_flag in radarr_verdicts(store, tag):
        (include if include_flag else exclude)[int(key)] = item_id
    return _Wanted(include, exclude)


def apply_tags(
    store: Store,
    client,
    collections: Sequence[Collection],
    run_id: int,
    *,
    dry_run: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
    reporter: Reporter = NULL_REPORTER,
) -> TagSummary:
    """Write the difference between the decisions and Radarr's tags; returns what changed.

    With ``dry_run`` nothing is sent to Radarr (no tag is created either); the changes are still
    computed and recorded as not applied, which is what a dry run prints.
    """
    start = time.perf_counter()
    summary = TagSummary()
    current = {d.label.lower(): d for d in client.tag_details()}
    plans = []
    for collection in collections:
        want = wanted(store, collection.tag)
        detail = current.get(collection.tag.lower())
        have = set(detail.movie_ids) if detail else set()
        add = sorted(want.include.keys() - have)
        remove = sorted(have & want.exclude.keys())
        change = CollectionChange(collection.name, collection.tag)
        change.members = len(have) + len(add) - len(remove)
        change.created = detail is None and bool(add)
        # Only the changes are kept, not the whole wanted membership of every collection.
        items = {m: want.include[m] for m in add} | {m: want.exclude[m] for m in remove}
        plans.append((collection, change, items, add, remove))
        summary.collections.append(change)
        del want
    reporter.start(STAGE, total=sum(len(p[3]) + len(p[4]) for p in plans))
    tag_ids = {label.lower(): d.id for label, d in current.items()}
    missing = [c.tag for c, change, *_ in plans if change.created]
    if missing and not dry_run and not should_stop():  # a stopped run creates no empty tags
        tag_ids.update({k.lower(): v for k, v in client.ensure_tags(missing).items()})
    for collection, change, lookup, add, remove in plans:
        for action, ids in (("add", add), ("remove", remove)):
            if not ids:
                continue
            if dry_run or should_stop():
                summary.stopped = summary.stopped or (not dry_run)
                _record(store, run_id, collection.tag, action, ids, lookup, applied=False)
                _count(change, action, len(ids))
                continue
            result = client.edit_tags(ids, [tag_ids[collection.tag.lower()]], action)
            summary.writes += result.chunks
            failed = set()
            for chunk in result.failed:
                failed.update(chunk.movie_ids)
                summary.error(
                    f"Radarr editor {action} failed: {chunk.cause}",
                    f"{collection.tag}: {len(chunk.movie_ids)} movies (ids "
                    f"{min(chunk.movie_ids)}..{max(chunk.movie_ids)})",
                )
            done = [m for m in ids if m not in failed]
            _record(store, run_id, collection.tag, action, done, lookup, applied=True)
            _record(store, run_id, collection.tag, action, sorted(failed), lookup, applied=False)
            _count(change, action, len(done))
            change.failed += len(failed)
            if action == "add":
                change.members -= len(failed)
            else:
                change.members += len(failed)
            reporter.advance(STAGE, len(ids), writes=summary.writes)
    reporter.finish(STAGE)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def _count(change: CollectionChange, action: str, n: int) -> None:
    if action == "add":
        change.added += n
    else:
        change.removed += n


def _record(
    store: Store,
    run_id: int,
    tag: str,
    action: str,
    movie_ids: Iterable[int],
    item_by_movie: dict[int, int],
    *,
    applied: bool,
) -> None:
    now = time.time()
    rows = [(run_id, item_by_movie[m], tag, action, int(applied), now) for m in movie_ids]
    if rows:
        record_tag_changes(store, rows)
