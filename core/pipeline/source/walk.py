"""Walk a folder tree iteratively with ``os.scandir``, each folder opened relative to its parent.

Yields the files of each folder, depth first: its regular files (``DirEntry``
objects) by name, then its subfolders by name. So on any file system paths come (nearly) in
sorted order, and the scan appends to the store's path index instead of inserting at random
places in it, which on a 300k-file first scan halves the SQLite time and almost removes its
system time (pages no longer spill out of the cache and back). Nothing but the stack of folders
still to visit and one folder's files (up to :data:`SORTED_FILES`; a bigger folder's come in
lists of that many, each sorted) is kept, so memory does not grow with the number of files.
Problems never stop the walk: unreadable folders, entries that vanish mid-walk and symlink loops
are handed to ``on_error`` and skipped.

Folders are opened with ``openat`` relative to their parent's descriptor and files are
``stat``-ed relative to their folder's, as ``find`` does: the kernel then
resolves one name, not the whole path, and on the 300k-file benchmark tree that path lookup was
the scan's largest kernel cost. A folder's descriptor stays open until its last subfolder is
opened, so at most one per level of depth is open; below :data:`MAX_OPEN` levels folders are
opened by their full path instead, so no tree runs out of descriptors.

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
from typing import Protocol

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
#: Folder descriptors kept open at once (one per level of depth); deeper, folders open by path.
MAX_OPEN = 64
_OPEN = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NAME = attrgetter("name")
#: A folder with this many subfolders is shared with a helper, in chunks of CHUNK subfolders.
SHARE_AT = 2048
CHUNK = 512


@dataclass(slots=True)
class WalkStats:
    dirs: int = 0
    symlinks_skipped: int = 0


ErrorHandler = Callable[[str, str], None]


@dataclass(slots=True)
class _Open:
    """An open folder whose subfolders are still to be opened: closed when ``waiting`` is 0."""

    fd: int
    waiting: int


_SHARED = _Open(-1, 0)  # on the stack: a chunk of subfolders a helper walks


class Helper(Protocol):
    """Another process that walks some chunks of a big folder's subfolders (see
    :mod:`~core.pipeline.source.walk_share`): ``share`` gives it the chunks, in order, and
    ``take`` hands the scan the files of the next one, where the walk reaches it."""

    busy: bool

    def share(self, folder: str, in_extras: bool, chunks: list[list[str]]) -> None: ...

    def take(self) -> None: ...


def walk(
    root: str,
    *,
    follow_symlinks: bool = False,
    on_error: ErrorHandler,
    stats: WalkStats | None = None,
    helper: Helper | None = None,
) -> Iterator[tuple[str, list[os.DirEntry[str]], bool, int]]:
    """Yield ``(prefix, files, in_extras, fd)`` for each folder below ``root`` with files.

    ``prefix`` is the folder's path and ``/``: a file's path is ``prefix + entry.name``
    (``entry.path`` is only the name). ``fd``, the folder's descriptor for
    ``os.stat(entry.name, dir_fd=fd)``, is valid until the walk is resumed. ``files``: its
    regular files by name (a list a folder: resuming a generator for every file was a fifth
    of a 300k-file rescan); ``in_extras``: the folder is, or is in, an extras folder.

    :param on_error: called with ``(path, reason)`` for each thing skipped because of a problem.
    :param stats: filled in with the number of folders read and symlinks skipped.
    :param helper: given, every other chunk of :data:`CHUNK` subfolders of a folder with at
        least :data:`SHARE_AT` of them is walked by it (not with ``follow_symlinks``: each
        process would remember only the folders it saw).
    """
    seen: set[tuple[int, int]] | None = None
    if follow_symlinks:
        st = os.stat(root)
        seen = {(st.st_dev, st.st_ino)}
    report = _Seen(seen, on_error, stats if stats is not None else WalkStats())
    return _walk([(None, "", root, False, 0)], report, None if follow_symlinks else helper)


def walk_subfolders(
    folder: str, in_extras: bool, names: list[str], *, on_error: ErrorHandler, stats: WalkStats
) -> Iterator[tuple[str, list[os.DirEntry[str]], bool, int]]:
    """:func:`walk`, over the subfolders ``names`` of ``folder`` (a chunk a helper walks)."""
    inner = folder if folder.endswith("/") else folder + "/"
    stack = [(None, inner, n, in_extras or _is_extras(n, folder), 1) for n in reversed(names)]
    return _walk(stack, _Seen(None, on_error, stats), None)


def _walk(stack: list, report: _Seen, helper: Helper | None):
    flags = _OPEN if report.folders is not None else _OPEN | _NOFOLLOW
    pop, on_error, stats = stack.pop, report.on_error, report.stats
    listing: int | None = None  # the descriptor of the folder being listed
    try:
        while stack:
            parent, prefix, name, in_extras, depth = pop()
            if parent is _SHARED:
                helper.take()
                continue
            folder = prefix + name
            listing = _open(parent, name, folder, flags, on_error)
            if listing is None:
                continue
            stats.dirs += 1
            subdirs: list[str] = []
            inner = folder if folder.endswith("/") else folder + "/"
            it = _scandir(listing, folder, on_error)
            if it is not None:
                with it:
                    while True:
                        files = _list(it, folder, inner, subdirs, report)
                        if files:
                            files.sort(key=_NAME)
                            yield inner, files, in_extras, listing
                        if len(files) < SORTED_FILES:
                            break
            if subdirs:
                _push(stack, subdirs, listing, (folder, in_extras, depth), helper)
            else:
                os.close(listing)
            listing = None
    finally:  # abandoned part way: close what is open
        if listing is not None:
            os.close(listing)
        for node in {id(e[0]): e[0] for e in stack if e[0] is not None}.values():
            if node.waiting:
                node.waiting = 0
                os.close(node.fd)


def _push(stack: list, subdirs: list[str], fd: int, at: tuple[str, bool, int], helper) -> None:
    """Put a folder's subfolders on the stack, the first by name on top, as (the open folder
    to open them from or ``None``: by path, its path and "/", name, in_extras, depth): a
    folder's subfolders share its path, so 90k movie folders wait as 90k names. The chunks a
    helper walks wait as one :data:`_SHARED` entry each. Closes ``fd`` unless entries need it."""
    folder, in_extras, depth = at
    subdirs.sort()
    chunks = [subdirs]
    if helper is not None and len(subdirs) >= SHARE_AT and not helper.busy:
        chunks = [subdirs[i : i + CHUNK] for i in range(0, len(subdirs), CHUNK)]
        helper.share(folder, in_extras, chunks[1::2])
    mine = len(subdirs) if len(chunks) == 1 else sum(map(len, chunks[::2]))
    node = _Open(fd, mine) if depth < MAX_OPEN else None
    if node is None:
        os.close(fd)
    inner = folder if folder.endswith("/") else folder + "/"
    for i in range(len(chunks) - 1, -1, -1):
        if i % 2:
            stack.append((_SHARED, "", "", False, depth + 1))
            continue
        for sub in reversed(chunks[i]):
            stack.append((node, inner, sub, in_extras or _is_extras(sub, folder), depth + 1))


def _scandir(fd: int, folder: str, on_error: ErrorHandler):
    try:
        return os.scandir(fd)
    except OSError as exc:
        on_error(folder, f"cannot read folder: {exc.strerror or exc}")
        return None


def _open(parent: _Open | None, name: str, folder: str, flags: int, on_error) -> int | None:
    """The folder's descriptor, opened relative to its parent's when that is open; ``None``
    (reported) when it cannot be opened. Closes the parent once its last subfolder is open."""
    try:
        if parent is None:
            return os.open(folder, flags)
        return os.open(name, flags, dir_fd=parent.fd)
    except FileNotFoundError:
        on_error(folder, "folder vanished during the scan")
    except OSError as exc:
        on_error(folder, f"cannot read folder: {exc.strerror or exc}")
    finally:
        if parent is not None:
            parent.waiting -= 1
            if not parent.waiting:
                os.close(parent.fd)
    return None


@dataclass(slots=True)
class _Seen:
    """What listing a folder reports to: the folders seen (``None`` unless following
    symlinks), the error handler and the counters."""

    folders: set[tuple[int, int]] | None
    on_error: ErrorHandler
    stats: WalkStats


def _list(it, folder: str, prefix: str, subdirs: list[str], seen: _Seen) -> list:
    """The next regular files of a folder (``prefix``: its path and "/"), up to
    :data:`SORTED_FILES` (fewer: the folder is done); its subfolders' names go into ``subdirs``."""
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
                    if not follow or _first_visit(entry, prefix, seen.folders, on_error):
                        subdirs.append(entry.name)
                    continue
                elif not entry.is_file():
                    continue
            except OSError as exc:
                on_error(prefix + entry.name, f"cannot read entry: {exc.strerror or exc}")
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


def _first_visit(entry: os.DirEntry[str], prefix: str, seen: set[tuple[int, int]], on_error):
    try:
        st = entry.stat()
    except OSError as exc:
        on_error(prefix + entry.name, f"broken symlink: {exc.strerror or exc}")
        return False
    key = (st.st_dev, st.st_ino)
    if key in seen:
        on_error(prefix + entry.name, "symlink loop (folder already visited), not followed")
        return False
    seen.add(key)
    return True
