"""Fixtures for the Sonarr stand-in and client (registered in conftest.py as a plugin)."""

import pytest

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

    started = []

    def make(series=None, **config):
        server = SonarrServer(series_library if series is None else series, **config)
        started.append(server)
        return server.start()

    try:
        yield make
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def sonarr_server(make_sonarr_server):
    """The Sonarr stand-in over the 300-series library: no latency, no faults."""
    return make_sonarr_server()


def sonarr_settings(server, **overrides) -> SonarrSettings:
    """Settings for ``server`` with test-friendly retries: 2 of them, no backoff."""
    values = {"url": server.url, "api_key": server.config.api_key, "retries": 2, "backoff": 0.0}
    return SonarrSettings(**{**values, **overrides})


@pytest.fixture
def sonarr_client(sonarr_server):
    """A client of ``sonarr_server`` (see ``sonarr_settings``)."""
    with SonarrClient(sonarr_settings(sonarr_server)) as client:
        yield client
