"""`reelscale list` query times on a big store, measured in one run, written to results/numbers/.

    reelscale bench numbers list [--items 300000] [--repeat 9] [--rebuild] [--no-trigger-cost]

1. Builds (once; cached under .bench-work/dbs/) a store of ITEMS synthetic movies with TMDB-like
   metadata (10% with alternate titles), 10 collections decided for every movie (1% to 30%
   members), an initial tagging run that added every member, and a later run of ~5% changes
   (adds and removes, 3% failed writes).
2. Times every query shape of `reelscale list` in this process, warm: the library functions the
   command calls, median (and max) of REPEAT runs after one warm-up. The target is 50 ms each.
3. The cost of the title-index triggers on the scan and enrich write paths: 100k item inserts
   and 100k metadata updates into a fresh store, with and without the triggers, interleaved;
   and the one bulk `sync_title_index()` that indexes them all afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness.paths import WORK, build_lock
from core.store.db import SCHEMA_VERSION, open_store
from core.views import listing

SEED = 1
TARGET_MS = 50.0
MEMBER_RATES = (0.01, 0.02, 0.03, 0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.30)
TAGS = tuple(f"kai-bench-{n:02d}" for n in range(len(MEMBER_RATES)))
CHUNK = 20_000


def store_path(items: int) -> Path:
    """The cached store for ``items`` movies; its name changes with this builder and the schema."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    return WORK / "dbs" / f"list-{items}-v{SCHEMA_VERSION}-{digest}.db"


def build_store(items: int, *, rebuild: bool = False) -> Path:
    """The store of the module docstring, built on first use (about a minute for 300k)."""
    path = store_path(items)
    with build_lock(path.name):
        if rebuild or not path.exists():
            _build_store(items, path)
    return path


def _build_store(items: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"list-{items}-*.db*"):  # older builders' stores, ~0.5 GB each
        stale.unlink()
    part = path.with_name(path.name + ".part")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    rng = random.Random(SEED)
    now = time.time()
    with open_store(part) as store:
        conn = store.conn
        _insert_items(store, items, rng)
        with store.atomic():
            for run_id, command in ((1, "classify"), (2, "run"), (3, "run")):
                conn.execute(
                    "INSERT INTO runs (id, started_at, finished_at, command, status) "
                    "VALUES (?, ?, ?, ?, 'done')",
                    (run_id, now - 3600 * (4 - run_id), now - 3600 * (4 - run_id) + 60, command),
                )
        members: list[tuple[int, str]] = []
        batch = []
        for item_id in range(1, items + 1):
            for tag, rate in zip(TAGS, MEMBER_RATES, strict=True):
                include = rng.random() < rate
                if include:
                    members.append((item_id, tag))
                batch.append(
                    (item_id, tag, int(include), round(rng.random(), 3), "claude-bench", "h", "f")
                )
            if len(batch) >= CHUNK:
                _insert_decisions(store, batch, now)
                batch.clear()
        _insert_decisions(store, batch, now)
        changes = [(2, item_id, tag, "add", 1, now - 7200) for item_id, tag in members]
        for item_id in rng.sample(range(1, items + 1), items // 20):
            tag = rng.choice(TAGS)
            action = rng.choice(("add", "remove"))
            changes.append((3, item_id, tag, action, int(rng.random() > 0.03), now - 3600))
        with store.atomic():
            conn.executemany("INSERT INTO tag_changes VALUES (?, ?, ?, ?, ?, ?)", changes)
        store.sync_title_index()
    os.replace(part, path)


def _insert_items(store, items: int, rng: random.Random) -> None:
    from synthetic.library.movies import generate

    rows = []
    for n, movie in enumerate(generate(items, seed=SEED), start=1):
        meta = {
            "title": movie.title,
            "year": movie.year,
            "genres": movie.genres,
            "overview": movie.overview,
            "keywords": movie.keywords,
            "original_title": movie.original_title,
        }
        if rng.random() < 0.1:
            meta["alternate_titles"] = [{"title": f"{movie.original_title} ({movie.year})"}]
        key = f"/movies/{movie.title} ({movie.year})/{n}.mkv"
        rows.append(
            (n, key, movie.title, movie.year, movie.tmdb_id, json.dumps(meta, ensure_ascii=False))
        )
        if len(rows) >= CHUNK:
            _flush_items(store, rows)
    _flush_items(store, rows)


def _flush_items(store, rows: list) -> None:
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, title, year, type, tmdb_id, match_status, "
            "metadata) VALUES (?, 'files', ?, ?, ?, 'movie', ?, 'matched', ?)",
            rows,
        )
    rows.clear()


def _insert_decisions(store, batch: list, now: float) -> None:
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            f"fingerprint, run_id, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, {now - 10800})",
            batch,
        )


