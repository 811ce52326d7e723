"""Fixtures for the Radarr stand-in and client (registered in conftest.py as a plugin)."""

import pytest
from standins import arr_settings, stopping

from core.clients.radarr import RadarrClient, RadarrSettings


@pytest.fixture
def make_radarr_server(tmdb_library):
    """``make_radarr_server(movies=None, **config)`` starts a Radarr stand-in on 127.0.0.1 over the
    500-movie library (``config``: ``RadarrConfig`` fields); every server is stopped at teardown.
    """
    from synthetic.servers.radarr.server import RadarrServer

    with stopping() as start:

        def make(movies=None, **config):
            return start(RadarrServer(tmdb_library if movies is None else movies, **config))

        yield make


@pytest.fixture
def radarr_server(make_radarr_server):
    """The Radarr stand-in over the 500-movie library: no latency, no faults."""
    return make_radarr_server()


def radarr_settings(server, **overrides) -> RadarrSettings:
    """Settings for ``server`` with test-friendly retries: 2 of them, no backoff."""
    return arr_settings(RadarrSettings, server, **overrides)


@pytest.fixture
def radarr_client(radarr_server):
    """A client of ``radarr_server`` (see ``radarr_settings``)."""
    with RadarrClient(radarr_settings(radarr_server)) as client:
        yield client
