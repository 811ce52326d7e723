"""Bad input, Radarr's payloads: missing, extra, null and wrongly typed fields, odd titles.

A Radarr stand-in serves crafted ``/api/v3/movie``, ``/api/v3/tag`` and ``/api/v3/tag/detail``
bodies. Properties: a movie without a usable id is skipped and named in the report (by position
and title), the rest of the library is synced; a list with no usable movie at all is one clear
error that changes nothing; any title (lone surrogates, control characters, 2,000 characters) is
stored as valid text; ``reelscale run`` exits 0 or 1, never with a traceback.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from aiohttp import web
from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import cli_env, invoke
from core.clients.radarr import RadarrClient, RadarrSettings
from core.errors import RadarrError
from core.pipeline.source.radarr import sync_library
from core.store.db import open_store
from synthetic.library.collection_defs import to_toml
from synthetic.library.movies import generate
from synthetic.servers.claude.server import ClaudeServer
from synthetic.servers.radarr.server import RadarrServer

any_char = st.characters(codec=None, exclude_categories=())
ODD_TITLES = ["Amélie", "\ud800 lone", "tab\there", "\x00nul", "\x1b[31mred", "\u202eevil", "🎬",
              "x" * 2000, '"]}', "[1]", "", " ", "ﬁlm", "\ufeff"]  # fmt: skip
WRONG = [None, [], {}, "x", 1.5, True, -1, 0, 2**63, 2**70, [None, 3, "a"], {"name": None}]
FIELDS = ["id", "title", "year", "genres", "overview", "tmdbId", "tags", "keywords",
          "originalLanguage", "collection", "alternateTitles", "originalTitle"]  # fmt: skip
json_any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=10,
)
title = st.sampled_from(ODD_TITLES) | st.text(any_char, max_size=60)


@st.composite
def movie_record(draw, movie_id: int) -> object:
    record = {
        "id": movie_id,
        "title": draw(title),
        "year": draw(st.integers(1900, 2030)),
        "genres": draw(st.lists(st.sampled_from(["Drama", "Crime", "Sci-Fi"]), max_size=2)),
        "overview": draw(st.text(any_char, max_size=80)),
        "tmdbId": movie_id + 1000,
        "tags": [],
    }
    for _ in range(draw(st.integers(0, 3))):  # faults: missing, null, wrong type, extra
        kind = draw(st.sampled_from(["drop", "wrong", "extra", "element"]))
        key = draw(st.sampled_from(FIELDS))
        if kind == "drop":
            record.pop(key, None)
        elif kind == "wrong":
            record[key] = draw(st.sampled_from(WRONG))
        elif kind == "extra":
            record[draw(st.text(max_size=8))] = draw(json_any)
        else:
            return draw(json_any | st.sampled_from(WRONG))  # not a movie object at all
    return record


libraries = st.lists(st.integers(1, 15), max_size=12).flatmap(
    lambda ids: st.tuples(*(movie_record(i) for i in ids)).map(list)
)


def usable(record: object) -> bool:
    return isinstance(record, dict) and type(record.get("id")) is int and 0 < record["id"] < 2**63


def payload(records: list) -> bytes:
    return json.dumps(records).encode()  # ensure_ascii: lone surrogates as \ud800 escapes


class CraftedRadarr(RadarrServer):
    """The Radarr stand-in, but the movie list and tag answers are whatever bytes are set."""

    def __init__(self, movies) -> None:
        super().__init__(movies)
        self.movie_body: bytes = b"[]"
        self.tag_body: bytes | None = None
        self.detail_body: bytes | None = None

    async def _movie_list(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self.movie_body, content_type="application/json")

    async def _tag_list(self, request: web.Request) -> web.Response:
        if self.tag_body is None:
            return await super()._tag_list(request)
        return web.Response(body=self.tag_body, content_type="application/json")

    async def _tag_detail(self, request: web.Request) -> web.Response:
        if self.detail_body is None:
            return await super()._tag_detail(request)
        return web.Response(body=self.detail_body, content_type="application/json")


@contextlib.contextmanager
def radarr_context():
    """The crafted Radarr, a Claude stand-in (instant answers) and a scratch folder."""
    from synthetic.servers.traffic import set_time_scale

    base = Path(tempfile.mkdtemp(prefix="reelscale-bad-radarr-"))
    movies = list(generate(20, seed=1))
    previous = set_time_scale(0.0)
    radarr, claude = CraftedRadarr(movies).start(), ClaudeServer(movies).start()
    try:
        config = base / "reelscale.toml"
        config.write_text(to_toml(), encoding="utf-8")
        yield base, radarr, claude
    finally:
        radarr.stop()
        claude.stop()
        set_time_scale(previous)
        shutil.rmtree(base, ignore_errors=True)


def radarr_client(radarr) -> RadarrClient:
    settings_ = RadarrSettings(url=radarr.url, api_key=radarr.config.api_key, retries=0)
    return RadarrClient(settings_)


def check_sync(ctx, records: list) -> int:
    """Sync a crafted list into a fresh store: usable movies stored, the rest skipped and named."""
    base, radarr, _ = ctx
    radarr.movie_body = payload(records)
    good = [r for r in records if usable(r)]
    ids = {r["id"] for r in good}
    work = Path(tempfile.mkdtemp(dir=base))
    try:
        with open_store(work / "r.db") as store, radarr_client(radarr) as client:
            if records and not good:
                try:
                    sync_library(store, client)
                except RadarrError as exc:
                    assert "none is a usable movie" in str(exc), exc
                    return len(records)
                raise AssertionError("a list without a usable movie was accepted")
            summary = sync_library(store, client)
            rows = dict(store.conn.execute("SELECT key, title FROM items WHERE source='radarr'"))
        assert set(rows) == {str(i) for i in ids}
        bad = len(records) - len(good)
        assert summary.skipped == bad and summary.duplicates == len(good) - len(ids)
        assert len(summary.skipped_examples) == min(bad, 3)
        for example in summary.skipped_examples:
            assert example.startswith("element ")
        first: dict = {}
        for r in good:  # a repeated id: the first copy wins
            first.setdefault(r["id"], r)
        for key, stored in rows.items():
            sent = first[int(key)].get("title")
            if isinstance(sent, str) and sent and not any("\ud800" <= c <= "\udfff" for c in sent):
                assert stored == sent
            stored.encode("utf-8")  # valid text, whatever was sent
        return bad + sum(1 for r in good if r.keys() != {"id", "title", "year", "genres",
                                                         "overview", "tmdbId", "tags"})  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


tag_bodies = st.one_of(
    json_any.map(json.dumps),
    st.lists(
        st.fixed_dictionaries(
            {"id": st.sampled_from([1, 2, "3", None, -1]), "label": st.sampled_from(
                ["kai-film-noir", "KAI-Heist", None, 5, "x"])},
            optional={"movieIds": st.sampled_from([[1, 2], None, "1", [None, "a", 3], {}])},
        ),
        max_size=4,
    ).map(json.dumps),
    st.sampled_from(["", "{", "<html>", "[1, 2"]),
)  # fmt: skip


def check_run(ctx, records: list, tags: str | None, detail: str | None) -> int:
    """``reelscale run --json`` over crafted payloads: exit 0 or 1, never a traceback."""
    base, radarr, claude = ctx
    radarr.movie_body = payload(records)
    radarr.tag_body = None if tags is None else tags.encode("utf-8", "surrogatepass")
    radarr.detail_body = None if detail is None else detail.encode("utf-8", "surrogatepass")
    work = Path(tempfile.mkdtemp(dir=base))
    try:
        db = work / "reelscale.db"
        env = cli_env(
            RADARR_URL=radarr.url,
            RADARR_API_KEY=radarr.config.api_key,
            ANTHROPIC_API_KEY=claude.config.api_key,
            ANTHROPIC_BASE_URL=claude.url,
        )
        args = ["run", "--config", str(base / "reelscale.toml"), "--db", str(db), "--json"]
        result = invoke(args, env)
        assert result.exit_code in (0, 1), (result.exit_code, result.stderr[-800:])
        good = [r for r in records if usable(r)]
        if records and not good:
            assert result.exit_code == 1 and "none is a usable movie" in result.stderr
            return len(records)
        if result.error_lines:
            assert result.exit_code == 1 and "Radarr" in result.stderr, result.stderr[-800:]
            return 1
        report = json.loads(result.output)
        assert report["library"]["seen"] == len({r["id"] for r in good})
        skipped = [e for e in report["errors"] if e["cause"].startswith("Radarr movies without")]
        if len(good) < len(records):
            assert skipped and skipped[0]["examples"], report["errors"]
        return len(records) - len(good) + (tags is not None) + (detail is not None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
