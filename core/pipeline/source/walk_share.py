"""A rescan walks a big folder on two cores: a second process walks every other chunk of it.

A rescan parses (next to) nothing, so its time is the walk: listing folders and ``stat``-ing
files, ~90 % of it, which ``find`` does too. On a 2-CPU machine a helper process takes every
other chunk of :data:`~core.pipeline.source.walk.CHUNK` subfolders of a folder with at least
:data:`~core.pipeline.source.walk.SHARE_AT` of them (a library's ``Movies/`` with a folder a
movie), and sends back each chunk's videos as ``(path, size, mtime_ns, inode)``, what it counted
and the problems it met. The scan takes a chunk's files where its own walk reaches the chunk, so
files come in the order one process finds them, and compares them with the index there.

Up to :data:`AHEAD` chunks are out at a time, so the helper walks on while the scan walks its
own, and memory holds at most that many chunks' files. The scan never waits long
for the helper: when its walk of a chunk is not there in time (the helper is starting, or the
machine is busy), the scan walks the chunk itself; if the helper dies, it walks the rest. A
first scan does not share (its second core parses).
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable
from typing import NamedTuple

from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.videos import Seen, videos
from core.pipeline.source.walk import WalkStats, walk_subfolders
from core.pipeline.source.worker import Worker

__all__ = ["AHEAD", "WAIT", "Chunk", "WalkShare", "walk_chunk"]

WAIT = 0.02  # seconds the scan waits for the helper's walk of a chunk before walking it itself
AHEAD = 3  # chunks out with the helper at once (their replies wait in the pipe: ~200 KB)


class Chunk(NamedTuple):
    """What walking a chunk found: its videos, the counts and the problems, in walk order."""

    videos: list[tuple[str, int, int, int]]  # (path, size, mtime_ns, inode)
    files: int
    extras: int
    dirs: int
    symlinks_skipped: int
    errors: list[tuple[str, str]]


def walk_chunk(folder: str, in_extras: bool, names: list[str]) -> Chunk:
    """Walk the subfolders ``names`` of ``folder`` (in the helper, or here if it died)."""
    errors: list[tuple[str, str]] = []
    on_error = lambda path, reason: errors.append((path, reason))  # noqa: E731
    stats, seen, found, files = WalkStats(), Seen(), [], 0
    for prefix, entries, extras, fd in walk_subfolders(
        folder, in_extras, names, on_error=on_error, stats=stats
    ):
        files += len(entries)
        found += videos(prefix, entries, extras, fd, False, seen, on_error)
    return Chunk(found, files, seen.extras, stats.dirs, stats.symlinks_skipped, errors)


def _unset(chunk: Chunk) -> None:
    raise RuntimeError("WalkShare.handle is not set")


def _walk_job(data: bytes) -> bytes:
    """In the helper: a chunk to walk in, what it found and the helper's peak RSS out."""
    found = tuple(walk_chunk(*pickle.loads(data)))
    return pickle.dumps((found, peak_rss_mb()), pickle.HIGHEST_PROTOCOL)


class WalkShare:
    """This side of the sharing: the walk's :class:`~core.pipeline.source.walk.Helper`.

    ``handle`` is called with each :class:`Chunk`, when the walk reaches it.
    """

    def __init__(self) -> None:
        self.handle: Callable[[Chunk], None] = _unset
        self.busy = False
        self._waiting: deque[tuple[str, bool, list[str]]] = deque()
        self._out: deque[tuple[str, bool, list[str]]] = deque()  # sent, or walked here
        self._worker: Worker | None = None
        self._broken = False
        self.walked = 0  # chunks the helper walked
        self.peak_rss_mb = 0.0  # the helper's, as it last said
        self._stale = 0  # replies still to come for chunks the scan walked itself

    def start(self) -> None:
        """Start the helper now, so that it is ready when the walk reaches a big folder."""
        try:
            self._worker = Worker(_walk_job, "reelscale-walk")
        except (OSError, RuntimeError):
            self._broken = True

    def share(self, folder: str, in_extras: bool, chunks: list[list[str]]) -> None:
        self._waiting.extend((folder, in_extras, names) for names in chunks)
        self.busy = True
        self._send_next()

    def take(self) -> None:
        job = self._out.popleft()
        chunk = self._reply() if self._worker is not None and not self._broken else None
        self._send_next()
        self.busy = bool(self._out or self._waiting)
        self.handle(chunk if chunk is not None else walk_chunk(*job))

    def _reply(self) -> Chunk | None:
        """The helper's walk of the chunk the scan reached, or ``None``: the scan walks it
        itself, because the helper is still busy (starting, or slowed by a loaded machine:
        the scan never waits more than :data:`WAIT` for it; the reply comes later and is
        dropped) or died."""
        worker = self._worker
        try:
            while self._stale and worker.ready(WAIT):
                self._receive()
                self._stale -= 1
            if not self._stale and worker.ready(WAIT):
                self.walked += 1
                return self._receive()
        except (OSError, EOFError):
            self._broken = True
            return None
        self._stale += 1
        return None

    def _receive(self) -> Chunk:
        found, peak = pickle.loads(self._worker.receive())
        self.peak_rss_mb = max(self.peak_rss_mb, peak)
        return Chunk(*found)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def __enter__(self) -> WalkShare:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _send_next(self) -> None:
        while len(self._out) < AHEAD and self._waiting:
            job = self._waiting.popleft()
            if not self._broken and self._worker is not None:
                try:
                    self._worker.send(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
                except OSError:
                    self._broken = True
            self._out.append(job)
