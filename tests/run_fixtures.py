"""Fixtures for the production run tests (registered in conftest.py as a plugin).

A run is pointed at the stand-ins the way a deployment is: through the configuration
(``load_config`` with the stand-ins' addresses as flags) or, for the command line, through
environment variables. ``cli_env`` unsets every other variable a setting reads, so the
developer's own environment cannot leak in.
"""

import dataclasses
import json
import re
import sqlite3

import pytest

# Re-exported for the tests (``from run_fixtures import cli_env``); the harness uses them too.
from benchmarks.harness.reliability.bad_input.common import ENV_NAMES
from benchmarks.harness.reliability.bad_input.common import cli_env as cli_env
from benchmarks.harness.reliability.bad_input.common import process_env as process_env
from core.config import load_config
from core.config.files import load_collections
from synthetic.library.collection_defs import COLLECTIONS, to_toml
from synthetic.servers.claude.server import PERFECT

SIZE = 200  # movies in the stand-in Radarr: the first of the 500 the Claude stand-in knows
CHUNK = 20  # RADARR_CHUNK_SIZE: small, so a collection's changes take several editor PUTs


@dataclasses.dataclass(slots=True)
class StandIns:
    radarr: object
    claude: object
    movies: list

    @property
    def env(self) -> dict[str, str]:
        return {
            "RADARR_URL": self.radarr.url,
            "RADARR_API_KEY": self.radarr.config.api_key,
            "RADARR_CHUNK_SIZE": str(CHUNK),
            "ANTHROPIC_API_KEY": self.claude.config.api_key,
            "ANTHROPIC_BASE_URL": self.claude.url,
            "CLAUDE_CONCURRENCY": "4",
        }

    @property
    def flags(self) -> dict:
        return {
            "radarr.url": self.radarr.url,
            "radarr.api_key": self.radarr.config.api_key,
            "radarr.chunk_size": CHUNK,
            "claude.api_key": self.claude.config.api_key,
            "claude.base_url": self.claude.url,
            "claude.concurrency": 4,
        }

    def config(self, config_path, **flags):
        """The configuration of a run against these stand-ins (``flags`` like ``run.mode``)."""
        return load_config(config_path, {**self.flags, **flags}, collections=True)


def truth(movies, collections) -> dict[str, set[int]]:
    """Per collection tag, the ids of the movies with its hidden trait: the right answer."""
    trait = {c.name: c.trait for c in COLLECTIONS}
    return {c.tag: {m.id for m in movies if trait[c.name] in m.traits} for c in collections}


def stored_members(db_path, collections) -> dict[str, set[int]]:
    """Per collection tag, the Radarr ids of the movies the stored decisions include."""
    sql = (
        "SELECT d.collection, i.key FROM decisions d JOIN items i ON i.id = d.item_id "
        "WHERE d.include = 1 AND i.source = 'radarr'"
    )
    members: dict[str, set[int]] = {c.tag: set() for c in collections}
    for tag, key in rows(db_path, sql):
        members[tag].add(int(key))
    return members


def rows(db_path, sql: str, *args) -> list[tuple]:
    """``sql``'s rows, read from the database file."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def column(db_path, sql: str, *args) -> list:
    return [row[0] for row in rows(db_path, sql, *args)]


def count(db_path, sql: str, *args) -> int:
    return column(db_path, sql, *args)[0]


@pytest.fixture(autouse=True)
def _no_settings_from_the_developer(monkeypatch):
    """No test reads a setting from the environment it was started in."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def config_path(tmp_path):
    """The ten synthetic collections as a reelscale.toml."""
    path = tmp_path / "reelscale.toml"
    path.write_text(to_toml(), encoding="utf-8")
    return path


@pytest.fixture
def collections(config_path):
    return load_collections(config_path)


@pytest.fixture
def stand_ins(make_radarr_server, make_claude_server, tmdb_library):
    """A Radarr stand-in with ``SIZE`` movies and a Claude stand-in that judges them perfectly."""
    movies = tmdb_library[:SIZE]
    return StandIns(make_radarr_server(movies), make_claude_server(accuracy=PERFECT), movies)


@pytest.fixture
def fast_retries(monkeypatch):
    """Radarr retries without backoff (still ``retries`` of them), so failing cases run fast."""
    from core.clients.radarr import client

    real = client.RadarrClient.__init__

    def no_backoff(self, settings, **kwargs):
        real(self, settings.model_copy(update={"backoff": 0.0}), **kwargs)

    monkeypatch.setattr(client.RadarrClient, "__init__", no_backoff)


def read_tmdb_lists(text: str) -> dict[str, list[int]]:
    """The collection file of a file-only library, read strictly line by line."""
    lines = text.splitlines()
    assert lines[:2] == ["# Written by reelscale; edit the collections in its config, not here.",
                         "collections:"]  # fmt: skip
    lists: dict[str, list[int]] = {}
    name = None
    for line in lines[2:]:
        if m := re.fullmatch(r"  (\".*\"):", line):
            name = json.loads(m[1])
            lists[name] = []
        elif line == "    tmdb_movie:":
            assert lists[name] == []
        elif m := re.fullmatch(r"      - (\d+)", line):
            lists[name].append(int(m[1]))
        elif line == "    sync_mode: sync":
            assert lists[name], f"{name}: sync_mode before any id"
            name = None
        else:
            assert re.fullmatch(r"  # \".*\": no members yet", line), line
    assert name is None
    return lists
