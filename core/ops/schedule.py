"""When scheduled runs happen, and the loop that runs them.

A schedule is an interval (``1h``, ``6h``, ``1d``, ``2d``, ``1w``, ``1mo``: N then ``h``, ``d``,
``w`` or ``mo``) or a 5-field cron expression (``0 3 * * *``), in a time zone (``TZ`` or
``[schedule] timezone``, UTC when unset). Kometa-AI users know the interval form from
``SCHEDULE_INTERVAL`` and ``SCHEDULE_START_TIME``.

Slots are wall-clock times in the zone, anchored, never "now + interval":

- ``Nh`` runs at the start time (default 00:00) and every N hours from it within each day, so
  ``6h`` from 03:00 runs at 03:00, 09:00, 15:00 and 21:00. N must divide 24.
- ``Nd`` runs at the start time every N days, counted from Monday 2000-01-03.
- ``Nw`` runs on Mondays at the start time, every N weeks counted from the same Monday.
- ``Nmo`` runs on the 1st of the month at the start time, in months whose number since year 0
  is a multiple of N (``3mo``: January, April, July, October).

Restarts therefore never shift the schedule: :meth:`Schedule.next_run` of any moment gives the
same slots. Across DST changes, a wall-clock time the clocks skip runs an hour later (02:30 runs at
03:30 local), and a time that happens twice runs once for daily and longer intervals and for cron
expressions with a fixed minute and hour, twice for hour intervals and wildcard cron expressions
(``0 * * * *``), like cron does.

:func:`run_on_schedule` sleeps until each slot, runs, reports, and returns 0 when stopped. A run
that lasts past a slot skips it (runs never overlap); when the caller passes the last successful
run and a slot was missed since (the process was down at that time), one catch-up run starts at
once.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as Time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from core.errors import ConfigError, ReelscaleError
from core.ops.stopping import StopFlag

if TYPE_CHECKING:
    from core.config.model import ScheduleSettings

__all__ = ["Schedule", "failed_report", "run_on_schedule"]

log = logging.getLogger(__name__)

# Day and week intervals count from this Monday, so "2d" and "2w" slots survive restarts.
EPOCH = date(2000, 1, 3)
# The longest single sleep: the wall clock is read again after it, so a suspend, a clock step or
# a DST change cannot make the loop oversleep a slot by more than this.
MAX_NAP = 60.0

_INTERVAL = re.compile(r"\s*(\d+)\s*(h|d|w|mo)\s*", re.IGNORECASE)
_MINUTES = re.compile(r"\s*\d+\s*(m|min|mins|minutes?)\s*", re.IGNORECASE)
_START = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")
_ACCEPTED = (
    "use an interval like 1h, 6h, 1d, 2d, 1w or 1mo (N then h, d, w or mo), or a 5-field cron "
    "expression like '0 3 * * *' (minute hour day month weekday)"
)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When runs happen: ``every`` ``unit`` from ``start``, or the ``cron`` expression."""

    spec: str
    tz: ZoneInfo
    unit: str | None = None  # "h", "d", "w", "mo" for an interval, None for cron
    every: int = 1
    start: Time = Time(0, 0)
    cron: str | None = None

    @classmethod
    def parse(
        cls, spec: str, *, start_time: str | None = None, timezone: str | None = None
    ) -> Schedule:
        """Read an interval or cron spec; raises :class:`ConfigError` saying what is accepted.

        >>> Schedule.parse("6h", start_time="03:00", timezone="Europe/Berlin")
        Schedule('every 6h from 03:00, Europe/Berlin')
        """
        return _parse(spec, start_time, timezone, _NAMES)

    @classmethod
    def from_config(
        cls, schedule: ScheduleSettings, where: Callable[[str], str]
    ) -> Schedule | None:
        """The schedule of the ``[schedule]`` settings, or ``None`` when no interval is set.

        ``where("schedule.interval")`` names the setting in a message (``SCHEDULE_INTERVAL``...).
        """
        if not schedule.interval:
            return None
        names = {k: where(f"schedule.{k}") for k in ("interval", "start_time", "timezone")}
        return _parse(schedule.interval, schedule.start_time, schedule.timezone, names)

    def next_run(self, after: datetime) -> datetime:
        """The first slot strictly after ``after`` (an aware datetime), in the schedule's zone."""
        if after.tzinfo is None or after.utcoffset() is None:
            raise ValueError("next_run() needs an aware datetime")
        after_utc = after.astimezone(UTC)
        # Start a little early: the wall clock near ``after`` may be ambiguous or skipped.
        naive = after_utc.astimezone(self.tz).replace(tzinfo=None) - timedelta(hours=3)
        for slot in self._naive_slots(naive):
            for aware in _localize(slot, self.tz, repeat=self._repeats()):
                if aware.astimezone(UTC) > after_utc:
                    return aware
        raise AssertionError("unreachable: slot generators are infinite")  # pragma: no cover

    def describe(self) -> str:
        """``every 6h from 03:00, Europe/Berlin`` or ``cron '0 3 * * 1', UTC``: for logs."""
        if self.cron is not None:
            return f"cron {self.cron!r}, {self.tz.key}"
        return f"every {self.every}{self.unit} from {self.start:%H:%M}, {self.tz.key}"

    def __repr__(self) -> str:
        return f"Schedule({self.describe()!r})"

    def _repeats(self) -> bool:
        """Whether a wall-clock slot that happens twice (autumn DST) runs twice."""
        if self.cron is not None:
            minute, hour = self.cron.split()[:2]
            return minute.startswith("*") or hour.startswith("*")
        return self.unit == "h"

    def _naive_slots(self, start: datetime) -> Iterator[datetime]:
        """Wall-clock slots, ascending, from at or before ``start`` on."""
        if self.cron is not None:
            it = croniter(self.cron, start - timedelta(minutes=1), ret_type=datetime)
            while True:
                yield it.get_next()
        day = start.date() - timedelta(days=1)
        if self.unit == "h":
            times = sorted(
                Time((self.start.hour + k * self.every) % 24, self.start.minute)
                for k in range(24 // self.every)
            )
            while True:
                for t in times:
                    yield datetime.combine(day, t)
                day += timedelta(days=1)
        if self.unit in ("d", "w"):
            step = self.every * (7 if self.unit == "w" else 1)
            offset = (day - EPOCH).days
            day -= timedelta(days=offset % step)  # back to a slot day (a Monday for weeks)
            while True:
                yield datetime.combine(day, self.start)
                day += timedelta(days=step)
        month = day.year * 12 + day.month - 1
        month -= month % self.every
        while True:
            yield datetime.combine(date(month // 12, month % 12 + 1, 1), self.start)
            month += self.every


_NAMES = {"interval": "SCHEDULE_INTERVAL", "start_time": "SCHEDULE_START_TIME", "timezone": "TZ"}


def _parse(spec: str, start_time: str | None, timezone: str | None, names: dict) -> Schedule:
    tz = _zone(timezone, names["timezone"])
    text = " ".join(str(spec).split())
    start = _start(start_time, names["start_time"]) if start_time else None
    match = _INTERVAL.fullmatch(text)
    if match:
        every, unit = int(match[1]), match[2].lower()
        if every < 1:
            raise ConfigError(f"{names['interval']}: {spec!r} must be at least 1; {_ACCEPTED}")
        if unit == "h" and 24 % every:
            raise ConfigError(
                f"{names['interval']}: {spec!r} does not divide a day into equal slots; use 1h, "
                "2h, 3h, 4h, 6h, 8h, 12h or 24h, or a cron expression like '0 */5 * * *'"
            )
        return Schedule(spec=text, tz=tz, unit=unit, every=every, start=start or Time(0, 0))
    if _MINUTES.fullmatch(text):
        raise ConfigError(
            f"{names['interval']}: {spec!r}: minute intervals are not supported (mo is months); "
            "use a cron expression like '*/30 * * * *'"
        )
    if len(text.split()) != 5 or not croniter.is_valid(text):
        raise ConfigError(f"{names['interval']}: {spec!r} is not a schedule; {_ACCEPTED}")
    if start is not None:
        raise ConfigError(
            f"{names['start_time']}: a start time only applies to intervals; the cron expression "
            f"{text!r} sets its own times, so unset {names['start_time']}"
        )
    return Schedule(spec=text, tz=tz, cron=text)


def _zone(name: str | None, setting: str) -> ZoneInfo:
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f"{setting}: {name!r} is not a known time zone; use an IANA name like "
            "Europe/Berlin or America/New_York (or UTC)"
        ) from None


def _start(text: str, setting: str) -> Time:
    match = _START.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError(f"{setting}: {text!r} is not a time of day; use HH:MM, e.g. 03:00")
    return Time(int(match[1]), int(match[2]))


def _localize(naive: datetime, tz: ZoneInfo, *, repeat: bool) -> Iterator[datetime]:
    """The moments a wall-clock time stands for: a skipped one runs later by the gap, a repeated
    one once (the first) or, with ``repeat``, at both."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        yield first
        return
    real = first.astimezone(UTC).astimezone(tz)  # a skipped time becomes the later wall time
    yield real
    if repeat and real.replace(tzinfo=None) == naive:
        yield second


# --- the loop ---------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def run_on_schedule(
    run_once: Callable[[StopFlag], dict],
    schedule: Schedule,
    *,
    stop: StopFlag,
    on_report: Callable[[dict, datetime | None], Any] | None = None,
    last_success: datetime | None = None,
    run_now: bool = True,
    on_next: Callable[[datetime], Any] | None = None,
    clock: Callable[[], datetime] = _now,
    sleep: Callable[[float], Any] | None = None,
) -> int:
    """Run ``run_once(stop)`` at every slot of ``schedule`` until ``stop`` is set; returns 0.

    Each report goes to ``on_report(report, next_run)`` (``next_run`` is ``None`` when stopping);
    a run that raises becomes a ``status: failed`` report (see :func:`failed_report`) and the loop
    goes on, as it does when ``on_report`` raises (both are logged).

    :param last_success: the end of the last successful run, if known: with ``run_now`` false, a
        slot missed since then starts one run at once.
    :param run_now: run once at start, then follow the schedule (the default; ``run --schedule
        --wait`` waits for the first slot instead).
    :param on_next: called with every next-run time once it is known: at start (when the first
        run waits for its slot) and after each run, before ``on_report``.
    :param clock: the current aware time (tests pass a fake one).
    :param sleep: sleeps up to N seconds; defaults to ``stop.wait``, which wakes at once on a stop.
    """
    nap = stop.wait if sleep is None else sleep
    now = clock()
    due = now if run_now else schedule.next_run(last_success or now)
    if due < now and not run_now:
        log.info("a scheduled run was missed since %s: running now", last_success)
    _announce(on_next, due if due > now else None)
    while _sleep_until(due, stop, clock, nap):
        report = _run(run_once, stop)
        due = schedule.next_run(clock())
        _announce(on_next, None if stop.is_set() else due)
        if on_report is not None:
            try:
                on_report(report, None if stop.is_set() else due)
            except Exception:
                log.exception("reporting the run failed")
        if not stop.is_set():
            log.info("next run at %s (%s)", due.isoformat(), schedule.describe())
    log.info("stopped: %s", stop.reason)
    return 0


def _announce(on_next: Callable[[datetime], Any] | None, due: datetime | None) -> None:
    if on_next is None or due is None:
        return
    try:
        on_next(due)
    except Exception:
        log.exception("announcing the next run failed")


def _sleep_until(
    due: datetime, stop: StopFlag, clock: Callable[[], datetime], nap: Callable[[float], Any]
) -> bool:
    """Sleep until ``due``; ``False`` when the stop flag was set first."""
    while not stop.is_set():
        remaining = (due - clock()).total_seconds()
        if remaining <= 0:
            return True
        nap(min(remaining, MAX_NAP))
    return False


def _run(run_once: Callable[[StopFlag], dict], stop: StopFlag) -> dict:
    started = time.perf_counter()
    try:
        return run_once(stop)
    except Exception as exc:
        log.exception("scheduled run failed")
        return failed_report(exc, seconds=time.perf_counter() - started)


def failed_report(exc: BaseException, *, seconds: float = 0.0) -> dict:
    """A run report for a run that raised ``exc``: ``status: failed`` with one error."""
    if isinstance(exc, ReelscaleError):
        cause = str(exc)
    else:
        cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return {
        "collections": [],
        "requests": 0,
        "radarr_requests": 0,
        "radarr_writes": 0,
        "cost_usd": 0.0,
        "tokens": {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0},
        "seconds": round(seconds, 3),
        "peak_rss_mb": None,
        "dry_run": False,
        "status": "failed",
        "errors": [{"cause": cause, "count": 1, "examples": []}],
        "stages": {},
    }