def query_shapes(store, items: int) -> dict:
    """``{name: callable}``: each query shape of `reelscale list`, as the command runs it."""
    refs = listing.known_collections(store)
    by_tag = {r.tag: r for r in refs}
    common = store.conn.execute("SELECT title FROM items WHERE id = ?", (items // 2,)).fetchone()
    return {
        "overview (counts of 10 collections)": lambda: listing.overview(store, refs),
        "members, 30% collection, first 50": lambda: listing.members(store, by_tag[TAGS[-1]]),
        "members, 1% collection, first 50": lambda: listing.members(store, by_tag[TAGS[0]]),
        "search, a full title": lambda: listing.search(store, common[0]),
        "search, one common word ('the')": lambda: listing.search(store, "the"),
        "search, a 2-letter prefix ('lo')": lambda: listing.search(store, "lo"),
        "search, accents folded ('amelie')": lambda: listing.search(store, "amelie"),
        "why, by item id": lambda: listing.why(store, str(items // 3), refs),
        "why, by title (best 5 matches)": lambda: listing.why(store, common[0], refs),
        "changed-since last (5% of the library)": lambda: listing.changes_since(store, "last"),
        "changed-since 2 (initial tagging + last)": lambda: listing.changes_since(store, 2),
        "changed-since last, one collection": lambda: listing.changes_since(
            store, "last", collection=TAGS[3]
        ),
    }


def measure_shapes(path: Path, items: int, repeat: int) -> dict:
    out = {}
    with open_store(path) as store:
        for name, run in query_shapes(store, items).items():
            run()  # warm-up
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                result = run()
                times.append((time.perf_counter() - start) * 1000)
            data = result.as_dict()
            out[name] = {
                "ms_median": round(statistics.median(times), 2),
                "ms_max": round(max(times), 2),
                "rows": len(data.get("items", data.get("collections", []))),
            }
    return out


def trigger_cost(n: int = 100_000, repeat: int = 3) -> dict:
    """Inserting ``n`` items (the scan's write) and updating their metadata (enrich's), with the
    FTS triggers and with them dropped, interleaved; medians in seconds."""
    meta = json.dumps({"title": "A Title", "original_title": "Un Titre", "genres": ["Drama"]})
    rows = [(i, f"/m/{i}.mkv", f"Some Movie Title {i}", 2000 + i % 20) for i in range(1, n + 1)]
    timings: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(repeat):
            for triggers in (True, False):
                with open_store(Path(tmp) / f"t{attempt}{triggers}.db") as store:
                    if not triggers:
                        for name in ("insert", "update", "delete"):
                            store.conn.execute(f"DROP TRIGGER items_fts_{name}")
                    conn = store.conn
                    start = time.perf_counter()
                    for lo in range(0, n, 1000):
                        with store.atomic():
                            conn.executemany(
                                "INSERT INTO items (id, source, key, title, year, type) "
                                "VALUES (?, 'files', ?, ?, ?, 'movie')",
                                rows[lo : lo + 1000],
                            )
                    mid = time.perf_counter()
                    for lo in range(1, n + 1, 1000):
                        with store.atomic():
                            conn.executemany(
                                "UPDATE items SET metadata = ?, match_status = 'matched' "
                                "WHERE id = ?",
                                [(meta, i) for i in range(lo, min(lo + 1000, n + 1))],
                            )
                    end = time.perf_counter()
                    if triggers:
                        store.sync_title_index()
                        synced = time.perf_counter()
                        timings.setdefault("sync_after_update", []).append(synced - end)
                label = "with_triggers" if triggers else "without_triggers"
                timings.setdefault(f"insert_{label}", []).append(mid - start)
                timings.setdefault(f"update_{label}", []).append(end - mid)
    out: dict = {"items": n}
    out |= {k: round(statistics.median(v), 3) for k, v in timings.items()}
    for step in ("insert", "update"):
        ratio = out[f"{step}_with_triggers"] / out[f"{step}_without_triggers"]
        out[f"{step}_overhead_pct"] = round((ratio - 1) * 100, 1)
    return out


def measure(
    items: int = 300_000, repeat: int = 9, *, rebuild: bool = False, trigger_costs: bool = True
) -> dict:
    """Parts 1 to 3 of the module docstring (part 3 only with ``trigger_costs``)."""
    start = time.perf_counter()
    path = build_store(items, rebuild=rebuild)
    built = time.perf_counter() - start
    with open_store(path) as store:
        sizes = {
            table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("items", "decisions", "tag_changes")
        }
    queries = measure_shapes(path, items, repeat)
    out = {
        "items": items,
        "rows": sizes,
        "collections": len(TAGS),
        "db_mb": round(path.stat().st_size / 1e6, 1),
        "setup_seconds": round(built, 1),
        "cpu_count": os.cpu_count(),
        "repeat": repeat,
        "target_ms": TARGET_MS,
        "queries": queries,
        "all_within_target": all(q["ms_median"] <= TARGET_MS for q in queries.values()),
    }
    if trigger_costs:
        out["fts_trigger_cost"] = trigger_cost()
    return out
