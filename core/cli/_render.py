"""Human-readable summaries, shared by the commands and the demo."""

from __future__ import annotations

import click


def print_scan(s) -> None:
    click.echo(f"Scanned {s.root}")
    click.echo(
        f"  {s.files:,} files, {s.videos:,} videos ({s.movies:,} movies, {s.episodes:,} episodes "
        f"in the index), {s.extras:,} extras/samples skipped"
    )
    click.echo(
        f"  new {s.new:,}  changed {s.changed:,}  unchanged {s.unchanged:,}  moved {s.moved:,}  "
        f"removed {s.removed:,}  parsed {s.parsed:,}"
    )
    worker = f" (+ {s.worker_peak_rss_mb:.0f} MB in the parse worker)" if s.parse_workers else ""
    if s.walk_workers:
        worker += f" (+ {s.walk_worker_peak_rss_mb:.0f} MB in the walk helper)"
    click.echo(
        f"  {s.seconds:.2f} s, {s.paths_per_min:,.0f} paths/min, "
        f"peak RSS {s.peak_rss_mb:.0f} MB{worker}"
    )
    if s.symlinks_skipped:
        click.echo(f"  {s.symlinks_skipped:,} symlinks not followed (use --follow-symlinks)")
    if s.errors:
        click.echo(f"  {s.errors:,} problems, skipped:", err=True)
        for detail in s.error_details[:10]:
            click.echo(f"    {detail['path']}: {detail['reason']}", err=True)
        if s.errors > 10:
            click.echo(f"    ... and {s.errors - 10:,} more (see --json)", err=True)


def print_enrich(s) -> None:
    movies, matched = s.items - s.series, s.matched - s.series_matched
    click.echo(f"Enriched {movies:,} movies: {matched:,} matched, {movies - matched:,} unmatched")
    if s.series:
        click.echo(
            f"  and {s.series:,} series: {s.series_matched:,} matched, "
            f"{s.series - s.series_matched:,} unmatched"
        )
    click.echo(
        f"  cache {s.cache_hits:,} hits / {s.cache_misses:,} misses ({s.hit_rate:.1%}), "
        f"{s.tmdb_requests:,} TMDB requests ({s.retries:,} retries), {s.seconds:.1f} s"
    )
    if s.errors:
        click.echo(f"  {s.errors:,} items failed and stay unmatched (retried next run):", err=True)
        for detail in s.error_details[:5]:
            click.echo(f"    item {detail['item']}: {detail['error']}", err=True)


def print_classify(s, dry_run: bool = False, kind: str = "movies") -> None:
    verb = "Would judge" if dry_run else "Judged"
    noun = "movie" if kind == "movies" else "series"
    click.echo(
        f"{verb} {s.pairs_planned:,} ({noun}, collection) pairs over {s.items_planned:,} "
        f"{kind}; {s.deferred:,} pairs deferred to the next run"
    )
    if dry_run:
        click.echo(f"  about {s.requests:,} requests, estimated ${s.cost_usd:.4f}")
        return
    click.echo(
        f"  {s.pairs_decided:,} decided in {s.requests:,} requests, ${s.cost_usd:.4f}, "
        f"{s.seconds:.1f} s"
    )
    click.echo(
        f"  tokens: {s.input_tokens:,} in, {s.output_tokens:,} out, "
        f"{s.cache_read_tokens:,} cache read, {s.cache_write_tokens:,} cache write"
    )
    for label, n in (
        ("refused by the model", s.refused),
        ("left undecided", s.failed),
        ("re-sent (missing from an answer)", s.requeued),
    ):
        if n:
            click.echo(f"  {n:,} {kind} {label}")
    for cause, n in sorted(s.errors.items()):
        click.echo(f"  {n:,} x {cause}", err=True)
    print_refused(s.refused_titles, s.refused_requests, s.refused_cost_usd)


def print_refused(titles, requests: int, dollars: float) -> None:
    """The movies Claude refused to judge, by title (they keep their tags; asked again next run)."""
    if not titles:
        return
    click.echo(
        f"  Claude refused {len(titles):,} movies ({requests:,} refused requests, "
        f"${dollars:.4f}); they keep their tags and are asked again next run:"
    )
    for title in titles:
        click.echo(f"    {title}")
