"""Which of a folder's files are videos to index, and their ``stat``: shared by the scan and the
process that walks part of a big folder beside it (:mod:`~core.pipeline.source.walk_share`).

A video is a file with a video extension that is not an extra: not in an extras folder and not
named like Plex's local extras (``-trailer``, ``sample``, ``-featurette``...).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from core.pipeline.source.release_words import VIDEO_EXTENSIONS

_EXTRA_WORDS = ("sample", "trailer")
_EXTRA_SUFFIXES = (
    "featurette",
    "behindthescenes",
    "deleted",
    "deletedscene",
    "interview",
    "scene",
    "short",
    "other",
)
_EXTRA_NAME = re.compile(
    rf"^(?:{'|'.join(_EXTRA_WORDS)})(?:-.*)?$"
    rf"|[-._ ](?:{'|'.join(_EXTRA_WORDS)})$"
    rf"|-(?:{'|'.join(_EXTRA_SUFFIXES)})$"
)
#: What :data:`_EXTRA_NAME` can match starts or ends with: tested first, as ``str`` methods (the
#: regex costs ~5 us a file, and few names end so).
_EXTRA_STARTS = _EXTRA_WORDS
_EXTRA_ENDS = (*_EXTRA_WORDS, *(f"-{w}" for w in _EXTRA_SUFFIXES))


@dataclass(slots=True)
class Seen:
    """What :func:`videos` counted besides the videos it returned."""

    extras: int = 0


def videos(prefix: str, entries, in_extras: bool, fd: int, follow: bool, seen: Seen, on_error):
    """``[(path, size, mtime_ns, inode), ...]``: the videos among one folder's ``entries`` (as
    the walk yields them, with the folder's path ``prefix`` and descriptor ``fd``); extras are
    counted in ``seen``, and a file that vanished or cannot be read goes to ``on_error``.

    Tuples, not ``stat`` results: a folder's list may hold 10k files, and 10k ``stat`` results
    are ~8 MB.
    """
    found = []
    stat, video_exts, is_extra_name = os.stat, VIDEO_EXTENSIONS, _EXTRA_NAME.search
    for entry in entries:
        low = (name := entry.name).lower()
        dot = low.rfind(".")
        if dot <= 0 or low[dot + 1 :] not in video_exts:
            continue
        if in_extras or (
            (low.endswith(_EXTRA_ENDS, 0, dot) or low.startswith(_EXTRA_STARTS))
            and is_extra_name(low[:dot])
        ):
            seen.extras += 1
            continue
        try:  # not DirEntry.stat, which keeps each result in the folder's list (10k)
            st = stat(name, dir_fd=fd, follow_symlinks=follow)
        except FileNotFoundError:
            on_error(prefix + name, "file vanished during the scan")
        except OSError as exc:
            on_error(prefix + name, f"cannot stat file: {exc.strerror or exc}")
        else:
            found.append((prefix + name, st.st_size, st.st_mtime_ns, st.st_ino))
    return found
