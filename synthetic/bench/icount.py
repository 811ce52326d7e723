"""Instruction counts of fixed stage workloads, measured with valgrind's cachegrind.

Wall time on these shared 2-core machines moves +-30 % between runs of identical code; the
number of instructions the interpreter executes does not (``PYTHONHASHSEED`` fixed, the same
interpreter binary, bytecode compiled beforehand). Each workload runs twice under cachegrind in a
fresh process, once up to the stage (``setup``) and once through it (``full``); the metric is the
difference, the stage's own instructions.

Workloads (see :mod:`synthetic.bench.icount_worker`): parse 10k release names, scan a 10k-file
tree, rescan it unchanged, enrich 2k files' items against the stand-in TMDB, plan + classify 2k
movies x 10 collections against the stand-in Claude (time scale 0), tag 2k movies in the stand-in
Radarr. The stand-ins run in this process, so only reelscale's work is counted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.errors import BenchError
from core.report import NULL_REPORTER, Reporter

from . import workloads
from .paths import REPO

PARSE_NAMES = 10_000
SCAN_FILES = 10_000
ENRICH_FILES = 2_000
CLASSIFY_MOVIES = 2_000
TAG_MOVIES = 2_000
KEY_ENV = "REELSCALE_ICOUNT_KEY"
_IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")


@dataclass(frozen=True, slots=True)
class Workload:
    """``prepare(folder)`` writes the inputs and yields (spec, stand-in key) while they serve."""

    name: str
    size: int
    prepare: Callable[[Path], contextlib.AbstractContextManager[tuple[dict, str]]]

    @property
    def metric(self) -> str:
        return f"instructions.{self.name}[{self.size}]"


def valgrind() -> str:
    path = shutil.which("valgrind")
    if not path:
        raise BenchError(
            "valgrind is not installed: instruction counts need it "
            "(Debian/Ubuntu: apt-get install valgrind)"
        )
    return path


def measure_instructions(
    names: list[str] | None = None,
    *,
    parallel: int = 2,
    reporter: Reporter = NULL_REPORTER,
    repo: Path = REPO,
) -> dict[str, float]:
    """``{metric: instructions}`` for the chosen workloads (all by default)."""
    chosen = [w for w in WORKLOADS if names is None or w.name in names]
    _compile_bytecode(repo)
    reporter.start("instructions", total=len(chosen))
    results: dict[str, float] = {}

    def one(workload: Workload) -> None:
        results[workload.metric] = count(workload, repo=repo)
        reporter.advance("instructions")

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        for future in [pool.submit(one, w) for w in chosen]:
            future.result()
    reporter.finish("instructions")
    return {m: results[m] for m in sorted(results)}


def count(workload: Workload, *, repo: Path = REPO) -> int:
    """The stage's instructions: ``full`` minus ``setup``, each in a fresh process."""
    with tempfile.TemporaryDirectory(prefix=f"reelscale-icount-{workload.name}-") as tmp:
        folder = Path(tmp)
        totals = {}
        for phase in ("setup", "full"):
            run_dir = folder / phase
            run_dir.mkdir()
            with workload.prepare(run_dir) as (spec, key):
                totals[phase] = _cachegrind(workload.name, phase, spec, key, run_dir, repo)
    return totals["full"] - totals["setup"]


