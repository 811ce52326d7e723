"""``reelscale import kometa-ai`` (issue #15): a Kometa-AI user's paid decisions carry over.

The state files are written by Kometa-AI 0.5.7's own ``StateManager`` and ``DecisionRecord``
(copied under MIT into ``tests/data/kometa-ai/peer/``), with Kometa-AI's own movie hashes
(``Movie.calculate_metadata_hash`` over the stand-in Radarr's movie resources) and the prompts its
own parser reads from the Kometa config, so the layout and the hashes are the peer's exactly.
The stand-in Radarr starts tagged as Kometa-AI leaves it (``KAI-<slug>``, which Radarr stores
lowercased). Then: import, ``reelscale run``, and a rerun.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_fixtures import count

from core.config import load_config
from core.config.collection import slugify
from core.ops.kometa_import import import_kometa_ai
from core.pipeline.run import run_pipeline
from synthetic.library.collection_defs import COLLECTIONS, to_kometa_yaml

PEER = Path(__file__).parents[1] / "data" / "kometa-ai" / "peer"
LATE = (
    "Heist Movies"  # its threshold comes after 'prompt: |': 0.95 for reelscale, 0.7 for Kometa-AI
)


@pytest.fixture(scope="module")
def kometa_ai():
    """Kometa-AI 0.5.7's parser, state manager and models."""
    sys.path.insert(0, str(PEER))
    try:
        from kometa_ai.kometa.parser import KometaParser
        from kometa_ai.radarr.models import Movie
        from kometa_ai.state.manager import StateManager
        from kometa_ai.state.models import DecisionRecord

        yield KometaParser, Movie, StateManager, DecisionRecord
    finally:
        sys.path.remove(str(PEER))


def kometa_config(folder: Path) -> Path:
    """The synthetic collections as Kometa-AI blocks; one has its threshold after the prompt."""
    folder.mkdir()
    text = to_kometa_yaml({LATE: "confidence_threshold: 0.95"})
    (folder / "collections.yml").write_text(text)
    return folder


def write_state(kometa_ai, stand_ins, config_dir, state_dir, *, skip=(), stale_prompt=None):
    """Kometa-AI's state after it judged every candidate pair right (confidence 0.9), and the
    stand-in Radarr tagged as Kometa-AI tags; ``skip``: movie ids it had not judged yet.

    :returns: ``{tag: Kometa-AI's member ids}``.
    """
    parser_cls, movie_cls, manager_cls, record_cls = kometa_ai
    configs = parser_cls(str(config_dir)).parse_configs()
    trait = {c.name: c.trait for c in COLLECTIONS}
    traits = {m.id: m.traits for m in stand_ins.movies}
    url = f"{stand_ins.radarr.url}/api/v3/movie"
    raws = httpx.get(url, headers={"X-Api-Key": stand_ins.radarr.config.api_key}).json()
    manager = manager_cls(str(state_dir))
    members: dict[str, set[int]] = {f"kai-{c.slug}": set() for c in configs}
    for raw in raws:
        movie = movie_cls.from_dict(raw)
        if movie.id in skip:
            continue
        for c in configs:
            if not c.is_candidate(movie):
                continue
            include = trait[c.name] in traits[movie.id]
            prompt = c.prompt if c.name != stale_prompt else c.prompt + " (older wording)"
            manager.set_decision(
                record_cls(
                    movie_id=movie.id,
                    collection_name=c.name,
                    include=include,
                    confidence=0.9,
                    metadata_hash=movie.calculate_metadata_hash(),
                    tag=c.tag,
                    timestamp="2026-11-01T03:00:00+00:00",
                    revisions=1,
                    prompt_hash=hashlib.sha256(prompt.encode()).hexdigest()[:16],
                )
            )
            if include and c.confidence_threshold <= 0.9:
                members[f"kai-{c.slug}"].add(movie.id)
    manager.save()
    for tag, ids in members.items():
        stand_ins.radarr.set_tags("KAI-" + tag.removeprefix("kai-"), ids)
    return members


@pytest.fixture
def switch(tmp_path, stand_ins, kometa_ai):
    """``(config, db path, state dir)`` of a Kometa-AI user about to switch."""
    config_dir = kometa_config(tmp_path / "kometa")
    config = load_config(config_dir, stand_ins.flags, collections=True)
    return config, tmp_path / "reelscale.db", tmp_path / "state", config_dir


def changes(report) -> int:
    return sum(c["added"] + c["removed"] for c in report.as_dict()["collections"])


