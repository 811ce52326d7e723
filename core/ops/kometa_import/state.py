"""Reading Kometa-AI's ``kometa_state.json`` (``kometa_ai/state/manager.py``, state format 1).

The layout Kometa-AI 0.5.x writes::

    {"version": "0.5.7", "state_format_version": 1, "last_update": "...",
     "decisions": {"movie:42": {"metadata_hash": "<sha256 hex>",
                                "collections": {"Film Noir": {
                                    "include": true, "confidence": 0.9,
                                    "metadata_hash": "...", "tag": "KAI-film-noir",
                                    "timestamp": "2025-...+00:00", "reasoning": "...",
                                    "revisions": 1, "prompt_hash": "<16 hex>"}}}},
     "changes": [...], "errors": [...]}

``revisions`` and ``prompt_hash`` are left out when empty (``DecisionRecord.to_dict``), and
records from before prompt hashes have none. The whole file is checked before anything is
written: one that cannot be used is one :class:`~core.errors.UsageError` (exit 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from core.errors import UsageError

STATE_FILE = "kometa_state.json"
FORMAT = 1


class Verdict(NamedTuple):
    """One decision record as read, its values unchecked; the rest of the record (the
    ``reasoning`` text, a few hundred characters each) is dropped as the file is parsed, so a
    100k-decision state does not sit in memory as 100k dictionaries."""

    include: object
    confidence: object
    prompt_hash: object
    timestamp: object


def _compact(obj: dict) -> object:
    if "include" in obj and "confidence" in obj:
        get = obj.get
        return Verdict(get("include"), get("confidence"), get("prompt_hash"), get("timestamp"))
    return obj


@dataclass(frozen=True, slots=True)
class KometaState:
    path: Path
    version: str
    format: int
    decisions: dict  # "movie:<radarr id>" -> {"metadata_hash", "collections": {name: Verdict}}


def read_state(where: str | Path) -> KometaState:
    """The state in ``where`` (Kometa-AI's state folder, or the ``kometa_state.json`` itself)."""
    where = Path(where)
    path = where / STATE_FILE if where.is_dir() else where
    if not where.exists():
        raise UsageError(
            f"{where}: no such folder; pass Kometa-AI's state folder (the one holding "
            f"{STATE_FILE}; /app/state in its container)"
        )
    if not path.is_file():
        raise UsageError(
            f"{where}: no {STATE_FILE} in this folder; pass Kometa-AI's state folder (the one "
            "holding it; /app/state in its container)"
        )
    try:
        data = json.loads(path.read_bytes(), object_hook=_compact)
    except OSError as exc:
        what = f"{path}: cannot read it ({exc.strerror}); check its permissions"
        raise UsageError(what) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where_ = f" at line {exc.lineno}, column {exc.colno}" if hasattr(exc, "lineno") else ""
        raise UsageError(
            f"{path}: not valid JSON{where_}, probably cut short while Kometa-AI wrote it; "
            f"{_backup_hint(path)}; nothing was imported"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), dict):
        raise UsageError(
            f"{path}: not a Kometa-AI state file (no 'decisions' object); pass the "
            f"{STATE_FILE} Kometa-AI writes; nothing was imported"
        )
    version = str(data.get("version") or "unknown")
    fmt = data.get("state_format_version", 0)
    if fmt != FORMAT:
        raise UsageError(
            f"{path}: state format {fmt!r} (Kometa-AI {version}); this import reads format "
            f"{FORMAT}, which Kometa-AI 0.5.x writes: run Kometa-AI 0.5.7 once on this state "
            "folder, then import again; nothing was imported"
        )
    return KometaState(path, version, fmt, data["decisions"])


def _backup_hint(path: Path) -> str:
    backups = sorted((path.parent / "backups").glob("kometa_state_*.json"))
    if backups:
        return f"Kometa-AI keeps earlier copies: import the newest, {backups[-1]}"
    return "restore it from a backup, or run Kometa-AI once more to rewrite it"
