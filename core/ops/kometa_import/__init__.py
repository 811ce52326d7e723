"""``reelscale import kometa-ai``: take over the decisions a Kometa-AI user has paid for.

Kometa-AI 0.5.7 keeps every judgment in ``kometa_state.json`` (:mod:`.state`), keyed by Radarr
movie id and collection name. The import reads the Radarr library (the same one streamed
``GET /api/v3/movie`` a run starts with, so reelscale's movies exist), maps each decision to
reelscale's movie and collection (by name), and stores it, all in one transaction: a state file
that cannot be used changes nothing, and ``--dry-run`` does it all on a scratch copy.

When an imported decision counts as current (the first ``reelscale run`` then sends nothing for
it), and when it is stale (the run judges it again, members first):

- **the prompt**: current when Kometa-AI's stored ``prompt_hash`` equals the hash Kometa-AI
  computes for the collection's prompt as configured now (:mod:`.hashes`), or when the record has
  none (Kometa-AI itself takes such legacy records as current); otherwise stale ("prompt").
- **the movie**: the two tools fingerprint different fields, so the import computes Kometa-AI's
  own ``metadata_hash`` of each movie as Radarr sends it now and compares it with the one stored:
  equal means Kometa-AI would not re-judge, and since its hash covers every field reelscale's
  fingerprint covers, neither would reelscale: the decision gets reelscale's fingerprint.
  Different (or a movie Kometa-AI never hashed) leaves it stale ("changed").
- **the verdict**: membership is Kometa-AI's rule (``include`` and ``confidence >= threshold``)
  with the threshold reelscale reads, and the confidence is stored as reelscale's (the chance the
  movie belongs: ``confidence`` if included, else ``1 - confidence``). Imported decisions are not
  rechecked for being near the threshold: Kometa-AI has had its near-threshold passes.
- a pair reelscale already decided keeps reelscale's decision; importing twice adds nothing.

Skipped, each counted with examples: decisions for collections the config does not define,
movies Radarr no longer has, and malformed entries.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from core.config import Config
from core.config.collection import Collection, genre_key
from core.ops.kometa_import.hashes import movie_hash, prompt_hashes
from core.ops.kometa_import.state import KometaState, Verdict, read_state

__all__ = ["ImportReport", "import_kometa_ai"]

MAX_EXAMPLES = 3
_ROWS = 5000  # decisions written per statement batch, so memory does not grow with the state


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do). ``as_dict`` is the ``--json``."""

    state_file: str = ""
    kometa_ai_version: str = ""
    dry_run: bool = False
    movies_in_state: int = 0
    decisions_in_state: int = 0
    imported: int = 0
    current: int = 0
    stale_prompt: int = 0
    stale_movie: int = 0
    kept_reelscale: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    library: dict = field(default_factory=dict)
    first_run: dict = field(default_factory=dict)
    by_collection: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


