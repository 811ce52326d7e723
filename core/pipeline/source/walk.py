"""Walk a folder tree iteratively with ``os.scandir``.

Yields ``(files, in_extras)`` per folder, depth first: a folder's regular files (``DirEntry``
objects) by name, then its subfolders by name. So on any file system paths come (nearly) in
sorted order, and the scan appends to the store's path index instead of inserting at random
places in it, which on a 300k-file first scan halves the SQLite time and almost removes its
system time (pages no longer spill out of the cache and back). Nothing but the stack of folders
still to visit and one folder's files (up to :data:`SORTED_FILES`; a bigger folder's come in
lists of that many, each sorted) is kept, so memory does not grow with the number of files.
Problems never stop the walk: unreadable folders, entries that vanish mid-walk and symlink loops
are handed to ``on_error`` and skipped.

Symlinks are not followed unless asked (``follow_symlinks=True``); then every folder's
``(st_dev, st_ino)`` is remembered, so a link back to an ancestor (or to any folder already seen) is
reported as a loop instead of being walked forever.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter

#: Folder names (casefolded) whose contents are bonus material, not movies (Plex's local extras).
EXTRAS_DIRS = frozenset(
    {
        "extras",
        "extra",
        "featurettes",
        "featurette",
        "behind the scenes",
        "deleted scenes",
        "interviews",
        "trailers",
        "trailer",
        "sample",
        "samples",
        "bonus",
    }
)
#: Plex extras folders whose names are also plausible library folders ("Shorts" of short films):
#: extras only inside a movie's own folder, ``Title (Year)``.
MOVIE_EXTRAS_DIRS = frozenset({"shorts", "scenes", "other", "others"})
_MOVIE_FOLDER = re.compile(r"\((?:19|20)\d\d\)")
#: A folder's files are sorted up to this many (about 2 MB of entries); beyond, they stream.
SORTED_FILES = 10_000
_NAME = attrgetter("name")


@dataclass(slots=True)
class WalkStats:
    dirs: int = 0
    symlinks_skipped: int = 0


ErrorHandler = Callable[[str, str], None]


def walk(
    root: str,
    *,
    follow_symlinks: bool = False,
    on_error: ErrorHandler,
    stats: WalkStats | None = None,
) -> Iterator[tuple[list[os.DirEntry[str]], bool]]:
    """Yield ``(files, in_extras)``: the regular files of each folder below ``root``, by name.

    A list a folder rather than one file at a time: a library folder holds a file or two, and
    resuming a generator (two, before) for every file was a fifth of a 300k-file rescan.
    Folders without files yield nothing; a folder of more than :data:`SORTED_FILES` yields
    several lists.

    :param on_error: called with ``(path, reason)`` for each thing skipped because of a problem.
    :param stats: filled in with the number of folders read and symlinks skipped.
    """
    stats = stats if stats is not None else WalkStats()
    seen: set[tuple[int, int]] | None = None
    if follow_symlinks:
        st = os.stat(root)
        seen = {(st.st_dev, st.st_ino)}
    # (parent's path and "/", name, in_extras): a folder's subfolders share its path, so a folder
    # of 90k movie folders waits on the stack as 90k names, not 90k full paths.
    stack: list[tuple[str, str, bool]] = [(root, "", False)]
    pop, push = stack.pop, stack.append
    report = _Seen(seen, on_error, stats)
    while stack:
        prefix, name, in_extras = pop()
        folder = prefix + name
        try:
            it = os.scandir(folder)
        except FileNotFoundError:
            on_error(folder, "folder vanished during the scan")
            continue
        except OSError as exc:
            on_error(folder, f"cannot read folder: {exc.strerror or exc}")
            continue
        stats.dirs += 1
        subdirs: list[tuple[str, str, bool]] = []
        with it:
            while True:
                files = _list(it, folder, in_extras, subdirs, report)
                if files:
                    files.sort(key=_NAME)
                    yield files, in_extras
                if len(files) < SORTED_FILES:
                    break
        if len(subdirs) > 1:  # by name, reversed: the first is walked next
            subdirs.sort(reverse=True)
        for sub in subdirs:
            push(sub)


@dataclass(slots=True)
class _Seen:
    """What listing a folder reports to: the folders seen (``None`` unless following
    symlinks), the error handler and the counters."""

    folders: set[tuple[int, int]] | None
    on_error: ErrorHandler
    stats: WalkStats


def _list(it, folder: str, in_extras: bool, subdirs: list, seen: _Seen) -> list:
    """The next regular files of a folder, up to :data:`SORTED_FILES` (fewer: the folder is
    done); its subfolders go into ``subdirs`` as (its path and "/", name, in_extras)."""
    prefix = folder if folder.endswith("/") else folder + "/"  # as DirEntry.path joins
    follow, on_error = seen.folders is not None, seen.on_error
    files: list[os.DirEntry[str]] = []
    try:
        for entry in it:
            try:
                if entry.is_file(follow_symlinks=False):  # most entries: one cheap test
                    pass
                elif entry.is_symlink() and not follow:
                    seen.stats.symlinks_skipped += 1
                    continue
                elif entry.is_dir():
                    if not follow or _first_visit(entry, seen.folders, on_error):
                        name = entry.name
                        subdirs.append((prefix, name, in_extras or _is_extras(name, folder)))
                    continue
                elif not entry.is_file():
                    continue
            except OSError as exc:
                on_error(entry.path, f"cannot read entry: {exc.strerror or exc}")
                continue
            files.append(entry)
            if len(files) == SORTED_FILES:
                break
    except OSError as exc:
        on_error(folder, f"cannot list folder: {exc.strerror or exc}")
    return files


def _is_extras(name: str, parent: str) -> bool:
    folded = name.casefold()
    if folded in EXTRAS_DIRS:
        return True
    return folded in MOVIE_EXTRAS_DIRS and bool(_MOVIE_FOLDER.search(os.path.basename(parent)))


def _first_visit(entry: os.DirEntry[str], seen: set[tuple[int, int]], on_error) -> bool:
    try:
        st = entry.stat()
    except OSError as exc:
        on_error(entry.path, f"broken symlink: {exc.strerror or exc}")
        return False
    key = (st.st_dev, st.st_ino)
    if key in seen:
        on_error(entry.path, "symlink loop (folder already visited), not followed")
        return False
    seen.add(key)
    return True
