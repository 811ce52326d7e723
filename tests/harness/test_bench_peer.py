"""``reelscale bench peer``: what both tools are given, the peer's install checks, and (slow, when
``REELSCALE_PEER_KOMETA_AI`` names a Kometa-AI release) the side-by-side run itself."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.harness.cli import bench
from benchmarks.harness.peer import install, world
from core.cli import cli
from core.config.files import load_collections
from core.errors import UsageError
from synthetic.library.collection_defs import COLLECTIONS
from synthetic.library.movies import generate

REPO = Path(__file__).resolve().parents[2]
PEER = os.environ.get("REELSCALE_PEER_KOMETA_AI")
REQUIRED = os.environ.get("REELSCALE_REQUIRE_PROGRAMS") == "1"


def test_reelscale_reads_the_blocks_the_peer_reads(tmp_path):
    chosen = world.collections(6)
    config = world.write_config(tmp_path, chosen)
    loaded = {c.name: c for c in load_collections(config)}
    assert sorted(loaded) == sorted(c.name for c in chosen)
    for c in chosen:
        assert loaded[c.name].prompt.strip() == c.prompt
        # Radarr lowercases labels; reelscale checks that and keeps the peer's KAI-<slug> tags.
        assert loaded[c.name].tag == world.peer_tag(c.name).lower()
    text = (config / "collections.yml").read_text()
    assert text.count("# === KOMETA-AI ===") == text.count("# === END KOMETA-AI ===") == 6


def test_peer_tags_are_its_slugs():
    assert world.peer_tag("Film Noir") == "KAI-film-noir"
    assert world.peer_tag("Based on a True Story") == "KAI-based-on-a-true-story"
    assert world.peer_tag("Slow-Burn Horror") == "KAI-slow-burn-horror"


def test_agreement_counts_every_pair():
    movies = list(generate(50, 1))
    chosen = COLLECTIONS[:2]
    truth = {world.peer_tag(c.name): {m.id for m in movies if c.trait in m.traits} for c in chosen}
    assert world.agreement(truth, movies, chosen) == 1.0
    wrong = {**truth, world.peer_tag(chosen[0].name): set()}
    members = len(truth[world.peer_tag(chosen[0].name)])
    assert members > 0
    assert world.agreement(wrong, movies, chosen) == pytest.approx(1 - members / 100)
    with pytest.raises(UsageError, match="between 1 and 10"):
        world.collections(11)


def test_a_folder_without_the_peer_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a Kometa-AI source release"):
        install.check_release(tmp_path)
    result = CliRunner().invoke(cli, ["bench", "peer", "--kometa-ai", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a Kometa-AI source release" in result.output


def test_release_key_follows_the_release_files(tmp_path):
    (tmp_path / "kometa_ai").mkdir()
    (tmp_path / "kometa_ai" / "__main__.py").write_text("print(1)\n")
    (tmp_path / "setup.py").write_text("")
    first = install.release_key(tmp_path)
    assert install.release_key(tmp_path) == first
    (tmp_path / "kometa_ai" / "__main__.py").write_text("print(2)\n")
    assert install.release_key(tmp_path) != first


@pytest.mark.slow
@pytest.mark.skipif(
    not PEER and not REQUIRED,
    reason="set REELSCALE_PEER_KOMETA_AI to a Kometa-AI 0.5.7 release folder",
)
def test_bench_peer_small(tmp_path):
    assert PEER, "REELSCALE_PEER_KOMETA_AI is required here (REELSCALE_REQUIRE_PROGRAMS=1)"
    source = Path(PEER) if Path(PEER).is_absolute() else REPO / PEER
    args = ["peer", "--kometa-ai", str(source), "--movies", "60", "--collections", "2"]
    result = CliRunner().invoke(bench, [*args, "--json", "--no-record", "--time-scale", "0"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    peer, ours = out["kometa_ai"], out["reelscale"]
    # The stand-in read the peer's real requests (none answered as unknown).
    assert set(peer["first"]["claude_dialects"]) == {"kometa-ai"}
    assert set(ours["first"]["claude_dialects"]) == {"reelscale"}
    for tool in (peer, ours):
        first = tool["first"]
        assert first["claude_requests"] > 0 and first["output_tokens"] > 0
        assert first["radarr_by_method"].get("PUT", 0) > 0
        assert first["agreement_with_truth"] >= 0.9
        assert first["peak_rss_mb"] > 10
    assert ours["rerun"]["claude_requests"] == 0
    assert out["ratio_cost"] > 1 and out["ratio_radarr_requests"] > 1
    assert out["kometa_ai"]["first"]["cost_usd"] == pytest.approx(
        out["ratio_cost"] * ours["first"]["cost_usd"], rel=0.01
    )


def _tool(cost, wall, radarr):
    run = {
        "claude_requests": 3, "input_tokens": 10, "output_tokens": 5, "cache_read_tokens": 0,
        "cache_write_tokens": 0, "cost_usd": cost, "radarr_requests": radarr,
        "radarr_by_method": {"GET": 1, "PUT": radarr - 1}, "wall_seconds": wall,
        "peak_rss_mb": 50.0, "agreement_with_truth": 0.99, "claude_dialects": {},
    }  # fmt: skip
    return {"first": run, "rerun": run}


def test_summary_ratios_text_and_report_table(tmp_path):
    from benchmarks.harness.peer.measure import render, summarise
    from benchmarks.harness.report.html import ReportData, render_index
    from benchmarks.harness.report.report import load_peers

    result = summarise(
        _tool(4.0, 50.0, 300), _tool(0.05, 2.0, 5),
        movies=1000, chosen=COLLECTIONS[:6], model="claude-sonnet-5", time_scale=0.05,
    )  # fmt: skip
    assert (result["ratio_cost"], result["ratio_wall"], result["ratio_radarr_requests"]) == (
        80.0,
        25.0,
        60.0,
    )
    assert result["targets_met"] == {
        "ratio_cost": True,
        "ratio_wall": True,
        "ratio_radarr_requests": True,
    }
    text = render(result)
    assert "ratio_cost 80.0" in text and "GET 1, PUT 299" in text
    (tmp_path / "peer-claude-sonnet-5-1000x6.json").write_text(json.dumps(result))
    (tmp_path / "peer-broken.json").write_text("{")
    peers = load_peers(tmp_path)
    assert [p["file"] for p in peers] == ["peer-claude-sonnet-5-1000x6.json"]
    page = render_index(ReportData(None, None, [], None, [], peers=peers))
    assert 'id="peer"' in page and "80.0×" in page and "4.0000 / 0.0500" in page
