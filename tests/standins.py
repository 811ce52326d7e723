"""What the stand-in fixtures share: servers stopped at teardown, settings for an *arr client."""

import contextlib


@contextlib.contextmanager
def stopping():
    """``with stopping() as start: start(server)`` starts a stand-in and stops every one started
    when the block ends (a fixture's teardown)."""
    started = []

    def start(server):
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


def arr_settings(settings_class, server, **overrides):
    """Settings for a Radarr or Sonarr stand-in, test-friendly: 2 retries, no backoff."""
    values = {"url": server.url, "api_key": server.config.api_key, "retries": 2, "backoff": 0.0}
    return settings_class(**{**values, **overrides})
