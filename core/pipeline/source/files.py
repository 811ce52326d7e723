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
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from core.errors import UsageError
from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.release_name import parse
from core.pipeline.source.release_words import VIDEO_EXTENSIONS
from core.pipeline.source.walk import WalkStats, walk
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.items import (
    delete_scanned_item,
    file_key,
    move_scanned_item,
    next_item_id,
    scanned_file,
    scanned_files_under,
    upsert_scanned_items,
)

_EXTRA_NAME = re.compile(
    r"^(?:sample|trailer)(?:-.*)?$"
    r"|[-._ ](?:sample|trailer)$"
    r"|-(?:featurette|behindthescenes|deleted|deletedscene|interview|scene|short|other)$"
)

MAX_ERROR_DETAILS = 50
STOP_EVERY = 5000  # files between looks at the stop flag (well under a second of parsing)
STOPPED = "stopped on request; the next scan takes up what is left"
_STAGE = "scan"


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
) -> ScanSummary:
    """Scan ``root`` into ``store`` and return what changed.

    ``should_stop`` is asked every ``STOP_EVERY`` files: once it says yes, what was read is
    written and the scan ends (``stopped``) without taking the files it did not reach for
    removed; the next scan goes on from the index.

    :raises UsageError: ``root`` does not exist or is not a folder.
    :raises StoreError: the store cannot be written.
    """
    start = time.perf_counter()
    root = check_root(root)
    pass_ = _Pass(store, ScanSummary(root=root), _load_index(store, root))
    reporter.start(_STAGE)
    pass_.walk(root, follow_symlinks, _Writer(store, batch_size), reporter, should_stop)
    summary = pass_.summary
    if summary.stopped is None:
        _keep_unreadable(pass_.index, pass_.unreadable)
        summary.moved, summary.removed = _settle_vanished(store, pass_.index, pass_.fresh_by_inode)
        summary.new -= summary.moved
    reporter.finish(_STAGE)
    elapsed = time.perf_counter() - start
    summary.seconds = round(elapsed, 3)
    summary.paths_per_min = round(summary.files / elapsed * 60)
    summary.peak_rss_mb = peak_rss_mb()
    return summary


class _Pass:
    """One scan: its summary, the index rows not seen yet, the new files by inode (to find
    moves), and the paths that exist but could not be read (never taken for removed)."""

    def __init__(self, store: Store, summary: ScanSummary, index: dict) -> None:
        self.store, self.summary, self.index = store, summary, index
        self.had_index = bool(index)
        self.fresh_by_inode: dict[tuple[int, int, int], str] = {}
        self.unreadable: list[str] = []

    def on_error(self, path: str, reason: str) -> None:
        summary = self.summary
        summary.errors += 1
        if reason.startswith("cannot "):  # there, but not readable now: not gone
            self.unreadable.append(path)
        if len(summary.error_details) < MAX_ERROR_DETAILS:
            summary.error_details.append({"path": _text(path), "reason": reason})

    def walk(self, root, follow_symlinks, writer: _Writer, reporter: Reporter, should_stop) -> None:
        """Every file under ``root``: unchanged videos counted, new and changed ones parsed and
        written. The hot loop of a scan: what it reads is bound to locals first."""
        summary, index, on_error = self.summary, self.index, self.on_error
        had_index, fresh_by_inode = self.had_index, self.fresh_by_inode
        walk_stats = WalkStats()
        video_exts = VIDEO_EXTENSIONS
        is_extra_name = _EXTRA_NAME.search
        files = videos = unchanged = episodes = 0
        for entry, in_extras in walk(
            root, follow_symlinks=follow_symlinks, on_error=on_error, stats=walk_stats
        ):
            files += 1
            if not files % STOP_EVERY:
                reporter.advance(_STAGE, STOP_EVERY, videos=videos, parsed=summary.parsed)
                if should_stop():
                    summary.stopped = STOPPED
                    break
            name = entry.name
            dot = name.rfind(".")
            if dot <= 0 or name[dot + 1 :].lower() not in video_exts:
                continue
            if in_extras or is_extra_name(name[:dot].lower()):
                summary.extras += 1
                continue
            try:
                st = entry.stat(follow_symlinks=follow_symlinks)
            except FileNotFoundError:
                on_error(entry.path, "file vanished during the scan")
                continue
            except OSError as exc:
                on_error(entry.path, f"cannot stat file: {exc.strerror or exc}")
                continue
            videos += 1
            path = entry.path
            signature = (st.st_size << 64) | st.st_mtime_ns
            old = index.pop(path, None)
            if old is not None and old >> 1 == signature:
                unchanged += 1
                episodes += old & 1
                continue
            context = _context(path)
            release = parse(context)
            summary.parsed += 1
            episodes += release.type == "episode"
            if old is None:
                summary.new += 1
                writer.add(path, st, _item_fields(release, context))
                if had_index:
                    fresh_by_inode[(st.st_ino, st.st_size, st.st_mtime_ns)] = path
            else:
                summary.changed += 1
                writer.change(path, st, _item_fields(release, context))
        writer.flush()
        summary.files, summary.videos, summary.unchanged = files, videos, unchanged
        summary.movies, summary.episodes = videos - episodes, episodes
        summary.dirs, summary.symlinks_skipped = walk_stats.dirs, walk_stats.symlinks_skipped


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

    def add(self, path: str, st: os.stat_result, fields: tuple) -> None:
        self.new_items.append((self.next_id, file_key(path), *fields))
        self.new_index.append((self.next_id, st.st_size, st.st_mtime_ns, st.st_ino))
        self.next_id += 1
        if len(self.new_items) >= self.batch_size:
            self.flush()

    def change(self, path: str, st: os.stat_result, fields: tuple) -> None:
        self.changed.append((file_key(path), st.st_size, st.st_mtime_ns, st.st_ino, fields))
        if len(self.changed) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not (self.new_items or self.changed):
            return
        upsert_scanned_items(self.store, self.new_items, self.new_index, self.changed)
        self.new_items.clear()
        self.new_index.clear()
        self.changed.clear()


def _item_fields(release, context: str) -> tuple:
    """The parsed fields stored for a file, in :data:`core.store.items.ITEM_FIELDS` order."""
    return (
        _text(release.title),
        release.year,
        release.type,
        release.season,
        release.episode,
        _text(release.edition),
        release.resolution,
        release.source,
        release.codec,
        _text(release.group),
        _tmdb_hint(context),
    )


_TMDB_TAG = re.compile(r"[\[{]tmdb(?:id)?[-=](\d{1,9})[\]}]", re.IGNORECASE)


def _tmdb_hint(context: str) -> int | None:
    """The TMDB id a Radarr/Plex/Jellyfin name carries, ``[tmdbid-603]`` or ``{tmdb-603}``."""
    if "tmdb" not in context and "TMDB" not in context:
        return None
    found = _TMDB_TAG.findall(context)
    return int(found[-1]) if found else None


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

    The signature packs ``(size, mtime_ns)`` and, in the lowest bit, whether the item is an
    episode, so unchanged files are counted without a query.
    """
    index: dict[str, int] = {}
    for path, size, mtime_ns, episode in scanned_files_under(store, root):
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        index[path] = (((size << 64) | mtime_ns) << 1) | episode
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


def _context(path: str) -> str:
    """The last three path components: the file and the folders that may name the movie."""
    return "/".join(path.rsplit("/", 3)[-3:])


def _text(value: str | None) -> str | None:
    """``value`` safe to store and print: undecodable bytes and lone surrogates become U+FFFD."""
    if value is None or value.isascii():
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return raw.decode("utf-8", "replace")
