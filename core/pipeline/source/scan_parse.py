"""Parse the files a scan found: in the scanning process, or in a worker process beside it.

A first scan of a big folder spends most of its time in the release-name parser; the walk, the
``stat`` calls and the SQLite writes take the rest. With ``workers=1`` a second process parses
while this one walks and writes, so a first scan uses two cores: names go to the worker in
batches of :data:`BATCH`, at most :data:`AHEAD` batches ahead, and when the worker is that far
behind, this process parses the next batch itself instead of waiting. Parsed files are handed on
in the order they were found, so items get the ids (and the database the rows) a scan in one
process gives. Memory stays bounded by those few batches.

The worker is started with ``spawn`` (no copy of this process's SQLite connection or threads),
only once a full batch is waiting, so a rescan that parses nothing starts no process. It
ignores SIGINT and SIGTERM: the scan hears them and stops, finishing the batches in flight (a
few milliseconds of work); it exits within a second of the scanning process being killed. If
the worker dies, the rest is parsed here.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.release_name import parse

if TYPE_CHECKING:  # imported when a worker starts: a scan in one process does without them
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["AHEAD", "BATCH", "ParseQueue", "context", "item_fields", "parse_contexts", "safe_text"]

BATCH = 256  # names per batch sent to the worker: ~10 ms of parsing
AHEAD = 2  # batches the worker may have in hand before this process parses one itself

#: Called with ``(path, stat_result, is_new, fields)`` for every parsed file, in the order added.
Done = Callable[[str, os.stat_result, bool, tuple], None]


def item_fields(release, context: str) -> tuple:
    """The parsed fields stored for a file, in :data:`core.store.items.ITEM_FIELDS` order."""
    return (
        safe_text(release.title),
        release.year,
        release.type,
        release.season,
        release.episode,
        safe_text(release.edition),
        release.resolution,
        release.source,
        release.codec,
        safe_text(release.group),
        _tmdb_hint(context),
    )


def parse_contexts(contexts: list[str]) -> list[tuple]:
    """The fields of each context (a file with its folders, see :func:`context`)."""
    return [item_fields(parse(ctx), ctx) for ctx in contexts]


def _in_worker(contexts: list[str]) -> tuple[list[tuple], float]:
    """:func:`parse_contexts` in the worker, with the worker's peak RSS in MB so far."""
    return parse_contexts(contexts), peak_rss_mb()


def context(path: str) -> str:
    """The last three path components: the file and the folders that may name the movie."""
    return "/".join(path.rsplit("/", 3)[-3:])


class ParseQueue:
    """Files to parse in, ``done(path, st, is_new, fields)`` out, in the order they came in.

    :param workers: 0 parses each file at once in this process; 1 uses a worker process.
    """

    def __init__(self, done: Done, *, workers: int = 0) -> None:
        self.done = done
        self.workers = workers
        self.worker_peak_rss_mb = 0.0
        self._files: list[tuple[str, os.stat_result, bool]] = []
        self._contexts: list[str] = []
        #: batches in hand, oldest first: (files, a Future or the rows parsed here)
        self._batches: deque[tuple[list, Future | list[tuple]]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def add(self, path: str, st: os.stat_result, is_new: bool) -> None:
        ctx = context(path)
        if not self.workers:
            self.done(path, st, is_new, item_fields(parse(ctx), ctx))
            return
        self._files.append((path, st, is_new))
        self._contexts.append(ctx)
        if len(self._files) >= BATCH:
            self._dispatch()

    def flush(self) -> None:
        """Parse and hand on everything added so far."""
        if self._files:
            self._dispatch()
        while self._batches:
            self._hand_on_oldest()

    def close(self) -> None:
        """Stop the worker (after its batch in hand, if any); batches not handed on are lost."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ParseQueue:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _dispatch(self) -> None:
        files, contexts = self._files, self._contexts
        self._files, self._contexts = [], []
        batches = self._batches
        while batches and _ready(batches[0][1]):
            self._hand_on_oldest()
        job: Future | list[tuple] | None = None
        if not self._broken and sum(not isinstance(j, list) for _, j in batches) < AHEAD:
            job = self._submit(contexts)
        if job is None:
            job = parse_contexts(contexts)
        batches.append((files, job))
        while len(batches) > 2 * AHEAD:  # the worker is stuck far behind: wait for it
            self._hand_on_oldest()

    def _submit(self, contexts: list[str]) -> Future | None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool.submit(_in_worker, contexts)
        except (BrokenProcessPool, OSError, RuntimeError):  # no process to be had: parse here
            self._broken = True
            return None

    def _hand_on_oldest(self) -> None:
        files, job = self._batches.popleft()
        rows = job if isinstance(job, list) else self._result(job, files)
        done = self.done
        for (path, st, is_new), fields in zip(files, rows, strict=True):
            done(path, st, is_new, fields)

    def _result(self, job: Future, files: list) -> list[tuple]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            rows, peak = job.result()
        except (BrokenProcessPool, OSError):  # the worker died: parse its batches here
            self._broken = True
            return parse_contexts([context(path) for path, _, _ in files])
        self.worker_peak_rss_mb = max(self.worker_peak_rss_mb, peak)
        return rows


def _ready(job: Future | list) -> bool:
    return isinstance(job, list) or job.done()


def _start_worker(parent: int) -> None:
    """The worker leaves SIGINT (Ctrl-C reaches the whole process group) and SIGTERM to the
    scanning process, which stops the scan in order and then the worker; and it exits when the
    scanning process is gone (``kill -9``), which would otherwise leave it waiting for work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


_TMDB_TAG = re.compile(r"[\[{]tmdb(?:id)?[-=](\d{1,9})[\]}]", re.IGNORECASE)


def _tmdb_hint(context: str) -> int | None:
    """The TMDB id a Radarr/Plex/Jellyfin name carries, ``[tmdbid-603]`` or ``{tmdb-603}``."""
    if "tmdb" not in context and "TMDB" not in context:
        return None
    found = _TMDB_TAG.findall(context)
    return int(found[-1]) if found else None


def safe_text(value: str | None) -> str | None:
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
