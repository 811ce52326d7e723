"""``reelscale synth serve --sonarr``: the stand-in Sonarr from the command line."""

import json
import os
import signal
import subprocess
import sys

import httpx


def test_synth_serve_starts_a_sonarr_with_the_series_library():
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "synth", "serve", "--sonarr", "--series", "12"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        line = json.loads(proc.stdout.readline())
        assert line["name"] == "sonarr"
        answer = httpx.get(
            f"{line['url']}/api/v3/series", headers={"X-Api-Key": line["api_key"]}, timeout=30
        )
        assert answer.status_code == 200 and len(answer.json()) == 12
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
