"""Chaos for the production run: every stand-in fails some of its requests, the run must not care.

The mixes (``CLAUDE_FAULTS`` and friends) are what ``tests/harness/test_reliability_chaos.py`` and
``reelscale bench reliability chaos`` inject: Claude 10% (429, 500, 529, answers cut at
``max_tokens``, requests held then dropped unanswered, 200s whose body is cut off on the way),
Radarr 5% (500, 503, held then dropped), TMDB 5% (429 with ``Retry-After``).

What "no duplicate charge" means, as :func:`billing` checks it on the Claude stand-in's own log:

* a *billed* request is one answered 200: it carries usage. A request answered 429/500/529, or
  dropped before an answer, is a failed request: it carries no usage and is not billed, and the
  SDK retries it;
* a *usable* answer is a billed one without an answer fault (not cut at ``max_tokens``); each
  movie record it returns whole is one judgment of that movie against the request's collections;
* a billed answer that is not usable (cut at ``max_tokens``, or its body cut off on the way to
  the client) is *wasted*: its movies are sent again, which is
  the documented recovery, not a duplicate;
* so every judged movie must be paid for in exactly one usable answer, plus one more for each
  movie the run deliberately asked again (a near-threshold recheck, ``decisions.rechecks``).
  ``duplicate_charges`` is the excess of usable judgments over that.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from synthetic.servers.traffic import Traffic, TrafficSettings

CLAUDE_FAULTS = {"429": 0.02, "500": 0.02, "529": 0.02, "truncate": 0.015}
# "timeout": held for HANG_S, then dropped unanswered; "malformed": a 200 whose body is cut in half
CLAUDE_NETWORK_FAULTS = {"timeout": 0.015, "malformed": 0.01}
RADARR_FAULTS = {"500": 0.02, "503": 0.02, "timeout": 0.01}
TMDB_FAULTS = {"429": 0.05}
HANG_S = 1.0  # how long a "timeout" fault holds its request before dropping it


def scaled(faults: dict[str, float], boost: float) -> dict[str, float]:
    """The mix with every rate multiplied by ``boost`` (small tests boost it to see faults)."""
    return {kind: rate * boost for kind, rate in faults.items()}


class CuttingTraffic(Traffic):
    """The shared network faults, remembering the ``request-id`` of each 200 cut off."""

    def __init__(self, settings: TrafficSettings):
        super().__init__(settings)
        self.cut: set[str] = set()

    async def _answer(self, request, handler, fault):
        response = await super()._answer(request, handler, fault)
        if fault == "malformed" and response.status == 200:
            self.cut.add(response.headers.get("request-id", ""))
        return response


def claude_stand_in(
    movies: Iterable, seed: int, *, boost: float = 1.0, network: dict | None = None, **config
):
    """A Claude stand-in (not started) judging perfectly, with ``CLAUDE_FAULTS`` drawn from
    ``seed`` and the shared network faults (``synthetic.servers.traffic``; ``network`` replaces
    ``CLAUDE_NETWORK_FAULTS``) in front of it."""
    from synthetic.servers.claude.server import PERFECT, ClaudeServer

    faults = scaled(CLAUDE_FAULTS, boost)
    server = ClaudeServer(movies, accuracy=PERFECT, faults=faults, seed=seed, **config)
    network = scaled(CLAUDE_NETWORK_FAULTS if network is None else network, boost)
    server.traffic = CuttingTraffic(TrafficSettings(faults=network, seed=seed, hang_s=HANG_S))
    return server


def radarr_config(seed: int, *, boost: float = 1.0) -> dict:
    """``RadarrConfig`` fields for a Radarr stand-in failing 5% of its requests."""
    return {"faults": scaled(RADARR_FAULTS, boost), "seed": seed, "hang_s": HANG_S}


def tmdb_config(seed: int, *, boost: float = 1.0) -> dict:
    """``TMDBConfig`` fields: unthrottled, but 5% of the requests answered 429."""
    return {"faults": scaled(TMDB_FAULTS, boost), "seed": seed, "rate_limit": None}


@dataclass(slots=True)
class Billing:
    requests: int  # HTTP requests that reached the Claude stand-in (dropped ones included)
    billed: int
    failed_billed: int  # failed requests that carried usage anyway: must be 0
    wasted: int
    usable_judgments: int
    judged_movies: int
    rechecked_movies: int
    duplicate_charges: int
    dropped: int  # requests held and dropped before the stand-in saw them

    @property
    def faults(self) -> int:
        return self.requests - self.billed + self.wasted


def billing(claude, db_path) -> Billing:
    """Check the stand-in's request log against the decisions stored in ``db_path``."""
    records = [r for r in claude.requests() if r.endpoint == "messages"]
    billed = [r for r in records if r.status == 200]
    cut = claude.traffic.cut
    usable = [
        r
        for r in billed
        if r.fault is None and r.stop_reason == "end_turn" and r.request_id not in cut
    ]
    failed_billed = sum(
        1 for r in records if r.status != 200 and (r.input_tokens or r.output_tokens)
    )
    dropped = claude.traffic.log.counters().faults.get("timeout", 0)
    judged, rechecked = _decided(db_path)
    answered = sum(r.answered for r in usable)
    return Billing(
        requests=len(records) + dropped,
        billed=len(billed),
        failed_billed=failed_billed,
        wasted=len(billed) - len(usable),
        usable_judgments=answered,
        judged_movies=judged,
        rechecked_movies=rechecked,
        duplicate_charges=max(0, answered - judged - rechecked),
        dropped=dropped,
    )


def _decided(db_path) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    try:
        judged = conn.execute("SELECT count(DISTINCT item_id) FROM decisions").fetchone()[0]
        rechecked = conn.execute(
            "SELECT count(DISTINCT item_id) FROM decisions WHERE rechecks > 0"
        ).fetchone()[0]
    finally:
        conn.close()
    return judged, rechecked


def failed_requests(counters) -> int:
    """Requests answered 429 or 5xx, or dropped (status 0): each is retried, or given up on."""
    return sum(n for status, n in counters.by_status.items() if status in (0, 429) or status >= 500)


def claude_failed(claude) -> int:
    """Requests to the Claude stand-in the client had to send again: failed ones, as its network
    layer saw them (dropped ones too), and answers whose body was cut off on the way."""
    return failed_requests(claude.traffic.log.counters()) + len(claude.traffic.cut)
