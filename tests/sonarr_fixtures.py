"""Fixtures for the Sonarr stand-in and client (registered in conftest.py as a plugin)."""

import pytest
from standins import arr_settings, stopping

from core.clients.sonarr import SonarrClient, SonarrSettings

SERIES_SIZE, SERIES_SEED = 300, 7


@pytest.fixture(scope="session")
def series_library():
    """300 synthetic series (seed 7), generated once per session."""
    from synthetic.library.series import generate_series

    return list(generate_series(SERIES_SIZE, SERIES_SEED))


@pytest.fixture
def make_sonarr_server(series_library):
    """``make_sonarr_server(series=None, **config)`` starts a Sonarr stand-in on 127.0.0.1 over the
    300-series library (``config``: ``SonarrConfig`` fields); every server is stopped at teardown.
    """
    from synthetic.servers.sonarr.server import SonarrServer

    with stopping() as start:

        def make(series=None, **config):
            return start(SonarrServer(series_library if series is None else series, **config))

        yield make


@pytest.fixture
def sonarr_server(make_sonarr_server):
    """The Sonarr stand-in over the 300-series library: no latency, no faults."""
    return make_sonarr_server()


def sonarr_settings(server, **overrides) -> SonarrSettings:
    """Settings for ``server`` with test-friendly retries: 2 of them, no backoff."""
    return arr_settings(SonarrSettings, server, **overrides)


@pytest.fixture
def sonarr_client(sonarr_server):
    """A client of ``sonarr_server`` (see ``sonarr_settings``)."""
    with SonarrClient(sonarr_settings(sonarr_server)) as client:
        yield client
