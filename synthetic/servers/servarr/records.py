"""Resource pieces the Radarr and Sonarr stand-ins build alike (one codebase): titles as the apps
clean, sort and fold them into folder names, ``system/status`` and the injected-fault body."""

from __future__ import annotations

import re
import unicodedata

_CLEAN = re.compile(r"[^a-z0-9]")


def clean_title(title: str) -> str:
    """The apps' ``cleanTitle``: lowercase letters and digits only, accents dropped."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return _CLEAN.sub("", ascii_title.lower())


def folder_name(title: str) -> str:
    return title.replace(":", " -").replace("/", "+").replace("?", "!")


def sort_title(title: str) -> str:
    lowered = title.lower()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            lowered = lowered[len(article) :]
            break
    return lowered


def system_status(app: str, url_base: str, release: dict[str, object]) -> dict:
    """``GET /api/v3/system/status`` of ``app`` (``Radarr``) in a hotio Docker image; ``release``:
    ``version``, ``buildTime``, ``branch``, ``migrationVersion`` and ``runtimeVersion``."""
    return {
        "appName": app,
        "instanceName": app,
        "version": release["version"],
        "buildTime": release["buildTime"],
        "isDebug": False,
        "isProduction": True,
        "isAdmin": False,
        "isUserInteractive": False,
        "startupPath": f"/app/{app.lower()}/bin",
        "appData": "/config",
        "osName": "debian",
        "osVersion": "12",
        "isNetCore": True,
        "isLinux": True,
        "isOsx": False,
        "isWindows": False,
        "isDocker": True,
        "mode": "console",
        "branch": release["branch"],
        "databaseType": "sqLite",
        "databaseVersion": "3.46.1",
        "authentication": "forms",
        "migrationVersion": release["migrationVersion"],
        "urlBase": url_base,
        "runtimeVersion": release["runtimeVersion"],
        "runtimeName": ".NET",
        "startTime": "2026-01-01T00:00:00Z",
        "packageVersion": release["version"],
        "packageAuthor": "[hotio](https://github.com/hotio)",
        "packageUpdateMechanism": "docker",
    }


def error_body(status: int) -> dict:
    """The ``ErrorModel`` of an injected server error."""
    return {"message": f"Injected fault {status}", "description": "stand-in fault injection"}
