import importlib.util
import json

import pytest
from click.testing import CliRunner

from benchmarks.harness.paths import REPO
from benchmarks.harness.workloads import parse_eval
from core.cli import cli


@pytest.fixture
def tiny_corpora(tmp_path, monkeypatch):
    """Two three-name corpora: one reelscale was tuned on, one neither parser was."""
    rows = {
        "seen": [
            {"name": "Heat.1995.1080p.BluRay.x264-GRP", "title": "Heat", "year": 1995},
            {"name": "Alien.1979.720p.BluRay", "title": "Alien", "year": 1979},
            {"name": "Show.S01E02.720p.HDTV", "title": "Show", "season": 1, "episode": 2,
             "checks": ["title", "season", "episode"]},
        ],
        "unseen": [
            {"name": "www.site.com - Movie.Title.2012.720p.BluRay", "title": "Movie Title",
             "year": 2012},
            {"name": "Брат.Brother.1997.1080p.BluRay.x264", "title": "Брат Brother", "year": 1997},
            {"name": "(2019) Some Film [1080p]", "title": "Some Film", "year": 2019},
        ],
    }  # fmt: skip
    corpora = {}
    for name, records in rows.items():
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        corpora[name] = (path, name, None)
    monkeypatch.setattr(parse_eval, "CORPORA", corpora)
    monkeypatch.setattr(parse_eval, "TUNED_ON", {"reelscale": {"seen"}, "guessit": set()})


def test_each_corpus_beside_guessit_and_the_target_only_where_held_out(tiny_corpora):
    result = parse_eval.evaluate(repeat=1)
    seen, unseen = result["corpora"]["seen"], result["corpora"]["unseen"]
    assert seen["target_met"] is None and seen["held_out_from"] == ["guessit"]
    assert unseen["held_out_from"] == ["reelscale", "guessit"]
    assert unseen["reelscale"]["n"] == unseen["guessit"]["n"] == 3
    assert unseen["reelscale"]["title_year"] == 1.0
    assert unseen["target_met"] is True  # 3 of 3: at least what guessit gets
    assert seen["reelscale"]["episodes"] == {"n": 1, "accuracy": 1.0}
    assert result["targets"]["held_out_title_year_at_least_guessit"] == unseen["target_met"]
    speed = result["speed"]
    assert speed["names"] == 6 and speed["ratio"] > 1
    assert any("held out" in line for line in parse_eval.summary_lines(result))


def test_cli_prints_json_without_recording(tiny_corpora):
    result = CliRunner().invoke(
        cli, ["bench", "parse-eval", "--json", "--no-record", "--files", "0", "--repeat", "1"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["corpora"]) == {"seen", "unseen"} and "identification" not in data


def test_shipped_corpora_exist_with_licences():
    for corpus, (path, _about, _half) in parse_eval.CORPORA.items():
        assert path.is_file() and parse_eval.load(corpus)
        assert any(p.name.startswith("LICENSE") for p in path.parent.iterdir())


def test_sonarr_halves_are_disjoint_and_cover_the_file():
    tune, held = parse_eval.load("sonarr_tune"), parse_eval.load("sonarr_held_out")
    assert tune and held and not {r["name"] for r in tune} & {r["name"] for r in held}
    all_rows = parse_eval.load_corpus(parse_eval.CORPORA["sonarr_tune"][0])
    assert len(tune) + len(held) == len(all_rows)
    fixtures = {h: {r["source"].split(".cs:")[0] for r in rows} for h, rows in
                (("tune", tune), ("held", held))}  # fmt: skip
    assert not fixtures["tune"] & fixtures["held"]  # split by fixture file, not by name
    assert "sonarr_held_out" not in parse_eval.TUNED_ON["reelscale"]
    assert "sonarr_tune" in parse_eval.TUNED_ON["reelscale"]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / f"tools/{name}.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_sonarr_split_rule_balances_fixture_files_and_tunes_on_the_larger_group():
    tool = _tool("sonarr_corpus")
    rows = [{"source": f"Sonarr/x/{f}.cs:m"} for f, k in
            (("A", 5), ("B", 4), ("C", 3), ("D", 1)) for _ in range(k)]  # fmt: skip
    # {A, D} = 6 and {B, C} = 7 are the closest halves; the larger one is tuned on
    assert tool.halves(rows) == {"A": "held_out", "D": "held_out", "B": "tune", "C": "tune"}
    assert {r["half"] for r in tool.with_halves(rows)} == {"tune", "held_out"}


def test_anitopy_corpus_tool_reads_the_table_without_running_it():
    tool = _tool("anitopy_corpus")
    text = (
        "from x import y\ntable = [\n  ['[Grp]_Show_S2_-_01-03_[720p].mkv', None,\n"
        "   {'anime_title': 'Show', 'anime_season': '2', 'episode_number': ['01', '03']}],\n"
        "  ['Film (2009).mkv', {'option_x': 1}, {'anime_title': 'Film', 'anime_year': '2009'}]]\n"
    )
    first, second = (tool.record(*case) for case in tool.table(text))
    assert (first["title"], first["season"], first["episode"], first["type"]) == (
        "Show", 2, 1, "episode",
    )  # fmt: skip
    assert first["checks"] == ["title", "season", "episode", "episode_end"]
    assert first["episode_end"] == 3
    assert second["checks"] == ["title", "year"] and second["options"] == {"option_x": 1}


def test_sonarr_corpus_tool_reads_csharp_test_cases():
    tool = _tool("sonarr_corpus")
    assert tool.literals(r'"A.\"B\"", @"C\D", 3, new[] { 1, 2 }, null') == [
        'A."B"',
        "C\\D",
        3,
        [1, 2],
        None,
    ]
    text = (
        '[TestCase("Series.Title.2010.S02E14.HDTV", "Series Title 2010", 2, 14)]\n'
        "public void should_parse_single_episode(string a, string b, int c, int d)\n"
    )
    ((method, values),) = tool.cases(text, "SingleEpisodeParserFixture")
    fields = tool.METHODS[("SingleEpisodeParserFixture", method)]
    rec = tool.record(values[0], fields, values[1:], "src")
    assert (rec["title"], rec["year"], rec["season"], rec["episode"]) == (
        "Series Title",
        2010,
        2,
        14,
    )
    assert rec["checks"] == ["title", "year", "season", "episode"]


def test_episode_ranges_score_the_first_and_the_last_episode():
    checks = ["title", "season", "episode", "episode_end"]
    records = [
        {"name": "Show.S01E01-E03.720p.HDTV.x264-GRP", "title": "Show", "season": 1,
         "episode": 1, "episode_end": 3, "checks": checks},
        {"name": "Show.S01E04.720p.HDTV.x264-GRP", "title": "Show", "season": 1,
         "episode": 4, "episode_end": 5, "checks": checks},
        {"name": "Show.S01E06.720p.HDTV.x264-GRP", "title": "Show", "season": 1, "episode": 6},
    ]  # fmt: skip
    out = parse_eval._scores(records, parse_eval.parse)
    assert out["ranges"] == {"n": 2, "accuracy": 0.5}
    assert parse_eval.guessit_release("Show.S01E01E02.720p.HDTV").episode_end == 2
