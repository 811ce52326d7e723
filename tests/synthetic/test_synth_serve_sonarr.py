"""``reelscale synth serve``: the stand-ins' series (Sonarr's, TMDB's TV) from the command line."""

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


def test_synth_serve_tmdb_serves_the_series_on_its_tv_routes():
    from synthetic.library.series import generate_series
    from synthetic.servers.tmdb.tv import tv_name

    command = [sys.executable, "-m", "core", "synth", "serve", "--tmdb", "--size", "5"]
    proc = subprocess.Popen(
        [*command, "--series", "4", "--seed", "7"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = json.loads(proc.stdout.readline())
        assert line["name"] == "tmdb"
        show = next(iter(generate_series(4, 7)))
        answer = httpx.get(
            f"{line['url']}/3/tv/{show.tmdb_id}", params={"api_key": line["api_key"]}, timeout=30
        )
        assert answer.status_code == 200 and answer.json()["name"] == tv_name(show)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