def _cachegrind(name: str, phase: str, spec: dict, key: str, folder: Path, repo: Path) -> int:
    log = folder / "cachegrind.log"
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(repo))
    env[KEY_ENV] = key
    proc = subprocess.run(
        [
            valgrind(),
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            f"--log-file={log}",
            _interpreter(),
            "-m",
            "synthetic.bench.icount_worker",
            name,
            phase,
            json.dumps(spec),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    text = log.read_text(errors="replace") if log.exists() else ""
    if proc.returncode != 0:
        raise BenchError(
            f"instruction-count workload {name} ({phase}) failed with exit {proc.returncode}: "
            f"{(proc.stderr or text).strip()[-600:]}"
        )
    found = _IREFS.search(text)
    if not found:
        raise BenchError(f"cachegrind printed no instruction count for {name} ({phase})")
    return int(found.group(1).replace(",", ""))


def _interpreter() -> str:
    """This environment's python: a venv symlink is fine (valgrind follows it and Python still
    finds its pyvenv.cfg); a shell shim (pyenv) is not, it would count bash."""
    exe = sys.executable
    with open(os.path.realpath(exe), "rb") as fh:
        if fh.read(2) == b"#!":
            raise BenchError(f"{exe} is a script, not an interpreter; run from a virtualenv")
    return exe


def _compile_bytecode(repo: Path) -> None:
    """Compile reelscale's modules first, so no measured run pays for compiling them."""
    import compileall

    for package in ("core", "synthetic"):
        compileall.compile_dir(repo / package, quiet=1)


# -- workloads --------------------------------------------------------------------------------


@contextlib.contextmanager
def parse_inputs(folder: Path, size: int = PARSE_NAMES) -> Iterator[tuple[dict, str]]:
    """The file names of the 10k-file tree's videos, repeated to ``size`` names."""
    _, truth = workloads.tree(SCAN_FILES)
    with open(truth, encoding="utf-8") as fh:
        names = [os.path.basename(json.loads(line)["path"]) for line in fh]
    names = (names * (size // len(names) + 1))[:size]
    path = folder / "names.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    yield {"names": str(path)}, ""


@contextlib.contextmanager
def _scan_inputs(folder: Path) -> Iterator[tuple[dict, str]]:
    root, _ = workloads.tree(SCAN_FILES)
    yield {"root": str(root), "db": str(folder / "scan.db")}, ""


@contextlib.contextmanager
def _rescan_inputs(folder: Path) -> Iterator[tuple[dict, str]]:
    from core.sources.files import scan
    from core.store import open_store

    root, _ = workloads.tree(SCAN_FILES)
    db = folder / "rescan.db"
    with open_store(db) as store:
        scan(root, store)
    yield {"root": str(root), "db": str(db)}, ""


@contextlib.contextmanager
def _enrich_inputs(folder: Path) -> Iterator[tuple[dict, str]]:
    from core.sources.files import scan
    from core.store import open_store
    from synthetic.tmdb import TMDBServer

    root, _ = workloads.tree(ENRICH_FILES)
    db = folder / "enrich.db"
    with open_store(db) as store:
        scan(root, store)
    served = ENRICH_FILES + max(100, ENRICH_FILES // 10)
    with TMDBServer.from_library(served, workloads.SEED, rate_limit=None) as server:
        yield {"db": str(db), "url": server.url}, server.config.api_key


@contextlib.contextmanager
def _classify_inputs(folder: Path) -> Iterator[tuple[dict, str]]:
    from core.store import open_store
    from synthetic._traffic import set_time_scale
    from synthetic.claude import ClaudeServer
    from synthetic.collections import to_toml

    from .classify_workload import fill_store

    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    db = folder / "classify.db"
    with open_store(db) as store:
        fill_store(store, CLASSIFY_MOVIES)
    previous = set_time_scale(0)
    try:
        with ClaudeServer.from_library(CLASSIFY_MOVIES, workloads.SEED) as server:
            yield {"db": str(db), "config": str(config), "url": server.url}, server.config.api_key
    finally:
        set_time_scale(previous)


@contextlib.contextmanager
def _tag_inputs(folder: Path) -> Iterator[tuple[dict, str]]:
    """A store synced from the stand-in Radarr with every decision made (from the ground truth),
    and a fresh stand-in whose movies carry no tag yet: the stage writes every membership."""
    from core.collections import load_collections
    from core.radarr import RadarrClient
    from core.radarr.settings import RadarrSettings
    from core.sources.radarr import sync_library
    from core.store import open_store
    from synthetic.collections import BY_NAME, to_toml
    from synthetic.library import generate
    from synthetic.radarr import RadarrServer

    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    collections = load_collections(config)
    traits = {m.id: set(m.traits) for m in generate(TAG_MOVIES, workloads.SEED)}
    db = folder / "tag.db"
    with RadarrServer.from_library(TAG_MOVIES, workloads.SEED) as server:
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


WORKLOADS: tuple[Workload, ...] = (
    Workload("parse", PARSE_NAMES, parse_inputs),
    Workload("scan", SCAN_FILES, _scan_inputs),
    Workload("rescan", SCAN_FILES, _rescan_inputs),
    Workload("enrich", ENRICH_FILES, _enrich_inputs),
    Workload("classify", CLASSIFY_MOVIES, _classify_inputs),
    Workload("tag", TAG_MOVIES, _tag_inputs),
)
