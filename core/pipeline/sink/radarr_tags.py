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
from core.records import CollectionChange
from core.store.db import Store
from core.store.decisions import radarr_verdicts
from core.store.tag_changes import record_tag_changes

STAGE = "tag"


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
class _Plan:
    """One collection's difference: the movies to tag and untag, and their items."""

    collection: Collection
    change: CollectionChange
    add: list[int]
    remove: list[int]
    items: dict[int, int]  # radarr movie id -> item id, of the movies in add and remove


def plan_changes(store: Store, collection: Collection, detail) -> _Plan:
    """What ``collection`` needs written, from one pass over its stored verdicts.

    Only the changes are kept (a movie judged in but not tagged, or tagged but judged out),
    never the whole judged membership: at 10k movies that is a few hundred entries, not 10k.
    """
    have = set(detail.movie_ids) if detail else set()
    items: dict[int, int] = {}
    add, remove = [], []
    for key, item_id, include in radarr_verdicts(store, collection.tag):
        movie = int(key)
        if include:
            if movie not in have:
                add.append(movie)
                items[movie] = item_id
        elif movie in have:
            remove.append(movie)
            items[movie] = item_id
    add.sort()
    remove.sort()
    change = CollectionChange(collection.name, collection.tag)
    change.members = len(have) + len(add) - len(remove)
    change.created = detail is None and bool(add)
    return _Plan(collection, change, add, remove, items)


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
    plans = [plan_changes(store, c, current.get(c.tag.lower())) for c in collections]
    summary.collections = [p.change for p in plans]
    reporter.start(STAGE, total=sum(len(p.add) + len(p.remove) for p in plans))
    tag_ids = {label.lower(): d.id for label, d in current.items()}
    missing = [p.collection.tag for p in plans if p.change.created]
    if missing and not dry_run and not should_stop():  # a stopped run creates no empty tags
        tag_ids.update({k.lower(): v for k, v in client.ensure_tags(missing).items()})
    writer = _Writer(store, client, run_id, summary, reporter)
    for plan in plans:
        for action, ids in (("add", plan.add), ("remove", plan.remove)):
            if not ids:
                continue
            if dry_run or should_stop():
                summary.stopped = summary.stopped or (not dry_run)
                writer.record(plan, action, ids, applied=False)
                _count(plan.change, action, len(ids))
                continue
            writer.write(plan, action, ids, tag_ids[plan.collection.tag.lower()])
    reporter.finish(STAGE)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


class _Writer:
    """Sends one collection's adds or removes and records what was written and what failed."""

    def __init__(self, store, client, run_id, summary: TagSummary, reporter: Reporter) -> None:
        self.store, self.client, self.run_id = store, client, run_id
        self.summary, self.reporter = summary, reporter

    def write(self, plan: _Plan, action: str, ids: list[int], tag_id: int) -> None:
        summary, change, tag = self.summary, plan.change, plan.collection.tag
        result = self.client.edit_tags(ids, [tag_id], action)
        summary.writes += result.chunks
        failed = set()
        for chunk in result.failed:
            failed.update(chunk.movie_ids)
            summary.error(
                f"Radarr editor {action} failed: {chunk.cause}",
                f"{tag}: {len(chunk.movie_ids)} movies (ids "
                f"{min(chunk.movie_ids)}..{max(chunk.movie_ids)})",
            )
        done = [m for m in ids if m not in failed]
        self.record(plan, action, done, applied=True)
        self.record(plan, action, sorted(failed), applied=False)
        _count(change, action, len(done))
        change.failed += len(failed)
        change.members += -len(failed) if action == "add" else len(failed)
        self.reporter.advance(STAGE, len(ids), writes=summary.writes)

    def record(self, plan: _Plan, action: str, movie_ids: Iterable[int], *, applied: bool) -> None:
        now = time.time()
        rows = [
            (self.run_id, plan.items[m], plan.collection.tag, action, int(applied), now)
            for m in movie_ids
        ]
        if rows:
            record_tag_changes(self.store, rows)


def _count(change: CollectionChange, action: str, n: int) -> None:
    if action == "add":
        change.added += n
    else:
        change.removed += n
