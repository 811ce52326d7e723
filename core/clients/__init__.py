"""One package per outside service, each the same shape: ``client.py`` (the client, its retries
and its errors), the records it hands out, and the wire format it speaks.

    radarr/   Radarr API v3: the library as one streamed list, tags, the bulk tag editor
    tmdb/     TMDB v3: search and details, rate-limited to TMDB's published limits
    claude/   the Messages and Message Batches APIs through the official SDK: pacing, failures,
              prices (``pricing``) and reelscale's compact request/answer format (``wire``)

A client takes its section of the configuration (``RadarrClient(config.radarr)``) and never reads
the environment. Keys go out in request headers only.
"""