def test_decided_all_then_run_sends_nothing_to_claude(switch, stand_ins, kometa_ai):
    config, db, state, config_dir = switch
    theirs = write_state(kometa_ai, stand_ins, config_dir, state)
    decided = sum(
        len(m["collections"])
        for m in json.loads((state / "kometa_state.json").read_text())["decisions"].values()
    )
    dry = import_kometa_ai(db, config, state, dry_run=True)
    assert (dry.imported, dry.current, dry.first_run["pairs"]) == (decided, decided, 0)
    assert not db.exists()  # a dry run works on a scratch copy: nothing written

    others = {"kai-retired-collection": {1, 2, 3}, "4k": {2, 5}}  # not reelscale's collections
    for label, ids in others.items():
        stand_ins.radarr.set_tags(label, ids)
    report = import_kometa_ai(db, config, state, dry_run=False)
    assert (report.imported, report.current, report.skipped) == (decided, decided, {})
    run = run_pipeline(db, config)
    assert run.requests == 0  # Kometa-AI decided every pair
    assert run.as_dict()["imported_decisions"] == decided
    # the only writes: Heist Movies, where reelscale's threshold (0.95, after the prompt) drops
    # every member Kometa-AI (0.7) had tagged at 0.9
    heist = f"kai-{slugify(LATE)}"
    assert changes(run) == len(theirs[heist]) > 0
    assert stand_ins.radarr.tags_by_label()[heist] == set()
    assert all(
        stand_ins.radarr.tags_by_label()[t] == ids for t, ids in theirs.items() if t != heist
    )
    assert all(stand_ins.radarr.tags_by_label()[t] == ids for t, ids in others.items())
    again = run_pipeline(db, config)
    assert (again.requests, again.radarr_writes, again.as_dict()["imported_decisions"]) == (0, 0, 0)
    assert import_kometa_ai(db, config, state, dry_run=False).imported == 0  # nothing twice


def test_only_what_kometa_ai_had_not_decided_or_what_changed_is_judged(
    switch, stand_ins, kometa_ai
):
    config, db, state, config_dir = switch
    undecided = {m.id for m in stand_ins.movies[:7]}
    write_state(kometa_ai, stand_ins, config_dir, state, skip=undecided, stale_prompt="Time Travel")
    changed = stand_ins.movies[10]
    stand_ins.radarr.put_movie(changed.__class__(**{**_fields(changed), "overview": "New text."}))
    report = import_kometa_ai(db, config, state, dry_run=True)
    enabled = [c for c in config.collections if c.enabled]
    rows = {m.id: m for m in stand_ins.movies}
    expected_new = sum(
        c.applies_to(rows[i].genres, rows[i].year) for i in undecided for c in enabled
    )
    by_reason = report.first_run["by_reason"]
    assert by_reason["new"] == expected_new
    assert by_reason["changed"] == sum(
        c.applies_to(changed.genres, changed.year) for c in enabled
    ) - (1 if enabled and _applies(config, "Time Travel", changed) else 0)
    assert by_reason["prompt"] + by_reason.get("prompt_member", 0) == report.stale_prompt
    assert report.stale_movie == by_reason["changed"]


def _fields(movie) -> dict:
    return {f: getattr(movie, f) for f in movie.__dataclass_fields__}


def _applies(config, name, movie) -> bool:
    c = next(c for c in config.collections if c.name == name)
    return c.applies_to(movie.genres, movie.year)


# --- bad state files: one clear error, exit 2, nothing imported ---------------------------------


def invoke(stand_ins, config_dir, db, state_dir, *extra):
    from core.cli import cli

    args = ["import", "kometa-ai", str(state_dir), "--config", str(config_dir), "--db", str(db)]
    return CliRunner().invoke(cli, [*args, *extra], env=stand_ins.env)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            '{"version": "0.5.7", "state_format_version": 1, "decisions": {"movie:1": {"metad',
            "not valid JSON at line 1",
        ),
        (
            '{"version": "0.3.0", "state_format_version": 0, "decisions": {}}',
            "state format 0 (Kometa-AI 0.3.0)",
        ),
        ('{"version": "0.5.7", "movies": {}}', "not a Kometa-AI state file"),
    ],
    ids=["truncated", "older-layout", "not-state"],
)
def test_a_bad_state_file_is_one_error_and_changes_nothing(switch, stand_ins, text, expected):
    _config, db, state, config_dir = switch
    state.mkdir()
    (state / "kometa_state.json").write_text(text)
    result = invoke(stand_ins, config_dir, db, state)
    assert result.exit_code == 2, result.output
    error = result.stderr.splitlines()[-1]  # after the config's warnings
    assert expected in error and error.startswith("Error: ")
    assert "Traceback" not in result.output
    assert not db.exists() or count(db, "SELECT count(*) FROM decisions") == 0


