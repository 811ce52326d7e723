"""A folder's movies matched to TMDB: the provider cache (``cache``: memory LRU in front of a
SQLite tier), the title matcher (``match``) and the stage that drives the TMDB client."""
