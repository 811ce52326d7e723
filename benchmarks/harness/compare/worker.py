"""One worker of ``reelscale bench compare``: times the workloads of one tree, in a fresh process.

Run as a script by the comparing harness (``compare.py``)::

    PYTHONPATH=<tree> python compare_worker.py <spec.json>

The script belongs to the comparing (current) checkout, but everything it measures is imported
from ``<tree>``: the ``PYTHONPATH`` entry is searched before the editable install's finder, which
setuptools appends to ``sys.meta_path`` after the path finder. That is checked, not assumed: if
``core`` comes from anywhere else the worker refuses to measure.

Only public, long-lived functions of the tree are called (``parse``, ``open_store``, ``scan``,
``classify``...), so an older tree can be measured too. A workload the tree cannot run is recorded
with its error ("not comparable") and the others still run. The inputs (names, file tree,
collections, the stand-in Claude's address) come from the spec, so both sides get the same ones.
The comparing process drives two workers (one per commit) in lock-step over stdin/stdout, so
their values can be interleaved one by one.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

CLAUDE_KEY_ENV = "REELSCALE_COMPARE_CLAUDE_KEY"


def _parse(spec: dict, work: Path):
    from core.pipeline.source.release_name import parse

    names = json.loads(Path(spec["names"]).read_text(encoding="utf-8"))

    def once() -> None:
        for name in names:
            parse(name)

    return once


def _scan(spec: dict, work: Path):
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    db = work / "first-scan.db"

    def once() -> None:
        _remove_db(db)
        with open_store(db) as store:
            summary = scan(spec["tree"], store)
        if not summary.videos:
            raise RuntimeError("the first scan found no videos")

    return once


def _rescan(spec: dict, work: Path):
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    db = work / "rescan.db"
    with open_store(db) as store:
        scan(spec["tree"], store)

    def once() -> None:
        with open_store(db) as store:
            summary = scan(spec["tree"], store)
        if summary.parsed:
            raise RuntimeError(f"the rescan re-parsed {summary.parsed} unchanged files")

    return once


def _classify(spec: dict, work: Path):
    from benchmarks.harness.workloads.classify import fill_store
    from core.config.collection import load_collections
    from core.config.model import ClaudeSettings
    from core.pipeline.classify.runner import MessagesSettings
    from core.pipeline.classify.stage import classify
    from core.store.db import open_store

    collections = load_collections(Path(spec["collections"]))
    settings = MessagesSettings(
        claude=ClaudeSettings(
            model=spec["claude_model"],
            api_key=os.environ[CLAUDE_KEY_ENV],
            base_url=spec["claude_url"],
            concurrency=8,
        ),
        batch_size=50,
    )
    template = work / "classify-template.db"
    with open_store(template) as store:
        fill_store(store, spec["movies"])
    db = work / "classify.db"

    def once() -> float:
        _remove_db(db)
        shutil.copyfile(template, db)
        with open_store(db) as store:
            start = time.perf_counter()
            summary = classify(store, collections, settings, mode="sync")
            seconds = time.perf_counter() - start
        if not summary.requests:
            raise RuntimeError("classify sent no request")
        return seconds

    return once


WORKLOADS = {"parse": _parse, "scan": _scan, "rescan": _rescan, "classify": _classify}


def _remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _timed(once) -> float:
    """Seconds of one call; a call that returns a number has timed itself (without set-up)."""
    start = time.perf_counter()
    own = once()
    return own if isinstance(own, float) else time.perf_counter() - start


def _origin_error(tree: Path) -> str | None:
    import core

    where = Path(core.__file__).resolve()
    if not where.is_relative_to(tree.resolve()):
        return f"core was imported from {where}, not from the tree under test {tree}"
    return None


def _error(exc: BaseException) -> str:
    return traceback.format_exception_only(exc)[-1].strip()[:300]


def _channel():
    """The protocol's stdout; anything else printed (by Python or C code) goes to stderr."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def _answer(command: dict, prepared: dict, spec: dict, work: Path) -> dict:
    name = command["workload"]
    try:
        if command["op"] == "setup":
            once = WORKLOADS[name](spec, work)
            once()  # warm-up, not timed
            prepared[name] = once
            return {"ok": True}
        return {"value": _timed(prepared[name])}
    except Exception as exc:  # any failure: this workload is not comparable
        prepared.pop(name, None)
        return {"error": _error(exc)}


def main(spec_path: str) -> int:
    """Answer one JSON line per command read from stdin, after a first line about the import.

    Commands: ``{"op": "setup", "workload": W}`` (prepare and warm up), ``{"op": "time",
    "workload": W}`` (one value, in seconds), ``{"op": "quit"}``.
    """
    channel = _channel()
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    error = _origin_error(Path(spec["checkout"]))
    import core

    channel.write(json.dumps({"core_file": core.__file__, "error": error}) + "\n")
    channel.flush()
    if error:
        return 3
    work = Path(tempfile.mkdtemp(prefix="reelscale-compare-worker-"))
    prepared: dict = {}
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["op"] == "quit":
                break
            channel.write(json.dumps(_answer(command, prepared, spec, work)) + "\n")
            channel.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
