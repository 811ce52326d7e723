"""The Sonarr series list: one streamed ``GET /api/v3/series`` projected to ``SonarrSeries``.

    reelscale bench numbers sonarr-list [--sizes 5000,20000] [--repeat 3]

writes results/numbers/sonarr-list.json. The stand-in Sonarr (``size`` synthetic series, full-size
resources) runs in this process; the client runs in a fresh child process per measurement
(``python -m benchmarks.harness.numbers.sonarr_list MODE URL``, an internal worker, not an entry
point; the API key goes in its environment), so the peak RSS is the client's alone. Three modes:

- ``idle``: the interpreter with the client imported and built, nothing read (the floor);
- ``stream``: ``SonarrClient.series()``, what the Sonarr source will do each run, every element
  projected and dropped (only the count is kept);
- ``load``: the naive way, ``httpx.get(...).json()`` of the whole list held at once, for contrast;
- ``parse``: the client's own CPU cost: the list fetched into memory first, then only the cutting
  and projecting timed (64 KiB pieces, as they arrive from the socket). In ``stream`` the
  stand-in, generating each resource as it sends it, shares the machine with the client, so
  ``stream`` seconds are the stand-in's and the client's together; ``parse`` is the client's.

Per mode: wall seconds of the list alone (median of ``repeat`` children), peak RSS (the largest),
and for ``stream`` the requests sent (must be 1) and series per second. The JSON bytes the stand-in
sent (before gzip) are recorded too, so the figures can be set against the library's size.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from benchmarks.harness.paths import REPO

MODES = ("idle", "stream", "load", "parse")
KEY_ENV = "REELSCALE_BENCH_SONARR_KEY"


def child(mode: str, url: str) -> dict:
    """In the child: read the list as ``mode`` says; seconds, count, requests, peak RSS."""
    import httpx

    from core.clients.sonarr import SonarrClient, SonarrSettings
    from core.clients.sonarr.stream import iter_series

    key = os.environ[KEY_ENV]
    client = SonarrClient(SonarrSettings(url=url, api_key=key))
    count, started = 0, time.perf_counter()
    with client:
        if mode == "stream":
            for _ in client.series():
                count += 1
        elif mode == "load":
            headers = {"X-Api-Key": key, "Accept-Encoding": "gzip"}
            count = len(httpx.get(f"{url}/api/v3/series", headers=headers, timeout=300).json())
        elif mode == "parse":
            body = httpx.get(f"{url}/api/v3/series", headers={"X-Api-Key": key}, timeout=300)
            pieces = [body.content[i : i + 65_536] for i in range(0, len(body.content), 65_536)]
            started = time.perf_counter()
            count = sum(1 for _ in iter_series(pieces))
        seconds = time.perf_counter() - started
        requests = client.requests
    return {
        "seconds": seconds,
        "count": count,
        "requests": requests,
        "peak_rss_mb": round(peak_rss_kib() / 1024, 1),
    }


def peak_rss_kib() -> int:
    """This process's peak RSS: ``VmHWM``, which ``execve`` resets. ``ru_maxrss`` does not: a child
    started from the harness (which holds the stand-in's library) would inherit its high mark."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def _run_child(mode: str, url: str, key: str) -> dict:
    env = {**os.environ, KEY_ENV: key, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.harness.numbers.sonarr_list", mode, url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    return json.loads(out)


def measure_size(size: int, repeat: int, progress: Callable[[str], None]) -> dict:
    from synthetic.servers.sonarr.server import SonarrServer

    result: dict = {"series": size}
    with SonarrServer.from_library(size, seed=1) as server:
        for mode in MODES:
            runs = []
            for n in range(repeat):
                progress(f"sonarr-list {size:,} series: {mode} {n + 1}/{repeat}")
                server.reset_counters()
                runs.append(_run_child(mode, server.url, server.config.api_key))
                if mode != "idle":
                    assert runs[-1]["count"] == size, runs[-1]
                    assert server.counters.by_endpoint == {"series_list": 1}, server.counters
                else:
                    assert server.counters.total == 0, server.counters
            seconds = statistics.median(r["seconds"] for r in runs)
            entry = {"seconds_median": round(seconds, 3)}
            if mode != "parse":  # parse holds the whole body on purpose: its RSS means nothing
                entry["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
            if mode == "parse":
                entry["series_per_second"] = round(size / seconds)
            if mode == "stream":
                entry["requests"] = runs[0]["requests"]
                entry["series_per_second"] = round(size / seconds)
            result[mode] = entry
        result["json_mb"] = round(server.series_list_bytes / 1e6, 1)
        result["json_bytes_per_series"] = round(server.series_list_bytes / max(size, 1))
    result["stream_rss_over_idle_mb"] = round(
        result["stream"]["peak_rss_mb"] - result["idle"]["peak_rss_mb"], 1
    )
    return result


def measure(sizes: list[int], repeat: int, progress: Callable[[str], None]) -> dict:
    """The figures per size, and whether the streamed RSS stayed flat as the library grew."""
    runs = [measure_size(size, repeat, progress) for size in sizes]
    extra = [r["stream_rss_over_idle_mb"] for r in runs]
    return {
        "command": "reelscale bench numbers sonarr-list --sizes "
        + ",".join(str(s) for s in sizes)
        + f" --repeat {repeat}",
        "cpu_count": os.cpu_count(),
        "sizes": runs,
        "stream_rss_growth_mb": round(max(extra) - min(extra), 1),
    }


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2])))
