"""The tag stage: make Radarr's or Sonarr's tags match the stored decisions, with the fewest
requests.

Current membership comes from one ``GET /api/v3/tag/detail`` (the movie or series ids per tag),
never from the library list; the wanted membership is the decisions in the store. Per collection
the difference is written with ``PUT /api/v3/movie/editor`` (Radarr) or ``PUT
/api/v3/series/editor`` (Sonarr) in chunks of ``chunk_size`` (``applyTags`` add, then remove), so
a change costs 1/100th of a request instead of Kometa-AI's GET+PUT per movie: a run sends the
server 1 list + 1 tag/detail + ⌈changes/100⌉ editor PUTs (+ a POST per tag it creates). Both
servers speak the same API here; an :class:`ArrSide` holds what differs (the source of the
items, and the words of the messages).

Only reelscale's own collection tags are touched, and an item is untagged only when a decision
says it does not belong: an item that is not judged yet (deferred, budget) keeps what it has.
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
from core.store.arr_items import RADARR, SONARR
from core.store.db import Store
from core.store.decisions import arr_verdicts
from core.store.tag_changes import record_tag_changes

STAGE = "tag"


@dataclass(frozen=True, slots=True)
class ArrSide:
    """What differs between Radarr and Sonarr for the tag stage.

    :param source: the ``items.source`` whose decisions are written (``radarr``).
    :param service: how messages name the server (``Radarr``).
    :param nouns: its items (``movies``).
    :param ids: the attribute of a tag detail and of a failed chunk holding the ids.
    """

    source: str
    service: str
    nouns: str
    ids: str


RADARR_SIDE = ArrSide(RADARR, "Radarr", "movies", "movie_ids")
SONARR_SIDE = ArrSide(SONARR, "Sonarr", "series", "series_ids")


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
    """One collection's difference: the server ids to tag and untag, and their items."""

    collection: Collection
    change: CollectionChange
    add: list[int]
    remove: list[int]
    items: dict[int, int]  # server id -> item id, of the ids in add and remove


def plan_changes(
    store: Store, collection: Collection, detail, side: ArrSide = RADARR_SIDE
) -> _Plan:
    """What ``collection`` needs written, from one pass over its stored verdicts.

    Only the changes are kept (an item judged in but not tagged, or tagged but judged out),
    never the whole judged membership: at 10k movies that is a few hundred entries, not 10k.
    """
    have = set(getattr(detail, side.ids)) if detail else set()
    items: dict[int, int] = {}
    add, remove = [], []
    for key, item_id, include in arr_verdicts(store, collection.tag, side.source):
        server_id = int(key)
        if include:
            if server_id not in have:
                add.append(server_id)
                items[server_id] = item_id
        elif server_id in have:
            remove.append(server_id)
            items[server_id] = item_id
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
    side: ArrSide = RADARR_SIDE,
) -> TagSummary:
    """Write the difference between the decisions and the server's tags; returns what changed.

    ``client`` is a Radarr client with ``side`` :data:`RADARR_SIDE` (the default) or a Sonarr
    client with :data:`SONARR_SIDE`. With ``dry_run`` nothing is sent (no tag is created
    either); the changes are still computed and recorded as not applied, which is what a dry run
    prints.
    """
    start = time.perf_counter()
    summary = TagSummary()
    current = {d.label.lower(): d for d in client.tag_details()}
    plans = [plan_changes(store, c, current.get(c.tag.lower()), side) for c in collections]
    summary.collections = [p.change for p in plans]
    reporter.start(STAGE, total=sum(len(p.add) + len(p.remove) for p in plans))
    tag_ids = {label.lower(): d.id for label, d in current.items()}
    missing = [p.collection.tag for p in plans if p.change.created]
    if missing and not dry_run and not should_stop():  # a stopped run creates no empty tags
        tag_ids.update({k.lower(): v for k, v in client.ensure_tags(missing).items()})
    writer = _Writer(store, client, run_id, summary, reporter, side)
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

    def __init__(self, store, client, run_id, summary: TagSummary, reporter, side) -> None:
        self.store, self.client, self.run_id = store, client, run_id
        self.summary, self.reporter, self.side = summary, reporter, side

    def write(self, plan: _Plan, action: str, ids: list[int], tag_id: int) -> None:
        summary, change, tag, side = self.summary, plan.change, plan.collection.tag, self.side
        result = self.client.edit_tags(ids, [tag_id], action)
        summary.writes += result.chunks
        failed = set()
        for chunk in result.failed:
            chunk_ids = getattr(chunk, side.ids)
            failed.update(chunk_ids)
            summary.error(
                f"{side.service} editor {action} failed: {chunk.cause}",
                f"{tag}: {len(chunk_ids)} {side.nouns} (ids {min(chunk_ids)}..{max(chunk_ids)})",
            )
        done = [m for m in ids if m not in failed]
        self.record(plan, action, done, applied=True)
        self.record(plan, action, sorted(failed), applied=False)
        _count(change, action, len(done))
        change.failed += len(failed)
        change.members += -len(failed) if action == "add" else len(failed)
        self.reporter.advance(STAGE, len(ids), writes=summary.writes)

    def record(self, plan: _Plan, action: str, ids: Iterable[int], *, applied: bool) -> None:
        now = time.time()
        rows = [
            (self.run_id, plan.items[m], plan.collection.tag, action, int(applied), now)
            for m in ids
        ]
        if rows:
            record_tag_changes(self.store, rows)


def _count(change: CollectionChange, action: str, n: int) -> None:
    if action == "add":
        change.added += n
    else:
        change.removed += n
