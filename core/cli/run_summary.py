"""The summary ``reelscale run`` prints (without ``--json``): collections, Claude, the servers."""

from __future__ import annotations

import click


def print_run(report: dict) -> None:
    """The run summary: one line per collection, then requests, cost and grouped errors."""
    verb = "Dry run (nothing written)" if report["dry_run"] else "Run"
    click.echo(f"{verb} {report['run_id']}: {report['status']} in {report['seconds']:.1f} s")
    combined = len(report.get("sources") or ()) > 1
    _print_collections(
        report["collections"], estimated=bool(report.get("estimate")), combined=combined
    )
    if report.get("estimate"):
        _print_estimate(report["estimate"])
    else:
        _print_claude(report)
    _print_radarr_and_rest(report)


def _print_collections(rows: list[dict], *, estimated: bool, combined: bool = False) -> None:
    """The per-collection table; a free dry run shows what it would judge instead of tokens. A
    run over several sources has a row per collection and source."""
    if not rows:
        return
    last = ("TO JUDGE",) if estimated else ("TOKENS", "COST")
    first = ("COLLECTION", "SOURCE") if combined else ("COLLECTION",)
    header = (*first, "TAG", "MEMBERS", "ADDED", "REMOVED", "DEFERRED", *last)
    table = [
        (
            *((r["name"], r["source"]) if combined else (r["name"],)),
            r["tag"],
            f"{r['members']:,}",
            f"+{r['added']:,}",
            f"-{r['removed']:,}",
            f"{r['deferred']:,}",
            *(
                (f"{r.get('to_judge', 0):,}",)
                if estimated
                else (f"{r['tokens']:,}", f"${r['cost_usd']:.4f}")
            ),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]
    for row in (header, *table):
        click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _print_claude(report: dict) -> None:
    tokens = report["tokens"]
    click.echo(
        f"  Claude: {report['requests']:,} requests, ${report['cost_usd']:.4f}, tokens "
        f"{tokens.get('input', 0):,} in / {tokens.get('output', 0):,} out / "
        f"{tokens.get('cache_read', 0):,} cache read"
    )


def _print_estimate(estimate: dict) -> None:
    click.echo(
        f"  Claude: nothing sent. A run would judge {estimate['pairs']:,} (item, collection) "
        f"pairs of {estimate['movies']:,} items in about {estimate['requests']:,} requests, "
        f"estimated ${estimate['cost_usd']:.4f} from the token estimate; `--dry-run --judge` "
        "judges them and keeps the answers"
    )


def _print_radarr_and_rest(report: dict) -> None:
    sources = report.get("sources") or {}
    for name, service in (("radarr", "Radarr"), ("sonarr", "Sonarr")):
        if name in sources:
            entry = sources[name]
            library = entry.get("library") or {}
            judged = entry.get("claude") or {}
            click.echo(
                f"  {service}: {report[name + '_requests']:,} requests, "
                f"{report[name + '_writes']:,} writes; {library.get('seen', 0):,} {entry['kind']}, "
                f"{judged.get('items_admitted', 0):,} judged"
            )
    if report.get("imported_decisions"):
        click.echo(
            f"  Imported from Kometa-AI before this run: {report['imported_decisions']:,} "
            "decisions (reelscale import kometa-ai)"
        )
    retried = {service: n for service, n in report.get("retries", {}).items() if n}
    if retried:
        click.echo("  Retried: " + ", ".join(f"{s} {n:,}" for s, n in retried.items()))
    if report.get("kometa_file"):
        click.echo(f"  Kometa collection file: {report['kometa_file']}")
    if report.get("memory_profile"):
        memory = report["memory_profile"]
        click.echo(f"  memray capture: {memory['capture']}")
        click.echo(f"  memray flamegraph: {memory['flamegraph']}")
    click.echo(f"  peak RSS {report['peak_rss_mb']:.0f} MB")
    if report.get("stopped"):
        click.echo(f"  {report['stopped']}")
    if report.get("refused"):
        from core.cli._render import print_refused

        print_refused(report["refused"], report["refused_requests"], 0.0)
    for error in report["errors"]:
        click.echo(f"  error x{error['count']}: {error['cause']}", err=True)
        for example in error["examples"]:
            click.echo(f"      {example}", err=True)
