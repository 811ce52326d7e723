"""The planner: which (item, collection) pairs need a judgment in this run.

Plans one kind of item at a time (``movies`` or ``series``, the ``kind`` argument): movies are
items of type ``movie`` (Radarr, a movie folder), series items of type ``series`` (Sonarr, or a
folder of episodes grouped into series), sent as :mod:`core.pipeline.plan.series` says. The
collections given are those of that kind.

Consumes the items of that kind in the store, their stored decisions and the enabled collections;
yields :class:`PlannedItem` records (an item and the collections to judge it against), by item id
so that batches are composed deterministically. Nothing that is already decided and unchanged is
planned, which is what makes a rerun over an unchanged library free.

A pair is planned when (its reason, in priority order):

``deferred``        the item was planned but left out by last run's budget, or Claude refused
                    to judge it: taken first now (a refused one against every collection);
``prompt_member``   the collection's prompt changed and the movie is currently a member;
``prompt``          the collection's prompt changed (current non-members);
``changed``         the item's fingerprint changed (a hash of the fields sent; ratings are not
                    sent, so daily rating drift costs nothing);
``new``             never judged for this collection (also ``--force-refresh``);
``recheck``         the stored confidence is within 0.15 of the threshold and it was not
                    rechecked yet (at most once; see :func:`decide` for the hysteresis). The
                    classify stage runs this pass right after the first, in the same run.

An item's priority is that of its most urgent pair. A per-run budget (``max_items``) keeps whole
items in that order and defers the rest; deferred items are recorded and come first next run.
Prefilters (genres, years) drop pairs before anything is sent, failing open when data is missing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from core.clients.claude.wire import OVERVIEW_CHARS, WireMovie, trim
from core.config.collection import Collection
from core.pipeline.plan.series import series_wire
from core.store.db import Store
from core.store.decisions import items_with_decisions

RECHECK_WINDOW = 0.15
ITEM_TYPES = {"movies": "movie", "series": "series"}
HYSTERESIS = 0.1
PRIORITY = {"deferred": 0, "prompt_member": 1, "prompt": 2, "changed": 3, "new": 4, "recheck": 5}


@dataclass(slots=True)
class PlannedItem:
    item_id: int
    movie: WireMovie
    fingerprint: str
    pairs: dict[str, str]  # collection tag -> reason
    priority: int


@dataclass(slots=True)
class PlanStats:
    items: int = 0
    items_planned: int = 0
    pairs_planned: int = 0
    items_deferred: int = 0
    pairs_deferred: int = 0
    prefiltered: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    deferred_ids: list[int] = field(default_factory=list, repr=False)
    deferred_by_collection: dict[str, int] = field(default_factory=dict)

    def defer(self, item: PlannedItem) -> None:
        self.items_deferred += 1
        self.pairs_deferred += len(item.pairs)
        self.deferred_ids.append(item.item_id)
        for tag in item.pairs:
            self.deferred_by_collection[tag] = self.deferred_by_collection.get(tag, 0) + 1


@dataclass(slots=True)
class _Decision:
    include: bool
    confidence: float
    prompt_hash: str
    fingerprint: str
    rechecks: int


def fingerprint(movie: WireMovie) -> str:
    """Hash of exactly the fields a request sends about the movie."""
    fields = [
        movie.title,
        movie.year,
        sorted(movie.genres),
        trim(movie.overview, OVERVIEW_CHARS),
        list(movie.keywords),
    ]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def candidates(
    store: Store,
    collections: Sequence[Collection],
    *,
    force: bool = False,
    rechecks: bool = True,
    stats: PlanStats,
    kind: str = "movies",
) -> Iterator[PlannedItem]:
    """Every item of ``kind`` with at least one pair to judge, by item id."""
    rows = items_with_decisions(store, ITEM_TYPES[kind])
    series = kind == "series"
    current: int | None = None
    first: tuple = ()
    decisions: dict[str, _Decision] = {}
    for row in rows:
        item_id = row[0]
        if item_id != current:
            if current is not None:
                planned = _plan_item(first, decisions, collections, force, rechecks, stats, series)
                if planned:
                    yield planned
            current, first, decisions = item_id, row, {}
        if row[4] is not None:
            decisions[row[4]] = _Decision(bool(row[5]), row[6], row[7], row[8], row[9])
    if current is not None:
        planned = _plan_item(first, decisions, collections, force, rechecks, stats, series)
        if planned:
            yield planned


def _movie(row: tuple, series: bool = False) -> WireMovie:
    _, title, year, metadata = row[:4]
    meta = json.loads(metadata) if metadata else {}
    if series:
        return series_wire(meta, title, year)
    return WireMovie(
        mid="",
        title=meta.get("title") or title or "",
        year=meta.get("year") or year,
        genres=tuple(g for g in meta.get("genres") or () if g),
        overview=meta.get("overview") or "",
        keywords=tuple(k for k in meta.get("keywords") or () if k),
    )


def stored_fingerprint(row: tuple) -> str:
    """The fingerprint of a stored item ``(id, title, year, metadata)``, as the planner sees it."""
    return fingerprint(_movie(row))


def _plan_item(row, decisions, collections, force, rechecks, stats, series) -> PlannedItem | None:
    stats.items += 1
    movie = _movie(row, series)
    fp = fingerprint(movie)
    pairs: dict[str, str] = {}
    for c in collections:
        if not c.applies_to(movie.genres or None, movie.year):
            stats.prefiltered += 1
            continue
        d = decisions.get(c.tag)
        if force or d is None:
            reason = "new"
        elif d.prompt_hash != c.prompt_hash:
            reason = "prompt_member" if d.include else "prompt"
        elif d.fingerprint != fp:
            reason = "changed"
        elif (
            rechecks
            and abs(d.confidence - c.confidence_threshold) <= RECHECK_WINDOW
            and d.rechecks < 1
        ):
            reason = "recheck"
        else:
            continue
        pairs[c.tag] = reason
    if not pairs and row[10]:  # deferred, yet decided: Claude refused it (its answer is owed)
        pairs = {
            c.tag: "deferred" for c in collections if c.applies_to(movie.genres or None, movie.year)
        }
    if not pairs:
        return None
    priority = 0 if row[10] else min(PRIORITY[r] for r in pairs.values())
    return PlannedItem(row[0], movie, fp, pairs, priority)


def plan(
    store: Store,
    collections: Sequence[Collection],
    *,
    force: bool = False,
    rechecks: bool = True,
    max_items: int | None = None,
    kind: str = "movies",
) -> tuple[PlanStats, Iterator[PlannedItem]]:
    """The pairs to judge this run for items of ``kind``, within ``max_items`` items; and the
    counts.

    Two streaming passes: the first counts items per priority, the second yields the items the
    budget admits, by id. Memory does not grow with the library.
    """
    stats = PlanStats()
    per_priority: dict[int, int] = {}
    for item in candidates(
        store, collections, force=force, rechecks=rechecks, stats=stats, kind=kind
    ):
        per_priority[item.priority] = per_priority.get(item.priority, 0) + 1
        stats.items_planned += 1
        stats.pairs_planned += len(item.pairs)
        for reason in item.pairs.values():
            stats.by_reason[reason] = stats.by_reason.get(reason, 0) + 1
    allowed = _allowance(per_priority, max_items)

    def admitted() -> Iterator[PlannedItem]:
        left = dict(allowed)
        for item in candidates(
            store, collections, force=force, rechecks=rechecks, stats=PlanStats(), kind=kind
        ):
            if left.get(item.priority, 0) > 0:
                left[item.priority] -= 1
                yield item
            else:
                stats.defer(item)

    return stats, admitted()


def _allowance(per_priority: dict[int, int], max_items: int | None) -> dict[int, int]:
    if max_items is None:
        return dict(per_priority)
    allowed, left = {}, max_items
    for priority in sorted(per_priority):
        allowed[priority] = min(left, per_priority[priority])
        left -= allowed[priority]
    return allowed


def decide(confidence: float, collection: Collection, reason: str, previous: bool | None) -> bool:
    """Membership from a new confidence. A recheck flips membership only when the new confidence
    clears the threshold by the hysteresis margin; any other judgment takes the threshold."""
    threshold = collection.confidence_threshold
    if reason != "recheck" or previous is None:
        return confidence >= threshold
    if previous:
        return confidence >= threshold - HYSTERESIS
    return confidence >= threshold + HYSTERESIS
