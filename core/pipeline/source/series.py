"""Group a folder's episode files into series, as a step after the scan.

Consumes the episode items the scan wrote with no series yet (new files, and files the scan
rewrote: a trigger clears the link of a changed or moved file, see m008), writes one series item
per show (:mod:`core.store.series`) and links each episode to it; returns a
:class:`GroupSummary`. A rescan with nothing changed reads no episode and writes nothing.

Which show a file belongs to:

- in a season folder (``Season 01``, ``Season 1``, ``Specials``, ``S02``, ``Staffel 3``, ...),
  the folder above it names the show: ``Show (2019)/Season 01/...`` (Sonarr's and Plex's layout,
  https://support.plex.tv/articles/naming-and-organizing-your-tv-show-files/), Sonarr's
  ``[tvdbid-...]``/``{tmdb-...}`` tags dropped and a TMDB id tag kept as a hint;
- otherwise the parsed title and year name it (``Show.Name.S01E02...`` flat in a downloads
  folder, ``[Group] Show - 102 [1080p].mkv`` anime with absolute numbers, a season pack's folder):
  the parser already reads the folders around the file.

Titles are compared folded (case, accents and punctuation away). A show named without a year
joins the one dated show of that title when there is exactly one (``Show.S01E02`` beside
``Show (2019)/``); with none or several it stays a series of its own, never guessed.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import lru_cache
from operator import itemgetter

from core.store.db import Store
from core.store.series import (
    insert_series,
    link_episodes,
    prune_empty_series,
    series_key,
    stored_series,
    ungrouped_episodes,
)

__all__ = ["GroupSummary", "group_after_scan", "group_series", "show_of"]

CHUNK = 20_000
NO_SERIES = 0  # series_id of an episode whose show cannot be told (no title): not read again

_SEASON_DIR = re.compile(
    r"(?:season|series|saison|staffel|temporada|stagione|seizoen)[ ._-]*\d{1,4}|s\d{1,4}"
    r"|specials?|extras? season",
    re.IGNORECASE,
)
_FOLDER_YEAR = re.compile(r"^(.*?)[ .]*\(((?:19|20)\d\d)\)$")
_FOLDER_TAG = re.compile(r"\s*[\[{][^\]}]*[\]}]")
_TMDB_TAG = re.compile(r"[\[{]tmdb(?:id)?[-=](\d{1,9})[\]}]", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(slots=True)
class GroupSummary:
    """What grouping did. ``grouped``: episodes linked in this pass; ``ungroupable``: episodes
    with no title to tell their show by."""

    grouped: int = 0
    series_new: int = 0
    series_removed: int = 0
    series: int = 0
    ungroupable: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def fold(title: str) -> str:
    """``"Amélie's Café: Part 2"`` -> ``"amelies cafe part 2"``."""
    if not title.isascii():
        text = unicodedata.normalize("NFKD", title)
        title = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", title.casefold().replace("'", "").replace("&", " and ")).strip()


def show_of(
    path: str, title: str | None, year: int | None
) -> tuple[str, int | None, str | None, int | None]:
    """``(folded title, year, title as shown, TMDB id hint)`` of the show an episode file
    belongs to; the folded title is empty when nothing names it.

    >>> show_of("/tv/Show Name (2019)/Season 01/Show.Name.S01E02.mkv", "Show Name", None)
    ('show name', 2019, 'Show Name', None)
    """
    show = _season_show(path[: path.rfind("/")])
    if show is not None:
        return show if show[1] is not None or year is None else (show[0], year, *show[2:])
    return _titled_show(title, year)


@lru_cache(maxsize=4096)
def _season_show(folder: str) -> tuple[str, int | None, str, int | None] | None:
    """The show a season folder belongs to (the folder above it), None for any other folder.
    Cached: every episode of a season shares its folder."""
    above, _, name = folder.rpartition("/")
    if not above or not _SEASON_DIR.fullmatch(name.strip()):
        return None
    show = above.rpartition("/")[2]
    hint = _TMDB_TAG.search(show)
    name = _FOLDER_TAG.sub("", show).strip()
    dated = _FOLDER_YEAR.match(name)
    if dated:
        name, show_year = dated.group(1).strip(), int(dated.group(2))
    else:
        show_year = None
    folded = fold(name)
    if not folded:
        return None
    return folded, show_year, name, int(hint.group(1)) if hint else None


@lru_cache(maxsize=4096)
def _titled_show(title: str | None, year: int | None) -> tuple[str, int | None, str | None, None]:
    if not title:
        return "", None, None, None
    return fold(title), year, title, None


def group_series(store: Store, *, prune: bool = True, chunk: int = CHUNK) -> GroupSummary:
    """Link every episode without a series to its show's series item, creating new ones; with
    ``prune``, drop series left without episodes (after a scan that removed or changed files).
    Writes in one transaction (commits)."""
    start = time.perf_counter()
    summary = GroupSummary()
    existing = {key: sid for sid, key in stored_series(store)}
    pending: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    shown: dict[tuple[str, int | None], tuple[str | None, int | None]] = {}
    orphans: list[int] = []
    for rows in ungrouped_episodes(store, chunk):
        for item_id, key, title, year in rows:
            path = os.fsdecode(key) if isinstance(key, bytes) else key
            folded, year, name, hint = show_of(path, title, year)
            if not folded:
                orphans.append(item_id)
                continue
            show = (folded, year)
            pending[show].append(item_id)
            if show not in shown or (hint and not shown[show][1]):
                shown[show] = (name, hint)
    if not (pending or orphans or prune):
        summary.series = len(existing)
        summary.seconds = round(time.perf_counter() - start, 3)
        return summary
    _date_undated(pending, existing)
    new = [show for show in pending if series_key(*show) not in existing]
    with store.atomic():
        ids = insert_series(store, [(series_key(*s), shown[s][0], s[1], shown[s][1]) for s in new])
        existing.update((series_key(*s), sid) for s, sid in zip(new, ids, strict=True))
        links = [
            (existing[series_key(*show)], item_id)
            for show, item_ids in pending.items()
            for item_id in item_ids
        ]
        links.sort(key=itemgetter(1))  # in id order: the rows are updated page by page
        link_episodes(store, links)
        link_episodes(store, [(NO_SERIES, item_id) for item_id in orphans])
        summary.series_removed = prune_empty_series(store) if prune else 0
    summary.grouped = sum(map(len, pending.values()))
    summary.series_new, summary.ungroupable = len(new), len(orphans)
    summary.series = len(existing) - summary.series_removed
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def _date_undated(
    pending: dict[tuple[str, int | None], list[int]], existing: dict[str, int]
) -> None:
    """Move the episodes of an undated show into the one dated show of that title, if exactly
    one exists (stored or in this pass)."""
    years: dict[str, set[int]] = defaultdict(set)
    for folded, year in pending:
        if year is not None:
            years[folded].add(year)
    for key in existing:
        folded, _, year = key.removeprefix("series:").rpartition("|")
        if year:
            years[folded].add(int(year))
    for show in [s for s in pending if s[1] is None and len(years.get(s[0], ())) == 1]:
        dated = (show[0], next(iter(years[show[0]])))
        if series_key(*show) in existing:
            continue  # already a series of its own: its episodes stay with it
        pending[dated].extend(pending.pop(show))


def group_after_scan(store: Store, scan) -> GroupSummary:
    """Group what a scan (a :class:`~core.pipeline.source.files.ScanSummary`) left ungrouped;
    prune only after a whole scan that removed, changed or moved files."""
    prune = scan.stopped is None and bool(scan.removed or scan.changed or scan.moved)
    return group_series(store, prune=prune)
