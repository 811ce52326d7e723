"""One stage's fixed workload, run under cachegrind by :mod:`synthetic.bench.icount`.

    python -m synthetic.bench.icount_worker WORKLOAD PHASE SPEC_JSON

``PHASE`` is ``setup`` (imports, opening the store, building the inputs) or ``full`` (the same,
then the stage). The driver runs both and keeps the difference, so the figure is the stage's own
instructions, not the interpreter start-up or the imports (which would dilute a 10 % change in
the stage to a few percent of the total).

Stand-ins run in the driver's process, never here: only reelscale's own work is counted.
"""

from __future__ import annotations

import json
import os
import sys


def _parse(spec: dict, full: bool) -> None:
    from core.sources.release_name import parse

    with open(spec["names"], encoding="utf-8") as fh:
        names = fh.read().splitlines()
    if full:
        for name in names:
            parse(name)


def _scan(spec: dict, full: bool) -> None:
    from core.sources.files import scan
    from core.store import open_store

    with open_store(spec["db"]) as store:
        if full:
            scan(spec["root"], store)


def _enrich(spec: dict, full: bool) -> None:
    from core.enrich import enrich
    from core.providers.tmdb import TMDBSettings
    from core.store import open_store

    settings = TMDBSettings(
        base_url=spec["url"], api_key=os.environ["REELSCALE_ICOUNT_KEY"], rate=10**6, per_seconds=1
    )
    with open_store(spec["db"]) as store:
        if full:
            enrich(store, settings)


def _classify(spec: dict, full: bool) -> None:
    from core.classify._sdk import load_sdk
    from core.classify.runner import MessagesSettings
    from core.classify.stage import classify
    from core.collections import load_collections
    from core.store import open_store

    load_sdk()
    collections = load_collections(spec["config"])
    settings = MessagesSettings(
        model="claude-haiku-5-5",
        api_key=os.environ["REELSCALE_ICOUNT_KEY"],
        base_url=spec["url"],
        batch_size=25,
        concurrency=1,
    )
    with open_store(spec["db"]) as store:
        if full:
            classify(store, collections, settings, mode="sync", recheck=False)


def _tag(spec: dict, full: bool) -> None:
    from core.classify.record import start_run
    from core.collections import load_collections
    from core.radarr import RadarrClient
    from core.radarr.settings import RadarrSettings
    from core.store import open_store
    from core.tagging import apply_tags

    collections = load_collections(spec["config"])
    settings = RadarrSettings(url=spec["url"], api_key=os.environ["REELSCALE_ICOUNT_KEY"])
    with open_store(spec["db"]) as store, RadarrClient(settings) as client:
        run_id = start_run(store, "run", model="claude-haiku-5-5", mode="sync")
        if full:
            apply_tags(store, client, collections, run_id)


WORKLOADS = {
    "parse": _parse,
    "scan": _scan,
    "rescan": _scan,
    "enrich": _enrich,
    "classify": _classify,
    "tag": _tag,
}


def main(argv: list[str]) -> None:
    workload, phase, spec = argv[0], argv[1], json.loads(argv[2])
    WORKLOADS[workload](spec, full=phase == "full")


if __name__ == "__main__":
    main(sys.argv[1:])
