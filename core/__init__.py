"""reelscale's service core: the production path, and nothing synthetic.

    config/     the one frozen configuration: defaults < TOML < environment < flags; secrets masked
    store/      the SQLite store and every query on it; migrations, backup, the run lock
    clients/    one package per outside service, one shape each: radarr/, tmdb/, claude/
    pipeline/   build(config) -> source, stages, sinks; run_pipeline drives them:
                source/ (Radarr | files) -> enrich/ (TMDB) -> plan/ -> classify/ (Claude) -> sink/
    ops/        what runs around a run: preflight checks, schedule, signals, notify, metrics, health
    views/      read-only answers over the store: ``reelscale list`` and ``export``
    tuning/     ``recommend-batch-size``: a sweep of the classify stage and its report
    cli/        thin click commands over the above
    records.py  the records stages hand to the run; errors.py the one exception tree

Dependencies point down that list (``make lint`` checks it with import-linter). Names below are
imported on first use: ``import core.pipeline.source.files`` must not pay for loading the Claude
SDK (about 50 MB and a second of start-up), which ``reelscale parse`` and ``scan`` never use.
"""

from importlib import import_module

_WHERE = {
    "ReelscaleError": ".errors",
    "Store": ".store",
    "load_collections": ".config.files",
    "open_store": ".store",
    "scan": ".pipeline.source.files",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'core' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
