"""``reelscale health``: can a run work right now?

Each check is independent and reports ok or what is wrong: Radarr reachable (and its version and
own health warnings), for the files source the library folder readable and TMDB's credentials
accepted (one search), the Claude key accepted (a free ``count_tokens`` call), the database
writable, the config valid. A container health check or a cron wrapper reads the exit status.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.config.settings import Config
from core.errors import ReelscaleError


@dataclass(slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    skipped: bool = False


@dataclass(slots=True)
class Health:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok or c.skipped for c in self.checks)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def check_health(config: Config, db_path: str) -> Health:
    """Every check of the configured setup; Radarr is checked when the run reads it, and shown
    as not configured (skipped) otherwise; Sonarr is checked when the run reads it."""
    health = Health()
    health.checks.append(_config(config.file))
    health.checks.append(_database(db_path))
    if "radarr" in config.sources:
        health.checks.append(_arr(config, "radarr"))
    else:
        health.checks.append(_radarr_unused(config))
    if "sonarr" in config.sources:
        health.checks.append(_arr(config, "sonarr"))
    if "files" in config.sources:
        health.checks.append(_library(config))
        health.checks.append(_tmdb(config))
    health.checks.append(_claude(config))
    return health


def _config(config: Path | None) -> Check:
    from core.config.files import load_collections

    if config is None:
        return Check("config", False, "no config found; pass --config or create reelscale.toml")
    try:
        collections = load_collections(config)
    except ReelscaleError as exc:
        return Check("config", False, str(exc))
    enabled = sum(c.enabled for c in collections)
    return Check("config", enabled > 0, f"{config}: {enabled} enabled collections")


def _database(db_path: str) -> Check:
    """Whether a run could write the database; a check creates or upgrades nothing."""
    from core.store.db import SCHEMA_VERSION, check_writable

    try:
        version = check_writable(db_path)
    except ReelscaleError as exc:
        return Check("database", False, str(exc))
    except Exception as exc:  # sqlite3 errors: locked, read-only, disk I/O
        return Check("database", False, f"{db_path}: not writable: {exc}")
    if version is None:
        return Check("database", True, f"{db_path}: not created yet; the first run creates it")
    if version == 0:
        return Check("database", True, f"{db_path}: empty; the first run sets it up")
    if version < SCHEMA_VERSION:
        upgrade = f"the next run upgrades it to {SCHEMA_VERSION}, keeping a copy"
        return Check("database", True, f"{db_path}: writable, schema version {version}; {upgrade}")
    return Check("database", True, f"{db_path}: writable, schema version {version}")


def _arr(config: Config, name: str) -> Check:
    """Radarr or Sonarr (``name``): its version, and the warnings its own health check lists."""
    if name == "radarr":
        from core.clients.radarr import RadarrClient as Client
    else:
        from core.clients.sonarr import SonarrClient as Client
    settings = getattr(config, name)
    try:
        with Client(settings) as client:
            status = client.system_status()
            problems = [
                h.get("message", "")
                for h in client.health()
                if isinstance(h, dict) and h.get("type") in ("warning", "error")
            ]
    except ReelscaleError as exc:
        return Check(name, False, str(exc))
    service = Client.SERVICE
    detail = f"{settings.url}: {service} {status.get('version', '?')}"
    if problems:
        detail += f"; {service} reports {len(problems)} problems: " + "; ".join(problems[:3])
    return Check(name, True, detail)


def _library(config: Config) -> Check:
    """The folder of movie files the files source scans: there, a folder, and readable."""
    import os

    from core.config.model import RunSettings, env_name
    from core.pipeline.source.files import check_root

    if not config.run.library:
        where = env_name(RunSettings, "library")
        return Check("library", False, f"no folder to scan: set {where} (or [run] library)")
    try:
        folder = check_root(config.run.library)
    except ReelscaleError as exc:
        return Check("library", False, str(exc))
    if not os.access(folder, os.R_OK | os.X_OK):
        return Check(
            "library", False, f"{folder}: not readable by this user; check its permissions"
        )
    return Check("library", True, f"{folder}: a readable folder")


def _tmdb(config: Config) -> Check:
    """TMDB, which matches the files source's names: the credentials tried with one search,
    retried once at most."""
    import asyncio

    from core.clients.tmdb.client import TMDBClient

    settings = config.tmdb.model_copy(update={"attempts": 2})

    async def search() -> str:
        async with TMDBClient(settings) as tmdb:
            await tmdb.search("Heat", 1995)
            return tmdb.url

    try:
        url = asyncio.run(search())
    except ReelscaleError as exc:
        return Check("tmdb", False, str(exc))
    return Check("tmdb", True, f"{url}: credentials accepted (a search answered)")


def _radarr_unused(config: Config) -> Check:
    if config.radarr.url is None:
        why = f"not configured ({config.where('radarr.url')} is not set; the files source is used)"
    else:
        why = f"not checked: the source is {config.source} ({config.where('run.source')})"
    return Check("radarr", True, why, skipped=True)


def _claude(config: Config) -> Check:
    import anthropic

    claude = config.claude
    if not claude.api_key:
        return Check("claude", False, "ANTHROPIC_API_KEY is not set; export your Claude API key")
    base_url = claude.base_url.get_secret_value() if claude.base_url else None
    try:
        with anthropic.Anthropic(
            api_key=claude.api_key.get_secret_value(), base_url=base_url, max_retries=1, timeout=20
        ) as client:
            counted = client.messages.count_tokens(
                model=claude.model, messages=[{"role": "user", "content": "ping"}]
            )
    except anthropic.AuthenticationError:
        return Check("claude", False, "Claude rejected the API key (401); check ANTHROPIC_API_KEY")
    except anthropic.APIStatusError as exc:
        return Check("claude", False, f"Claude answered {exc.status_code} to count_tokens")
    except anthropic.APIConnectionError:
        where = str(claude.base_url or "the Claude API")
        return Check("claude", False, f"cannot reach {where}; check the network or proxy")
    return Check("claude", True, f"key accepted ({counted.input_tokens} tokens counted)")
