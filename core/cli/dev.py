"""Developer commands: the synthetic world (``synth``) and the harness (``bench``).

These import ``synthetic`` and ``benchmarks`` lazily: the production commands never load them.
``bench`` is only a seam here; its commands are ``benchmarks.harness.cli``'s.
"""

from __future__ import annotations

import importlib
import json
import sys
from functools import cached_property
from pathlib import Path

import click

from core.cli._options import json_option
from core.errors import UsageError

seed_option = click.option("--seed", type=int, default=1, show_default=True)


@click.group()
def synth() -> None:
    """Build the synthetic library and file trees used by tests, benchmarks and the demo."""


@synth.command("library")
@click.option("--size", type=click.IntRange(min=0), required=True, help="Number of movies.")
@seed_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="JSON-lines file to write ('-' for stdout).",
)
def synth_library(size: int, seed: int, output: str) -> None:
    """Write a deterministic synthetic movie library as JSON lines.

    Same --size and --seed, same bytes. Each movie has TMDB-like fields and hidden ground-truth
    traits on which the synthetic collections are defined.
    """
    from synthetic.library.movies import write_jsonl

    if output == "-":
        write_jsonl(click.get_text_stream("stdout"), size, seed)
        return
    tmp = Path(output).with_name(Path(output).name + ".part")
    count = write_jsonl(tmp, size, seed)
    tmp.replace(output)
    click.echo(f"Wrote {count:,} movies to {output}", err=True)


@synth.command("tree")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--size", type=click.IntRange(min=1), required=True, help="Number of files.")
@seed_option
@click.option(
    "--truth", type=click.Path(dir_okay=False), help="Also write the expected parse of each video."
)
@click.option(
    "--tv",
    is_flag=True,
    help="A TV library instead: SIZE episode files (plus subtitles, nfo files and posters) of "
    "the synthetic series library, in Sonarr, Plex, scene, season-pack and anime layouts; "
    "--truth then gives each episode's show.",
)
@json_option
def synth_tree(
    folder: str, size: int, seed: int, truth: str | None, tv: bool, as_json: bool
) -> None:
    """Create a synthetic movie library as a tree of empty files under FOLDER.

    Radarr-style folders, bare scene names, collection folders, extras, side files and TV
    episodes, drawn from the synthetic library of the same seed. FOLDER must be empty or absent.
    """
    from synthetic.tree import build_tree
    from synthetic.tree.tv_library import build_tv_tree

    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UsageError(f"{folder} is not an empty folder; pass a new or empty folder")
    if tv:
        tv_stats = build_tv_tree(root, size, seed, truth=truth)
        if as_json:
            click.echo(json.dumps(_asdict(tv_stats)))
        else:
            click.echo(
                f"Created {tv_stats.files:,} files ({tv_stats.episodes:,} episodes of "
                f"{tv_stats.series:,} series) in {tv_stats.seconds:.1f} s"
            )
        return
    stats = build_tree(root, size, seed, truth=truth)
    if as_json:
        click.echo(json.dumps(_asdict(stats)))
    else:
        click.echo(
            f"Created {stats.files:,} files ({stats.videos:,} videos: {stats.movies:,} movies, "
            f"{stats.episodes:,} episodes, {stats.extras:,} extras) in {stats.seconds:.1f} s"
        )


@synth.command("collections")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="reelscale.toml to write ('-' for stdout).",
)
def synth_collections(output: str) -> None:
    """Write the ten synthetic collections (one per hidden trait) as a reelscale.toml."""
    from synthetic.library.collection_defs import to_toml

    if output == "-":
        click.echo(to_toml())
        return
    Path(output).write_text(to_toml(), encoding="utf-8")
    click.echo(f"Wrote 10 collections to {output}", err=True)


