"""Kometa collection files for the judged collections.

Radarr users get one ``radarr_taglist`` builder per collection: Kometa then reads the members from
the tags reelscale keeps in Radarr, so the file changes only when a collection is added or renamed.
Sonarr users get the same with ``sonarr_taglist`` (the series carrying the Sonarr tag, in a show
library: https://kometa.wiki/en/latest/files/builders/sonarr/), in a file of its own, since
Kometa reads a collection file per library and a movie library has no Sonarr builders.
A file-only library has no Radarr tags, so each collection lists its members' TMDB ids with the
``tmdb_movie`` builder; its folder series go in a file of their own (for the show library) with
``tvdb_show`` (TVDB series ids, which Plex's TV agents match shows by, so Kometa converts
nothing) or, for a show TMDB knows without a TVDB id, ``tmdb_show`` (Kometa's builders:
https://kometa.wiki/en/latest/files/builders/tmdb/builders/ and
https://kometa.wiki/en/latest/files/builders/tvdb/show/; each takes a YAML list of ids; Kometa
refuses a show builder in a movie library and a movie builder in a show library). All use
``sync_mode: sync``, so Kometa also removes what left a collection.

Names and tags are written as JSON strings, which are valid YAML double-quoted scalars: any
character in a collection name is safe. Files are replaced atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.config.collection import Collection
from core.errors import UsageError
from core.store.db import Store
from core.store.decisions import member_tmdb_ids
from core.store.series import member_series_ids

HEADER = "# Written by reelscale; edit the collections in its config, not here.\n"


TAGLIST_KEYS = {"movies": "radarr_taglist", "series": "sonarr_taglist"}


def taglist_yaml(collections: Sequence[Collection], key: str = "radarr_taglist") -> str:
    """The collection file for Radarr (``key`` ``radarr_taglist``) or Sonarr
    (``sonarr_taglist``) users: members come from the server's tags. Only the collections whose
    kind the key's library holds are written."""
    kind = "series" if key == "sonarr_taglist" else "movies"
    chosen = [c for c in collections if c.covers(kind)]
    lines = [HEADER, "collections:\n" if chosen else "collections: {}\n"]
    for c in chosen:
        lines.append(f"  {_q(c.name)}:\n")
        lines.append(f"    {key}: {_q(c.tag)}\n")
        lines.append("    sync_mode: sync\n")
    return "".join(lines)


def tmdb_ids(store: Store, tag: str) -> list[int]:
    """TMDB ids of the movies the stored decisions put in the collection ``tag``."""
    return member_tmdb_ids(store, tag)


def tmdb_list_yaml(
    store: Store, collections: Sequence[Collection], kind: str = "movies"
) -> tuple[str, dict[str, int]]:
    """The collection file for a file-only library, and the member count per collection:
    its movies (``kind`` ``movies``: ``tmdb_movie``) or its folder series (``series``:
    ``tvdb_show``, and ``tmdb_show`` for a show without a TVDB id). Kometa takes show builders
    only in a show library and movie builders only in a movie library, so the two never share
    a file.

    A collection without members is written as a comment: Kometa rejects a blank builder.
    """
    lines: list[str] = []
    counts: dict[str, int] = {}
    for c in collections:
        if kind == "series":
            shows = member_series_ids(store, c.tag)
            builders = (
                ("tvdb_show", sorted(tvdb for _, tvdb in shows if tvdb is not None)),
                ("tmdb_show", [tmdb for tmdb, tvdb in shows if tvdb is None]),
            )
        else:
            builders = (("tmdb_movie", tmdb_ids(store, c.tag)),)
        counts[c.tag] = sum(len(ids) for _, ids in builders)
        if not counts[c.tag]:
            lines.append(f"  # {_q(c.name)}: no members yet\n")
            continue
        lines.append(f"  {_q(c.name)}:\n")
        for key, ids in builders:
            if ids:
                lines.extend(_id_list(key, ids))
        lines.append("    sync_mode: sync\n")
    opening = "collections:\n" if any(counts.values()) else "collections: {}\n"
    return HEADER + opening + "".join(lines), counts


def _id_list(key: str, ids: Iterable[int]) -> list[str]:
    ids = list(ids)
    out = [f"    {key}:\n"]
    for start in range(0, len(ids), 20):
        out.append("      - " + "\n      - ".join(str(i) for i in ids[start : start + 20]) + "\n")
    return out


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_atomic(path: str | os.PathLike[str], text: str, what: str = "collection file") -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    A new file is readable by its owner only (0600); a replaced file keeps its mode, so a file
    opened up for Kometa running as another user stays readable. A failed write (disk full)
    removes the temporary file and leaves the old file as it was.
    """
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name for the {what}")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{target}: folder {folder} does not exist; create it or pick another")
    tmp = None
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise UsageError(f"{target}: cannot write the {what}: {exc.strerror}") from exc
    return target
