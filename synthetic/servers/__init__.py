"""Stand-in servers on 127.0.0.1 (aiohttp), one package per service: ``radarr``, ``tmdb``,
``claude``. ``base`` runs them in the background or the foreground; ``traffic`` shapes their
traffic like the real service's (rate limits, latency, faults, the request log)."""