def test_a_missing_state_folder_says_what_to_pass(switch, stand_ins, tmp_path):
    _config, db, _state, config_dir = switch
    result = invoke(stand_ins, config_dir, db, tmp_path)
    assert result.exit_code == 2
    assert "no kometa_state.json in this folder" in result.stderr


def test_unknown_collections_and_bad_entries_warn_per_entry(switch, stand_ins, kometa_ai):
    _config, db, state, config_dir = switch
    write_state(kometa_ai, stand_ins, config_dir, state)
    data = json.loads((state / "kometa_state.json").read_text())
    first = next(iter(data["decisions"].values()))
    first["collections"]["Gone Collection"] = {"include": True, "confidence": 0.9}
    data["decisions"]["movie:1"]["collections"]["Film Noir"] = {"include": "yes"}
    data["decisions"]["movie:99999"] = {
        "collections": {"Film Noir": {"include": True, "confidence": 1}}
    }
    (state / "kometa_state.json").write_text(json.dumps(data))
    result = invoke(stand_ins, config_dir, db, state, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["skipped"] == {
        "collection not in the config": 1,
        "not a decision (include, confidence 0..1)": 1,
        "movie no longer in Radarr": 1,
    }
    warned = result.stderr.splitlines()
    assert any(
        "skipped 1 decision: collection not in the config (e.g. 'Gone Collection')" in w
        for w in warned
    ) and all(w.startswith("Warning: ") for w in warned)


# --- any state file: an import or one error, never a traceback, never half an import ------------

_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_decision = st.fixed_dictionaries(
    {"include": st.booleans() | _json, "confidence": st.floats(-1, 2) | _json},
    optional={
        "prompt_hash": st.text(max_size=16) | _json,
        "timestamp": st.text(max_size=30) | _json,
    },
)
_names = st.sampled_from([c.name for c in COLLECTIONS] + ["Gone", ""]) | st.text(max_size=6)
_entry = st.fixed_dictionaries(
    {"collections": st.dictionaries(_names, _decision, max_size=4) | _json},
    optional={"metadata_hash": st.text(max_size=64) | _json},
)
_keys = st.sampled_from([f"movie:{i}" for i in range(1, 6)] + ["movie:x", "movie:-1", "tv:3"])
_states = st.fixed_dictionaries(
    {
        "state_format_version": st.just(1) | _json,
        "decisions": st.dictionaries(_keys, _entry | _json, max_size=6) | _json,
    },
    optional={"version": st.text(max_size=8) | _json},
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_states)
def test_any_state_file_imports_or_fails_cleanly(switch, stand_ins, data):
    from core.errors import UsageError

    config, db, state, _ = switch
    state.mkdir(exist_ok=True)
    (state / "kometa_state.json").write_text(json.dumps(data))
    db.unlink(missing_ok=True)
    try:
        report = import_kometa_ai(db, config, state, dry_run=False)
    except UsageError:
        assert not db.exists() or count(db, "SELECT count(*) FROM decisions") == 0
        return
    assert count(db, "SELECT count(*) FROM decisions") == report.imported
    assert (
        report.imported + sum(report.skipped.values())
        <= report.decisions_in_state + report.movies_in_state
    )


def test_the_summary_says_what_was_and_will_be_done(switch, stand_ins, kometa_ai):
    _config, db, state, config_dir = switch
    write_state(kometa_ai, stand_ins, config_dir, state, skip={1, 2})
    dry = invoke(stand_ins, config_dir, db, state, "--dry-run")
    assert dry.exit_code == 0, dry.output
    lines = dry.stdout.splitlines()
    assert lines[0] == f"Kometa-AI 0.5.7 state: {state / 'kometa_state.json'}"
    assert lines[1].startswith("1,980 decisions for 198 movies; would import 1,980 (1,980 current")
    assert lines[-2].startswith("the next run would judge 20 pairs (new 20)")
    assert lines[-1] == "dry run: nothing was written" and not db.exists()
    done = invoke(stand_ins, config_dir, db, state)
    assert done.exit_code == 0 and "imported 1,980" in done.stdout
    from core.cli import cli

    run = CliRunner().invoke(
        cli, ["run", "--config", str(config_dir), "--db", str(db)], env=stand_ins.env
    )
    assert run.exit_code == 0, run.output
    assert "Imported from Kometa-AI before this run: 1,980 decisions" in run.stdout
