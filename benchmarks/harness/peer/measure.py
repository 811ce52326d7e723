"""Both tools, first run and rerun, side by side; the ratios the issue sets targets for.

Each tool gets its own fresh stand-ins (Radarr and Claude from the same seed and library size,
so the same movies, ids and truth) and the same Kometa config folder. The stand-in Claude answers
at ``time_scale`` times its modelled latency (0.5 s to the first token + 150 output tokens/s), for
both tools alike. Ratios compare the first runs: peer / reelscale.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness.peer import runs, world
from benchmarks.harness.workloads import sizes
from benchmarks.harness.workloads.run import cli_run

DEFAULT_MODEL = "claude-sonnet-5"
TARGETS = {"ratio_cost": 40.0, "ratio_wall": 25.0, "ratio_radarr_requests": 50.0}


def _figures(radarr, claude, model: str, chosen, movies, timing: dict) -> dict:
    out = dict(timing)
    out.update(runs.claude_figures(claude, model))
    out.update(runs.radarr_figures(radarr))
    out["agreement_with_truth"] = round(world.agreement(radarr.tags_by_label(), movies, chosen), 5)
    out["claude_dialects"] = dict(claude.counters.by_dialect)
    return out


def _twice(tool: str, run_once: Callable[..., dict], movies: int, model: str, chosen) -> dict:
    """First run and rerun of one tool against its own fresh stand-ins."""
    from synthetic.library.movies import generate
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer

    library = list(generate(movies, sizes.SEED))
    with (
        RadarrServer.from_library(movies, sizes.SEED) as radarr,
        ClaudeServer.from_library(movies, sizes.SEED) as claude,
    ):
        result = {}
        for attempt, name in enumerate(("first", "rerun")):
            radarr.reset_counters()
            claude.reset_counters()
            timing = run_once(attempt, radarr, claude)
            result[name] = _figures(radarr, claude, model, chosen, library, timing)
    return {"tool": tool, **result}


def measure(
    source: Path,
    *,
    movies: int = 1000,
    collections: int = 6,
    model: str = DEFAULT_MODEL,
    time_scale: float = 0.2,
    timeout_s: float = 3600.0,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """Install the peer, run both tools twice, and return the side-by-side figures."""
    from benchmarks.harness.peer.install import peer_python
    from synthetic.servers.traffic import set_time_scale

    python = peer_python(source, progress)
    chosen = world.collections(collections)
    previous = set_time_scale(time_scale)
    try:
        with tempfile.TemporaryDirectory(prefix="reelscale-peer-") as tmp:
            peer_dir, ours_dir = Path(tmp) / "kometa-ai", Path(tmp) / "reelscale"
            world.write_config(peer_dir, chosen)
            config = world.write_config(ours_dir, chosen)

            def peer_once(attempt, radarr, claude):
                env = runs.child_env(radarr, claude, model)
                return runs.run_peer(python, peer_dir, env, timeout_s=timeout_s)

            def ours_once(attempt, radarr, claude):
                env = runs.child_env(radarr, claude, model)
                report = cli_run(env, ours_dir / "reelscale.db", config)
                return {k: report[k] for k in ("wall_seconds", "peak_rss_mb")}

            progress(f"Kometa-AI: {movies} movies x {collections} collections on {model}")
            peer = _twice("kometa-ai", peer_once, movies, model, chosen)
            progress(f"reelscale: {movies} movies x {collections} collections on {model}")
            ours = _twice("reelscale", ours_once, movies, model, chosen)
    finally:
        set_time_scale(previous)
    return summarise(peer, ours, movies=movies, chosen=chosen, model=model, time_scale=time_scale)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def summarise(peer: dict, ours: dict, *, movies: int, chosen, model: str, time_scale: float):
    p, o = peer["first"], ours["first"]
    ratios = {
        "ratio_cost": _ratio(p["cost_usd"], o["cost_usd"]),
        "ratio_wall": _ratio(p["wall_seconds"], o["wall_seconds"]),
        "ratio_radarr_requests": _ratio(p["radarr_requests"], o["radarr_requests"]),
    }
    return {
        "movies": movies,
        "collections": [c.name for c in chosen],
        "model": model,
        "time_scale": time_scale,
        "seed": sizes.SEED,
        "prices": "core.clients.claude.pricing (the same table for both tools)",
        "kometa_ai": peer,
        "reelscale": ours,
        **ratios,
        "targets": TARGETS,
        "targets_met": {k: v is not None and v >= TARGETS[k] for k, v in ratios.items()},
    }


def render(result: dict) -> str:
    """The side-by-side table as text."""
    rows = [
        ("Claude requests", "claude_requests", "{:,}"),
        ("input tokens", "input_tokens", "{:,}"),
        ("output tokens", "output_tokens", "{:,}"),
        ("cache read tokens", "cache_read_tokens", "{:,}"),
        ("cache write tokens", "cache_write_tokens", "{:,}"),
        ("cost (USD)", "cost_usd", "{:.4f}"),
        ("Radarr requests", "radarr_requests", "{:,}"),
        ("wall time (s)", "wall_seconds", "{:.1f}"),
        ("peak RSS (MB)", "peak_rss_mb", "{:.1f}"),
        ("agreement with truth", "agreement_with_truth", "{:.4f}"),
    ]
    head = (
        f"{result['movies']} movies x {len(result['collections'])} collections, "
        f"{result['model']}, stand-in latency x{result['time_scale']}"
    )
    lines = [head, f"{'':24}{'Kometa-AI':>14}{'reelscale':>14}{'rerun K':>12}{'rerun r':>12}"]
    k, r = result["kometa_ai"], result["reelscale"]
    for label, key, fmt in rows:
        cells = [fmt.format(x[key]) for x in (k["first"], r["first"], k["rerun"], r["rerun"])]
        lines.append(f"{label:24}{cells[0]:>14}{cells[1]:>14}{cells[2]:>12}{cells[3]:>12}")
    for name in ("kometa_ai", "reelscale"):
        methods = ", ".join(
            f"{m} {n}" for m, n in sorted(result[name]["first"]["radarr_by_method"].items())
        )
        lines.append(f"Radarr by method, {name} first run: {methods}")
    lines.append(
        "ratios (Kometa-AI / reelscale, first run): "
        + ", ".join(f"{k} {result[k]}" for k in TARGETS)
    )
    return "\n".join(lines)
