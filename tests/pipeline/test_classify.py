import json

import pytest
from click.testing import CliRunner

from benchmarks.harness.workloads.classify import fill_store
from core.cli import cli
from core.clients.claude.client import MessagesSettings
from core.config.files import load_collections
from core.config.model import ClaudeSettings
from core.errors import UsageError
from core.pipeline.classify.stage import Budget, classify
from core.pipeline.plan.stage import decide, plan
from synthetic.library.collection_defs import COLLECTIONS, to_toml
from synthetic.servers.claude.server import PERFECT

N = 120


@pytest.fixture
def collections(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(to_toml())
    return load_collections(path)


@pytest.fixture
def filled(store):
    fill_store(store, N)
    return store


def settings(server, *, batch_size=25, explain=False, **overrides):
    values = dict(
        model="claude-haiku-5-5",
        api_key=server.config.api_key,
        base_url=server.url,
        concurrency=4,
        max_retries=2,
    )
    values.update(overrides)
    return MessagesSettings(claude=ClaudeSettings(**values), batch_size=batch_size, explain=explain)


def truth(claude_library):
    trait_of = {c.name: c.trait for c in COLLECTIONS}
    return trait_of, {m.id: set(m.traits) for m in claude_library[:N]}


def decisions(store):
    return {
        (i, c): bool(inc)
        for i, c, inc in store.conn.execute("SELECT item_id, collection, include FROM decisions")
    }


def test_sync_run_decides_every_pair_and_rerun_is_free(
    filled, collections, make_claude_server, claude_library
):
    server = make_claude_server(accuracy=PERFECT)
    summary = classify(filled, collections, settings(server))
    assert summary.pairs_planned == N * len(collections)
    assert summary.pairs_decided == summary.pairs_planned + summary.rechecked
    assert 0 < summary.rechecked < N  # near-threshold verdicts, asked again once in the run
    assert summary.requests == server.counters.total
    assert summary.cost_usd > 0 and summary.input_tokens > 0 and summary.output_tokens > 0
    tag_trait = {c.tag: next(s.trait for s in COLLECTIONS if s.name == c.name) for c in collections}
    _, traits = truth(claude_library)
    got = decisions(filled)
    assert all(got[(i, tag)] == (tag_trait[tag] in traits[i]) for (i, tag) in got)
    paid = filled.conn.execute("SELECT count(*), sum(cost_usd) FROM requests").fetchone()
    assert paid[0] == summary.requests and paid[1] == pytest.approx(summary.cost_usd)

    server.reset_counters()
    again = classify(filled, collections, settings(server))
    assert (again.pairs_planned, again.requests, server.counters.total) == (0, 0, 0)


def test_mixed_faults_still_decide_every_pair_without_double_charge(
    filled, collections, make_claude_server
):
    server = make_claude_server(
        faults={"529": 0.03, "500": 0.03, "missing_ids": 0.05, "truncate": 0.03, "malformed": 0.02},
        seed=3,
    )
    summary = classify(filled, collections, settings(server, max_retries=4, batch_size=20))
    assert summary.pairs_decided >= summary.pairs_planned or summary.failed > 0
    undecided = N * len(collections) - len(decisions(filled))
    if undecided:  # what one run could not settle, the next one does
        classify(filled, collections, settings(server, max_retries=4, batch_size=20))
    assert len(decisions(filled)) == N * len(collections)
    ok_answers = sum(n for status, n in server.counters.by_status.items() if status == 200)
    recorded = filled.conn.execute("SELECT count(*) FROM requests").fetchone()[0]
    assert recorded == ok_answers


def test_spend_limit_stops_and_rerun_pays_only_the_rest(filled, collections, make_claude_server):
    server = make_claude_server(accuracy=PERFECT, spend_limit_after=2)
    summary = classify(filled, collections, settings(server, concurrency=1, max_retries=0))
    assert summary.stopped and "spend limit" in summary.stopped
    assert summary.requests == 2 and summary.pairs_decided == 50 * len(collections)
    stats, _ = plan(filled, collections)
    assert stats.by_reason["new"] == (N - 50) * len(collections)  # nothing paid is asked again
    assert set(stats.by_reason) <= {"new", "recheck"}
    fresh = make_claude_server(accuracy=PERFECT)
    rest = classify(filled, collections, settings(fresh))
    assert rest.pairs_decided == stats.pairs_planned + rest.rechecked
    assert len(decisions(filled)) == N * len(collections)


def test_batch_mode_records_batch_requests(filled, collections, make_claude_server):
    server = make_claude_server(accuracy=PERFECT)
    summary = classify(filled, collections, settings(server), mode="batch", poll_s=0.01)
    assert summary.pairs_decided == N * len(collections) + summary.rechecked
    rows = filled.conn.execute("SELECT count(*), count(batch_id) FROM requests").fetchone()
    assert rows[0] == rows[1] > N // 25  # the recheck pass is a second, smaller batch
    statuses = filled.conn.execute("SELECT status FROM batches").fetchall()
    assert statuses == [("read",), ("read",)]
    assert filled.conn.execute("SELECT sum(cost_usd) FROM requests").fetchone()[0] == (
        pytest.approx(summary.cost_usd)
    )
    assert classify(filled, collections, settings(server), mode="batch").requests == 0


def test_budget_defers_and_deferred_go_first(filled, collections, make_claude_server):
    server = make_claude_server(accuracy=PERFECT)
    first = classify(filled, collections, settings(server), budget=Budget(max_items=30))
    assert first.items_planned == N and first.deferred == (N - 30) * len(collections)
    assert first.pairs_decided == 30 * len(collections)
    _, items = plan(filled, collections, max_items=30)
    admitted = list(items)  # deferred last run: first now, ahead of rechecks of items 1-30
    assert [i.item_id for i in admitted] == list(range(31, 61))
    assert all(i.priority == 0 for i in admitted)


def test_dry_run_calls_and_stores_nothing(filled, collections, make_claude_server):
    server = make_claude_server()
    summary = classify(filled, collections, settings(server), dry_run=True)
    assert summary.pairs_planned == N * len(collections) and summary.cost_usd > 0
    assert server.counters.total == 0 and decisions(filled) == {}


def test_unknown_collection_lists_the_known_ones(filled, collections, make_claude_server):
    with pytest.raises(UsageError, match="Film Noir"):
        classify(filled, collections, settings(make_claude_server()), only="Nope")


def test_prompt_change_and_item_change_replan(filled, collections, make_claude_server, tmp_path):
    server = make_claude_server(accuracy=PERFECT)
    classify(filled, collections, settings(server))
    classify(filled, collections, settings(server))  # the one recheck round
    path = tmp_path / "changed.toml"
    path.write_text(to_toml().replace("Offbeat films", "Strange films"))
    changed = load_collections(path)
    stats, _ = plan(filled, changed)
    assert set(stats.by_reason) <= {"prompt", "prompt_member"}
    assert stats.pairs_planned == N
    filled.conn.execute(
        "UPDATE items SET metadata = json_set(metadata, '$.overview', 'New.') WHERE id = 1"
    )
    stats, _ = plan(filled, collections)
    assert stats.by_reason == {"changed": len(collections)}


def test_hysteresis():
    (c,) = [c for c in load_collections_from_text() if c.name == "Film Noir"]
    assert decide(0.7, c, "new", None) is True
    assert decide(0.65, c, "recheck", True) is True and decide(0.59, c, "recheck", True) is False
    assert decide(0.75, c, "recheck", False) is False and decide(0.8, c, "recheck", False) is True


def load_collections_from_text():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.toml"
        path.write_text(to_toml())
        return load_collections(path)


def test_cli_classify_json(filled, db_path, tmp_path, make_claude_server):
    server = make_claude_server(accuracy=PERFECT)
    config = tmp_path / "reelscale.toml"
    config.write_text(to_toml())
    env = {"ANTHROPIC_API_KEY": server.config.api_key, "ANTHROPIC_BASE_URL": server.url}
    result = CliRunner().invoke(
        cli,
        [
            "classify",
            "--db",
            str(db_path),
            "--config",
            str(config),
            "--mode",
            "sync",
            "--batch-size",
            "40",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {
        "pairs_planned",
        "pairs_decided",
        "deferred",
        "requests",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "cost_usd",
        "seconds",
    } <= set(out)
    assert out["requests"] >= 3 and out["pairs_decided"] >= out["pairs_planned"] == N * 10


def test_cli_missing_key_exit_2(filled, db_path, tmp_path):
    config = tmp_path / "reelscale.toml"
    config.write_text(to_toml())
    result = CliRunner().invoke(
        cli,
        ["classify", "--db", str(db_path), "--config", str(config)],
        env={"ANTHROPIC_API_KEY": ""},
    )
    assert result.exit_code == 2 and "ANTHROPIC_API_KEY" in result.output


def test_cost_is_attributed_to_collections(filled, collections, make_claude_server):
    summary = classify(filled, collections, settings(make_claude_server(accuracy=PERFECT)))
    assert set(summary.cost_by_collection) == {c.tag for c in collections}
    assert sum(summary.cost_by_collection.values()) == pytest.approx(summary.cost_usd)
