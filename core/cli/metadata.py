"""Commands over provider metadata: ``enrich``, ``export`` and the ``cache`` group."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from core.cli._options import JsonGroup, config_option, db_option, json_option
from core.cli._progress import progress_reporter
from core.cli._render import print_enrich
from core.errors import UsageError


@click.command()
@db_option
@config_option
@click.option("--tmdb-url", default=None, help="TMDB base URL (env TMDB_URL; default: TMDB).")
@click.option(
    "--rate",
    type=click.IntRange(min=1),
    default=None,
    help="Requests allowed per --per seconds (client-side limit; default 48, env TMDB_RATE).",
)
@click.option(
    "--per",
    "per_seconds",
    type=click.FloatRange(min=0.001),
    default=None,
    help="Window of the rate limit, in seconds (default 1).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Requests in flight at once (default 8, env TMDB_CONCURRENCY).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Minimum match confidence; below it an item stays unmatched (default 0.8).",
)
@click.option(
    "--ttl",
    "ttl_days",
    multiple=True,
    metavar="NS=DAYS",
    help="Cache lifetime per namespace: search (7), details (30), negative (1).",
)
@click.option(
    "--cache-max-mb",
    type=click.FloatRange(min=1),
    default=None,
    help="Size bound of the SQLite cache tier (default 512).",
)
@json_option
def enrich(
    db_path,
    config_path,
    tmdb_url,
    rate,
    per_seconds,
    concurrency,
    threshold,
    ttl_days,
    cache_max_mb,
    as_json,
) -> None:
    """Match scanned movies to TMDB and record their genres, overview and keywords.

    Needs TMDB_API_KEY (v3 key) or TMDB_TOKEN (v4 token) in the environment (or the [tmdb]
    table of the config). Lookups go through the provider cache, so a second run over an
    unchanged library sends no request. SIGINT/SIGTERM stop it within a second or two, keeping
    every lookup made so far (exit 0); the next enrich goes on from there.
    """
    from core.cli._options import load
    from core.clients.tmdb.client import check_credentials
    from core.ops.stopping import stop_on_signals
    from core.pipeline.enrich.cache import ProviderCache
    from core.pipeline.enrich.stage import enrich as run_enrich
    from core.store.db import open_store
    from core.store.lock import run_lock

    cache = _cache_config(ttl_days, cache_max_mb)
    flags = {
        "tmdb.url": tmdb_url,
        "tmdb.rate": rate,
        "tmdb.per_seconds": per_seconds,
        "tmdb.concurrency": concurrency,
        "tmdb.threshold": threshold,
    }
    settings = load(config_path, flags, required=False).tmdb
    check_credentials(settings)
    with (
        stop_on_signals() as stop,
        run_lock(db_path),
        open_store(db_path) as store,
        progress_reporter(not as_json) as rep,
    ):
        summary = run_enrich(
            store,
            settings,
            cache=ProviderCache(store, cache),
            reporter=rep,
            should_stop=stop.is_set,
        )
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
        return
    print_enrich(summary)
    if summary.stopped:
        click.echo(summary.stopped, err=True)


def _cache_config(ttl_days: tuple[str, ...], max_mb: float | None):
    from core.pipeline.enrich.cache import DAY, DEFAULT_TTLS, CacheConfig

    ttls = dict(DEFAULT_TTLS)
    for spec in ttl_days:
        name, _, days = spec.partition("=")
        try:
            if name not in ttls:
                raise ValueError
            ttls[name] = float(days) * DAY
        except ValueError:
            raise UsageError(
                f"--ttl {spec!r}: expected NAMESPACE=DAYS with NAMESPACE one of "
                f"{', '.join(DEFAULT_TTLS)} (e.g. --ttl search=7)"
            ) from None
    if max_mb is None:
        return CacheConfig(ttls=ttls)
    return CacheConfig(ttls=ttls, max_bytes=int(max_mb * 2**20))


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="-",
    show_default=True,
    help="JSON-lines file to write ('-' for stdout).",
)
def export(db_path, output) -> None:
    """Write the library as JSON lines: path, title, year, TMDB id, match confidence, genres,
    and per movie its collection decisions (tag, verdict, confidence, when) and current tags."""
    from core.store.db import open_store
    from core.views.export import export_items

    with open_store(db_path, create=False) as store:
        # Undecodable file names come back as lone surrogates; backslashreplace writes them as
        # JSON escapes (valid UTF-8 that json.loads turns back into the same name).
        if output == "-":
            sys.stdout.reconfigure(errors="backslashreplace")
            count = export_items(store, sys.stdout)
        else:
            tmp = Path(output).with_name(f".{Path(output).name}.part")
            try:
                with open(tmp, "w", encoding="utf-8", errors="backslashreplace") as fh:
                    count = export_items(store, fh)
                os.replace(tmp, output)
            finally:
                tmp.unlink(missing_ok=True)
            click.echo(f"Wrote {count:,} items to {output}", err=True)


@click.group(cls=JsonGroup)
def cache() -> None:
    """Inspect and manage the provider cache (TMDB lookups)."""


@cache.command("stats")
@db_option
@json_option
def cache_stats(db_path, as_json) -> None:
    """Entries and bytes per namespace, and hit/miss totals per tier over all runs."""
    from core.pipeline.enrich.cache import persistent_stats
    from core.store.db import open_store

    with open_store(db_path, create=False) as store:
        stats = persistent_stats(store)
    if as_json:
        click.echo(json.dumps(stats))
        return
    click.echo(
        f"SQLite tier: {stats['sqlite']['entries']:,} entries, "
        f"{stats['sqlite']['bytes'] / 1e6:.1f} MB"
    )
    for ns, n in sorted(stats["namespaces"].items()):
        click.echo(
            f"  {ns:8} {n['entries']:>9,} entries {n['bytes'] / 1e6:8.1f} MB  "
            f"{n['expired']:,} expired, {n['negative']:,} not-found"
        )
    for tier, t in stats["totals"].items():
        rate = f"{t['hit_rate']:.1%}" if t["hit_rate"] is not None else "-"
        click.echo(
            f"{tier:7} totals: {t['hits']:,} hits, {t['misses']:,} misses ({rate}), "
            f"{t['expired']:,} expired, {t['evictions']:,} evictions"
        )


@cache.command("clear")
@db_option
@click.option("--expired", is_flag=True, help="Only delete entries whose TTL has run out.")
def cache_clear(db_path, expired) -> None:
    """Delete cached lookups (all of them, or only the expired ones)."""
    from core.pipeline.enrich.cache import ProviderCache
    from core.store.db import open_store

    with open_store(db_path, create=False) as store:
        gone = ProviderCache(store).clear(expired_only=expired)
    click.echo(f"Deleted {gone:,} {'expired ' if expired else ''}cache entries")


@cache.command("warm")
@db_option
@json_option
def cache_warm(db_path, as_json) -> None:
    """Preload the memory tier with the cached lookups of the library's movies.

    Long-running processes (``reelscale run --schedule``) do this before each run; as a command
    it reports how much of the library the cache covers and how long loading takes.
    """
    import time

    from core.pipeline.enrich.cache import ProviderCache
    from core.pipeline.enrich.stage import warm_keys
    from core.store.db import open_store

    with open_store(db_path, create=False) as store:
        cache_ = ProviderCache(store)
        start = time.perf_counter()
        items, loaded = warm_keys(store, cache_)
        seconds = time.perf_counter() - start
        stats = cache_.snapshot()
    result = {
        "items": items,
        "loaded": loaded,
        "memory_bytes": stats.memory.bytes,
        "seconds": round(seconds, 3),
    }
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(
            f"Loaded {loaded:,} cached lookups for {items:,} movies "
            f"({stats.memory.bytes / 1e6:.1f} MB) in {seconds:.2f} s"
        )