class _Skips:
    """Skipped entries by cause, with a few examples each (the report's warnings)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}

    def add(self, cause: str, example: str, count: int = 1) -> None:
        self.counts[cause] = self.counts.get(cause, 0) + count
        shown = self.examples.setdefault(cause, [])
        if len(shown) < MAX_EXAMPLES and example not in shown:
            shown.append(example)

    def warnings(self) -> list[str]:
        return [
            f"skipped {n:,} decision{'s' * (n != 1)}: {cause} "
            f"(e.g. {'; '.join(self.examples[cause])})"
            for cause, n in self.counts.items()
        ]


@contextlib.contextmanager
def _store(db_path, dry_run: bool):
    """The store; for a dry run a scratch copy of it (the user's file is never opened to write)."""
    from core.store.db import copy_to_scratch, open_store

    if not dry_run:
        with open_store(db_path) as store:
            yield store
        return
    with tempfile.TemporaryDirectory(prefix="reelscale-import-dry-run-") as folder:
        copy = Path(folder) / "scratch.db"
        if Path(db_path).exists():
            copy_to_scratch(db_path, copy)
        with open_store(copy) as store:
            yield store


def import_kometa_ai(
    db_path: str | os.PathLike[str], config: Config, state_dir: str | Path, *, dry_run: bool
) -> ImportReport:
    """Import Kometa-AI's decisions from ``state_dir`` into the store at ``db_path``.

    :raises UsageError: the state file cannot be used (nothing changes).
    :raises RadarrError: Radarr could not be read (nothing changes).
    """
    from core.clients.radarr import RadarrClient
    from core.pipeline.profile import peak_rss_mb
    from core.store.lock import run_lock

    start = time.perf_counter()
    state = read_state(state_dir)
    report = ImportReport(str(state.path), state.version, dry_run)
    lock = contextlib.nullcontext() if dry_run else run_lock(db_path)
    with lock, _store(db_path, dry_run) as store, RadarrClient(config.radarr) as radarr:
        _in_one_transaction(store, radarr, config, state, report)
    report.seconds = round(time.perf_counter() - start, 3)
    report.peak_rss_mb = round(peak_rss_mb(), 1)
    return report


def _in_one_transaction(store, radarr, config: Config, state, report: ImportReport) -> None:
    """The library, the decisions and the import's record: all or nothing."""
    from core.pipeline.plan.stage import plan
    from core.pipeline.source.radarr import sync_library
    from core.store.kometa_import import IMPORT_COMMAND
    from core.store.runs import finish_run, start_run

    wanted = set(_movie_ids(state))
    hashes: dict[int, str | None] = {}

    def note(raw: dict) -> None:
        if raw["id"] in wanted:
            hashes[raw["id"]] = movie_hash(raw)

    with store.atomic():
        run_id = start_run(store, IMPORT_COMMAND, model="kometa-ai", mode="import")
        report.library = sync_library(store, _Noting(radarr, note)).as_dict()
        _import(store, config.collections, state, hashes, run_id, report)
        stats, _ = plan(store, [c for c in config.collections if c.enabled])
        report.first_run = {"pairs": stats.pairs_planned, "by_reason": stats.by_reason}
        finish_run(store, run_id, "ok", json.dumps(report.as_dict()))


class _Noting:
    """The Radarr client as ``sync_library`` uses it, showing each movie to ``note`` as well."""

    def __init__(self, client, note) -> None:
        self._client, self._note = client, note

    def movies(self):
        return self._client.movies(on_element=self._note)

    @property
    def skipped(self) -> int:
        return self._client.skipped

    @property
    def skipped_examples(self) -> list[str]:
        return self._client.skipped_examples


def _movie_ids(state: KometaState) -> Iterator[int]:
    for key in state.decisions:
        movie_id = _movie_id(key)
        if movie_id is not None:
            yield movie_id


def _movie_id(key: object) -> int | None:
    if isinstance(key, str) and key.startswith("movie:") and key[6:].isdigit():
        return int(key[6:])
    return None


def _import(store, collections, state, hashes, run_id, report: ImportReport) -> None:
    """Map and store every decision of ``state``; counts go to ``report``."""
    from core.store.kometa_import import insert_imported_decisions, radarr_items

    by_name = {genre_key(c.name): c for c in collections}
    accepted = {c.tag: prompt_hashes(c) for c in collections}
    items = radarr_items(store, (str(m) for m in _movie_ids(state)))
    skips = _Skips()
    rows: list[tuple] = []
    offered = 0
    now = time.time()
    model = f"kometa-ai {state.version}"
    for key, entry in state.decisions.items():
        report.movies_in_state += 1
        movie_id = _movie_id(key)
        judged = entry.get("collections") if isinstance(entry, dict) else None
        if movie_id is None or not isinstance(judged, dict):
            skips.add("entry is not Kometa-AI's 'movie:<id>' with 'collections'", repr(key)[:60])
            continue
        report.decisions_in_state += len(judged)
        item = items.get(str(movie_id))
        if item is None:
            skips.add("movie no longer in Radarr", key, len(judged))
            continue
        current = hashes.get(movie_id)
        unchanged = current is not None and entry.get("metadata_hash") == current
        fingerprint = _fingerprint(item) if unchanged else f"kometa-ai:{str(current)[:16]}"
        for name, decision in judged.items():
            collection = by_name.get(genre_key(name)) if isinstance(name, str) else None
            if collection is None:
                skips.add("collection not in the config", repr(name)[:60])
                continue
            stamp = (model, run_id, now)
            row = _row(item[0], collection, decision, fingerprint, stamp, accepted[collection.tag])
            if row is None:
                skips.add("not a decision (include, confidence 0..1)", f"{key} {name!r}")
                continue
            rows.append(row)
            offered += 1
            if len(rows) >= _ROWS:
                report.imported += insert_imported_decisions(store, rows)
                rows.clear()
            report.by_collection[collection.name] = report.by_collection.get(collection.name, 0) + 1
            stale_prompt = row[5] != collection.prompt_hash
            report.stale_prompt += stale_prompt
            report.stale_movie += not unchanged and not stale_prompt
            report.current += unchanged and not stale_prompt
    report.imported += insert_imported_decisions(store, rows)
    report.kept_reelscale = offered - report.imported
    report.skipped = skips.counts
    report.warnings = skips.warnings()


def _fingerprint(item: tuple) -> str:
    from core.pipeline.plan.stage import stored_fingerprint

    return stored_fingerprint(item)


def _row(
    item_id: int, collection: Collection, d: object, fingerprint: str, stamp, accepted: frozenset
) -> tuple | None:
    """The reelscale decision row of one Kometa-AI decision; None if it is not one."""
    if not isinstance(d, Verdict):
        return None
    include, confidence = d.include, d.confidence
    if not isinstance(include, bool) or isinstance(confidence, bool):
        return None
    if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        return None
    model, run_id, now = stamp
    theirs = d.prompt_hash
    current = theirs is None or (isinstance(theirs, str) and theirs in accepted)
    member = include and confidence >= collection.confidence_threshold
    return (
        item_id,
        collection.tag,
        int(member),
        float(confidence if include else 1 - confidence),
        model,
        collection.prompt_hash if current else f"kometa-ai:{theirs}",
        fingerprint,
        1,
        run_id,
        None,
        _when(d.timestamp, now),
    )


def _when(stamp: object, default: float) -> float:
    try:
        return datetime.fromisoformat(str(stamp)).timestamp()
    except (ValueError, OverflowError, OSError):  # not a time, or one outside the platform's range
        return default
