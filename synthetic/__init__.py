"""The outside world, synthesised: what reelscale is measured against, and nothing of its own.

    library/   a seeded Faker library of movies with hidden ground-truth traits, and the ten
               collections defined on those traits
    tree       the library as a file tree with realistic release-name noise (``release_names``)
    servers/   stand-in Radarr, TMDB and Claude on 127.0.0.1, speaking the real wire formats,
               with the real limits, latency models and injectable faults (``traffic``, ``base``)

Same seed, same bytes. The stand-ins may use reelscale's record types and wire-format helpers
(the stand-in Claude reads reelscale's compact request format), never the harness.
"""
