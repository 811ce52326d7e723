"""Where a run's decisions go: Radarr's or Sonarr's tags, a Kometa collection file, or (dry run)
nowhere.

Every sink has ``prepare(ctx)`` (before classify) and ``apply(ctx, judged)`` (after it) and
returns a :class:`~core.records.SinkResult`; :func:`~core.pipeline.build.build` picks them.
"""

from __future__ import annotations

import time

from core.pipeline.context import RunContext
from core.records import CollectionChange, Problem, SinkResult
from core.store.decisions import member_ids
from core.store.tag_changes import record_tag_changes

STOPPED = "stopped on request; the next run writes the rest"


class ArrTags:
    """A server's tags made to match the decisions (``write=False``: the difference, unwritten).

    ``side`` is :data:`~core.pipeline.sink.arr_tags.RADARR_SIDE` for a Radarr client or
    :data:`~core.pipeline.sink.arr_tags.SONARR_SIDE` for a Sonarr one.
    """

    def __init__(self, client, side, *, write: bool) -> None:
        self.client, self.side, self.write = client, side, write

    def prepare(self, ctx: RunContext) -> None:
        """Nothing to remember: the server itself says what is tagged now."""

    def apply(self, ctx: RunContext, judged) -> SinkResult:
        from core.pipeline.sink.arr_tags import apply_tags

        client = self.client
        sent = client.requests
        tagged = apply_tags(
            ctx.store,
            client,
            ctx.collections,
            ctx.run_id,
            dry_run=not self.write,
            should_stop=ctx.should_stop,
            reporter=ctx.reporter,
            side=self.side,
        )
        result = SinkResult(changes=list(tagged.collections), requests=client.requests - sent)
        for change in result.changes:
            change.source = self.side.source
        for cause, count in tagged.errors.items():
            examples = tagged.error_examples.get(cause, [])
            result.problems.append(Problem(cause, count, examples))
        result.stopped = STOPPED if tagged.stopped else None
        result.service = {
            "name": self.side.source,
            "requests": client.requests,
            "writes": client.writes,
            "retries": client.attempts - client.requests,
        }
        return result


class KometaTaglist:
    """The Kometa collection file that builds each collection from its Radarr tags
    (``radarr_taglist``, for a movie library) or Sonarr tags (``sonarr_taglist``, a show
    library)."""

    def __init__(self, path: str, key: str = "radarr_taglist") -> None:
        self.path, self.key = path, key

    def prepare(self, ctx: RunContext) -> None:
        """The file depends on the collections only."""

    def apply(self, ctx: RunContext, judged) -> SinkResult:
        from core.pipeline.sink.kometa_file import taglist_yaml, write_atomic

        written = write_atomic(self.path, taglist_yaml(ctx.collections, self.key))
        return SinkResult(kometa_file=str(written))


class FileChanges:
    """A folder library's collections: the decisions that flipped in this run, recorded, and
    the Kometa file that lists each collection's TMDB ids (when ``path`` and ``write``).

    ``kind`` is the items it covers: ``movies`` (a ``tmdb_movie`` file, for a movie library) or
    ``series`` (the folder's series, a ``tvdb_show``/``tmdb_show`` file for a show library:
    Kometa refuses a show builder in a movie library and the reverse, so each has its own file).
    """

    def __init__(self, path: str | None, *, write: bool, kind: str = "movies") -> None:
        self.path, self.write, self.kind = path, write, kind
        self.before: dict[str, set[int]] = {}

    def prepare(self, ctx: RunContext) -> None:
        self.before = _members(ctx, self.kind)

    def apply(self, ctx: RunContext, judged) -> SinkResult:
        after = _members(ctx, self.kind)
        applied = int(bool(self.path) and self.write)
        result, rows, now = SinkResult(), [], time.time()
        for c in ctx.collections:
            added = after[c.tag] - self.before[c.tag]
            removed = self.before[c.tag] - after[c.tag]
            change = CollectionChange(c.name, c.tag, len(after[c.tag]), len(added), len(removed))
            result.changes.append(change)
            rows += [(ctx.run_id, i, c.tag, "add", applied, now) for i in sorted(added)]
            rows += [(ctx.run_id, i, c.tag, "remove", applied, now) for i in sorted(removed)]
        record_tag_changes(ctx.store, rows)
        if applied:
            from core.pipeline.sink.kometa_file import tmdb_list_yaml, write_atomic

            text, _ = tmdb_list_yaml(ctx.store, ctx.collections, self.kind)
            result.kometa_file = str(write_atomic(self.path, text))
        return result


def _members(ctx: RunContext, kind: str = "movies") -> dict[str, set[int]]:
    item_type = "series" if kind == "series" else "movie"
    return {c.tag: member_ids(ctx.store, c.tag, item_type) for c in ctx.collections}
