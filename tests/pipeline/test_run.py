"""The production run against the Radarr and Claude stand-ins: tags, requests, reruns, faults."""

import dataclasses
import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from run_fixtures import CHUNK, SIZE, cli_env, column, count, stored_members, truth

from core.cli import cli
from core.clients.radarr import RadarrSettings
from core.pipeline.run import RunOptions, run_pipeline

REPORT_KEYS = {
    "refused",
    "refused_requests",
    "estimate",
    "run_id",
    "status",
    "dry_run",
    "source",
    "collections",
    "requests",
    "radarr_requests",
    "radarr_writes",
    "sonarr_requests",
    "sonarr_writes",
    "sources",
    "imported_decisions",
    "retries",
    "cost_usd",
    "tokens",
    "seconds",
    "peak_rss_mb",
    "errors",
    "stages",
    "library",
    "kometa_file",
    "stopped",
}
ROW_KEYS = {
    "name",
    "tag",
    "source",
    "members",
    "added",
    "removed",
    "deferred",
    "failed",
    "tokens",
    "cost_usd",
}


OPTIONS = {"dry_run", "only", "force_refresh"}


def run(config_path, db_path, collections, stand_ins, **options):
    """A run of the stand-ins' config; ``options`` are RunOptions or ``run.*`` settings."""
    flags = {f"run.{k}": v for k, v in options.items() if k not in OPTIONS}
    config = stand_ins.config(config_path, **flags)
    chosen = {k: v for k, v in options.items() if k in OPTIONS}
    return run_pipeline(db_path, config, RunOptions(**chosen))


def invoke(config_path, db_path, stand_ins, *args):
    argv = ["run", "--config", str(config_path), "--db", str(db_path), *args]
    return CliRunner().invoke(cli, argv, env=cli_env(**stand_ins.env))


def reelscale_tags(radarr, collections):
    tags = radarr.tags_by_label()
    return {c.tag: tags.get(c.tag, set()) for c in collections}


def judged_in(db_path, run_id) -> set[int]:
    """Radarr ids of the movies with a decision made in run ``run_id``."""
    sql = "SELECT i.key FROM decisions d JOIN items i ON i.id = d.item_id WHERE d.run_id = ?"
    return {int(key) for key in column(db_path, sql, run_id)}


def flip(radarr, movies, tmdb_library):
    """Rename a movie of the library to one the judge knows with other traits: ``(a, b)``."""
    a = next(m for m in movies if m.traits)
    b = next(m for m in tmdb_library[SIZE:] if m.traits and not set(m.traits) & set(a.traits))
    renamed = dataclasses.replace(
        a, title=b.title, original_title=b.original_title, year=b.year, overview=b.overview
    )
    radarr.put_movie(renamed)
    return a, b


def writes(records):
    return [r for r in records if r.method in ("POST", "PUT")]


@pytest.fixture
def first_run(config_path, db_path, collections, stand_ins):
    report = run(config_path, db_path, collections, stand_ins)
    assert report.status == "ok", report.errors
    return report


