import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.config import load_config
from core.errors import ConfigError
from core.ops.schedule import Schedule, failed_report, run_on_schedule
from core.ops.stopping import StopFlag

BERLIN = ZoneInfo("Europe/Berlin")
REPO = Path(__file__).resolve().parents[2]


def slots(schedule, after, n):
    out = []
    for _ in range(n):
        after = schedule.next_run(after)
        out.append(after)
    return out


def hhmm(times):
    return [t.strftime("%m-%d %H:%M%z") for t in times]


def test_hour_interval_anchored_at_start_time():
    s = Schedule.parse("6h", start_time="03:00")
    got = slots(s, datetime(2026, 5, 4, 10, 0, tzinfo=UTC), 5)
    assert hhmm(got) == [
        "05-04 15:00+0000",
        "05-04 21:00+0000",
        "05-05 03:00+0000",
        "05-05 09:00+0000",
        "05-05 15:00+0000",
    ]


def test_day_week_month_intervals():
    after = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)  # a Wednesday
    assert hhmm(slots(Schedule.parse("1d", start_time="03:00"), after, 2)) == [
        "05-07 03:00+0000",
        "05-08 03:00+0000",
    ]
    week = slots(Schedule.parse("1w", start_time="04:30"), after, 2)
    assert [t.weekday() for t in week] == [0, 0]
    assert hhmm(week) == ["05-11 04:30+0000", "05-18 04:30+0000"]
    assert hhmm(slots(Schedule.parse("1mo"), after, 2)) == ["06-01 00:00+0000", "07-01 00:00+0000"]
    quarters = slots(Schedule.parse("3mo", start_time="02:00"), after, 2)
    assert [(t.month, t.day, t.hour) for t in quarters] == [(7, 1, 2), (10, 1, 2)]
    every_other = slots(Schedule.parse("2d"), after, 3)
    assert [b - a for a, b in pairwise(every_other)] == [timedelta(days=2)] * 2


def test_restart_gives_the_same_slots():
    # A process restarted at any moment finds the same grid, not "now + interval".
    s = Schedule.parse("2d", start_time="03:00", timezone="Europe/Berlin")
    first = s.next_run(datetime(2026, 5, 4, 1, 0, tzinfo=UTC))
    for minutes in (7, 300, 1000, 2000):
        restarted = datetime(2026, 5, 4, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)
        nxt = s.next_run(restarted)
        assert nxt == first or (nxt - first) % timedelta(days=2) == timedelta(0)
    weekly = Schedule.parse("2w")
    a = weekly.next_run(datetime(2026, 5, 4, 0, 1, tzinfo=UTC))
    b = weekly.next_run(datetime(2026, 5, 10, 0, 1, tzinfo=UTC))
    assert a == b


def test_cron_expression():
    s = Schedule.parse("30 4 * * 1-5", timezone="America/New_York")
    got = slots(s, datetime(2026, 5, 8, 12, 0, tzinfo=UTC), 2)  # Friday
    assert [t.strftime("%a %H:%M") for t in got] == ["Mon 04:30", "Tue 04:30"]
    assert got[0].utcoffset() == timedelta(hours=-4)


def test_timezone_and_dst_spring_forward():
    # Berlin skips 02:00-03:00 on 2026-03-29.
    daily = Schedule.parse("1d", start_time="02:30", timezone="Europe/Berlin")
    got = slots(daily, datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN), 3)
    assert hhmm(got) == ["03-28 02:30+0100", "03-29 03:30+0200", "03-30 02:30+0200"]
    six = Schedule.parse("6h", start_time="03:00", timezone="Europe/Berlin")
    got = slots(six, datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN), 3)
    assert hhmm(got) == ["03-28 15:00+0100", "03-28 21:00+0100", "03-29 03:00+0200"]
    # wall-clock slots: 03:00 local on both sides of the change, 23 real hours apart
    three = Schedule.parse("1d", start_time="03:00", timezone="Europe/Berlin")
    a, b = slots(three, datetime(2026, 3, 28, 0, 0, tzinfo=BERLIN), 2)
    assert b.astimezone(UTC) - a.astimezone(UTC) == timedelta(hours=23)


def test_dst_fall_back_runs_daily_once_hourly_twice():
    # Berlin repeats 02:00-03:00 on 2026-10-25.
    daily = Schedule.parse("1d", start_time="02:30", timezone="Europe/Berlin")
    got = slots(daily, datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN), 2)
    assert hhmm(got) == ["10-25 02:30+0200", "10-26 02:30+0100"]
    hourly = Schedule.parse("1h", timezone="Europe/Berlin")
    got = slots(hourly, datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN), 4)
    assert hhmm(got) == [
        "10-25 01:00+0200",
        "10-25 02:00+0200",
        "10-25 02:00+0100",
        "10-25 03:00+0100",
    ]
    cron_daily = Schedule.parse("30 2 * * *", timezone="Europe/Berlin")
    got = slots(cron_daily, datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN), 2)
    assert hhmm(got) == ["10-25 02:30+0200", "10-26 02:30+0100"]


