"""Parse the files a scan found: in the scanning process, or in a worker process beside it.

A first scan of a big folder spends most of its time in the release-name parser; the walk, the
``stat`` calls and the SQLite writes take the rest. With ``workers=1`` a second process parses
while this one walks and writes, so a first scan uses two cores: names go to the worker in
batches of :data:`BATCH`, at most :data:`AHEAD` batches ahead, and when the worker is that far
behind, this process parses the next batch itself instead of waiting. Parsed files are handed on
in the order they were found, so items get the ids (and the database the rows) a scan in one
process gives. Memory stays bounded by those few batches.

The worker (:class:`~core.pipeline.source.worker.Worker`: no thread in this process, which
on the 300k-file benchmark saved ~0.7 s of it against ``concurrent.futures``' pool) is started
only once a full batch is waiting, so a rescan that parses nothing starts none. A stopped scan
finishes the batches in flight (a few milliseconds of work). If the worker dies, the rest is
parsed here.
"""

from __future__ import annotations

import os
import pickle
import re
from collections import deque
from collections.abc import Callable

from core.pipeline.profile import peak_rss_mb
from core.pipeline.source.release_name import parse
from core.pipeline.source.worker import Worker

__all__ = [
    "AHEAD",
    "BATCH",
    "ParseQueue",
    "context",
    "default_workers",
    "item_fields",
    "parse_contexts",
    "safe_text",
]

BATCH = 256  # names per batch sent to the worker: ~13 ms of parsing
AHEAD = 6  # batches the worker may have in hand before this process parses one itself
_SEP = "\0"  # between the names of a batch: the one character no path holds
_IN_WORKER = None  # a batch's rows while the worker has them

#: Called with ``(file, is_new, fields)`` for every parsed file, in the order added; a file is
#: ``(path, size, mtime_ns, inode)``.
Done = Callable[[tuple, bool, tuple], None]


def default_workers() -> int:
    """The parse workers of a scan a user starts (``reelscale scan``, a run's folder source): 1
    when this process may run on two or more CPUs, else 0."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 1 if cpus >= 2 else 0


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
    """Files to parse in, ``done(file, is_new, fields)`` out, in the order they came in.

    :param workers: 0 parses each file at once in this process; 1 uses a worker process.
    """

    def __init__(self, done: Done, *, workers: int = 0) -> None:
        self.done = done
        self.workers = workers
        self.worker_peak_rss_mb = 0.0
        self._files: list[tuple[tuple, bool]] = []  # (file, is_new)
        self._contexts: list[str] = []
        #: batches in hand, oldest first: (files, rows parsed here or None: the worker has them)
        self._batches: deque[tuple[list, list[tuple] | None]] = deque()
        self._in_worker = 0
        self._worker: Worker | None = None
        self._broken = False

    @property
    def worker_pid(self) -> int | None:
        return self._worker.process.pid if self._worker is not None else None

    def add(self, file: tuple, is_new: bool) -> None:
        """Parse ``file``, ``(path, size, mtime_ns, inode)``, or queue it to be."""
        ctx = context(file[0])
        if not self.workers:
            self.done(file, is_new, item_fields(parse(ctx), ctx))
            return
        self._files.append((file, is_new))
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
                self._worker = Worker(_parse_batch, "reelscale-parse")
            if self._in_worker and not self._worker.started():
                return False  # one batch waits while it imports the parser: parse here meanwhile
            self._worker.send(_SEP.join(contexts).encode("utf-8", "surrogateescape"))
            return True
        except (OSError, EOFError, RuntimeError):  # no process to be had, or it died: parse here
            self._broken = True
            return False

    def _ready(self) -> bool:
        try:
            return self._worker is not None and self._worker.ready()
        except (OSError, EOFError):
            return True  # the worker is gone: _hand_on_oldest parses its batches here

    def _hand_on_oldest(self) -> None:
        files, rows = self._batches.popleft()
        if rows is None:
            self._in_worker -= 1
            rows = self._result(files)
        done = self.done
        for (file, is_new), fields in zip(files, rows, strict=True):
            done(file, is_new, fields)

    def _result(self, files: list) -> list[tuple]:
        if not self._broken:
            try:
                rows, peak = pickle.loads(self._worker.receive())
                self.worker_peak_rss_mb = max(self.worker_peak_rss_mb, peak)
                return rows
            except (OSError, EOFError):  # the worker died: parse its batches here
                self._broken = True
        return parse_contexts([context(file[0]) for file, _ in files])


def _parse_batch(data: bytes) -> bytes:
    """In the worker: a batch's names in, its rows and the worker's peak RSS out."""
    rows = parse_contexts(data.decode("utf-8", "surrogateescape").split(_SEP))
    return pickle.dumps((rows, peak_rss_mb()), pickle.HIGHEST_PROTOCOL)


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
