"""What is in a collection, and why: the answers of ``reelscale list``.

Reads through the queries of :mod:`core.store.listing` (each through an index, so each answer
costs milliseconds on a 300k-item store); writes only the title index's catch-up before a search
(:meth:`~core.store.db.Store.sync_title_index`):

- :func:`overview`: members per collection (a count over ``decisions(collection, include)``);
- :func:`members`: the movies included in one collection;
- :func:`search`: movies whose titles (parsed, TMDB, original, alternate) contain some words;
- :func:`why`: per collection, why a movie is in or out, and whether its tag was written;
- :func:`changes_since`: the tag changes of a run and the runs after it.

Collections come from the config when there is one (:func:`known_collections`), and from the
tags stored in ``decisions`` otherwise, so listing works without a config.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from core.config.collection import Collection
from core.errors import StoreError, UsageError
from core.store import listing as queries
from core.store.db import Store

__all__ = [
    "ALL",
    "CollectionRef",
    "changes_since",
    "find_items",
    "known_collections",
    "members",
    "overview",
    "resolve",
    "search",
    "why",
]

ALL = -1
SEARCH_CAP = 1000  # title matches ranked per search; more are counted as "more than"


@dataclass(frozen=True, slots=True)
class CollectionRef:
    """A collection as ``list`` knows it: from the config, or only a tag stored in decisions
    (``threshold`` and ``enabled`` None, ``config`` None)."""

    tag: str
    name: str
    threshold: float | None = None
    enabled: bool | None = None
    config: Collection | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict:
        return {
            "tag": self.tag,
            "name": self.name,
            "in_config": self.config is not None,
            "enabled": self.enabled,
            "threshold": self.threshold,
        }


@dataclass(slots=True)
class Movie:
    id: int
    title: str | None
    year: int | None
    type: str
    tmdb_id: int | None
    tags: list[str] = field(default_factory=list)
    confidence: float | None = None  # in a member list: the including decision's
    decided_at: float | None = None


@dataclass(slots=True)
class Result:
    """One answer; ``as_dict()`` is the ``--json`` object (``query`` names the shape)."""

    query: str
    data: dict

    def as_dict(self) -> dict:
        return {"query": self.query, **_plain(self.data)}


def known_collections(store: Store, configured: Sequence[Collection] = ()) -> list[CollectionRef]:
    """The configured collections, then any other tag that has decisions (a collection since
    removed from the config, or every collection when there is no config)."""
    refs = [CollectionRef(c.tag, c.name, c.confidence_threshold, c.enabled, c) for c in configured]
    seen = {c.tag for c in configured}
    for tag in queries.decided_tags(store):
        if tag not in seen:
            refs.append(CollectionRef(tag, tag))
    return refs


def resolve(refs: Sequence[CollectionRef], wanted: str) -> CollectionRef:
    """The collection named ``wanted`` (its name, any case, or its tag)."""
    for ref in refs:
        if wanted in (ref.tag, ref.name):
            return ref
    for ref in refs:
        if wanted.casefold() == ref.name.casefold():
            return ref
    known = ", ".join(f"{r.name} ({r.tag})" if r.name != r.tag else r.tag for r in refs)
    raise UsageError(
        f"no collection named {wanted!r}; known: {known}"
        if known
        else f"no collection named {wanted!r}: no config found and no decisions stored yet; "
        "pass --config or run `reelscale classify` first"
    )


def overview(store: Store, refs: Sequence[CollectionRef]) -> Result:
    """Members per collection."""
    rows = [{**r.as_dict(), "members": queries.member_count(store, r.tag)} for r in refs]
    return Result("collections", {"collections": rows})


def members(store: Store, ref: CollectionRef, *, limit: int = 50) -> Result:
    """The movies included in ``ref``, in library order; ``total`` counts all of them."""
    total = queries.member_count(store, ref.tag)
    items = [
        Movie(*row[:5], tags=[ref.tag], confidence=row[5], decided_at=row[6])
        for row in queries.members(store, ref.tag, _limit(limit))
    ]
    return Result("members", {"collection": ref.as_dict(), "total": total, "items": items})


def search(store: Store, text: str, *, collection: str | None = None, limit: int = 50) -> Result:
    """Movies whose titles contain every word of ``text`` (a word may be the start of a title
    word: ``blade run`` finds *Blade Runner*), best matches first, with their tags.

    ``total`` is None when more than :data:`SEARCH_CAP` titles match; only the first
    :data:`SEARCH_CAP` are ranked (and filtered) then.

    :param collection: keep only the members of the collection with this tag.
    """
    found, total = _matches(store, text)
    if collection is not None:
        _add_tags(store, found)
        found = [m for m in found if collection in m.tags]
        total = None if total is None else len(found)
    items = found if limit == ALL else found[:limit]
    if collection is None:
        _add_tags(store, items)
    return Result(
        "search", {"text": text, "collection": collection, "total": total, "items": items}
    )


def find_items(store: Store, title_or_id: str, *, limit: int = 5) -> list[Movie]:
    """Movies by item id (digits), TMDB id (``tmdb:603``) or title words, best first."""
    text = title_or_id.strip()
    if m := re.fullmatch(r"tmdb:(\d+)", text, re.IGNORECASE):
        return _items(store, queries.items_with_tmdb_id(store, int(m[1]), _limit(limit)))
    if text.isdigit() and (found := _items(store, [int(text)])):
        return found
    found, _ = _matches(store, text)
    return found if limit == ALL else found[:limit]


def why(store: Store, title_or_id: str, refs: Sequence[CollectionRef], *, limit: int = 5) -> Result:
    """Per collection in ``refs``: whether each movie found by :func:`find_items` is in it, with
    the decision (confidence against the threshold, model, when, which run) and the last tag
    change for it (written or failed)."""
    explained = []
    for movie in find_items(store, title_or_id, limit=limit):
        genres_json = queries.item_genres(store, movie.id)
        genres = json.loads(genres_json) if genres_json else None
        decided = {r[0]: r for r in queries.decisions_of(store, movie.id)}
        last_change = {r[0]: r for r in queries.tag_changes_of(store, movie.id)}
        deferred = queries.deferred_by_run(store, movie.id)
        movie.tags = sorted(tag for tag, d in decided.items() if d[1])
        verdicts = [
            _verdict(r, decided.get(r.tag), last_change.get(r.tag), deferred, genres, movie.year)
            for r in refs
        ]
        explained.append({"item": movie, "collections": verdicts})
    return Result("why", {"text": title_or_id, "items": explained})


def changes_since(
    store: Store, run: int | str, *, collection: str | None = None, limit: int = 50
) -> Result:
    """The tag changes of run ``run`` and of every later run (``"last"``: the last run that
    changed tags): counts per run, collection, action and outcome, and the first ``limit``
    changes (per run: by collection, failed writes first, adds before removes).

    :param collection: only the changes of the collection with this tag.
    """
    since = _run_id(store, run)
    data: dict = {"since_run": since, "runs": [], "counts": [], "total": 0, "items": []}
    if since is None:
        return Result("changes", data)
    only = collection or None
    keys = ("run_id", "item_id", "title", "year", "collection", "action", "applied", "at")
    left = _limit(limit)
    for run_id in queries.change_runs(store, since):
        info = queries.run_info(store, run_id) or (run_id, None, None, None, None)
        data["runs"].append(dict(zip(_RUN_KEYS, info, strict=True)))
        for tag, action, ok, n in queries.change_counts(store, run_id, only):
            data["counts"].append(
                {
                    "run_id": run_id,
                    "collection": tag,
                    "action": action,
                    "applied": bool(ok),
                    "count": n,
                }
            )
            data["total"] += n
        if left != 0:
            found = [
                {**dict(zip(keys, r, strict=True)), "applied": bool(r[6])}
                for r in queries.changes(store, run_id, only, left)
            ]
            data["items"] += found
            left = left if left < 0 else left - len(found)
    return Result("changes", data)


_RUN_KEYS = ("id", "command", "status", "started_at", "finished_at")


def _verdict(ref, decision, change, deferred, genres, year) -> dict:
    out: dict = {"collection": ref.as_dict(), "state": "not judged", "decision": None}
    if decision is not None:
        _, include, confidence, model, prompt_hash, rechecks, run_id, decided_at = decision
        out["state"] = "in" if include else "out"
        out["decision"] = {
            "include": bool(include),
            "confidence": confidence,
            "model": model,
            "run_id": run_id,
            "decided_at": decided_at,
            "rechecks": rechecks,
            "prompt_changed": None if ref.config is None else prompt_hash != ref.config.prompt_hash,
        }
    elif ref.enabled is False:
        out["state"] = "collection disabled"
    elif ref.config is not None and not ref.config.applies_to(genres, year):
        out["state"] = "filtered out (genres/years)"
    elif deferred is not None:
        out["state"] = f"deferred (run {deferred})"
    out["last_change"] = (
        None
        if change is None
        else {"action": change[1], "applied": bool(change[2]), "run_id": change[3], "at": change[4]}
    )
    return out


def _run_id(store: Store, run: int | str) -> int | None:
    if isinstance(run, str) and run.strip().lower() == "last":
        return queries.last_change_run(store)
    try:
        run_id = int(run)
    except ValueError:
        raise UsageError(f"--changed-since {run!r}: give a run id (a number) or 'last'") from None
    if not queries.run_exists(store, run_id):
        last = queries.last_run(store)
        hint = f"runs go up to {last}" if last else "no run is recorded yet"
        raise UsageError(f"--changed-since {run_id}: no such run ({hint}); or use 'last'")
    return run_id


def _matches(store: Store, text: str) -> tuple[list[Movie], int | None]:
    query = _fts_query(text)
    if not query:
        raise UsageError(f"--search {text!r}: no letters or digits to search for")
    with contextlib.suppress(StoreError):  # read-only or busy: search the index as it is
        store.sync_title_index()
    ids = queries.title_matches(store, query, SEARCH_CAP + 1)
    total = len(ids) if len(ids) <= SEARCH_CAP else None
    wanted = _fold(text)
    rows = _items(store, ids[:SEARCH_CAP], extra=True)
    rows.sort(key=lambda pair: _rank(wanted, pair[1], pair[0]))
    return [movie for movie, _ in rows], total


def _items(store: Store, ids: list[int], *, extra: bool = False) -> list:
    """Movies by id, in the order of ``ids`` (ids without an item are dropped); with ``extra``,
    ``(movie, [its titles])`` pairs for ranking."""
    by_id = {}
    for row in queries.items_by_id(store, ids):
        by_id[row[0]] = (Movie(*row[:5]), [row[1], row[5]])
    found = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    return found if extra else [movie for movie, _ in found]


def _add_tags(store: Store, movies: list[Movie]) -> None:
    by_id = {m.id: m for m in movies}
    for item_id, tag in queries.included_tags(store, list(by_id)):
        by_id[item_id].tags.append(tag)
    for m in movies:
        m.tags.sort()


def _fts_query(text: str) -> str:
    """Each whitespace-separated word as a quoted FTS5 prefix phrase (``"d'amélie"*``), so FTS
    syntax in user text (AND, NEAR, ``:``, ``-``) is never interpreted."""
    words = [w for w in unicodedata.normalize("NFC", text).split() if re.search(r"[^\W_]", w)]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", plain))


def _rank(wanted: str, titles: list[str | None], movie: Movie) -> tuple:
    folded = [_fold(t) for t in titles if t]
    return (
        wanted not in folded,
        not any(t.startswith(wanted) for t in folded),
        min((len(t) for t in folded), default=0),
        movie.id,
    )


def _limit(limit: int) -> int:
    return -1 if limit == ALL else limit


def _plain(value):
    if isinstance(value, Movie):
        return asdict(value)
    if isinstance(value, CollectionRef):
        return value.as_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
