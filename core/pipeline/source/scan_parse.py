"""Parse the files a scan found: in the scanning process, or in a worker process beside it.

A first scan of a big folder spends most of its time in the release-name parser; the walk, the
``stat`` calls and the SQLite writes take the rest. With ``workers=1`` a second process parses
while this one walks and writes, so a first scan uses two cores: names go to the worker in
batches of :data:`BATCH`, at most :data:`AHEAD` batches ahead, and when the worker is that far
behind, this process parses the next batch itself instead of waiting. Parsed files are handed on
in the order they were found, so items get the ids (and the database the rows) a scan in one
process gives. Memory stays bounded by those few batches.

The worker talks over two pipes, and this process runs no thread for it: with
``concurrent.futures``' pool its queue threads took the GIL from the scan about 3,000 times
and kept the worker waiting for work, which on the 300k-file benchmark cost ~0.7 s of the
scanning process. A thread in the worker drains the pipe it reads, so neither side can block
the other with both pipes full.

The worker is started with ``spawn`` (no copy of this process's SQLite connection or threads),
only once a full batch is waiting, so a rescan that parses nothing starts no process. It
ignores SIGINT and SIGTERM: the scan hears them and stops, finishing the batches in flight (a
few milliseconds of work); it exits as soon as the scanning process closes its pipe or dies. If
the worker dies, the rest is parsed here.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import threading
from collections import deque
from collections.abc import Callable

from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.release_name import parse

__all__ = ["AHEAD", "BATCH", "ParseQueue", "context", "item_fields", "parse_contexts", "safe_text"]

BATCH = 256  # names per batch sent to the worker: ~13 ms of parsing
AHEAD = 6  # batches the worker may have in hand before this process parses one itself
_SEP = "\0"  # between the names of a batch: the one character no path holds
_UP = b"up"  # the worker's first message
_IN_WORKER = None  # a batch's rows while the worker has them

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
        #: batches in hand, oldest first: (files, rows parsed here or None: the worker has them)
        self._batches: deque[tuple[list, list[tuple] | None]] = deque()
        self._in_worker = 0
        self._worker: _Worker | None = None
        self._broken = False

    @property
    def worker_pid(self) -> int | None:
        return self._worker.process.pid if self._worker is not None else None

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
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def __enter__(self) -> ParseQueue:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _dispatch(self) -> None:
        files, contexts = self._files, self._contexts
        self._files, self._contexts = [], []
        batches = self._batches
        while batches and (batches[0][1] is not None or self._ready()):
            self._hand_on_oldest()
        if self._in_worker < AHEAD and self._send(contexts):
            self._in_worker += 1
            batches.append((files, _IN_WORKER))
        else:
            batches.append((files, parse_contexts(contexts)))

    def _send(self, contexts: list[str]) -> bool:
        if self._broken:
            return False
        try:
            if self._worker is None:
                self._worker = _Worker()
            if self._in_worker and not self._worker.started():
                return False  # one batch waits while it imports the parser: parse here meanwhile
            self._worker.send(contexts)
            return True
        except (OSError, EOFError, RuntimeError):  # no process to be had, or it died: parse here
            self._broken = True
            return False

    def _ready(self) -> bool:
        try:
            worker = self._worker
            return worker is not None and worker.started() and worker.results.poll()
        except (OSError, EOFError):
            return True  # the worker is gone: _hand_on_oldest parses its batches here

    def _hand_on_oldest(self) -> None:
        files, rows = self._batches.popleft()
        if rows is None:
            self._in_worker -= 1
            rows = self._result(files)
        done = self.done
        for (path, st, is_new), fields in zip(files, rows, strict=True):
            done(path, st, is_new, fields)

    def _result(self, files: list) -> list[tuple]:
        if not self._broken:
            try:
                rows, peak = self._worker.receive()
                self.worker_peak_rss_mb = max(self.worker_peak_rss_mb, peak)
                return rows
            except (OSError, EOFError):  # the worker died: parse its batches here
                self._broken = True
        return parse_contexts([context(path) for path, _, _ in files])


class _Worker:
    """The worker process and this side of its two pipes."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        their_jobs, self.jobs = ctx.Pipe(duplex=False)
        self.results, their_results = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_serve, args=(their_jobs, their_results), daemon=True, name="reelscale-parse"
        )
        self.process.start()
        their_jobs.close()  # so that each side sees the other's end close when it exits
        their_results.close()
        self.up = False

    def started(self) -> bool:
        """Whether the worker has started (it says so once): until then jobs would pile up
        in the pipe, and this process could wait for room in it."""
        if not self.up and self.results.poll():
            self.up = self.results.recv_bytes() == _UP
        return self.up

    def receive(self) -> tuple[list[tuple], float]:
        """The rows of the oldest batch sent, and the worker's peak RSS (waits for them)."""
        if not self.up:
            self.up = self.results.recv_bytes() == _UP
        return pickle.loads(self.results.recv_bytes())

    def send(self, contexts: list[str]) -> None:
        self.jobs.send_bytes(_SEP.join(contexts).encode("utf-8", "surrogateescape"))

    def stop(self) -> None:
        self.jobs.close()  # the worker sees the end of its input and exits, or fails to
        self.results.close()  # send rows nobody will read: never blocked on a full pipe
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _serve(jobs, results) -> None:
    """The worker: parse each batch of names that comes in, send back its rows and this
    process's peak RSS. A thread reads the jobs as they come, so the scanning process never
    waits to send; the worker ends when its input ends (the scan closed it, or died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    inbox: deque[bytes | None] = deque()
    ready = threading.Semaphore(0)
    threading.Thread(target=_read_jobs, args=(jobs, inbox, ready), daemon=True).start()
    try:
        results.send_bytes(_UP)
    except OSError:  # the scanning process is gone already
        os._exit(0)
    while True:
        ready.acquire()
        data = inbox.popleft()
        if data is None:
            break
        rows = parse_contexts(data.decode("utf-8", "surrogateescape").split(_SEP))
        try:
            results.send_bytes(pickle.dumps((rows, peak_rss_mb()), pickle.HIGHEST_PROTOCOL))
        except OSError:  # the scanning process is gone
            break
    os._exit(0)


def _read_jobs(jobs, inbox: deque, ready: threading.Semaphore) -> None:
    while True:
        try:
            inbox.append(jobs.recv_bytes())
        except (OSError, EOFError):
            inbox.append(None)
            ready.release()
            return
        ready.release()


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