@pytest.mark.parametrize(
    ("spec", "kwargs", "words"),
    [
        ("5h", {}, ["SCHEDULE_INTERVAL", "divide a day", "cron"]),
        ("30m", {}, ["minute intervals", "*/30 * * * *"]),
        ("sometimes", {}, ["SCHEDULE_INTERVAL", "1h, 6h, 1d", "5-field cron"]),
        ("0 3 * * * *", {}, ["not a schedule", "5-field"]),
        ("0d", {}, ["at least 1"]),
        ("1d", {"start_time": "25:00"}, ["SCHEDULE_START_TIME", "HH:MM"]),
        ("1d", {"start_time": "3pm"}, ["SCHEDULE_START_TIME", "HH:MM"]),
        ("0 3 * * *", {"start_time": "03:00"}, ["SCHEDULE_START_TIME", "only applies"]),
        ("1d", {"timezone": "Mars/Olympus"}, ["TZ", "Mars/Olympus", "IANA"]),
    ],
)
def test_invalid_specs_say_what_is_accepted(spec, kwargs, words):
    with pytest.raises(ConfigError) as info:
        Schedule.parse(spec, **kwargs)
    for word in words:
        assert word in str(info.value)


def schedule_of(config):
    return Schedule.from_config(config.schedule, config.where)


def test_from_config_names_the_setting(tmp_path, monkeypatch):
    toml = tmp_path / "reelscale.toml"
    toml.write_text('[schedule]\ninterval = "1d"\ntimezone = "Nowhere/Town"\n')
    with pytest.raises(ConfigError, match=r"\[schedule\] timezone"):
        schedule_of(load_config(toml))
    assert schedule_of(load_config(None)) is None
    monkeypatch.setenv("SCHEDULE_INTERVAL", "12h")
    monkeypatch.setenv("SCHEDULE_START_TIME", "01:15")
    assert schedule_of(load_config(None)).describe() == "every 12h from 01:15, UTC"


def test_next_run_needs_an_aware_time():
    with pytest.raises(ValueError):
        Schedule.parse("1h").next_run(datetime(2026, 1, 1))


class FakeClock:
    def __init__(self, start):
        self.now = start
        self.naps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.naps.append(seconds)
        self.now += timedelta(seconds=seconds)


def test_runs_at_the_slots_with_a_fake_clock():
    clock = FakeClock(datetime(2026, 5, 4, 1, 0, tzinfo=UTC))
    stop = StopFlag()
    ran, reports = [], []

    def run_once(flag):
        ran.append(clock())
        clock.now += timedelta(minutes=20)  # the run takes time
        if len(ran) == 3:
            flag.set("test")
        return {"status": "ok", "collections": []}

    code = run_on_schedule(
        run_once,
        Schedule.parse("6h", start_time="03:00"),
        stop=stop,
        on_report=lambda report, nxt: reports.append(nxt),
        run_now=False,
        clock=clock,
        sleep=clock.sleep,
    )
    assert code == 0
    assert [t.hour for t in ran] == [3, 9, 15]
    assert all(t.minute == 0 for t in ran)
    assert reports[:2] == [ran[1], ran[2]] and reports[2] is None
    assert max(clock.naps) <= 60  # re-reads the clock at least every minute


def test_last_success_before_a_missed_slot_runs_at_once():
    clock = FakeClock(datetime(2026, 5, 4, 5, 0, tzinfo=UTC))
    stop = StopFlag()
    ran = []

    def run_once(flag):
        ran.append(clock())
        flag.set("test")
        return {"status": "ok"}

    run_on_schedule(
        run_once,
        Schedule.parse("1d", start_time="03:00"),
        stop=stop,
        last_success=datetime(2026, 5, 3, 3, 10, tzinfo=UTC),  # missed 05-04 03:00
        run_now=False,
        clock=clock,
        sleep=clock.sleep,
    )
    assert ran == [datetime(2026, 5, 4, 5, 0, tzinfo=UTC)]


