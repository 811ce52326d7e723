"""reelscale's service core: the production path, stage by stage.

``scan`` (a folder into the store), then the stage modules ``core.pipeline.enrich.stage.enrich``
(TMDB through the provider cache), ``core.pipeline.plan.stage.plan`` and
``core.pipeline.classify.classify`` (Claude), over one SQLite ``Store``. The CLI (``core.cli``) and
the benchmarks call these same functions. (A stage function that shares its module's name is reached
through the module: ``core.pipeline.enrich.stage`` is the module once it is imported.)

Names are imported on first use: ``import core.pipeline.source.files`` must not pay for loading the
Claude SDK (about 70 MB and a second of start-up), which ``reelscale parse`` and ``scan`` never use.
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
