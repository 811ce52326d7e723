"""A helper process of the scan and the two pipes it talks over (bytes in, bytes out).

Used by the parse worker (:mod:`~core.pipeline.source.scan_parse`) and the process that walks
part of a big folder in a rescan (:mod:`~core.pipeline.source.walk_share`). The scanning side
runs no thread for it: with ``concurrent.futures``' pool its queue threads took the GIL from the
scan about 3,000 times on the 300k-file benchmark and kept the worker waiting for work. A
thread in the worker drains the pipe it reads, so neither side can block the other with both
pipes full.

The process is started with ``spawn`` (no copy of the scan's SQLite connection or threads). It
ignores SIGINT and SIGTERM: the scan hears them and stops in order, then closes the pipes; the
worker exits as soon as its input ends, whether the scan closed it or died.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator

_UP = b"up"  # the worker's first message


class Worker:
    """The worker process running ``handle`` on each message, and this side of its pipes.

    :param handle: a module-level function (``spawn`` imports it by name) from a message's
        bytes to the reply's.
    """

    def __init__(self, handle: Callable[[bytes], bytes], name: str) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        their_jobs, self.jobs = ctx.Pipe(duplex=False)
        self.results, their_results = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_serve, args=(handle, their_jobs, their_results), daemon=True, name=name
        )
        self.process.start()
        their_jobs.close()  # so that each side sees the other's end close when it exits
        their_results.close()
        self.up = False
        _widen(self.results)

    def started(self) -> bool:
        """Whether the worker has started (it says so once): until then jobs would pile up
        in the pipe, and this process could wait for room in it."""
        if not self.up and self.results.poll():
            self.up = self.results.recv_bytes() == _UP
        return self.up

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether a reply (or the end of the worker) is waiting, or comes within ``timeout``
        seconds (twice that while the worker is starting)."""
        if not self.up:
            if not self.results.poll(timeout):
                return False
            self.up = self.results.recv_bytes() == _UP
        return self.results.poll(timeout)

    def send(self, message: bytes) -> None:
        self.jobs.send_bytes(message)

    def receive(self) -> bytes:
        """The reply to the oldest message sent (waits for it).

        :raises EOFError: the worker died.
        """
        if not self.up:
            self.up = self.results.recv_bytes() == _UP
        return self.results.recv_bytes()

    def stop(self) -> None:
        self.jobs.close()  # the worker sees the end of its input and exits, or fails to
        self.results.close()  # send a reply nobody will read: never blocked on a full pipe
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


#: Allocations between the youngest generation's collections during a scan (Python: 700). A
#: scan allocates a few tuples a file and frees them soon; at 700, thousands of collections
#: walked the young objects for nothing.
GC_THRESHOLD = 100_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`GC_THRESHOLD` allocations, then as before."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


PIPE_BYTES = 1 << 20  # Linux's default most for an unprivileged process (fs/pipe-max-size)


def _widen(conn) -> None:
    """Let the pipe hold several replies (Linux: 64 KiB by default, about one), so that the
    worker goes on with the next message instead of waiting for this process to read."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit: keep it
        pass


def _serve(handle: Callable[[bytes], bytes], jobs, results) -> None:
    """The worker's loop: reply to each message with ``handle(message)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
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
        reply = handle(data)
        try:
            results.send_bytes(reply)
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
