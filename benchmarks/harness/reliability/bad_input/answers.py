"""Bad input, Claude's answers: any text or JSON as the model's answer, through the real SDK.

The answer check alone is tested on any text elsewhere; this property sends what a misbehaving
model could say through the whole classify stage: a stand-in ``/v1/messages`` that answers every
request with the example's text (and stop reason), the official ``anthropic`` SDK, the answer
check, the requeue of missing ids and the store. Properties: classify never raises; every stored
decision is a sent movie and a known collection with a confidence in [0, 1]; decisions already
stored are kept (a bad answer never deletes or blanks one); every request is recorded and priced.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from aiohttp import web
from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import DataLost
from benchmarks.harness.workloads.classify import fill_store
from core.clients.claude.client import MessagesSettings
from core.config.files import load_collections
from core.config.model import ClaudeSettings
from core.pipeline.classify.stage import classify
from core.store.db import open_store
from synthetic.library.collection_defs import to_toml
from synthetic.servers.base import StandInServer

N_ITEMS = 12
STOPS = ["end_turn", "end_turn", "end_turn", "max_tokens", "refusal", "stop_sequence", "tool_use"]


class AnswerServer(StandInServer):
    """``/v1/messages`` answering every request with ``text`` and ``stop_reason``, as set."""

    name = "claude-answers"

    def __init__(self) -> None:
        super().__init__()
        self.text, self.stop_reason, self.calls = "", "end_turn", 0

    def setup_app(self, app: web.Application) -> None:
        app.router.add_post("/v1/messages", self._message)

    async def _message(self, request: web.Request) -> web.Response:
        await request.read()
        self.calls += 1
        content = [] if self.stop_reason == "refusal" else [{"type": "text", "text": self.text}]
        body = {
            "id": f"msg_{self.calls}",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-5-5",
            "content": content,
            "stop_reason": self.stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": 1000, "output_tokens": max(1, len(self.text) // 4)},
        }
        return web.json_response(body, dumps=lambda o: json.dumps(o))  # \ud800 escapes allowed


@contextlib.contextmanager
def answers_context():
    """A store of ``N_ITEMS`` movies, two collections and the answer stand-in."""
    base = Path(tempfile.mkdtemp(prefix="reelscale-bad-answers-"))
    server = AnswerServer().start()
    try:
        config = base / "reelscale.toml"
        config.write_text(to_toml(), encoding="utf-8")
        collections = load_collections(config)[:2]
        with open_store(base / "reelscale.db") as store:
            fill_store(store, N_ITEMS)
            yield store, collections, server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def decisions(store) -> dict[tuple[int, str], tuple[int, float]]:
    rows = store.conn.execute("SELECT item_id, collection, include, confidence FROM decisions")
    return {(i, c): (inc, p) for i, c, inc, p in rows}


def check_answer_text(ctx, text: str, stop_reason: str) -> int:
    store, collections, server = ctx
    server.text, server.stop_reason = text, stop_reason
    before = decisions(store)
    requests_before = store.conn.execute("SELECT count(*) FROM requests").fetchone()[0]
    claude = ClaudeSettings(
        model="claude-haiku-5-5",
        api_key="standin-key",
        base_url=server.url,
        concurrency=1,
        max_retries=0,
    )
    messages = MessagesSettings(claude=claude, batch_size=N_ITEMS)
    summary = classify(store, collections, messages, force=True, recheck=False)
    after = decisions(store)
    items = {i for (i,) in store.conn.execute("SELECT id FROM items")}
    tags = {c.tag for c in collections}
    for (item, tag), (include, p) in after.items():
        assert item in items and tag in tags and include in (0, 1) and 0.0 <= p <= 1.0
    if lost := set(before) - set(after):
        raise DataLost(f"{len(lost)} stored decisions vanished after a bad answer")
    recorded = store.conn.execute("SELECT count(*) FROM requests").fetchone()[0]
    assert recorded - requests_before == summary.requests > 0
    assert summary.cost_usd > 0
    return 1


mids = st.sampled_from([f"m{i}" for i in range(1, N_ITEMS + 3)] + ["m0", "x", "", "m1 "])
cids = st.sampled_from(["1", "2", "3", "-1", "1e9"])
record = st.builds(
    lambda mid, pairs, tail: " ".join([mid, *(f"{c}:{d}" for c, d in pairs)]) + tail,
    mids,
    st.lists(st.tuples(cids, st.integers(-5, 99)), max_size=3),
    st.sampled_from(["", " | why", "\x00", "\ud800"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8) | record,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.sampled_from(["r", "id", "x"]), children, max_size=3)
    ),
    max_leaves=30,
)
answers = st.one_of(
    st.lists(record, max_size=N_ITEMS + 4).map(lambda r: json.dumps({"r": r})),
    json_values.map(json.dumps),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=200),
    st.lists(record, max_size=N_ITEMS).map(lambda r: json.dumps({"r": r})[: len(r) * 3]),
)
