"""``reelscale classify --kind``: movies, or series, against the collections of that kind."""

import json
import time

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan
from core.store.db import open_store
from core.store.items import record_matches
from tests.conftest import MOVIE_AND_SERIES_PATHS, make_files

CONFIG = """
[[collection]]
name = "Noir"
prompt = "Dark crime films."

[[collection]]
name = "Cop Shows"
prompt = "Police procedurals."
kind = "series"

[[collection]]
name = "Crime Time"
prompt = "Crime, in any form."
kind = "both"
"""


@pytest.fixture
def library(tmp_path):
    """A store with one matched movie and three matched series (grouped from episode files)."""
    make_files(
        tmp_path / "lib",
        MOVIE_AND_SERIES_PATHS,
    )
    db = tmp_path / "reelscale.db"
    with open_store(db) as store:
        group_after_scan(store, scan(tmp_path / "lib", store))
        rows = store.conn.execute("SELECT id, type FROM items WHERE type != 'episode'").fetchall()
        meta = json.dumps({"title": "x", "overview": "A story.", "genres": ["Crime"]})
        now = time.time()
        record_matches(
            store, [(900 + i, 1.0, "matched", None, False, meta, now, i) for i, _ in rows]
        )
    assert sorted(kind for _, kind in rows) == ["movie", "series", "series", "series"]
    config = tmp_path / "reelscale.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return db, config


@pytest.mark.parametrize(("kind", "items", "pairs"), [("movies", 1, 2), ("series", 3, 6)])
def test_classify_judges_the_items_of_the_kind_asked(library, kind, items, pairs):
    db, config = library
    args = ["classify", "--db", str(db), "--config", str(config), "--dry-run", "--json"]
    result = CliRunner().invoke(cli, [*args, "--kind", kind])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["items_planned"], summary["pairs_planned"]) == (items, pairs)
    human = CliRunner().invoke(cli, [*args[:-1], "--kind", kind])
    noun = "movie" if kind == "movies" else "series"
    assert f"({noun}, collection) pairs over {items} {kind}" in human.output
