"""``reelscale list``: what is in the collections, why, and what the last run changed."""

from __future__ import annotations

import json
import time

import click

from core.cli._options import config_option, db_option, json_option
from core.errors import UsageError

WHY_LIMIT = 5


@click.command("list")
@click.option("--collection", metavar="NAME", help="Movies in this collection (name or tag).")
@click.option("--search", metavar="TEXT", help="Movies whose titles contain these words.")
@click.option("--why", metavar="TITLE_OR_ID", help="Why a movie is or is not in each collection.")
@click.option(
    "--changed-since", metavar="RUN", help="Tag changes of run RUN (an id, or 'last') and later."
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help=f"Rows to show, 0 for all [default: 50; --why explains the best {WHY_LIMIT} matches].",
)
@json_option
@db_option
@config_option
def list_(collection, search, why, changed_since, limit, as_json, db_path, config_path) -> None:
    """Answer questions about the collections from the database, without any request.

    \b
    reelscale list                          members per collection
    reelscale list --collection "Film Noir" the movies in it
    reelscale list --search "blade runner"  movies by title, with their collections
    reelscale list --why "Blade Runner"     why it is or is not in each collection
    reelscale list --why 42                 the same for item 42 (or tmdb:78)
    reelscale list --changed-since last     tags added and removed by the last run

    Collections come from the config (--config, $REELSCALE_CONFIG or ./reelscale.toml); without
    one, from the tags stored with the decisions. --collection narrows --search, --why and
    --changed-since to one collection.
    """
    from core.store.db import open_store
    from core.views import listing

    if sum(x is not None for x in (search, why, changed_since)) > 1:
        raise UsageError("--search, --why and --changed-since answer different questions; use one")
    configured = _configured(config_path)
    rows = listing.ALL if limit == 0 else limit
    with open_store(db_path, create=False) as store:
        if store.backup_path is not None:
            click.echo(
                f"Upgraded the database; the old one is kept as {store.backup_path}", err=True
            )
        refs = listing.known_collections(store, configured)
        ref = listing.resolve(refs, collection) if collection is not None else None
        tag = ref.tag if ref else None
        if why is not None:
            chosen = [ref] if ref else refs
            result = listing.why(store, why, chosen, limit=rows or WHY_LIMIT)
        elif search is not None:
            result = listing.search(store, search, collection=tag, limit=rows or 50)
        elif changed_since is not None:
            result = listing.changes_since(store, changed_since, collection=tag, limit=rows or 50)
        elif ref is not None:
            result = listing.members(store, ref, limit=rows or 50)
        else:
            result = listing.overview(store, refs)
    data = result.as_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    names = {r.tag: r.name for r in refs}
    _RENDER[data["query"]](data, names)


def _configured(config_path):
    """The configured collections; none when no config is given and ./reelscale.toml is absent."""
    from core.config.files import find_config, load_collections

    path = find_config(config_path, required=False)
    return [] if path is None else load_collections(path)


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _table(*columns: str, title: str | None = None):
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in columns:
        right = name in ("ID", "Members", "Threshold", "Run", "TMDB", "Added", "Removed", "Failed")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    return table


def _when(at: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at)) if at else "-"


def _num(value, fmt: str = "{:.2f}") -> str:
    return "-" if value is None else fmt.format(value)


def _title(item: dict) -> str:
    title = item.get("title") or "(no title)"
    return f"{title} ({item['year']})" if item.get("year") else title


def _more(shown: int, total: int | None) -> None:
    if total is None or shown < total:
        of = "more than 1,000" if total is None else f"{total:,}"
        click.echo(f"Showing {shown:,} of {of}; --limit 0 shows all.")


def _render_collections(data: dict, names: dict) -> None:
    rows = data["collections"]
    if not rows:
        click.echo("No collections: no config found and no decisions stored yet.")
        return
    table = _table("Collection", "Tag", "Members", "Threshold")
    for c in rows:
        name = c["name"] if c["in_config"] else f"{c['name']} (not in the config)"
        if c["enabled"] is False:
            name += " (disabled)"
        table.add_row(name, c["tag"], f"{c['members']:,}", _num(c["threshold"]))
    _console().print(table)


def _label(ref: dict) -> str:
    return ref["name"] if ref["name"] == ref["tag"] else f"{ref['name']} ({ref['tag']})"


