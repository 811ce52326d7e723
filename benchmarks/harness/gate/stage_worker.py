"""One stage's fixed workload in a fresh process: instruction counts, memray peaks, flamegraphs.

    python -m benchmarks.harness.gate.stage_worker WORKLOAD MODE SPEC_JSON

Each workload sets up (imports, opening the store, reading the inputs) and hands back the stage
as a callable. ``MODE`` is ``setup`` (stop there), ``full`` (run the stage), ``memray:FILE``
(run the stage under a memray Tracker and print its peak heap) or ``memray-all:FILE`` (the same,
keeping every allocation, for ``memray stats`` and flamegraphs). Under cachegrind the driver runs
``setup`` and ``full`` and keeps the difference, so the figure is the stage's own instructions,
not the interpreter start-up or the imports (which would dilute a 10 % change in the stage to a
few percent of the total); under memray only the stage is tracked.

Stand-ins run in the driver's process, never here: only reelscale's own work is counted. Requests
go one at a time unless the spec says otherwise (``concurrency``): with several in flight, how
many answers each event-loop wake-up collects and how many connections the pool opens depend on
timing, which moved the enrich count by 4.5 % between two runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator

KEY_ENV = "REELSCALE_ICOUNT_KEY"


@contextlib.contextmanager
def _parse(spec: dict) -> Iterator[Callable[[], object]]:
    from core.pipeline.source.release_name import parse

    with open(spec["names"], encoding="utf-8") as fh:
        names = fh.read().splitlines()
    yield lambda: [parse(name) for name in names]


@contextlib.contextmanager
def _scan(spec: dict) -> Iterator[Callable[[], object]]:
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    with open_store(spec["db"]) as store:
        yield lambda: scan(spec["root"], store)


@contextlib.contextmanager
def _enrich(spec: dict) -> Iterator[Callable[[], object]]:
    from core.config.model import TMDBSettings
    from core.pipeline.enrich.stage import enrich
    from core.store.db import open_store

    settings = TMDBSettings(
        url=spec["url"],
        api_key=os.environ[KEY_ENV],
        rate=10**6,
        per_seconds=1,
        concurrency=spec.get("concurrency", 1),
    )
    with open_store(spec["db"]) as store:
        yield lambda: enrich(store, settings)


@contextlib.contextmanager
def _classify(spec: dict) -> Iterator[Callable[[], object]]:
    from core.clients.claude.client import MessagesSettings
    from core.clients.claude.sdk import load_sdk
    from core.config.files import load_collections
    from core.config.model import ClaudeSettings
    from core.pipeline.classify.stage import classify
    from core.store.db import open_store

    load_sdk()
    collections = load_collections(spec["config"])
    settings = MessagesSettings(
        claude=ClaudeSettings(
            model="claude-haiku-5-5",
            api_key=os.environ[KEY_ENV],
            base_url=spec["url"],
            concurrency=spec.get("concurrency", 1),
        ),
        batch_size=25,
    )
    with open_store(spec["db"]) as store:
        yield lambda: classify(store, collections, settings, mode="sync", recheck=False)


@contextlib.contextmanager
def _tag(spec: dict) -> Iterator[Callable[[], object]]:
    from core.clients.radarr import RadarrClient
    from core.config.files import load_collections
    from core.config.model import RadarrSettings
    from core.pipeline.classify.record import start_run
    from core.pipeline.sink.arr_tags import apply_tags
    from core.store.db import open_store

    collections = load_collections(spec["config"])
    settings = RadarrSettings(url=spec["url"], api_key=os.environ[KEY_ENV])
    with open_store(spec["db"]) as store, RadarrClient(settings) as client:
        run_id = start_run(store, "run", model="claude-haiku-5-5", mode="sync")
        yield lambda: apply_tags(store, client, collections, run_id)


@contextlib.contextmanager
def _tv_group(spec: dict) -> Iterator[Callable[[], object]]:
    from core.pipeline.source.series import group_series
    from core.store.db import open_store

    with open_store(spec["db"]) as store:
        yield lambda: group_series(store, prune=False)


WORKLOADS = {
    "parse": _parse,
    "scan": _scan,
    "rescan": _scan,
    "enrich": _enrich,
    "classify": _classify,
    "tag": _tag,
    "tv_group": _tv_group,
}


def main(argv: list[str]) -> None:
    workload, mode, spec = argv[0], argv[1], json.loads(argv[2])
    with WORKLOADS[workload](spec) as stage:
        if mode == "full":
            stage()
        elif mode.startswith(("memray:", "memray-all:")):
            import memray

            kind, out = mode.split(":", 1)
            every = kind == "memray-all"  # what `memray stats` and flamegraphs need
            formats = memray.FileFormat
            kept = formats.ALL_ALLOCATIONS if every else formats.AGGREGATED_ALLOCATIONS
            with memray.Tracker(out, file_format=kept):
                stage()
            print(json.dumps({"peak_heap_bytes": memray.FileReader(out).metadata.peak_memory}))


if __name__ == "__main__":
    main(sys.argv[1:])
