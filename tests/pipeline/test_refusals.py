"""A refused request (``stop_reason: "refusal"``) is split until the refused movie is alone; that
movie keeps its decisions (never recorded as a member of nothing), is reported by title and
priced, is not sent again in the same run, and is asked again on the next run."""

import dataclasses

import pytest

from benchmarks.harness.workloads.classify import SEED, fill_store
from core.clients.claude.client import MessagesSettings
from core.config.files import load_collections
from core.config.model import ClaudeSettings
from core.pipeline.classify.stage import classify
from synthetic.library.collection_defs import to_toml
from synthetic.library.movies import generate
from synthetic.servers.claude.server import PERFECT

N = 64
BATCH = 16


@pytest.fixture
def collections(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(to_toml())
    return load_collections(path)


def settings(server):
    claude = ClaudeSettings(
        model="claude-haiku-5-5",
        api_key=server.config.api_key,
        base_url=server.url,
        concurrency=2,
        max_retries=0,
    )
    return MessagesSettings(claude=claude, batch_size=BATCH)


def decisions(store, item_id):
    rows = store.conn.execute(
        "SELECT collection, include, confidence, prompt_hash FROM decisions WHERE item_id = ?",
        (item_id,),
    )
    return sorted(rows)


def test_a_refused_movie_is_isolated_kept_reported_and_asked_again(
    store, collections, make_claude_server
):
    fill_store(store, N)
    refused = list(generate(N, SEED))[17]
    server = make_claude_server(accuracy=PERFECT)
    classify(store, collections, settings(server), recheck=False)
    before = decisions(store, refused.id)
    assert len(before) == len(collections)

    # one collection's prompt changes: every movie is asked again, and now one is refused
    changed = [dataclasses.replace(collections[0], prompt=collections[0].prompt + " Be strict.")]
    changed += collections[1:]
    server.engine.refuse_titles = frozenset({refused.title})
    summary = classify(store, changed, settings(server), recheck=False)
    assert summary.refused == 1
    assert summary.refused_titles == [f"{refused.title} ({refused.year})"]
    # 16 -> 8 -> 4 -> 2 -> 1: four halvings, five refused requests, every one of them priced
    assert (summary.refusal_splits, summary.refused_requests) == (4, 5)
    assert 0 < summary.refused_cost_usd < summary.cost_usd
    assert summary.requests == N // BATCH + 2 * 4
    assert summary.failed == 0
    assert decisions(store, refused.id) == before  # untouched, never "member of nothing"
    run_id = store.conn.execute("SELECT max(id) FROM runs").fetchone()[0]
    judged = store.conn.execute(
        "SELECT count(DISTINCT item_id) FROM decisions WHERE run_id = ? AND collection = ?",
        (run_id, changed[0].tag),
    ).fetchone()[0]
    assert judged == N - 1  # every other movie decided

    server.engine.refuse_titles = frozenset()
    again = classify(store, changed, settings(server), recheck=False)
    assert (again.items_sent, again.requests, again.refused) == (1, 1, 0)
    assert decisions(store, refused.id) != before


def test_the_run_report_and_the_email_list_the_refused_titles():
    from core.ops.email_body import html_body, text_body
    from core.pipeline.classify.summary import ClassifySummary
    from core.pipeline.run_report import RunReport

    judged = ClassifySummary(refused=2, refused_titles=["Heat (1995)", "<Tom & Jerry> (1940)"])
    judged.refused_requests = 7
    report = RunReport()
    report.add_judged(judged)
    data = report.as_dict()
    assert (data["refused"], data["refused_requests"]) == (judged.refused_titles, 7)
    text = text_body(data, None)
    assert "Refused by Claude (2;" in text and "  Heat (1995)\n" in text
    html = html_body(data, None)
    assert "<li>&lt;Tom &amp; Jerry&gt; (1940)</li>" in html


def test_a_movie_refused_under_force_refresh_is_asked_again_next_run(
    store, collections, make_claude_server
):
    fill_store(store, N)
    refused = list(generate(N, SEED))[5]
    server = make_claude_server(accuracy=PERFECT)
    classify(store, collections, settings(server), recheck=False)
    server.engine.refuse_titles = frozenset({refused.title})
    forced = classify(store, collections, settings(server), force=True, recheck=False)
    assert forced.refused_titles == [f"{refused.title} ({refused.year})"]
    server.engine.refuse_titles = frozenset()
    again = classify(store, collections, settings(server), recheck=False)
    assert again.refused == 0 and again.requests == 1  # with it, near-threshold rechecks
    run_id = store.conn.execute("SELECT max(id) FROM runs").fetchone()[0]
    runs = {
        r
        for (r,) in store.conn.execute(
            "SELECT DISTINCT run_id FROM decisions WHERE item_id = ?", (refused.id,)
        )
    }
    assert runs == {run_id}  # every pair of the refused movie judged by this run
    assert store.conn.execute("SELECT count(*) FROM deferred").fetchone()[0] == 0
