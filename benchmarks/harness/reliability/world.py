"""The world a reliability trial runs in, and how a run is started in it.

A synthetic library with its file tree and the collections' config (``make_world``), fresh
stand-in Radarr, Claude and TMDB servers over it (``World.servers``), the environment a child
``reelscale run`` gets (``World.env``: the stand-ins' addresses and keys, nothing inherited that
would configure reelscale) and the run itself (``start``, ``run_to_end``) for a ``Case``: the
library source and the Claude mode. Shared by the crash, concurrency, filesystem and secrets
suites.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BATCH_SIZE = 25
CONCURRENCY = 8
CHUNK = 20  # RADARR_CHUNK_SIZE: small, so tagging takes many editor PUTs to interrupt
# The Claude stand-in takes ~0.1 s per request at this scale, so requests are in flight at a
# kill; a batch takes BATCH_S * TIME_SCALE to end, polled every 2 s.
TIME_SCALE = 0.2
BATCH_S = 6.0
RUN_TIMEOUT_S = 300.0


def setting_names() -> frozenset[str]:
    from core.config.files import CONFIG_ENV, DB_ENV
    from core.config.sources import env_names, fields

    names = (name for _, _, info in fields() for name in env_names(info))
    return frozenset({CONFIG_ENV, DB_ENV, *names})


@dataclass(slots=True)
class Servers:
    radarr: object
    claude: object
    tmdb: object

    def stop(self) -> None:
        for server in (self.radarr, self.claude, self.tmdb):
            server.stop()


@dataclass(slots=True)
class World:
    """A synthetic library of ``size`` movies, its file tree and the collections' config."""

    size: int
    folder: Path
    movies: list
    tree: Path
    config: Path

    def servers(self) -> Servers:
        """Fresh stand-ins (judging perfectly, no rate limit, no faults) over the library."""
        from synthetic.servers.claude.server import PERFECT, ClaudeServer
        from synthetic.servers.radarr.server import RadarrServer
        from synthetic.servers.tmdb.server import TMDBServer

        claude = ClaudeServer(
            self.movies,
            accuracy=PERFECT,
            ttft_s=0.5,
            output_tokens_per_s=1e5,
            batch_processing_s=BATCH_S,
        )
        return Servers(
            RadarrServer(self.movies).start(),
            claude.start(),
            TMDBServer(self.movies, rate_limit=None).start(),
        )

    def env(self, servers: Servers) -> dict[str, str]:
        names = setting_names()
        env = {k: v for k, v in os.environ.items() if k not in names}
        return {
            **env,
            "RADARR_URL": servers.radarr.url,
            "RADARR_API_KEY": servers.radarr.config.api_key,
            "RADARR_CHUNK_SIZE": str(CHUNK),
            "ANTHROPIC_API_KEY": servers.claude.config.api_key,
            "ANTHROPIC_BASE_URL": servers.claude.url,
            "CLAUDE_CONCURRENCY": str(CONCURRENCY),
            "TMDB_API_KEY": servers.tmdb.config.api_key,
            "TMDB_URL": servers.tmdb.url,
            "TMDB_RATE": "1000000",
        }


def make_world(size: int, folder: Path, seed: int = 1) -> World:
    from synthetic.library.collection_defs import to_toml
    from synthetic.library.movies import generate
    from synthetic.tree import build_tree

    folder.mkdir(parents=True, exist_ok=True)
    tree = folder / "library"
    build_tree(tree, size, seed)
    config = folder / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    return World(size, folder, list(generate(size, seed)), tree, config)


@dataclass(frozen=True, slots=True)
class Case:
    """What is run: the library source and the Claude mode."""

    source: str  # "radarr" or "files"
    mode: str  # "sync" or "batch"

    def args(self, world: World, db: Path) -> list[str]:
        args = ["run", "--json", "--db", str(db), "--config", str(world.config)]
        args += ["--batch-size", str(BATCH_SIZE), "--mode", self.mode, "--source", self.source]
        if self.source == "files":
            args += ["--library", str(world.tree), "--kometa-file", str(kometa_path(db))]
        return args


CASE_OF_STAGE = {
    "scan": Case("files", "sync"),
    "enrich": Case("files", "sync"),
    "classify": Case("radarr", "sync"),
    "batch_poll": Case("radarr", "batch"),
    "tag": Case("radarr", "sync"),
}


def kometa_path(db: Path) -> Path:
    return db.with_suffix(".yml")


def start(case: Case, world: World, env: dict, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "core", *case.args(world, db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_to_end(case: Case, world: World, env: dict, db: Path) -> dict:
    """One complete run; its ``--json`` report. A run that does not exit 0 is an error."""
    proc = subprocess.run(
        [sys.executable, "-m", "core", *case.args(world, db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"run exited {proc.returncode}: {proc.stderr.strip()[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