def test_runs_at_start_then_at_the_slots_and_announces_each_next_run():
    clock = FakeClock(datetime(2026, 5, 4, 1, 0, tzinfo=UTC))
    stop = StopFlag()
    ran, announced = [], []

    def run_once(flag):
        ran.append(clock())
        if len(ran) == 2:
            flag.set("test")
        return {"status": "ok"}

    run_on_schedule(
        run_once,
        Schedule.parse("1d", start_time="03:00"),
        stop=stop,
        on_next=announced.append,
        last_success=datetime(2026, 5, 4, 0, 30, tzinfo=UTC),  # no slot missed: runs anyway
        clock=clock,
        sleep=clock.sleep,
    )
    first_slot = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
    assert ran == [datetime(2026, 5, 4, 1, 0, tzinfo=UTC), first_slot]
    assert announced == [first_slot]  # after the run at start; none once stopped


def test_waiting_for_the_first_slot_announces_it_before_sleeping():
    clock = FakeClock(datetime(2026, 5, 4, 1, 0, tzinfo=UTC))
    stop = StopFlag()
    announced = []

    def run_once(flag):
        flag.set("test")
        return {"status": "ok"}

    run_on_schedule(
        run_once,
        Schedule.parse("1d", start_time="03:00"),
        stop=stop,
        on_next=announced.append,
        run_now=False,
        clock=clock,
        sleep=clock.sleep,
    )
    assert announced == [datetime(2026, 5, 4, 3, 0, tzinfo=UTC)]
    assert clock.now >= announced[0]


def test_a_failing_service_never_ends_the_schedule():
    from core.errors import RadarrConfigError, RadarrError

    clock = FakeClock(datetime(2026, 5, 4, 0, 30, tzinfo=UTC))
    stop = StopFlag()
    statuses = []
    failures = [RadarrError("Radarr at http://radarr:7878: 503"), RadarrConfigError("RADARR_URL")]

    def run_once(flag):
        if failures:
            raise failures.pop(0)
        flag.set("test")
        return {"status": "ok"}

    code = run_on_schedule(
        run_once,
        Schedule.parse("1h"),
        stop=stop,
        on_report=lambda report, nxt: statuses.append(report["status"]),
        clock=clock,
        sleep=clock.sleep,
    )
    assert (code, statuses) == (0, ["failed", "failed", "ok"])


def test_failed_run_is_reported_and_the_loop_continues():
    clock = FakeClock(datetime(2026, 5, 4, 0, 30, tzinfo=UTC))
    stop = StopFlag()
    reports = []
    calls = []

    def run_once(flag):
        calls.append(clock())
        if len(calls) == 1:
            raise RuntimeError("Radarr went away")
        flag.set("test")
        return {"status": "ok", "errors": []}

    def on_report(report, nxt):
        reports.append(report)
        raise OSError("mail server down")  # must not end the loop either

    run_on_schedule(
        run_once,
        Schedule.parse("1h"),
        stop=stop,
        on_report=on_report,
        clock=clock,
        sleep=clock.sleep,
    )
    assert len(calls) == 2
    assert reports[0]["status"] == "failed"
    assert reports[0]["errors"] == [
        {"cause": "RuntimeError: Radarr went away", "count": 1, "examples": []}
    ]
    assert reports[1]["status"] == "ok"


def test_failed_report_uses_the_user_message():
    report = failed_report(ConfigError("RADARR_URL is not set"), seconds=1.5)
    assert report["errors"][0]["cause"] == "RADARR_URL is not set"
    assert report["seconds"] == 1.5 and report["collections"] == []


def test_stops_promptly_mid_sleep():
    stop = StopFlag()
    threading.Timer(0.2, stop.set, args=("test",)).start()
    started = time.monotonic()
    code = run_on_schedule(lambda flag: {}, Schedule.parse("1w"), stop=stop)
    assert code == 0
    assert time.monotonic() - started < 1.5
    assert stop.reason == "test"


def test_stop_flag_keeps_the_first_reason():
    stop = StopFlag()
    assert not stop.is_set() and stop.reason is None
    assert stop.wait(0.01) is False
    stop.set("SIGTERM")
    stop.set("other")
    assert stop.is_set() and stop.wait(0) is True and stop.reason == "SIGTERM"


SCRIPT = textwrap.dedent(
    """
    import sys
    from core.ops.schedule import Schedule, run_on_schedule
    from core.ops.stopping import StopFlag

    stop = StopFlag()
    stop.install_signal_handlers()
    print("ready", flush=True)
    code = run_on_schedule(lambda flag: {}, Schedule.parse("1d"), stop=stop)
    print("stopped by", stop.reason, flush=True)
    sys.exit(code)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_loop_with_exit_0(tmp_path, sig):
    script = tmp_path / "loop.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
    )
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.1)
        sent = time.monotonic()
        proc.send_signal(sig)
        assert proc.wait(timeout=5) == 0
        assert time.monotonic() - sent < 2
        assert proc.stdout.read().strip() == f"stopped by {sig.name}"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
