"""The one exception tree of reelscale.

Every error a user can see derives from :class:`ReelscaleError` and carries a one-line message that
says what failed, where, and what to do. The CLI prints ``Error: <message>`` and exits with the
error's ``exit_code``::

    ReelscaleError                  exit 1
    ├── UsageError                  exit 2  bad input: a missing directory, an unknown option value
    │   └── ConfigError             exit 2  a bad config file or setting
    ├── StoreError                  exit 2  the database file cannot be opened, read or written
    │   └── RunLocked               exit 1  another run holds the lock
    ├── SourceError                 exit 1  a library source (folder, Radarr, Sonarr) failed
    │   ├── RadarrError             exit 1  Radarr answered with an error, or not at all
    │   │   └── RadarrConfigError   exit 2  RADARR_URL or RADARR_API_KEY is missing or wrong
    │   └── SonarrError             exit 1  Sonarr answered with an error, or not at all
    │       └── SonarrConfigError   exit 2  SONARR_URL or SONARR_API_KEY is missing or wrong
    ├── ProviderError               exit 1  a metadata provider (TMDB) failed
    │   └── ProviderAuthError       exit 2  missing or rejected provider credentials
    ├── NotifyError                 exit 1  the run email could not be sent
    └── BenchError                  exit 1  the benchmark harness could not measure

Secrets never appear in messages.
"""

from __future__ import annotations


class ReelscaleError(Exception):
    """Base of every error reelscale reports to a user."""

    exit_code = 1


class UsageError(ReelscaleError):
    """The input given on the command line is not usable."""

    exit_code = 2


class ConfigError(UsageError):
    """A config file or setting is invalid."""


class StoreError(ReelscaleError):
    """The SQLite store cannot be opened, read or written."""

    exit_code = 2


class RunLocked(StoreError):
    """Another reelscale run holds the store's lock."""

    exit_code = 1


class SourceError(ReelscaleError):
    """A library source could not be read."""


class ProviderError(ReelscaleError):
    """A metadata provider (TMDB) answered with an error or not at all."""


class ProviderAuthError(ProviderError):
    """Provider credentials are missing or were rejected."""

    exit_code = 2


class BenchError(ReelscaleError):
    """The benchmark harness could not take a measurement."""


class NotifyError(ReelscaleError):
    """A notification (the run email) could not be sent."""


class RadarrError(SourceError):
    """Radarr answered with an error, broke off, or did not answer in time."""


class RadarrConfigError(RadarrError):
    """RADARR_URL or RADARR_API_KEY is missing or wrong (nothing answering, not Radarr, 401)."""

    exit_code = 2


class SonarrError(SourceError):
    """Sonarr answered with an error, broke off, or did not answer in time."""


class SonarrConfigError(SonarrError):
    """SONARR_URL or SONARR_API_KEY is missing or wrong (nothing answering, not Sonarr, 401)."""

    exit_code = 2
