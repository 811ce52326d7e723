"""The command lines the secrets audit runs: every ``reelscale`` command and output form, and the
failures (wrong keys, a service down) whose messages are where a leaked key would show.

Each entry is ``(name, args, env changes, expected exit codes)``; an env change of None removes
the variable. ``full=False`` keeps the quick set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.harness.reliability.secrets_audit import Secrets


def commands(world, folder: Path, secrets: Secrets, urls: dict, *, full: bool) -> list[tuple]:
    """``(name, args, env changes, expected exit codes)`` of the commands audited."""
    db = folder / "reelscale.db"
    a = _Args(
        folder,
        world.tree,
        world.config,
        ["--db", db],
        ["run", "--config", world.config, "--db", db],
        ["--source", "files", "--library", world.tree],
        f"http://127.0.0.1:{_closed_port()}",
    )
    fast = _fast_commands(a, secrets) + _url_password_commands(a, secrets, urls)
    return fast + (_more_commands(a, secrets) if full else [])


def _with_password(url: str, password: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://reelscale:{password}@{rest}"


def _url_password_commands(a: _Args, secrets: Secrets, urls: dict) -> list[tuple]:
    """A password inside ``RADARR_URL`` (Radarr behind basic auth) is a secret like a key."""
    if not urls.get("radarr"):
        return []
    url = {"RADARR_URL": _with_password(urls["radarr"], secrets.url_password)}
    down = {"RADARR_URL": _with_password(a.closed, secrets.url_password)}
    config = ["--config", a.config]
    return [
        ("config check url password", ["config", "check", *config], url, (0,)),
        ("config check --json url password", ["config", "check", *config, "--json"], url, (0,)),
        ("health url password", ["health", *config, *a.common, "--json"], url, (0,)),
        ("run url password", [*a.run, "--json", "--dry-run"], url, (0,)),
        ("run radarr down url password", [*a.run, "--json"], down, (2,)),
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Args:
    """What the audited command lines share."""

    folder: Path
    tree: Path
    config: Path
    common: list  # --db
    run: list  # run --config --db
    files: list  # --source files --library
    closed: str  # the URL of a port nothing listens on


def _fast_commands(a: _Args, secrets: Secrets) -> list[tuple]:
    """The commands of a quick audit: one of each kind, and the failures most likely to leak."""
    folder, tree, config, common, run, files = a.folder, a.tree, a.config, a.common, a.run, a.files
    closed = a.closed
    return [
        ("scan", ["scan", tree, *common, "--json"], {}, (0,)),
        ("enrich", ["enrich", *common, "--json"], {}, (0,)),
        ("classify", ["classify", "--config", config, *common, "--mode", "sync"], {}, (0,)),
        ("run --json --profile", [*run, "--json", "--profile", folder / "profile.json",
                                  "--kometa-file", folder / "kometa-radarr.yml"], {}, (0,)),
        ("run files", [*run, *files, "--kometa-file", folder / "kometa-files.yml"], {}, (0,)),
        ("health", ["health", "--config", config, *common, "--json"], {}, (0,)),
        ("config check", ["config", "check", "--config", config], {}, (0,)),
        ("db backup", ["db", "backup", folder / "backup.db", *common], {}, (0,)),
        ("kometa-yaml", ["kometa-yaml", "--config", config, "-o", folder / "kometa-tags.yml"],
         {}, (0,)),
        ("test-email", ["test-email", "--config", config], {}, (0,)),
        ("run wrong radarr key", [*run, "--json"],
         {"RADARR_API_KEY": secrets.wrong["RADARR_API_KEY"]}, (2,)),
        ("run wrong claude key", [*run, "--json", "--force-refresh"],
         {"ANTHROPIC_API_KEY": secrets.wrong["ANTHROPIC_API_KEY"]}, (1, 2)),
        ("enrich tmdb down", ["enrich", *common, "--json", "--tmdb-url", closed], {}, (0, 1, 2)),
    ]  # fmt: skip


def _more_commands(a: _Args, secrets: Secrets) -> list[tuple]:
    """The rest of the full audit: every other command and output form, and more failures."""
    folder, config, common, run, files = a.folder, a.config, a.common, a.run, a.files
    closed = a.closed
    return [
        ("enrich v4 token", ["enrich", *common], {"TMDB_API_KEY": None}, (0,)),
        ("classify --json", ["classify", "--config", config, *common, "--json"], {}, (0,)),
        ("run", run, {}, (0,)),
        ("run --dry-run", [*run, "--dry-run", "--force-refresh"], {}, (0,)),
        ("run files --json --profile", [*run, *files, "--json", "--profile",
                                        folder / "profile-files.json"], {}, (0,)),
        ("health human", ["health", "--config", config, *common], {}, (0,)),
        ("config check --json", ["config", "check", "--config", config, "--json"], {}, (0,)),
        ("list", ["list", *common, "--config", config], {}, (0,)),
        ("list --json", ["list", *common, "--config", config, "--json"], {}, (0,)),
        ("list --why", ["list", *common, "--why", "1", "--json"], {}, (0,)),
        ("list --changed-since", ["list", *common, "--changed-since", "last"], {}, (0,)),
        ("export", ["export", *common, "-o", folder / "export.jsonl"], {}, (0,)),
        ("export stdout", ["export", *common], {}, (0,)),
        ("db backup default", ["db", "backup", *common, "--json"], {}, (0,)),
        ("recommend-batch-size --simulate", [
            "recommend-batch-size", "--simulate", "--movies", "20", "--sizes", "5,10",
            "--report-dir", folder / "reports", "--db", folder / "recommend.db", "--json",
        ], {}, (0,)),
        ("classify wrong claude key", ["classify", "--config", config, *common,
                                       "--force-refresh", "--mode", "sync"],
         {"ANTHROPIC_API_KEY": secrets.wrong["ANTHROPIC_API_KEY"]}, (1, 2)),
        ("run files wrong tmdb key", [*run, *files, "--json"],
         {"TMDB_API_KEY": secrets.wrong["TMDB_API_KEY"], "TMDB_TOKEN": None}, (0, 1, 2)),
        ("enrich wrong tmdb key", ["enrich", *common, "--json"],
         {"TMDB_API_KEY": secrets.wrong["TMDB_API_KEY"], "TMDB_TOKEN": None}, (0, 1, 2)),
        ("health wrong keys", ["health", "--config", config, *common, "--json"],
         {"RADARR_API_KEY": secrets.wrong["RADARR_API_KEY"],
          "ANTHROPIC_API_KEY": secrets.wrong["ANTHROPIC_API_KEY"]}, (1,)),
        ("test-email wrong password", ["test-email", "--config", config],
         {"SMTP_PASSWORD": secrets.wrong["SMTP_PASSWORD"]}, (1,)),
        ("run radarr down", [*run, "--json"], {"RADARR_URL": closed}, (2,)),
        ("run claude down", [*run, "--json", "--force-refresh"],
         {"ANTHROPIC_BASE_URL": closed}, (1, 2)),
        ("run files tmdb down", [*run, *files, "--json", "--force-refresh"],
         {"TMDB_URL": closed}, (0, 1, 2)),
    ]  # fmt: skip


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
