"""``reelscale demo``: the production path on a synthetic library, against local stand-ins.

Everything a real deployment talks to (Radarr, Sonarr, Claude, TMDB) is started on 127.0.0.1 with
the synthetic library, and ``reelscale run`` is called exactly as in production, through the same
settings (as environment variables would give them) and the same summary.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from core.errors import UsageError

DEMO_SEED = 1
FILES = 2_000
SERIES = 1_000


@click.command()
@click.option(
    "--size",
    type=click.IntRange(min=100),
    default=10_000,
    show_default=True,
    help="Movies in the stand-in Radarr's library.",
)
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False),
    default="demo",
    show_default=True,
    help="Folder for the demo's config, database and reports (recreated).",
)
def demo(size: int, workdir: str) -> None:
    """Run `reelscale run` on a synthetic library against local stand-ins, twice.

    Starts stand-in Radarr (SIZE movies), Sonarr (1,000 series), Claude and TMDB on 127.0.0.1,
    writes a config with ten collections, runs the production path (library -> Claude -> Radarr
    tags) and runs it again to show the incremental rerun (no Claude call, no Radarr write).
    Then the same for TV: `run --source sonarr` over the Sonarr library with ten series
    collections, twice. Then a folder of movie files goes the files way (scan -> TMDB -> Claude
    -> Kometa collection file), and `recommend-batch-size --simulate` sweeps the batch size.
    Nothing leaves this machine.
    """
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.sonarr.server import SonarrServer
    from synthetic.servers.tmdb.server import TMDBServer

    work = _fresh(Path(workdir))
    config = work / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    click.echo(
        f"Starting stand-in Radarr ({size:,} movies), Sonarr ({SERIES:,} series), Claude and "
        "TMDB on 127.0.0.1 ..."
    )
    with (
        RadarrServer.from_library(size, DEMO_SEED) as radarr,
        SonarrServer.from_library(SERIES, DEMO_SEED) as sonarr,
        ClaudeServer.from_library(max(size, FILES), DEMO_SEED, series=SERIES) as claude,
        TMDBServer.from_library(FILES, DEMO_SEED, rate_limit=None) as tmdb,
    ):
        stand_ins = {
            "radarr.url": radarr.url,
            "radarr.api_key": radarr.config.api_key,
            "claude.api_key": claude.config.api_key,
            "claude.base_url": claude.url,
            "claude.concurrency": 32,
            "tmdb.api_key": tmdb.config.api_key,
            "tmdb.url": tmdb.url,
            "tmdb.rate": 100_000,
            "tmdb.concurrency": 16,
        }
        _radarr_runs(work, config, stand_ins)
        _show_tags("Radarr", radarr)
        stand_ins |= {"sonarr.url": sonarr.url, "sonarr.api_key": sonarr.config.api_key}
        _sonarr_runs(work, stand_ins)
        _show_tags("Sonarr", sonarr)
        _files_run(work, config, stand_ins)
    click.echo("\n6. reelscale recommend-batch-size --simulate")
    from core.cli.recommend import recommend_batch_size

    click.get_current_context().invoke(
        recommend_batch_size,
        simulate=True,
        sizes="5,10,25,50,100,200",
        movies=1000,
        report_dir=str(work / "reports"),
        db_path=str(work / "reelscale.db"),
    )
    _where(work, config)


def _radarr_runs(work: Path, config: Path, stand_ins: dict) -> None:
    """``reelscale run`` twice against the stand-in Radarr: everything, then nothing."""
    from core.cli.run import once
    from core.config import load_config
    from core.pipeline.run import RunOptions

    flags = {
        **stand_ins,
        "run.source": "radarr",
        "run.kometa_file": str(work / "kometa-radarr.yml"),
    }
    on_radarr = load_config(config, flags, collections=True)
    click.echo(f"Config: {config} ({len(on_radarr.collections)} collections)\n")
    steps = (
        ("1. reelscale run: judge every movie, tag Radarr", work / "profile-first.json"),
        ("2. reelscale run again: nothing changed, nothing sent", work / "profile-rerun.json"),
    )
    for label, profile in steps:
        click.echo(label)
        once(str(work / "reelscale.db"), on_radarr, RunOptions(), str(profile), False)
        click.echo()


def _show_tags(service: str, server) -> None:
    tags = server.tags_by_label()
    click.echo(
        f"Tags now in the stand-in {service}: "
        + ", ".join(f"{label} {len(ids):,}" for label, ids in sorted(tags.items()))
    )


def _sonarr_runs(work: Path, stand_ins: dict) -> None:
    """``reelscale run --source sonarr`` twice, with ten series collections (kind series)."""
    from core.cli.run import once
    from core.config import load_config
    from core.pipeline.run import RunOptions
    from synthetic.library.series_toml import series_toml

    shows = work / "reelscale-shows.toml"
    shows.write_text(series_toml(), encoding="utf-8")
    flags = {
        **stand_ins,
        "run.source": "sonarr",
        "run.kometa_series_file": str(work / "kometa-sonarr.yml"),
    }
    on_sonarr = load_config(shows, flags, collections=True)
    click.echo(f"\nConfig: {shows} ({len(on_sonarr.collections)} series collections)\n")
    for label in (
        "3. reelscale run --source sonarr: judge every series, tag Sonarr",
        "4. reelscale run --source sonarr again: nothing changed, nothing sent",
    ):
        click.echo(label)
        once(str(work / "reelscale.db"), on_sonarr, RunOptions(), None, False)
        click.echo()


def _files_run(work: Path, config: Path, stand_ins: dict) -> None:
    """``reelscale run --source files`` over a synthetic folder: scan, TMDB, Claude, Kometa."""
    from core.cli.run import once
    from core.config import load_config
    from core.pipeline.run import RunOptions

    click.echo(f"\n5. reelscale run --source files: {FILES:,} files, Kometa file")
    flags = {
        **stand_ins,
        "run.source": "files",
        "run.library": str(_files_library(work)),
        "run.kometa_file": str(work / "kometa-files.yml"),
    }
    on_files = load_config(config, flags, collections=True)
    once(str(work / "files.db"), on_files, RunOptions(), None, False)


def _where(work: Path, config: Path) -> None:
    click.echo(f"\nReports and files in {work}/:")
    for name in (
        "profile-first.json",
        "profile-rerun.json",
        "kometa-radarr.yml",
        "kometa-sonarr.yml",
        "kometa-files.yml",
        "reports/batch-size.html",
        "reelscale.db",
    ):
        click.echo(f"  {work / name}")
    db = work / "reelscale.db"
    program = command_name()
    click.echo(f"Try: {program} list --db {db} --config {config} --collection 'Film Noir'")
    if program != "reelscale":
        click.echo(
            "(reelscale is not on your PATH: use the path above, activate the virtual "
            "environment, or install it with `pipx install .` as the README says)"
        )


def command_name() -> str:
    """How the user's shell reaches this reelscale: ``reelscale`` when that name on the PATH is
    this installation, else the path of this installation's script (``.venv/bin/reelscale`` in a
    clone after ``make demo``), else ``python -m core``."""
    script = Path(sys.executable).parent / "reelscale"
    found = shutil.which("reelscale")
    if found and script.is_file() and Path(found).resolve() == script.resolve():
        return "reelscale"
    if script.is_file():
        try:
            return str(script.relative_to(Path.cwd()))
        except ValueError:
            return str(script)
    return f"{sys.executable} -m core"


def _fresh(work: Path) -> Path:
    marker = work / ".reelscale-demo"
    if work.exists() and any(work.iterdir()) and not marker.exists():
        raise UsageError(f"{work} exists and was not made by the demo; pass --dir NEW_FOLDER")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    marker.touch()
    return work


def _files_library(work: Path) -> Path:
    from synthetic.tree import build_tree

    tree = work / "library"
    build_tree(tree, FILES, seed=DEMO_SEED)
    return tree
