"""`reelscale list`: title search (FTS5), every query shape, and the command. (The title index's
triggers and the query plans of its statements are tested with the store, in tests/store/.)"""

import json

import pytest
from click.testing import CliRunner
from listing_fixtures import NOW

from core.cli import cli
from core.config.files import load_collections
from core.errors import UsageError
from core.views import listing

CONFIG = """
[[collection]]
name = "Film Noir"
prompt = "Crime stories in the noir tradition."
genres_any = ["Crime"]
confidence_threshold = 0.7

[[collection]]
name = "Sci-Fi"
prompt = "Science fiction."
confidence_threshold = 0.6

[[collection]]
name = "Old Stuff"
prompt = "Old."
enabled = false
"""


@pytest.fixture
def library(listing_library):
    return listing_library


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def refs(library, config):
    return listing.known_collections(library, load_collections(config))


def ids(result):
    return [m["id"] for m in result.as_dict()["items"]]


# -- title search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blade runner", [1]),
        ("blade run", [1]),  # a word may be the start of a title word
        ("AMÉLIE", [2]),
        ("amelie", [2]),  # accents folded
        ("fabuleux destin", [2]),  # original title
        ("fabelhafte", [2]),  # Radarr-style alternate title {"title": ...}
        ("montmartre", [2]),  # alternate title as a plain string
        ("千と千尋", [3]),  # CJK: a prefix of the run of characters
        ("ca commence", [5]),  # decomposed (NFD) title, cedilla folded
        ("Ça COMMENCE aujourd'hui", [5]),
        ("professional", [6]),
        ("léon", [6]),
        ("runner -blade", [1]),  # FTS syntax in user text is not interpreted
        ('"blade (runner:', [1]),
        ("blade AND", []),  # AND is a word here, not an operator
        ("nothing like this", []),
    ],
)
def test_search_finds_titles(library, text, expected):
    assert ids(listing.search(library, text)) == expected


def test_search_ranks_exact_title_first_and_reports_tags(library):
    with library.atomic():
        library.conn.execute(
            "INSERT INTO items (id, source, key, title, year, type) "
            "VALUES (7, 'files', '/m/7.mkv', 'Blade Runner 2049', 2017, 'movie')"
        )
    found = listing.search(library, "blade runner").as_dict()
    assert [m["id"] for m in found["items"]] == [1, 7]
    assert found["items"][0]["tags"] == ["kai-sci-fi"] and found["total"] == 2
    only_members = listing.search(library, "blade runner", collection="kai-sci-fi").as_dict()
    assert [m["id"] for m in only_members["items"]] == [1]


def test_search_without_words_is_a_usage_error(library):
    with pytest.raises(UsageError, match="no letters or digits"):
        listing.search(library, " -- * ")


