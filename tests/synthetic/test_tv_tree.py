"""The TV-heavy synthetic tree: exact episode counts, every layout, same seed same bytes, and
the scan's series grouping checked against its truth."""

import json
from collections import Counter

from benchmarks.harness.numbers.tv_scan import grouping_accuracy
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan
from synthetic.tree.tv_library import build_tv_tree


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_exact_episode_count_every_layout_and_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    stats = build_tv_tree(a, 2500, seed=7, truth=tmp_path / "a.jsonl")
    build_tv_tree(b, 2500, seed=7, truth=tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert _files(a) == _files(b)
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").open()]
    assert stats.episodes == len(rows) == 2500
    assert stats.files == len(_files(a)) == stats.episodes + stats.side_files
    layouts = Counter(r["layout"] for r in rows)
    assert set(layouts) == {"sonarr", "plex", "scene", "packs", "anime"}
    assert any(r["season"] == 0 for r in rows)  # specials
    assert any(r["season"] is None and r["episode"] > 99 for r in rows)  # absolute numbers
    assert len({r["series_id"] for r in rows}) == stats.series


def test_scan_groups_the_tree_by_its_truth(tmp_path, store, db_path):
    root, truth = tmp_path / "tv", tmp_path / "truth.jsonl"
    stats = build_tv_tree(root, 3000, seed=11, truth=truth)
    summary = scan(root, store)
    group = group_after_scan(store, summary)
    assert summary.episodes == 3000 and group.grouped == 3000
    accuracy = grouping_accuracy(db_path, root, truth)
    assert accuracy["shows"] == stats.series
    assert accuracy["episode_accuracy"] >= 0.99 and accuracy["shows_whole"] >= 0.97
    assert accuracy["ungrouped_episodes"] == 0
