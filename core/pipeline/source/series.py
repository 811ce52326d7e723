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
joins the one dated show of that title when there is exactly one and a library folder dates it
(``Show.S01E02`` beside ``Show (2019)/Season 01/``); with none or several, or a year only in a
release name (``Echos.2021.S01E01``: Sonarr's name for a second show called Echos), it stays a
series of its own, never guessed.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache

from core.pipeline.source.scan_parse import safe_text
from core.store.db import Store
from core.store.series import (
    insert_series,
    link_episode_runs,
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


def _dated_by_folder(path: str) -> bool:
    """Whether the show folder above the file's season folder carries the year (``Show (2019)/
    Season 01/``): a library's own folder, which undated downloads of the show may join."""
    show = _season_show(path[: path.rfind("/")])
    return show is not None and show[1] is not None


@lru_cache(maxsize=4096)
def _season_show(folder: str) -> tuple[str, int | None, str, int | None] | None:
    """The show a season folder belongs to (the folder above it), None for any other folder.
    Cached: every episode of a season shares its folder."""
    above, _, name = folder.rpartition("/")
    if not above or not _SEASON_DIR.fullmatch(name.strip()):
        return None
    show = above.rpartition("/")[2]
    hint = _TMDB_TAG.search(show)
    name = safe_text(_FOLDER_TAG.sub("", show).strip())
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
    title = safe_text(title)
    return fold(title), year, title, None


def group_series(store: Store, *, prune: bool = True, chunk: int = CHUNK) -> GroupSummary:
    """Link every episode without a series to its show's series item, creating new ones; with
    ``prune``, drop series left without episodes (after a scan that removed or changed files).
    Writes in one transaction (commits).

    Memory: the ungrouped episodes are held as two arrays (id, show number: 16 bytes each) and
    the shows once each, so a 300k-episode first scan groups in a few MB.
    """
    start = time.perf_counter()
    summary = GroupSummary()
    existing = {key: sid for sid, key in stored_series(store)}
    shows: dict[tuple[str, int | None], int] = {}
    shown: list[tuple[str | None, int | None]] = []  # per show number: (title, TMDB id hint)
    ids, which, orphans = array("q"), array("q"), array("q")
    folder_dated: set[int] = set()  # show numbers dated by their show folder
    for rows in ungrouped_episodes(store, chunk):
        for item_id, key, title, year in rows:
            path = os.fsdecode(key) if isinstance(key, bytes) else key
            folded, year, name, hint = show_of(path, title, year)
            if not folded:
                orphans.append(item_id)
                continue
            number = shows.get((folded, year))
            if number is None:
                number = shows[folded, year] = len(shown)
                shown.append((name, hint))
                if year is not None and _dated_by_folder(path):
                    folder_dated.add(number)
            elif hint and not shown[number][1]:
                shown[number] = (name, hint)
            ids.append(item_id)
            which.append(number)
    if not (ids or orphans or prune):
        summary.series = len(existing)
        summary.seconds = round(time.perf_counter() - start, 3)
        return summary
    keys = _series_keys(shows, existing, folder_dated)
    new = {key: number for number, key in enumerate(keys) if key not in existing}
    with store.atomic():
        rows = [(key, shown[n][0], _year_of(key), shown[n][1]) for key, n in new.items()]
        existing.update(zip(new, insert_series(store, rows), strict=True))
        link_episodes(store, ((NO_SERIES, item_id) for item_id in orphans))  # first: see _runs
        link_episode_runs(store, _runs(ids, which, [existing[key] for key in keys]))
        summary.series_removed = prune_empty_series(store) if prune else 0
    summary.grouped, summary.ungroupable = len(ids), len(orphans)
    summary.series_new = len(new)
    summary.series = len(existing) - summary.series_removed
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def _runs(ids: array, which: array, series_of: list[int]) -> Iterator[tuple[int, int, int]]:
    """``(series_id, first id, last id)`` of each run of consecutive ungrouped episodes (in id
    order) of one series. Every ungrouped episode with an id in a run is in it: the orphans,
    the only other ungrouped ones, are linked to ``NO_SERIES`` before the runs are written."""
    if not ids:
        return
    first = last = ids[0]
    current = which[0]
    for item_id, number in zip(ids, which, strict=True):
        if number != current:
            yield series_of[current], first, last
            first, current = item_id, number
        last = item_id
    yield series_of[current], first, last


def _year_of(key: str) -> int | None:
    year = key.rpartition("|")[2]
    return int(year) if year else None


def _series_keys(
    shows: dict[tuple[str, int | None], int], existing: dict[str, int], folder_dated: set[int]
) -> list[str]:
    """The series key each show number goes into: its own, or, for an undated show, the one
    dated show of that title when exactly one exists (stored, or in this pass) and its year
    comes from a library folder (``Show (2019)/Season 01/``), not from a release name: two
    downloads ``Echos.S01E01`` and ``Echos.2021.S01E01`` are two shows, as Sonarr names a second
    show of a title with its year. An undated show already stored as a series stays one."""
    years: dict[str, set[int]] = defaultdict(set)
    joinable: set[tuple[str, int]] = set()
    for (folded, year), number in shows.items():
        if year is not None:
            years[folded].add(year)
            if number in folder_dated:
                joinable.add((folded, year))
    for key in existing:
        folded, _, year = key.removeprefix("series:").rpartition("|")
        if year:
            years[folded].add(int(year))
            joinable.add((folded, int(year)))
    keys = [""] * len(shows)
    for (folded, year), number in shows.items():
        key = series_key(folded, year)
        if year is None and key not in existing and len(years.get(folded, ())) == 1:
            dated = (folded, next(iter(years[folded])))
            if dated in joinable:
                key = series_key(*dated)
        keys[number] = key
    return keys


def group_after_scan(store: Store, scan) -> GroupSummary:
    """Group what a scan (a :class:`~core.pipeline.source.files.ScanSummary`) left ungrouped;
    prune only after a whole scan that removed, changed or moved files."""
    prune = scan.stopped is None and bool(scan.removed or scan.changed or scan.moved)
    return group_series(store, prune=prune)