def test_search_caps_ranking_and_says_more(library, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_CAP", 2)
    found = listing.search(library, "a").as_dict()  # amelie, away, aujourd'hui
    assert found["total"] is None and len(found["items"]) == 2


# -- search keeps the title index in sync -------------------------------------------------------


def test_search_syncs_the_index_itself(library):
    library.sync_title_index()
    with library.atomic():
        library.conn.execute(
            "INSERT INTO items (id, source, key, title, type) "
            "VALUES (9, 'files', '/m/9.mkv', 'Heat', 'movie')"
        )
    assert library.conn.execute("SELECT count(*) FROM items_fts_pending").fetchone()[0] == 1
    assert ids(listing.search(library, "heat")) == [9]
    assert library.sync_title_index() == 0


def test_bad_metadata_json_does_not_break_writes(library):
    with library.atomic():
        library.conn.execute("UPDATE items SET metadata = '{not json' WHERE id = 1")
    assert ids(listing.search(library, "blade")) == [1]


# -- the query shapes -----------------------------------------------------------------------------


def test_overview_counts_members_with_and_without_config(library, refs):
    rows = {c["tag"]: c for c in listing.overview(library, refs).as_dict()["collections"]}
    assert list(rows) == ["kai-film-noir", "kai-old-stuff", "kai-sci-fi", "kai-gone"]
    assert {t: c["members"] for t, c in rows.items()} == {
        "kai-film-noir": 2,
        "kai-sci-fi": 1,
        "kai-old-stuff": 0,
        "kai-gone": 1,
    }
    assert rows["kai-film-noir"]["in_config"] and not rows["kai-gone"]["in_config"]
    bare = listing.known_collections(library)
    assert [r.tag for r in bare] == ["kai-film-noir", "kai-gone", "kai-sci-fi"]


def test_members_and_resolve(library, refs):
    noir = listing.resolve(refs, "film noir")
    assert noir is listing.resolve(refs, "kai-film-noir") is listing.resolve(refs, "Film Noir")
    result = listing.members(library, noir).as_dict()
    assert result["total"] == 2 and [m["id"] for m in result["items"]] == [4, 6]
    assert result["items"][0]["title"] == "Double Indemnity"
    assert result["items"][0]["confidence"] == 0.9
    assert [m["id"] for m in listing.members(library, noir, limit=1).as_dict()["items"]] == [4]


def test_unknown_collection_lists_known_ones(library, refs):
    with pytest.raises(UsageError) as info:
        listing.resolve(refs, "Westerns")
    assert str(info.value) == (
        "no collection named 'Westerns'; known: Film Noir (kai-film-noir), Old Stuff "
        "(kai-old-stuff), Sci-Fi (kai-sci-fi), kai-gone"
    )


def verdicts(result, item_id):
    (entry,) = [e for e in result.as_dict()["items"] if e["item"]["id"] == item_id]
    return {v["collection"]["tag"]: v for v in entry["collections"]}


def test_why_explains_each_collection(library, refs):
    amelie = verdicts(listing.why(library, "amelie", refs), 2)
    assert amelie["kai-film-noir"]["state"] == "filtered out (genres/years)"
    assert amelie["kai-sci-fi"]["state"] == "out"
    assert amelie["kai-sci-fi"]["decision"]["confidence"] == 0.05
    assert amelie["kai-sci-fi"]["decision"]["prompt_changed"] is True
    assert amelie["kai-sci-fi"]["last_change"] == {
        "action": "remove",
        "applied": True,
        "run_id": 3,
        "at": NOW,
    }
    assert amelie["kai-old-stuff"]["state"] == "collection disabled"
    assert amelie["kai-gone"]["state"] == "not judged"
    spirited = verdicts(listing.why(library, "3", refs), 3)
    assert spirited["kai-sci-fi"]["state"] == "deferred (run 1)"
    assert spirited["kai-gone"]["state"] == "in"
    assert spirited["kai-gone"]["collection"]["threshold"] is None
    noir = verdicts(listing.why(library, "tmdb:104", refs), 4)["kai-film-noir"]
    assert noir["state"] == "in" and noir["last_change"]["run_id"] == 3
    assert noir["decision"]["run_id"] == 1 and noir["decision"]["model"] == "claude-x"


def test_why_by_id_falls_back_to_title_words(library, refs):
    with library.atomic():
        library.conn.execute(
            "INSERT INTO items (id, source, key, title, year, type) "
            "VALUES (99, 'files', '/m/99.mkv', '1917', 2019, 'movie')"
        )
    assert [e["item"]["id"] for e in listing.why(library, "1917", refs).as_dict()["items"]] == [99]
    assert [e["item"]["id"] for e in listing.why(library, "99", refs).as_dict()["items"]] == [99]


def test_changes_since_last_and_since_a_run(library):
    last = listing.changes_since(library, "last").as_dict()
    assert last["since_run"] == 3 and last["total"] == 2
    assert [r["id"] for r in last["runs"]] == [3]
    assert {(c["collection"], c["action"], c["applied"], c["count"]) for c in last["counts"]} == {
        ("kai-film-noir", "add", True, 1),
        ("kai-sci-fi", "remove", True, 1),
    }
    both = listing.changes_since(library, 2).as_dict()
    assert both["total"] == 5 and [r["id"] for r in both["runs"]] == [2, 3]
    first = both["items"][0]  # per run: by collection, failed writes first
    assert (first["run_id"], first["item_id"], first["applied"]) == (2, 4, False)
    assert first["title"] == "Double Indemnity"
    one = listing.changes_since(library, 2, collection="kai-sci-fi", limit=1).as_dict()
    assert one["total"] == 2 and len(one["items"]) == 1


@pytest.mark.parametrize(
    ("run", "message"),
    [
        ("x", "--changed-since 'x': give a run id (a number) or 'last'"),
        (7, "--changed-since 7: no such run (runs go up to 3); or use 'last'"),
    ],
)
def test_changes_since_bad_run(library, run, message):
    with pytest.raises(UsageError) as info:
        listing.changes_since(library, run)
    assert str(info.value) == message


def test_changes_since_last_without_changes(store):
    assert listing.changes_since(store, "last").as_dict()["since_run"] is None


# -- the command ----------------------------------------------------------------------------------


@pytest.fixture
def run_list(library, db_path, config, monkeypatch):
    monkeypatch.delenv("REELSCALE_CONFIG", raising=False)
    monkeypatch.chdir(config.parent)  # ./reelscale.toml is the default config
    library.close()

    def run(*args):
        result = CliRunner(env={"COLUMNS": "200"}).invoke(
            cli, ["list", "--db", str(db_path), *args]
        )
        return result

    return run


def test_cli_overview(run_list):
    result = run_list()
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Film Noir kai-film-noir 2 0.70" in lines
    assert "Old Stuff (disabled) kai-old-stuff 0 0.70" in lines
    assert "kai-gone (not in the config) kai-gone 1 -" in lines


def test_cli_members_search_why_changes(run_list):
    members = run_list("--collection", "Film Noir")
    assert members.exit_code == 0 and "Double Indemnity (1944)" in members.stdout
    assert "2 movies in Film Noir." in members.stdout
    found = run_list("--search", "fabelhafte")
    assert found.exit_code == 0 and "Amélie (2001)" in found.stdout
    why = run_list("--why", "Leon")
    assert why.exit_code == 0
    row = next(line for line in why.stdout.splitlines() if "Film Noir" in line)
    assert "0.65 < 0.70 (kept: recheck margin)" in row and "added (run 2)" in row
    changes = run_list("--changed-since", "last")
    assert changes.exit_code == 0
    assert changes.stdout.startswith("Tag changes since run 3: 2")


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        ((), {"query", "collections"}),
        (("--collection", "kai-sci-fi"), {"query", "collection", "total", "items"}),
        (("--search", "blade"), {"query", "text", "collection", "total", "items"}),
        (("--why", "1"), {"query", "text", "items"}),
        (("--changed-since", "2"), {"query", "since_run", "runs", "counts", "total", "items"}),
    ],
)
def test_cli_json_is_one_object(run_list, args, keys):
    result = run_list(*args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == keys


def test_cli_unknown_collection_exits_2(run_list):
    result = run_list("--collection", "Westerns")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(
        "Error: no collection named 'Westerns'; known: Film Noir (kai-film-noir)"
    )


def test_cli_without_config_uses_stored_tags(run_list, config):
    config.unlink()
    result = run_list("--collection", "kai-gone", "--json")
    assert result.exit_code == 0, result.output
    assert [m["id"] for m in json.loads(result.stdout)["items"]] == [3]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("--search", "a", "--why", "b"),
            "Error: --search, --why and --changed-since answer different questions; use one",
        ),
        (("--changed-since", "soon"), "Error: --changed-since 'soon': give a run id"),
    ],
)
def test_cli_bad_input_exits_2(run_list, args, error):
    result = run_list(*args)
    assert result.exit_code == 2 and result.output.startswith(error)


def test_cli_missing_database_exits_2(tmp_path):
    db = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["list", "--db", str(db)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: no database at {db}; run `reelscale scan` (or")
    assert not db.exists()
