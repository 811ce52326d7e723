"""The folder source: scan a movie folder into the store, incrementally.

Consumes a folder tree (:func:`core.pipeline.source.walk.walk`), writes ``items`` and ``scan_index``
rows, and returns a :class:`ScanSummary`. A video file whose ``(size, mtime_ns)`` matches its index
row is counted as unchanged and never parsed again; new and changed files are parsed (with their
folder context) and written in batches, one transaction each, so an interrupted scan keeps what it
wrote. Files gone since the last scan are removed; a removed file that reappears elsewhere with the
same inode, size and mtime is a move: its item keeps its id (and so its enrichment and decisions).

Only the index rows under the scanned folder are loaded, as ``{path: signature}``, and the
walk itself holds nothing, so memory grows with the size of the index and nothing else.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field

from core.errors import UsageError
from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.scan_parse import ParseQueue
from core.pipeline.source.scan_parse import safe_text as _text
from core.pipeline.source.videos import Seen, videos
from core.pipeline.source.walk import WalkStats, walk
from core.pipeline.source.walk_share import Chunk, WalkShare
from core.pipeline.source.worker import fewer_collections
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.items import (
    delete_scanned_item,
    file_key,
    has_scanned_files,
    move_scanned_item,
    next_item_id,
    scanned_file,
    scanned_files_under,
    upsert_scanned_items,
)

MAX_ERROR_DETAILS = 50
#: files between looks at the stop flag (well under a second of parsing), at the next folder;
#: a folder's files come in lists of at most walk.SORTED_FILES
STOP_EVERY = 5000
STOPPED = "stopped on request; the next scan takes up what is left"
_STAGE = "scan"
_EPISODE = 1 << 64  # the episode bit of an index signature (see _load_index)


@dataclass(slots=True)
class ScanSummary:
    """What a scan saw and did. ``as_dict`` is the ``--json`` output."""

    root: str
    files: int = 0
    videos: int = 0
    movies: int = 0
    episodes: int = 0
    extras: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    moved: int = 0
    removed: int = 0
    errors: int = 0
    parsed: int = 0
    symlinks_skipped: int = 0
    dirs: int = 0
    seconds: float = 0.0
    paths_per_min: float = 0.0
    peak_rss_mb: float = 0.0
    #: worker processes that parsed (0: all in this one) and the worker's peak RSS
    parse_workers: int = 0
    worker_peak_rss_mb: float = 0.0
    #: helper processes that walked part of the tree (a rescan on 2+ CPUs: walk_share) and the
    #: helper's peak RSS
    walk_workers: int = 0
    walk_worker_peak_rss_mb: float = 0.0
    stopped: str | None = None
    error_details: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def scan(
    root: str | os.PathLike[str],
    store: Store,
    *,
    follow_symlinks: bool = False,
    reporter: Reporter = NULL_REPORTER,
    batch_size: int = 2000,
    should_stop: Callable[[], bool] = lambda: False,
    parse_workers: int = 0,
) -> ScanSummary:
    """Scan ``root`` into ``store`` and return what changed.

    ``should_stop`` is asked every ``STOP_EVERY`` files, between folders: once it says yes,
    what was read is written and the scan ends (``stopped``) without taking the files it did
    not reach for removed; the next scan goes on from the index. ``parse_workers=1`` parses in
    a worker process beside this one (:mod:`~core.pipeline.source.scan_parse`): the same rows,
    sooner on two cores; and a rescan shares big folders' walk with a helper process
    (:mod:`~core.pipeline.source.walk_share`). They are spawned, so a script that calls this
    must guard its own code with ``if __name__ == "__main__":``, as ``multiprocessing``
    requires.

    :raises UsageError: ``root`` does not exist or is not a folder.
    :raises StoreError: the store cannot be written.
    """
    start = time.perf_counter()
    root = check_root(root)
    with fewer_collections():
        summary = _scan(
            root, store, follow_symlinks, reporter, batch_size, should_stop, parse_workers
        )
    elapsed = time.perf_counter() - start
    summary.seconds = round(elapsed, 3)
    summary.paths_per_min = round(summary.files / elapsed * 60)
    summary.peak_rss_mb = peak_rss_mb()
    return summary


def _scan(root, store, follow_symlinks, reporter, batch_size, should_stop, parse_workers):
    writer = _Writer(store, batch_size)
    rescan = parse_workers > 0 and not follow_symlinks and has_scanned_files(store)
    with WalkShare() if rescan else nullcontext() as share:
        if share is not None:
            share.start()  # while the index loads
        pass_ = _Pass(store, ScanSummary(root=root), _load_index(store, root), writer)
        if share is not None:
            share.handle = pass_.shared
        reporter.start(_STAGE)
        with ParseQueue(pass_.parsed, workers=parse_workers) as queue:
            pass_.walk(root, follow_symlinks, queue, reporter, should_stop, share)
        if share is not None and share.walked:
            pass_.summary.walk_workers = 1
            pass_.summary.walk_worker_peak_rss_mb = share.peak_rss_mb
    summary = pass_.summary
    if queue.worker_peak_rss_mb:
        summary.parse_workers, summary.worker_peak_rss_mb = 1, queue.worker_peak_rss_mb
    if summary.stopped is None:
        _keep_unreadable(pass_.index, pass_.unreadable)
        summary.moved, summary.removed = _settle_vanished(store, pass_.index, pass_.fresh_by_inode)
        summary.new -= summary.moved
    reporter.finish(_STAGE)
    return summary


class _Pass:
    """One scan: its summary, the index rows not seen yet, the new files by inode (to find
    moves), and the paths that exist but could not be read (never taken for removed)."""

    def __init__(self, store: Store, summary: ScanSummary, index: dict, writer: _Writer) -> None:
        self.store, self.summary, self.index, self.writer = store, summary, index, writer
        self.had_index = bool(index)
        self.files = self.videos = self.unchanged = self.episodes = self.reported = 0
        self.next_stop = STOP_EVERY
        self.walk_stats, self.seen = WalkStats(), Seen()
        self.fresh_by_inode: dict[tuple[int, int, int], str] = {}
        self.unreadable: list[str] = []

    def on_error(self, path: str, reason: str) -> None:
        summary = self.summary
        summary.errors += 1
        if reason.startswith("cannot "):  # there, but not readable now: not gone
            self.unreadable.append(path)
        if len(summary.error_details) < MAX_ERROR_DETAILS:
            summary.error_details.append({"path": _text(path), "reason": reason})

    def walk(self, root, follow, queue: ParseQueue, reporter, should_stop, share) -> None:
        """Every file under ``root``, a folder's videos at a time to :meth:`_take`; the chunks
        ``share`` walks come to :meth:`shared`."""
        summary, on_error = self.summary, self.on_error
        self.queue, self.reporter, self.should_stop = queue, reporter, should_stop
        walk_stats, seen = self.walk_stats, self.seen
        for prefix, entries, in_extras, fd in walk(
            root, follow_symlinks=follow, on_error=on_error, stats=walk_stats, helper=share
        ):
            if self.files >= self.next_stop and self._stop():
                break
            self.files += len(entries)
            self._take(videos(prefix, entries, in_extras, fd, follow, seen, on_error))
            if summary.stopped:
                break
        queue.flush()
        self.writer.flush()
        summary.files, summary.videos, summary.unchanged = self.files, self.videos, self.unchanged
        summary.movies, summary.episodes = self.videos - self.episodes, self.episodes
        summary.extras = seen.extras
        summary.dirs, summary.symlinks_skipped = walk_stats.dirs, walk_stats.symlinks_skipped

    def shared(self, chunk: Chunk) -> None:
        """The files of a chunk the helper walked, where the walk reaches it."""
        for path, reason in chunk.errors:
            self.on_error(path, reason)
        self.walk_stats.dirs += chunk.dirs
        self.walk_stats.symlinks_skipped += chunk.symlinks_skipped
        self.seen.extras += chunk.extras
        self.files += chunk.files
        self._take(chunk.videos)
        if self.files >= self.next_stop:
            self._stop()

    def _take(self, found: list[tuple]) -> None:
        """Videos found, ``(path, size, mtime_ns, inode)``: the unchanged counted, the new and
        changed queued to be parsed (:meth:`parsed`). The hot loop of a rescan."""
        index, to_parse = self.index, self.queue.add
        unchanged = episodes = 0
        for file in found:
            path, size, mtime_ns, _ = file
            signature = (size << 65) + mtime_ns
            old = index.pop(path, None)
            if old == signature or old == signature + _EPISODE:
                unchanged += 1
                episodes += old != signature
                continue
            to_parse(file, old is None)
        self.videos += len(found)
        self.unchanged += unchanged
        self.episodes += episodes

    def _stop(self) -> bool:
        """Report progress; whether the scan is asked to stop (then it is ``stopped``)."""
        done = self.files - self.files % STOP_EVERY
        self.reporter.advance(
            _STAGE, done - self.reported, videos=self.videos, parsed=self.summary.parsed
        )
        self.reported, self.next_stop = done, done + STOP_EVERY
        if self.summary.stopped is None and self.should_stop():
            self.summary.stopped = STOPPED
        return self.summary.stopped is not None

    def parsed(self, file: tuple, is_new: bool, fields: tuple) -> None:
        """A new or changed file ``(path, size, mtime_ns, inode)``, parsed: counted, written."""
        summary = self.summary
        summary.parsed += 1
        self.episodes += fields[2] == "episode"
        if is_new:
            summary.new += 1
            self.writer.add(file, fields)
            if self.had_index:
                path, size, mtime_ns, inode = file
                self.fresh_by_inode[(inode, size, mtime_ns)] = path
        else:
            summary.changed += 1
            self.writer.change(file, fields)


class _Writer:
    """Buffers new and changed files and writes them ``batch_size`` at a time, one transaction each.

    Rows are plain tuples, which :func:`~core.store.items.upsert_scanned_items` writes with
    ``executemany`` rather than ``Table.insert_all``: on the 300k-file scan benchmark the latter's
    per-row dict handling cost more than the parse itself.
    """

    def __init__(self, store: Store, batch_size: int) -> None:
        self.store = store
        self.batch_size = batch_size
        self.next_id = next_item_id(store)
        self.new_items: list[tuple] = []
        self.new_index: list[tuple] = []
        self.changed: list[tuple[str | bytes, int, int, int, tuple]] = []

    def add(self, file: tuple, fields: tuple) -> None:
        path, size, mtime_ns, inode = file
        self.new_items.append((self.next_id, file_key(path), *fields))
        self.new_index.append((self.next_id, size, mtime_ns, inode))
        self.next_id += 1
        if len(self.new_items) >= self.batch_size:
            self.flush()

    def change(self, file: tuple, fields: tuple) -> None:
        path, size, mtime_ns, inode = file
        self.changed.append((file_key(path), size, mtime_ns, inode, fields))
        if len(self.changed) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not (self.new_items or self.changed):
            return
        upsert_scanned_items(self.store, self.new_items, self.new_index, self.changed)
        self.new_items.clear()
        self.new_index.clear()
        self.changed.clear()


def _keep_unreadable(index: dict[str, int], unreadable: list[str]) -> None:
    """Drop from ``index`` (the rows not seen) the files in or under a path that could not be
    read (permission denied, an I/O error on a network mount): they are not known to be gone,
    so their items and the decisions paid for them stay."""
    if not unreadable:
        return
    exact = set(unreadable)
    below = tuple(path.rstrip("/") + "/" for path in unreadable)
    for path in [p for p in index if p in exact or p.startswith(below)]:
        del index[path]


def _settle_vanished(
    store: Store, vanished: dict[str, int], fresh_by_inode: dict[tuple[int, int, int], str]
) -> tuple[int, int]:
    """Turn index rows not seen in this walk into moves (when a new file matches) or removals."""
    if not vanished:
        return 0, 0
    moved = removed = 0
    with store.atomic():
        for path in vanished:
            item_id, inode, size, mtime_ns = scanned_file(store, file_key(path))
            new_path = fresh_by_inode.pop((inode, size, mtime_ns), None)
            if new_path is None:
                delete_scanned_item(store, item_id)
                removed += 1
            else:
                move_scanned_item(store, item_id, file_key(new_path))
                moved += 1
    return moved, removed


def _load_index(store: Store, root: str) -> dict[str, int]:
    """``{path: signature}`` for the indexed files under ``root``.

    The signature packs ``(size, is_episode, mtime_ns)`` as ``(size * 2 + is_episode) << 64``
    plus ``mtime_ns`` (exact for any 64-bit mtime, before 1970 too), so unchanged files are
    counted without a query; the query gives the first part, so one comprehension builds it.
    """
    index = {
        path: (high << 64) + mtime_ns for path, high, mtime_ns in scanned_files_under(store, root)
    }
    undecoded = [path for path in index if type(path) is bytes]
    for path in undecoded:
        index[os.fsdecode(path)] = index.pop(path)
    return index


def check_root(root: str | os.PathLike[str]) -> str:
    """The absolute path of ``root``; UsageError when it is missing or not a folder."""
    path = os.path.abspath(os.fspath(root))
    if not os.path.exists(path):
        raise UsageError(
            f"folder {_text(path)} does not exist; pass the folder that holds your movies"
        )
    if not os.path.isdir(path):
        raise UsageError(f"{_text(path)} is not a folder; pass the folder that holds your movies")
    return path