def test_first_run_tags_what_was_decided_with_the_fewest_requests(
    config_path, db_path, collections, stand_ins
):
    radarr, claude = stand_ins.radarr, stand_ins.claude
    result = invoke(config_path, db_path, stand_ins, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == REPORT_KEYS
    assert (report["status"], report["errors"], report["source"]) == ("ok", [], "radarr")

    stored = stored_members(db_path, collections)
    assert stored == truth(stand_ins.movies, collections)  # the stand-in judges perfectly
    assert reelscale_tags(radarr, collections) == stored
    assert set(radarr.tags_by_label()) == {tag for tag, ids in stored.items() if ids}

    rows = {row["tag"]: row for row in report["collections"]}
    assert set(rows) == {c.tag for c in collections}
    for c in collections:
        row = rows[c.tag]
        assert set(row) == ROW_KEYS
        assert row["name"] == c.name and row["members"] == row["added"] == len(stored[c.tag])
        assert (row["removed"], row["deferred"], row["failed"]) == (0, 0, 0)

    created = sum(1 for ids in stored.values() if ids)
    puts = sum(-(-len(ids) // CHUNK) for ids in stored.values())
    assert puts > created  # some collection needed more than one editor request
    log = radarr.requests()
    assert Counter((r.method, r.endpoint) for r in log) == {
        ("GET", "movie_list"): 1,
        ("GET", "tag_list"): 1,
        ("GET", "tag_detail"): 1,
        ("POST", "tag_create"): created,
        ("PUT", "movie_editor"): puts,
    }
    assert report["radarr_requests"] == len(log) == 3 + created + puts
    assert report["radarr_writes"] == len(writes(log)) == created + puts
    for record in log:
        if record.endpoint == "movie_editor":
            body = json.loads(record.body)
            assert body["applyTags"] == "add" and 0 < len(body["movieIds"]) <= CHUNK
    assert report["requests"] == claude.counters.total > 0
    assert report["cost_usd"] > 0 and report["seconds"] > 0 and report["peak_rss_mb"] > 0
    assert count(db_path, "SELECT count(*) FROM items") == SIZE


def test_rerun_of_an_unchanged_library_reads_only(
    config_path, db_path, collections, stand_ins, first_run
):
    radarr, claude = stand_ins.radarr, stand_ins.claude
    claude.reset_counters()
    seen = len(radarr.requests())
    result = invoke(config_path, db_path, stand_ins, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert claude.counters.total == report["requests"] == 0
    new = radarr.requests()[seen:]
    assert [(r.method, r.endpoint) for r in new] == [("GET", "movie_list"), ("GET", "tag_detail")]
    assert (report["radarr_requests"], report["radarr_writes"]) == (2, 0)
    assert all(row["added"] == row["removed"] == 0 for row in report["collections"])
    assert reelscale_tags(radarr, collections) == stored_members(db_path, collections)


def test_only_a_changed_movie_is_judged_again(
    config_path, db_path, collections, stand_ins, first_run
):
    movie = stand_ins.movies[10]
    stand_ins.radarr.put_movie(
        dataclasses.replace(movie, overview=movie.overview + " Now restored in 4K.")
    )
    stand_ins.claude.reset_counters()
    report = run(config_path, db_path, collections, stand_ins)
    assert report.status == "ok"
    assert judged_in(db_path, report.run_id) == {movie.id}
    sent = count(db_path, "SELECT sum(items) FROM requests WHERE run_id = ?", report.run_id)
    assert stand_ins.claude.counters.answers["movies"] == sent
    assert 1 <= sent <= 2  # the movie, and maybe its near-threshold recheck
    assert report.radarr_writes == 0  # same verdicts, same tags


def test_a_flipped_decision_takes_the_movie_out_of_the_tag(
    config_path, db_path, collections, stand_ins, first_run, tmdb_library
):
    radarr = stand_ins.radarr
    before = stored_members(db_path, collections)
    a, b = flip(radarr, stand_ins.movies, tmdb_library)
    report = run(config_path, db_path, collections, stand_ins)
    assert report.status == "ok"
    after = stored_members(db_path, collections)
    assert reelscale_tags(radarr, collections) == after
    wanted = truth([dataclasses.replace(a, traits=b.traits)], collections)
    rows = {row["tag"]: row for row in report.collections}
    for c in collections:
        assert (a.id in after[c.tag]) == bool(wanted[c.tag])
        left, joined = a.id in before[c.tag] - after[c.tag], a.id in after[c.tag] - before[c.tag]
        assert (rows[c.tag]["removed"], rows[c.tag]["added"]) == (int(left), int(joined))
    assert sum(row["removed"] for row in report.collections) == len(a.traits) > 0


def test_hand_tags_on_judged_movies_go_while_unjudged_and_foreign_tags_stay(
    config_path, db_path, collections, stand_ins, first_run, tmdb_library
):
    radarr = stand_ins.radarr
    stored = stored_members(db_path, collections)
    tag = next(c.tag for c in collections if stored[c.tag])
    judged_no = next(m.id for m in stand_ins.movies if m.id not in stored[tag])
    member = min(stored[tag])
    # Added to Radarr after the first run, tagged by hand, and not judged in this run.
    newcomer = next(m for m in tmdb_library[SIZE:] if not m.traits)
    radarr.put_movie(newcomer)
    radarr.set_tags(tag, stored[tag] | {judged_no, newcomer.id})
    foreign = {judged_no, newcomer.id, member}
    radarr.set_tags("4k", foreign)
    radarr.set_tags("kai-not-configured", {judged_no})
    seen = len(radarr.requests())

    report = run(config_path, db_path, collections, stand_ins, max_cost=0)
    assert report.status == "ok"
    tags = radarr.tags_by_label()
    assert tags[tag] == stored[tag] | {newcomer.id}
    assert (tags["4k"], tags["kai-not-configured"]) == (foreign, {judged_no})
    assert {c.tag: tags.get(c.tag, set()) for c in collections if c.tag != tag} == {
        t: ids for t, ids in stored.items() if t != tag
    }
    rows = {row["tag"]: row for row in report.collections}
    assert (rows[tag]["removed"], rows[tag]["added"], rows[tag]["members"]) == (
        1,
        0,
        len(stored[tag]) + 1,
    )
    assert all(row["deferred"] == 1 for row in report.collections)  # the newcomer, everywhere
    (edit,) = writes(radarr.requests()[seen:])
    ids = {label: i for i, label in radarr.tagbook.tags()}
    assert json.loads(edit.body) == {
        "movieIds": [judged_no],
        "tags": [ids[tag]],
        "applyTags": "remove",
    }


def test_dry_run_prices_the_plan_sends_nothing_and_writes_nothing(
    config_path, db_path, collections, stand_ins, first_run, tmdb_library
):
    radarr, claude = stand_ins.radarr, stand_ins.claude
    stored = stored_members(db_path, collections)
    flip(radarr, stand_ins.movies, tmdb_library)  # one movie changed: a run would judge it
    tag = next(c.tag for c in collections if stored[c.tag])
    stray = next(m.id for m in stand_ins.movies if m.id not in stored[tag])
    radarr.set_tags(tag, stored[tag] | {stray})  # a difference the stored decisions already make
    files = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    tags = radarr.tags_by_label()
    seen, asked = len(radarr.requests()), claude.counters.total

    result = invoke(config_path, db_path, stand_ins, "--dry-run")
    assert result.exit_code == 0, result.output
    assert claude.counters.total == asked  # nothing sent to Claude
    assert writes(radarr.requests()[seen:]) == []
    assert radarr.tags_by_label() == tags
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == files

    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Dry run \(nothing written\) \d+: ok in [\d.]+ s", lines[0])
    shown = {}
    for line in lines:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 7 and cells[1].startswith("kai-"):
            shown[cells[1]] = (cells[3], cells[4], int(cells[6]))
    assert {t: v[:2] for t, v in shown.items()} == {
        c.tag: ("+0", f"-{int(c.tag == tag)}") for c in collections
    }
    assert sum(v[2] for v in shown.values()) > 0  # the changed movie, to judge
    estimate = next(line for line in lines if "Claude: nothing sent" in line)
    assert re.search(r"about 1 requests, estimated \$0\.0\d+", estimate), estimate


def test_dry_run_judge_keeps_the_answers_and_the_run_sends_nothing_for_them(
    config_path, db_path, collections, stand_ins
):
    radarr, claude = stand_ins.radarr, stand_ins.claude
    result = invoke(config_path, db_path, stand_ins, "--dry-run", "--judge", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    paid = claude.counters.total
    assert report["dry_run"] and report["requests"] == paid > 0 and report["estimate"] is None
    assert sum(row["added"] for row in report["collections"]) > 0
    assert writes(radarr.requests()) == [] and radarr.tags_by_label() == {}

    real = run(config_path, db_path, collections, stand_ins)
    assert (real.status, real.requests, claude.counters.total) == ("ok", 0, paid)
    assert reelscale_tags(radarr, collections) == stored_members(db_path, collections)
    assert sum(row["added"] for row in real.collections) == sum(
        row["added"] for row in report["collections"]
    )


def test_judge_without_dry_run_is_a_usage_error(config_path, db_path, stand_ins):
    result = invoke(config_path, db_path, stand_ins, "--judge")
    assert result.exit_code == 2 and "--judge is for --dry-run" in result.stderr


def test_editor_errors_are_retried(config_path, db_path, collections, stand_ins, fast_retries):
    radarr = stand_ins.radarr
    radarr.fail_next(2, 503, endpoint="movie_editor")
    report = run(config_path, db_path, collections, stand_ins)
    assert (report.status, report.errors) == ("ok", [])
    statuses = [r.status for r in radarr.requests() if r.endpoint == "movie_editor"]
    assert statuses[:3] == [503, 503, 202] and set(statuses[3:]) == {202}
    assert reelscale_tags(radarr, collections) == stored_members(db_path, collections)
    assert count(db_path, "SELECT count(*) FROM tag_changes WHERE applied = 0") == 0


def test_a_chunk_that_keeps_failing_is_reported_and_written_next_run(
    config_path, db_path, collections, stand_ins, fast_retries
):
    radarr = stand_ins.radarr
    attempts = RadarrSettings().retries + 1
    radarr.fail_next(attempts, 500, endpoint="movie_editor")
    result = invoke(config_path, db_path, stand_ins, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "partial"
    editor = [r for r in radarr.requests() if r.endpoint == "movie_editor"]
    assert [r.status for r in editor[:attempts]] == [500] * attempts
    body = json.loads(editor[0].body)
    failed, tag = body["movieIds"], dict(radarr.tagbook.tags())[body["tags"][0]]
    (error,) = report["errors"]
    assert error["cause"].startswith("Radarr editor add failed: ") and error["count"] == 1
    failures = {row["tag"]: row["failed"] for row in report["collections"] if row["failed"]}
    assert failures == {tag: len(failed)}
    stored = stored_members(db_path, collections)
    assert reelscale_tags(radarr, collections) == {**stored, tag: stored[tag] - set(failed)}
    unapplied = (
        "SELECT i.key FROM tag_changes t JOIN items i ON i.id = t.item_id "
        "WHERE t.run_id = ? AND t.applied = 0 AND t.collection = ?"
    )
    assert sorted(int(k) for k in column(db_path, unapplied, report["run_id"], tag)) == failed
    assert count(db_path, "SELECT count(*) FROM tag_changes WHERE applied = 0") == len(failed)

    again = run(config_path, db_path, collections, stand_ins)
    assert (again.status, again.errors) == ("ok", [])
    assert reelscale_tags(radarr, collections) == stored
    rows = {row["tag"]: row for row in again.collections}
    assert rows[tag]["added"] == len(failed)
    assert sum(row["added"] + row["removed"] for row in again.collections) == len(failed)


def test_dry_run_before_the_first_run_creates_no_database(
    config_path, db_path, collections, stand_ins
):
    report = run(config_path, db_path, collections, stand_ins, dry_run=True)
    assert report.status == "ok" and report.dry_run
    assert report.requests == 0 and stand_ins.claude.counters.total == 0
    assert report.estimate["movies"] == len(stand_ins.movies) and report.estimate["cost_usd"] > 0
    assert sum(row["to_judge"] for row in report.collections) == report.estimate["pairs"]
    assert list(db_path.parent.iterdir()) == [config_path]
    assert writes(stand_ins.radarr.requests()) == [] and stand_ins.radarr.tags_by_label() == {}
