"""What is in a collection, and why: the read-only queries behind ``reelscale list``.

Reads ``items`` (and its title index ``items_fts``), ``decisions``, ``deferred``, ``runs`` and
``tag_changes``; writes only the title index's catch-up before a search
(:meth:`~core.store.db.Store.sync_title_index`). Every statement is in :data:`SQL` and reads through
an index (a test runs EXPLAIN QUERY PLAN on each), so each answer costs milliseconds on a
300k-item store (``reelscale bench numbers list``):

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
from core.store.db import Store

__all__ = [
    "ALL",
    "SQL",
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

_TITLE = "CASE WHEN json_valid(i.metadata) THEN json_extract(i.metadata, '$.title') END"
_ITEM = f"i.id, coalesce({_TITLE}, i.title), i.year, i.type, i.tmdb_id"
_CHANGE_ROWS = (
    f"SELECT c.run_id, c.item_id, coalesce({_TITLE}, i.title), i.year, c.collection, c.action, "
    "c.applied, c.at FROM tag_changes c LEFT JOIN items i ON i.id = c.item_id "
)
SQL = {
    # distinct tags as a loose index scan: one index seek per tag, not a pass over decisions
    "tags": "WITH RECURSIVE t(tag) AS (SELECT min(collection) FROM decisions UNION ALL "
    "SELECT (SELECT min(collection) FROM decisions WHERE collection > t.tag) FROM t "
    "WHERE t.tag IS NOT NULL) SELECT tag FROM t WHERE tag IS NOT NULL",
    "member_count": "SELECT count(*) FROM decisions WHERE collection = :tag AND include = 1",
    "members": f"SELECT {_ITEM}, d.confidence, d.decided_at FROM decisions d "
    "CROSS JOIN items i ON i.id = d.item_id WHERE d.collection = :tag AND d.include = 1 "
    "ORDER BY d.item_id LIMIT :limit",
    "match": "SELECT rowid FROM items_fts WHERE items_fts MATCH :q LIMIT :limit",
    "items": f"SELECT {_ITEM}, CASE WHEN json_valid(i.metadata) THEN "
    "json_extract(i.metadata, '$.original_title') END "
    "FROM json_each(:ids) j CROSS JOIN items i ON i.id = j.value",
    "item": f"SELECT {_ITEM}, CASE WHEN json_valid(i.metadata) THEN "
    "json_extract(i.metadata, '$.genres') END FROM items i WHERE i.id = :id",
    "by_tmdb": "SELECT id FROM items WHERE tmdb_id = :tmdb ORDER BY id LIMIT :limit",
    "tags_of": "SELECT d.item_id, d.collection FROM json_each(:ids) j "
    "CROSS JOIN decisions d ON d.item_id = j.value WHERE d.include = 1",
    "decisions_of": "SELECT collection, include, confidence, model, prompt_hash, rechecks, "
    "run_id, decided_at FROM decisions WHERE item_id = :id",
    "changes_of": "SELECT collection, action, applied, run_id, at FROM tag_changes "
    "WHERE item_id = :id ORDER BY rowid",
    "deferred": "SELECT run_id FROM deferred WHERE item_id = :id",
    "last_change_run": "SELECT max(run_id) FROM tag_changes",
    "run": "SELECT id FROM runs WHERE id = :run",
    "last_run": "SELECT max(id) FROM runs",
    "run_info": "SELECT id, command, status, started_at, finished_at FROM runs WHERE id = :run",
    # runs with tag changes from :run on, as a loose index scan over tag_changes(run_id)
    "change_runs": "WITH RECURSIVE r(id) AS (SELECT min(run_id) FROM tag_changes "
    "WHERE run_id >= :run UNION ALL SELECT (SELECT min(run_id) FROM tag_changes "
    "WHERE run_id > r.id) FROM r WHERE r.id IS NOT NULL) SELECT id FROM r WHERE id IS NOT NULL",
    # per run, so that tag_changes(run_id, collection, action, applied) yields the groups and
    # the rows in order: counting and the first rows never sort
    "change_counts": "SELECT collection, action, applied, count(*) FROM tag_changes "
    "WHERE run_id = :run GROUP BY collection, action, applied",
    "change_counts_in": "SELECT collection, action, applied, count(*) FROM tag_changes "
    "WHERE run_id = :run AND collection = :tag GROUP BY action, applied",
    "changes": _CHANGE_ROWS + "WHERE c.run_id = :run "
    "ORDER BY c.collection, c.action, c.applied LIMIT :limit",
    "changes_in": _CHANGE_ROWS + "WHERE c.run_id = :run AND c.collection = :tag "
    "ORDER BY c.action, c.applied LIMIT :limit",
}


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
    for (tag,) in store.conn.execute(SQL["tags"]):
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
    count = store.conn.execute
    rows = [
        {**r.as_dict(), "members": count(SQL["member_count"], {"tag": r.tag}).fetchone()[0]}
        for r in refs
    ]
    return Result("collections", {"collections": rows})


def members(store: Store, ref: CollectionRef, *, limit: int = 50) -> Result:
    """The movies included in ``ref``, in library order; ``total`` counts all of them."""
    conn = store.conn
    total = conn.execute(SQL["member_count"], {"tag": ref.tag}).fetchone()[0]
    items = [
        Movie(*row[:5], tags=[ref.tag], confidence=row[5], decided_at=row[6])
        for row in conn.execute(SQL["members"], {"tag": ref.tag, "limit": _limit(limit)})
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
        params = {"tmdb": int(m[1]), "limit": _limit(limit)}
        return _items(store, [r[0] for r in store.conn.execute(SQL["by_tmdb"], params)])
    if text.isdigit() and (found := _items(store, [int(text)])):
        return found
    found, _ = _matches(store, text)
    return found if limit == ALL else found[:limit]


def why(store: Store, title_or_id: str, refs: Sequence[CollectionRef], *, limit: int = 5) -> Result:
    """Per collection in ``refs``: whether each movie found by :func:`find_items` is in it, with
    the decision (confidence against the threshold, model, when, which run) and the last tag
    change for it (written or failed)."""
    conn = store.conn
    explained = []
    for movie in find_items(store, title_or_id, limit=limit):
        genres_json = conn.execute(SQL["item"], {"id": movie.id}).fetchone()[5]
        genres = json.loads(genres_json) if genres_json else None
        decided = {r[0]: r for r in conn.execute(SQL["decisions_of"], {"id": movie.id})}
        last_change = {r[0]: r for r in conn.execute(SQL["changes_of"], {"id": movie.id})}
        deferred = conn.execute(SQL["deferred"], {"id": movie.id}).fetchone()
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
    conn = store.conn
    since = _run_id(store, run)
    data: dict = {"since_run": since, "runs": [], "counts": [], "total": 0, "items": []}
    if since is None:
        return Result("changes", data)
    counts, rows = (
        ("change_counts_in", "changes_in") if collection else ("change_counts", "changes")
    )
    keys = ("run_id", "item_id", "title", "year", "collection", "action", "applied", "at")
    left = _limit(limit)
    for (run_id,) in conn.execute(SQL["change_runs"], {"run": since}).fetchall():
        params = {"run": run_id, "tag": collection, "limit": left}
        info = conn.execute(SQL["run_info"], params).fetchone() or (run_id, None, None, None, None)
        data["runs"].append(dict(zip(_RUN_KEYS, info, strict=True)))
        for tag, action, ok, n in conn.execute(SQL[counts], params):
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
                for r in conn.execute(SQL[rows], params)
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
        out["state"] = f"deferred (run {deferred[0]})"
    out["last_change"] = (
        None
        if change is None
        else {"action": change[1], "applied": bool(change[2]), "run_id": change[3], "at": change[4]}
    )
    return out


def _run_id(store: Store, run: int | str) -> int | None:
    conn = store.conn
    if isinstance(run, str) and run.strip().lower() == "last":
        return conn.execute(SQL["last_change_run"]).fetchone()[0]
    try:
        run_id = int(run)
    except ValueError:
        raise UsageError(f"--changed-since {run!r}: give a run id (a number) or 'last'") from None
    if conn.execute(SQL["run"], {"run": run_id}).fetchone() is None:
        last = conn.execute(SQL["last_run"]).fetchone()[0]
        hint = f"runs go up to {last}" if last else "no run is recorded yet"
        raise UsageError(f"--changed-since {run_id}: no such run ({hint}); or use 'last'")
    return run_id


def _matches(store: Store, text: str) -> tuple[list[Movie], int | None]:
    query = _fts_query(text)
    if not query:
        raise UsageError(f"--search {text!r}: no letters or digits to search for")
    with contextlib.suppress(StoreError):  # read-only or busy: search the index as it is
        store.sync_title_index()
    params = {"q": query, "limit": SEARCH_CAP + 1}
    ids = [r[0] for r in store.conn.execute(SQL["match"], params)]
    total = len(ids) if len(ids) <= SEARCH_CAP else None
    wanted = _fold(text)
    rows = _items(store, ids[:SEARCH_CAP], extra=True)
    rows.sort(key=lambda pair: _rank(wanted, pair[1], pair[0]))
    return [movie for movie, _ in rows], total


def _items(store: Store, ids: list[int], *, extra: bool = False) -> list:
    """Movies by id, in the order of ``ids`` (ids without an item are dropped); with ``extra``,
    ``(movie, [its titles])`` pairs for ranking."""
    by_id = {}
    for row in store.conn.execute(SQL["items"], {"ids": json.dumps(ids)}):
        by_id[row[0]] = (Movie(*row[:5]), [row[1], row[5]])
    found = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    return found if extra else [movie for movie, _ in found]


def _add_tags(store: Store, movies: list[Movie]) -> None:
    by_id = {m.id: m for m in movies}
    for item_id, tag in store.conn.execute(SQL["tags_of"], {"ids": json.dumps(list(by_id))}):
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
