"""One worker of ``reelscale bench compare``: times the workloads of one tree, in a fresh process.

Run as a script by the comparing harness (``session.py``), an internal worker, not an entry point::

    PYTHONPATH=<tree> python -P benchmarks/harness/compare/worker.py <spec.json>

The script belongs to the comparing (current) checkout, but everything it measures is imported
from ``<tree>``: the ``PYTHONPATH`` entry is searched before the editable install's finder, which
setuptools appends to ``sys.meta_path`` after the path finder. That is checked, not assumed: if
``core`` comes from anywhere else the worker refuses to measure.

Only public, long-lived functions of the tree are called (``parse``, ``open_store``, ``scan``,
``classify``...), so an older tree can be measured too: a tree from before the re-layout of issue
#13 has them under their former module names, which :func:`_load` falls back to. A workload the
tree cannot run is recorded with its error ("not comparable") and the others still run. The inputs
(names, file tree, collections, the stand-in Claude's address) come from the spec, so both sides
get the same ones. The comparing process drives two workers (one per commit) in lock-step over
stdin/stdout, so their values can be interleaved one by one.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

CLAUDE_KEY_ENV = "REELSCALE_COMPARE_CLAUDE_KEY"

#: Where the measured functions lived before the re-layout of issue #13 (current -> former name).
FORMER_NAMES = {
    "core.pipeline.source.release_name": "core.sources.release_name",
    "core.pipeline.source.files": "core.sources.files",
    "core.store.db": "core.store",
    "core.config.files": "core.collections",
    "core.pipeline.classify.runner": "core.classify.runner",
    "core.pipeline.classify.stage": "core.classify.stage",
    "benchmarks.harness.workloads.classify": "synthetic.bench.classify_workload",
}


def _load(spec: dict, module: str, name: str):
    """``module.name`` from the tree under test, or from the module's former name in a tree from
    before the re-layout (see :data:`FORMER_NAMES`).

    Which name to import is decided by the tree's files, not by trying: a module the tree lacks
    could otherwise be found in the comparing checkout (the editable install's finder serves the
    children of ``core`` and ``benchmarks`` from there), and the workload would time the wrong
    code. A module in neither place is a ``ModuleNotFoundError`` naming the current name.
    """
    tree = Path(spec["checkout"])
    for candidate in (module, FORMER_NAMES.get(module)):
        if candidate and _in_tree(tree, candidate):
            return getattr(importlib.import_module(candidate), name)
    raise ModuleNotFoundError(f"No module named {module!r} in the tree under test", name=module)


def _messages_settings(spec: dict, *, batch_size: int, **claude):
    """The classify stage's settings in the tree's own shape: since #13 the ``[claude]``
    settings (``ClaudeSettings``) plus the batch size, before it one flat record."""
    messages_settings = _load(spec, "core.pipeline.classify.runner", "MessagesSettings")
    if _in_tree(Path(spec["checkout"]), "core.config.model"):
        claude_settings = _load(spec, "core.config.model", "ClaudeSettings")
        return messages_settings(claude=claude_settings(**claude), batch_size=batch_size)
    return messages_settings(batch_size=batch_size, **claude)


def _in_tree(tree: Path, module: str) -> bool:
    path = tree.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _parse(spec: dict, work: Path):
    parse = _load(spec, "core.pipeline.source.release_name", "parse")

    names = json.loads(Path(spec["names"]).read_text(encoding="utf-8"))

    def once() -> None:
        for name in names:
            parse(name)

    return once


def _scan(spec: dict, work: Path):
    scan = _load(spec, "core.pipeline.source.files", "scan")
    open_store = _load(spec, "core.store.db", "open_store")

    db = work / "first-scan.db"

    def once() -> None:
        _remove_db(db)
        with open_store(db) as store:
            summary = scan(spec["tree"], store)
        if not summary.videos:
            raise RuntimeError("the first scan found no videos")

    return once


def _rescan(spec: dict, work: Path):
    scan = _load(spec, "core.pipeline.source.files", "scan")
    open_store = _load(spec, "core.store.db", "open_store")

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
    fill_store = _load(spec, "benchmarks.harness.workloads.classify", "fill_store")
    load_collections = _load(spec, "core.config.files", "load_collections")
    classify = _load(spec, "core.pipeline.classify.stage", "classify")
    open_store = _load(spec, "core.store.db", "open_store")

    collections = load_collections(Path(spec["collections"]))
    settings = _messages_settings(
        spec,
        model=spec["claude_model"],
        api_key=os.environ[CLAUDE_KEY_ENV],
        base_url=spec["claude_url"],
        concurrency=8,
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
