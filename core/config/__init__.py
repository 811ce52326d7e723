"""The configuration: one frozen :class:`Config`, built once by the CLI and passed down.

``model``        every setting, defined once: type, default, environment variables, help
``sources``      the layers (flags > environment > TOML tables > defaults) and where each value
                 came from
``settings``     :class:`Config` and :func:`load_config`; validation errors as ConfigError
``secret_url``   a URL type that never shows its password
``collection``   the collections (``[[collection]]`` tables or Kometa-AI blocks), with
                 ``toml_entries``, ``kometa_blocks`` and ``entry`` reading and checking them, and
                 ``kometa_compat`` warning where Kometa-AI 0.5.7 reads a block otherwise

This package is the only place that reads the environment for a setting. It imports nothing of
reelscale but :mod:`core.errors`: every other package may depend on it.
"""

from importlib import import_module

_WHERE = {
    "Collection": "core.config.collection",
    "Config": "core.config.settings",
    "find_config": "core.config.files",
    "load_collections": "core.config.files",
    "load_config": "core.config.settings",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    """Names load on first use: ``reelscale parse`` and ``scan`` never import pydantic."""
    if name not in _WHERE:
        raise AttributeError(f"module 'core.config' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