def _render_members(data: dict, names: dict) -> None:
    ref, total = data["collection"], data["total"]
    if not total:
        click.echo(f"No movies in {_label(ref)}.")
        return
    table = _table("ID", "Movie", "Confidence", "Decided", title=_label(ref))
    for m in data["items"]:
        table.add_row(str(m["id"]), _title(m), _num(m["confidence"]), _when(m["decided_at"]))
    _console().print(table)
    click.echo(f"{total:,} movie{'' if total == 1 else 's'} in {ref['name']}.")
    _more(len(data["items"]), total)


def _render_search(data: dict, names: dict) -> None:
    if not data["items"]:
        click.echo(f"No movie title matches {data['text']!r}.")
        return
    table = _table("ID", "Movie", "Type", "TMDB", "Collections")
    for m in data["items"]:
        tags = ", ".join(names.get(t, t) for t in m["tags"]) or "-"
        table.add_row(str(m["id"]), _title(m), m["type"], _num(m["tmdb_id"], "{}"), tags)
    _console().print(table)
    _more(len(data["items"]), data["total"])


def _render_why(data: dict, names: dict) -> None:
    if not data["items"]:
        click.echo(f"No movie matches {data['text']!r}; try --search with fewer words.")
        return
    console = _console()
    for entry in data["items"]:
        item = entry["item"]
        tmdb = f", TMDB {item['tmdb_id']}" if item["tmdb_id"] else ""
        table = _table(
            "Collection",
            "State",
            "Confidence",
            "Model",
            "Decided",
            "Tag",
            title=f"{_title(item)}: item {item['id']}{tmdb}",
        )
        for v in entry["collections"]:
            d = v["decision"]
            state = v["state"] + (", prompt changed" if d and d["prompt_changed"] else "")
            model, decided = ("-", "-") if d is None else (d["model"], _decided(d))
            table.add_row(v["collection"]["name"], state, _confidence(v), model, decided, _tag(v))
        console.print(table)


def _confidence(v: dict) -> str:
    d, threshold = v["decision"], v["collection"]["threshold"]
    if d is None:
        return "-"
    if threshold is None:
        return f"{d['confidence']:.2f}"
    above = d["confidence"] >= threshold
    text = f"{d['confidence']:.2f} {'≥' if above else '<'} {threshold:.2f}"
    if above != d["include"]:
        text += " (kept: recheck margin)"
    return text


def _decided(d: dict) -> str:
    day = time.strftime("%Y-%m-%d", time.localtime(d["decided_at"]))
    return f"{day}, run {d['run_id']}"


def _tag(v: dict) -> str:
    change = v["last_change"]
    if change is None:
        return "not written yet" if v["state"] == "in" else "-"
    done = {"add": "added", "remove": "removed"}.get(change["action"], change["action"])
    verb = done if change["applied"] else f"{change['action']} failed"
    return f"{verb} (run {change['run_id']})"


def _render_changes(data: dict, names: dict) -> None:
    if data["since_run"] is None:
        click.echo("No tag changes recorded yet.")
        return
    runs = ", ".join(f"{r['id']} ({r['command']}, {_when(r['started_at'])})" for r in data["runs"])
    click.echo(f"Tag changes since run {data['since_run']}: {data['total']:,}  [runs {runs}]")
    if not data["total"]:
        return
    summary: dict[str, list[int]] = {}
    for c in data["counts"]:
        row = summary.setdefault(c["collection"], [0, 0, 0])
        row[2 if not c["applied"] else 0 if c["action"] == "add" else 1] += c["count"]
    table = _table("Collection", "Added", "Removed", "Failed")
    for tag, (added, removed, failed) in sorted(summary.items()):
        table.add_row(names.get(tag, tag), f"{added:,}", f"{removed:,}", f"{failed:,}")
    console = _console()
    console.print(table)
    changes = _table("Run", "ID", "Movie", "Collection", "Change")
    for c in data["items"]:
        change = c["action"] if c["applied"] else f"{c['action']} FAILED"
        movie = _title(c) if c["title"] or c["year"] else "(item gone)"
        changes.add_row(
            str(c["run_id"]),
            str(c["item_id"]),
            movie,
            names.get(c["collection"], c["collection"]),
            change,
        )
    console.print(changes)
    _more(len(data["items"]), data["total"])


_RENDER = {
    "collections": _render_collections,
    "members": _render_members,
    "search": _render_search,
    "why": _render_why,
    "changes": _render_changes,
}
