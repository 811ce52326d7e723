import os
import shutil

import pytest
from standins import stopping

from core.store.db import open_store

pytest_plugins = ["radarr_fixtures", "sonarr_fixtures", "run_fixtures", "listing_fixtures"]


#: Programs some tests need (tools/system-packages installs them). A user's `make test` skips those
#: tests when a program is missing; CI sets REELSCALE_REQUIRE_PROGRAMS=1 and they fail instead.
_REQUIRED = os.environ.get("REELSCALE_REQUIRE_PROGRAMS") == "1"


def needs_program(*names: str):
    """Skip (or, in CI, fail) the test when none of ``names`` is on the PATH."""
    missing = not any(map(shutil.which, names)) and not _REQUIRED
    return pytest.mark.skipif(
        missing, reason=f"{names[0]} is not installed: tools/system-packages {names[0]}"
    )


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "reelscale.db"


@pytest.fixture
def store(db_path):
    with open_store(db_path) as s:
        yield s


#: A small mixed library: one movie and three shows (Sonarr-, Plex- and scene-named), which a
#: scan groups into three series.
MOVIE_AND_SERIES_PATHS = (
    "Movies/Heat (1995)/Heat (1995).mkv",
    "TV/Beat Cops (2004)/Season 01/Beat Cops (2004) - S01E01 - Pilot.mkv",
    "TV/Night Desk/Season 1/Night Desk - 1x01 - First.mkv",
    "Downloads/Harbor.Lights.S01E01.720p.HDTV.x264-GRP.mkv",
)


def make_files(root, relpaths):
    """Create empty files (and their folders) under ``root``; returns their paths."""
    paths = []
    for rel in relpaths:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def tmdb_library():
    """500 synthetic movies (seed 1), generated once per session for the TMDB stand-in."""
    from synthetic.library.movies import generate

    return list(generate(500, seed=1))


@pytest.fixture
def make_tmdb_server(tmdb_library):
    """``make_tmdb_server(movies=None, **config)`` starts a TMDB stand-in on 127.0.0.1.

    Config defaults are TMDB's (50 requests per second per client IP); every server is stopped
    at teardown.
    """
    from synthetic.servers.tmdb.server import TMDBServer

    with stopping() as start:

        def make(movies=None, **config):
            return start(TMDBServer(tmdb_library if movies is None else movies, **config))

        yield make


@pytest.fixture
def tmdb_server(make_tmdb_server):
    """The TMDB stand-in over the 500-movie library, unthrottled (``rate_limit=None``)."""
    return make_tmdb_server(rate_limit=None)


@pytest.fixture(scope="session")
def claude_library(tmdb_library):
    """The movies the Claude stand-in knows: the TMDB stand-in's 500 (seed 1), so they line up."""
    return tmdb_library


@pytest.fixture
def make_claude_server(claude_library):
    """``make_claude_server(movies=None, *, clock=None, time_scale=0.0, **config)`` starts a Claude
    stand-in on 127.0.0.1 (``config``: ``ClaudeConfig`` fields).

    The global time scale is set to ``time_scale`` until teardown: at the default 0 there is no
    latency, batches end at once and the RPM/ITPM/OTPM limits never bind, so a test of the limits
    passes a ``clock`` it advances itself (or a small scale). Every server is stopped at teardown.
    """
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.traffic import set_time_scale

    previous = []
    try:
        with stopping() as start:

            def make(movies=None, *, clock=None, time_scale=0.0, **config):
                previous.append(set_time_scale(time_scale))
                movies = claude_library if movies is None else movies
                return start(ClaudeServer(movies, clock=clock, **config))

            yield make
    finally:
        if previous:
            set_time_scale(previous[0])


@pytest.fixture
def claude_server(make_claude_server):
    """The Claude stand-in over the 500-movie library: no limits, no faults, time scale 0."""
    return make_claude_server()
