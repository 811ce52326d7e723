"""A stop request that long work checks between steps: SIGTERM and SIGINT set it.

``docker stop`` sends SIGTERM and waits (10 s by default) before killing. A run that checks
:meth:`StopFlag.is_set` between request batches and tag chunks finishes the current batch, saves
its state and exits 0 instead of being killed mid-write::

    stop = StopFlag()
    stop.install_signal_handlers()
    for chunk in chunks:
        if stop.is_set():
            break
        write(chunk)

A second signal while the first is being honoured raises :class:`KeyboardInterrupt`, so a run
that hangs can still be interrupted from the keyboard.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

__all__ = ["StopFlag", "stop_on_signals"]

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopFlag:
    """A thread-safe "please stop" with the reason it was asked for."""

    __slots__ = ("_event", "_reason", "_stopped")

    def __init__(self) -> None:
        self._event = threading.Event()
        self._reason: str | None = None
        self._stopped = False

    def set(self, reason: str = "stop requested") -> None:
        """Ask the work to stop; the first reason given is kept."""
        if self._reason is None:
            self._reason = reason
        self._stopped = True
        self._event.set()

    def _set_from_signal(self, reason: str) -> None:
        """The signal handler's ``set``: it must not take the event's lock.

        The handler runs in the main thread between two bytecodes, possibly while that thread
        holds the event's (non-reentrant) lock inside :meth:`wait`; taking it again there would
        hang the process for good. So the flag is set at once and the sleeper is woken from a
        short-lived thread, which gets the lock as soon as the main thread lets go of it.
        """
        if self._reason is None:
            self._reason = reason
        self._stopped = True
        threading.Thread(target=self._event.set, name="stop-flag", daemon=True).start()

    def is_set(self) -> bool:
        return self._stopped

    @property
    def reason(self) -> str | None:
        """Why the stop was asked for (``"SIGTERM"``, ...), or ``None`` while not stopped."""
        return self._reason

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep up to ``timeout`` seconds, waking at once when the flag is set.

        Returns whether the flag is set.
        """
        return self._event.wait(timeout) or self._stopped

    def install_signal_handlers(
        self, signals: Iterable[signal.Signals] = _STOP_SIGNALS
    ) -> Callable[[], None]:
        """Make ``signals`` (SIGTERM and SIGINT) set this flag; returns a function that undoes it.

        Must be called from the main thread (Python delivers signals there only).
        """
        previous = {}

        def handle(signum: int, frame: object) -> None:
            if self.is_set():
                raise KeyboardInterrupt(f"{signal.Signals(signum).name} while stopping")
            self._set_from_signal(signal.Signals(signum).name)

        for sig in signals:
            previous[sig] = signal.signal(sig, handle)

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    def __repr__(self) -> str:
        return f"StopFlag(set={self.is_set()}, reason={self._reason!r})"


@contextlib.contextmanager
def stop_on_signals() -> Iterator[StopFlag]:
    """A :class:`StopFlag` that SIGTERM and SIGINT set while the block runs (the long commands:
    scan, enrich, classify, run); the previous handlers come back after it."""
    flag = StopFlag()
    restore = flag.install_signal_handlers()
    try:
        yield flag
    finally:
        restore()