@synth.command("serve")
@click.option("--tmdb", is_flag=True, help="Start the stand-in TMDB API.")
@click.option("--claude", is_flag=True, help="Start the stand-in Claude API.")
@click.option("--radarr", is_flag=True, help="Start the stand-in Radarr API.")
@click.option("--sonarr", is_flag=True, help="Start the stand-in Sonarr API (series).")
@click.option(
    "--series",
    "series_size",
    type=click.IntRange(min=1),
    default=1_000,
    show_default=True,
    help="Series in the served synthetic TV library (Sonarr's, TMDB's TV routes, and what "
    "Claude judges).",
)
@click.option(
    "--radarr-size",
    type=click.IntRange(min=1),
    help="Movies in the stand-in Radarr's library (default: the served library).",
)
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Movies in the served synthetic library.",
)
@seed_option
@click.option(
    "--library",
    type=click.Path(exists=True, dir_okay=False),
    help="Serve this JSON-lines library (from `synth library`) instead of --size/--seed.",
)
@click.option(
    "--tmdb-rate",
    default="50/1",
    show_default=True,
    help="TMDB stand-in rate limit per client IP as REQUESTS/SECONDS, or 'none'.",
)
@click.option(
    "--latency",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds added before every answer.",
)
def synth_serve(
    tmdb: bool,
    claude: bool,
    radarr: bool,
    sonarr: bool,
    series_size: int,
    radarr_size: int | None,
    size: int,
    seed: int,
    library: str | None,
    tmdb_rate: str,
    latency: float,
) -> None:
    """Run stand-in servers on 127.0.0.1 until SIGINT/SIGTERM.

    Prints one JSON line per server, {"name", "url", "api_key"}, then serves. The TMDB stand-in
    serves the movies and the series (--series) on its TV routes; the Claude stand-in judges
    both, so a Sonarr run against --sonarr is matched and judged from the series' ground truth.
    """
    from synthetic.library.movies import generate
    from synthetic.servers.base import Latency, serve_until_signal
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.tmdb.server import TMDBServer

    if not (tmdb or claude or radarr or sonarr):
        raise UsageError("choose the stand-ins to start: --tmdb, --claude, --radarr, --sonarr")
    rate_limit = _parse_rate(tmdb_rate)
    shared = tmdb or claude or radarr_size is None
    movies = library if library else (list(generate(size, seed)) if shared else [])
    servers = []
    shows = None
    if tmdb or claude or sonarr:
        from synthetic.library.series import generate_series

        shows = list(generate_series(series_size, seed))
    if tmdb:
        servers.append(
            TMDBServer(
                movies, series=shows, rate_limit=rate_limit, latency=Latency(fixed_s=latency)
            )
        )
    if claude:
        servers.append(ClaudeServer(movies, series=shows))
    if radarr:
        radarr_movies = generate(radarr_size, seed) if radarr_size else movies
        servers.append(RadarrServer(radarr_movies, latency=Latency(fixed_s=latency)))
    if sonarr:
        from synthetic.servers.sonarr.server import SonarrServer

        servers.append(SonarrServer(shows, latency=Latency(fixed_s=latency)))

    def announce(server) -> None:
        line = {"name": server.name, "url": server.url, "api_key": server.config.api_key}
        click.echo(json.dumps(line))
        sys.stdout.flush()

    serve_until_signal(servers, announce=announce)


def _parse_rate(text: str):
    from synthetic.servers.base import RateLimit

    if text.lower() == "none":
        return None
    try:
        requests, seconds = text.split("/")
        return RateLimit(requests=int(requests), per_s=float(seconds))
    except ValueError:
        raise UsageError(
            f"--tmdb-rate {text!r}: expected REQUESTS/SECONDS like 50/1, or none"
        ) from None


def _asdict(obj) -> dict:
    from dataclasses import asdict

    return asdict(obj)


class _LazyGroup(click.Group):
    """A group whose commands live in another package, imported only when the group is used.

    ``reelscale --help`` shows this group's own short help without importing anything; ``reelscale
    bench ...`` imports the real group (``benchmarks.harness.cli``) and delegates the command list,
    the commands and the help text to it. Its errors still reach ``reelscale``'s handler, which
    turns them into ``Error: ...`` with the error's exit code.
    """

    def __init__(self, name: str, target: str, **attrs) -> None:
        super().__init__(name, **attrs)
        self._target = target  # "module:attribute"

    @cached_property
    def real(self) -> click.Group:
        module, attribute = self._target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real.list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.real.get_command(ctx, name)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.real.format_help_text(ctx, formatter)


bench = _LazyGroup(
    "bench",
    "benchmarks.harness.cli:bench",
    help="Run the benchmark harness: asv, the regression gate, numbers, reliability suites.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
