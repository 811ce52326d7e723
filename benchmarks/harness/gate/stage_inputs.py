"""The fixed stage workloads the gate measures: their inputs, built before the measured process.

A :class:`Workload` names a stage of :mod:`benchmarks.harness.gate.stage_worker` and a size;
``prepare(folder)`` writes the inputs (a scanned store, names, a config) into ``folder`` and yields
``(spec, key)`` while the stand-in it needs serves from this process: ``spec`` is what the worker
reads, ``key`` the stand-in's API key (passed in the environment, never on a command line).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness.workloads import sizes as workloads

PARSE_NAMES = 10_000
SCAN_FILES = 10_000
ENRICH_FILES = 2_000
CLASSIFY_MOVIES = 2_000
TAG_MOVIES = 2_000
TV_EPISODES = 3_000


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    size: int
    prepare: Callable[[Path], contextlib.AbstractContextManager[tuple[dict, str]]]

    @property
    def key(self) -> str:
        """``name[size]``, as in metric names."""
        return f"{self.name}[{self.size}]"


# -- workloads --------------------------------------------------------------------------------


@contextlib.contextmanager
def _parse_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    """The file names of the 10k-file tree's videos, repeated to ``size`` names."""
    _, truth = workloads.tree(SCAN_FILES)
    with open(truth, encoding="utf-8") as fh:
        names = [os.path.basename(json.loads(line)["path"]) for line in fh]
    names = (names * (size // len(names) + 1))[:size]
    path = folder / "names.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    yield {"names": str(path)}, ""


@contextlib.contextmanager
def _scan_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    root, _ = workloads.tree(size)
    yield {"root": str(root), "db": str(folder / "scan.db")}, ""


@contextlib.contextmanager
def _rescan_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    root, _ = workloads.tree(size)
    db = folder / "rescan.db"
    with open_store(db) as store:
        scan(root, store)
    yield {"root": str(root), "db": str(db)}, ""


@contextlib.contextmanager
def _enrich_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    from core.pipeline.source.files import scan
    from core.store.db import open_store
    from synthetic.servers.tmdb.server import TMDBServer

    root, _ = workloads.tree(size)
    db = folder / "enrich.db"
    with open_store(db) as store:
        scan(root, store)
    served = size + max(100, size // 10)
    with TMDBServer.from_library(served, workloads.SEED, rate_limit=None) as server:
        yield {"db": str(db), "url": server.url}, server.config.api_key


@contextlib.contextmanager
def _classify_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    from benchmarks.harness.workloads.classify import fill_store
    from core.store.db import open_store
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.traffic import set_time_scale

    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    db = folder / "classify.db"
    with open_store(db) as store:
        fill_store(store, size)
    previous = set_time_scale(0)
    try:
        with ClaudeServer.from_library(size, workloads.SEED) as server:
            yield {"db": str(db), "config": str(config), "url": server.url}, server.config.api_key
    finally:
        set_time_scale(previous)


@contextlib.contextmanager
def _tag_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    """A store synced from the stand-in Radarr with every decision made (from the ground truth),
    and a fresh stand-in whose movies carry no tag yet: the stage writes every membership."""
    from core.clients.radarr import RadarrClient
    from core.config.files import load_collections
    from core.config.model import RadarrSettings
    from core.pipeline.source.radarr import sync_library
    from core.store.db import open_store
    from synthetic.library.collection_defs import BY_NAME, to_toml
    from synthetic.library.movies import generate
    from synthetic.servers.radarr.server import RadarrServer

    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    collections = load_collections(config)
    traits = {m.id: set(m.traits) for m in generate(size, workloads.SEED)}
    db = folder / "tag.db"
    with RadarrServer.from_library(size, workloads.SEED) as server:
        settings = RadarrSettings(url=server.url, api_key=server.config.api_key)
        with open_store(db) as store, RadarrClient(settings) as client:
            sync_library(store, client)
            items = store.conn.execute("SELECT id, key FROM items WHERE source = 'radarr'")
            rows = [
                (item_id, c.tag, int(BY_NAME[c.name].trait in traits[int(key)]))
                for item_id, key in items.fetchall()
                for c in collections
            ]
            with store.atomic():
                store.conn.executemany(
                    "INSERT INTO decisions (item_id, collection, include, confidence, model, "
                    "prompt_hash, fingerprint, run_id, decided_at) "
                    "VALUES (?, ?, ?, 0.9, 'truth', '', '', 0, 0)",
                    rows,
                )
        server.reset_counters()
        yield {"db": str(db), "config": str(config), "url": server.url}, server.config.api_key


@contextlib.contextmanager
def _tv_group_inputs(folder: Path, size: int) -> Iterator[tuple[dict, str]]:
    """A store holding the scan of a ``size``-episode TV tree, its episodes not grouped yet: the
    stage is the grouping a first ``reelscale scan`` does after the walk."""
    from benchmarks.harness.gate.tv import episode_tree
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    root, _ = episode_tree(size)
    db = folder / "tv.db"
    with open_store(db) as store:
        scan(root, store)
    yield {"db": str(db)}, ""


_PREPARE = {
    "parse": _parse_inputs,
    "scan": _scan_inputs,
    "rescan": _rescan_inputs,
    "enrich": _enrich_inputs,
    "classify": _classify_inputs,
    "tag": _tag_inputs,
    "tv_group": _tv_group_inputs,
}


def workload(name: str, size: int) -> Workload:
    """The ``name`` stage's workload at ``size`` (names, files or movies, as the stage counts)."""
    return Workload(name, size, functools.partial(_PREPARE[name], size=size))


#: What the gate measures, small enough for cachegrind in CI.
GATE_WORKLOADS: tuple[Workload, ...] = (
    workload("parse", PARSE_NAMES),
    workload("scan", SCAN_FILES),
    workload("rescan", SCAN_FILES),
    workload("enrich", ENRICH_FILES),
    workload("classify", CLASSIFY_MOVIES),
    workload("tag", TAG_MOVIES),
    workload("tv_group", TV_EPISODES),
)
