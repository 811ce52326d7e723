"""What a production run needs before it starts, checked in one place.

``reelscale run`` calls :func:`check_run` before it opens anything, and ``reelscale config check``
calls the same function, so a config that check passes is one that run accepts. Every problem
found is reported at once, in one :class:`~core.errors.ConfigError` (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.config import Collection, Config
from core.config.collection import select
from core.config.model import ClaudeSettings, RunSettings, TMDBSettings, env_name
from core.errors import ConfigError, UsageError


def run_problems(config: Config, only: str | None = None) -> list[str]:
    """Everything that would stop a run of ``config`` before it starts, as messages."""
    problems = []
    chosen: list[Collection] = []
    try:
        chosen = select(config.collections, only)
        if not chosen:
            problems.append(_no_enabled(config.collections))
    except UsageError as exc:
        problems.append(str(exc))
    sources = config.sources
    if _meant_radarr(config) and "radarr" not in sources:
        sources = ("radarr", *(s for s in sources if s != "files"))
    for source in sources:
        if source == "radarr":
            problems += radarr_problems(config)
        elif source == "sonarr":
            problems += sonarr_problems(config)
        else:
            problems += _files(config)
        if chosen:
            problems += _kind_problems(source, chosen, len(sources) > 1)
    if not config.claude.api_key:
        problems.append(
            f"{env_name(ClaudeSettings, 'api_key')} is not set; export your Claude API key"
        )
    return problems


def check_run(config: Config, only: str | None = None) -> list[Collection]:
    """The collections a run judges; a ConfigError listing every problem otherwise."""
    problems = run_problems(config, only)
    if len(problems) == 1:
        raise ConfigError(problems[0])
    if problems:
        raise ConfigError("\n".join([f"{len(problems)} problems before a run:", *problems]))
    return select(config.collections, only)


def _no_enabled(collections: Sequence[Collection]) -> str:
    if collections:
        return (
            f"no enabled collection among the {len(collections)} in the config; set enabled: "
            "true in a KOMETA-AI block (Kometa-AI's default is false) or enabled = true"
        )
    return "no collection in the config; add a [[collection]] table or a KOMETA-AI block"


KIND_OF_SOURCE = {"radarr": "movies", "sonarr": "series", "files": "movies"}


def _kind_problems(source: str, chosen: Sequence[Collection], combined: bool) -> list[str]:
    """A source whose items no chosen collection is for: nothing would be judged there. A folder
    holds movies and the series its episode files are grouped into: either kind will do."""
    kind = KIND_OF_SOURCE[source]
    kinds = (kind, "series") if source == "files" else (kind,)
    if any(c.covers(k) for c in chosen for k in kinds):
        return []
    if kind == "series":
        fix = (
            'set kind = "series" (or "both") on a collection, or in a Kometa file collect it '
            "with sonarr_taglist"
        )
    else:
        fix = 'set kind = "movies" (or "both") on a collection'
    others = "drop it from --source" if combined else "pick another --source"
    return [
        f"the source {source} holds {kind}, but no enabled collection is for {kind}: {fix}; "
        f"or {others}"
    ]


def _meant_radarr(config: Config) -> bool:
    """A Radarr key without a URL, no library folder and no source chosen: the user means Radarr
    and forgot ``RADARR_URL``, so say that rather than what the files source would need."""
    return config.run.source is None and bool(config.radarr.api_key) and not config.run.library


def radarr_problems(config: Config) -> list[str]:
    """What is missing to reach Radarr (empty when the address and key are set)."""
    problems = []
    if not config.radarr.url:
        problems.append(
            f"{config.where('radarr.url')} is not set: export RADARR_URL (e.g. "
            "http://radarr:7878) or add url to the [radarr] table of the config; or run with "
            "--source files --library DIR"
        )
    if not config.radarr.api_key:
        problems.append(
            f"{config.where('radarr.api_key')} is not set: copy the key from Radarr's Settings "
            "> General > Security and export RADARR_API_KEY"
        )
    return problems


def sonarr_problems(config: Config) -> list[str]:
    """What is missing to reach Sonarr (empty when the address and key are set)."""
    problems = []
    if not config.sonarr.url:
        problems.append(
            f"{config.where('sonarr.url')} is not set: export SONARR_URL (e.g. "
            "http://sonarr:8989) or add url to the [sonarr] table of the config"
        )
    if not config.sonarr.api_key:
        problems.append(
            f"{config.where('sonarr.api_key')} is not set: copy the key from Sonarr's Settings "
            "> General > Security and export SONARR_API_KEY"
        )
    return problems


def _files(config: Config) -> list[str]:
    from core.pipeline.source.files import check_root

    problems = []
    if not config.run.library:
        library = env_name(RunSettings, "library")
        problems.append(
            "no library to read: set RADARR_URL (and RADARR_API_KEY) for a Radarr library, "
            f"or pass --library DIR (or set {library}) for a folder of movie files"
        )
    else:
        try:
            check_root(config.run.library)
        except UsageError as exc:
            problems.append(str(exc))
    if not (config.tmdb.api_key or config.tmdb.token):
        problems.append(
            f"TMDB credentials missing: set {env_name(TMDBSettings, 'api_key')} (a v3 API key) "
            f"or {env_name(TMDBSettings, 'token')} (a v4 read access token) to match files"
        )
    return problems
