"""The series workload: the ten synthetic series collections and their right answer.

The synthetic TV library (:mod:`synthetic.library.series`) has one collection per hidden trait;
:func:`~synthetic.library.series_toml.series_toml` writes them with ``kind = "series"``
(optionally after the ten movie collections, for a run over Radarr and Sonarr), so a Sonarr run
judges every series against them and the stand-in Claude answers from the series' ground truth.
"""

from __future__ import annotations

import math
import sqlite3
import tempfile
from pathlib import Path

from synthetic.library.series import SERIES_COLLECTIONS, truth
from synthetic.library.series_toml import series_toml

__all__ = [
    "expected_sonarr_requests",
    "series_accuracy",
    "series_tags",
    "series_toml",
    "sonarr_run_twice",
    "stored_series_members",
]


def series_tags() -> dict[str, str]:
    """Each series collection's name -> its tag (``kai-<slug>``)."""
    from core.config.collection import TAG_PREFIX, slugify

    return {c.name: TAG_PREFIX + slugify(c.name) for c in SERIES_COLLECTIONS}


def stored_series_members(db: Path) -> dict[str, set[int]]:
    """Per collection tag, the Sonarr ids of the series the stored decisions include."""
    conn = sqlite3.connect(db)
    try:
        members: dict[str, set[int]] = {}
        for tag, key in conn.execute(
            "SELECT d.collection, i.key FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.include = 1 AND i.source = 'sonarr'"
        ):
            members.setdefault(tag, set()).add(int(key))
        return members
    finally:
        conn.close()


def sonarr_tags_match_decisions(server, db: Path) -> bool:
    """Whether every reelscale tag in the stand-in Sonarr holds exactly the series decided in."""
    have = server.tags_by_label()
    return all(have.get(tag, set()) == ids for tag, ids in stored_series_members(db).items())


def expected_sonarr_requests(report: dict, *, created: int, chunk: int = 100) -> int:
    """1 series list + 1 tag/detail (+ 1 tag list and a POST per tag created) + the editor PUTs:
    the sum over collections of ⌈added/chunk⌉ + ⌈removed/chunk⌉."""
    puts = sum(
        math.ceil(c["added"] / chunk) + math.ceil(c["removed"] / chunk)
        for c in report["collections"]
        if c.get("source", "sonarr") == "sonarr"
    )
    return 2 + (1 + created if created else 0) + puts


def series_accuracy(db: Path, shows) -> dict:
    """The stored series decisions against the ground truth: pairs right, and per-membership
    precision and recall over every (series, collection) pair."""
    tags = series_tags()
    want = {(tags[name], sid) for name, ids in truth(shows).items() for sid in ids}
    have = {(tag, sid) for tag, ids in stored_series_members(db).items() for sid in ids}
    pairs = len(tags) * len(shows)
    right = pairs - len(want ^ have)
    return {
        "pairs": pairs,
        "pairs_right": right,
        "accuracy": round(right / pairs, 4) if pairs else None,
        "precision": round(len(want & have) / len(have), 4) if have else None,
        "recall": round(len(want & have) / len(want), 4) if want else None,
    }


def sonarr_run_twice(size: int, *, batch_size: int = 25, time_scale: float = 0.0) -> dict:
    """First run and unchanged rerun (``reelscale run --source sonarr`` in its own process) over
    a ``size``-series Sonarr library and the 10 series collections; the figures."""
    from benchmarks.harness.workloads import sizes as workloads
    from benchmarks.harness.workloads.run import cli_run, run_env
    from synthetic.library.series import generate_series
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.sonarr.server import SonarrServer
    from synthetic.servers.traffic import set_time_scale

    shows = list(generate_series(size, workloads.SEED))
    previous = set_time_scale(time_scale)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-sonarr-run-") as tmp,
            SonarrServer(shows) as sonarr,
            ClaudeServer((), series=shows) as claude,
        ):
            config, db = Path(tmp) / "reelscale.toml", Path(tmp) / "reelscale.db"
            config.write_text(series_toml(), encoding="utf-8")
            env = run_env("sonarr", sonarr, claude)
            for name in ("RADARR_URL", "RADARR_API_KEY", "REELSCALE_SOURCE"):
                env.pop(name, None)
            args = ("--source", "sonarr", "--batch-size", str(batch_size))
            first = cli_run(env, db, config, *args)
            created = sum(1 for r in sonarr.requests() if r.method == "POST")
            first_ok = sonarr_tags_match_decisions(sonarr, db)
            claude_before = claude.counters.total
            sonarr.reset_counters()
            rerun = cli_run(env, db, config, *args)
            rerun_log = sonarr.requests()
            return {
                "size": size,
                "first": first,
                "rerun": rerun,
                "expected_sonarr_requests": expected_sonarr_requests(first, created=created),
                "tags_created": created,
                "tags_match_decisions": first_ok and sonarr_tags_match_decisions(sonarr, db),
                "rerun_claude_requests": claude.counters.total - claude_before,
                "rerun_sonarr_gets": sum(1 for r in rerun_log if r.method == "GET"),
                "rerun_sonarr_writes": sum(1 for r in rerun_log if r.method != "GET"),
                "accuracy": series_accuracy(db, shows),
            }
    finally:
        set_time_scale(previous)
