"""The configuration: one frozen :class:`Config`, built once by the CLI and passed down.

``model``        every setting, defined once: type, default, environment variables, help
``sources``      the layers (flags > environment > TOML tables > defaults) and where each value
                 came from
``settings``     :class:`Config` and :func:`load_config`; validation errors as ConfigError
``secret_url``   a URL type that never shows its password
``collection``   the collections (``[[collection]]`` tables or Kometa-AI blocks), with
                 ``toml_entries``, ``kometa_blocks`` and ``entry`` reading and checking them

This package is the only place that reads the environment for a setting. It imports nothing of
reelscale but :mod:`core.errors`: every other package may depend on it.
"""

from core.config.collection import Collection
from core.config.files import find_config, load_collections
from core.config.settings import Config, load_config

__all__ = ["Collection", "Config", "find_config", "load_collections", "load_config"]
