"""Episode files grouped into series after a scan: layouts, incremental rescans, moves, removals."""

import os

import pytest
from click.testing import CliRunner
from conftest import make_files

from core.cli import cli
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan, group_series, show_of
from core.store.series import series_overview

LAYOUTS = [
    "TV/Show Name (2019)/Season 01/Show Name - S01E01 - Pilot.mkv",
    "TV/Show Name (2019)/Season 01/Show Name - S01E02 - Second.mkv",
    "TV/Show Name (2019)/Season 2/Show.Name.S02E01.720p.HDTV.x264-GRP.mkv",
    "TV/Show Name (2019)/Specials/Show Name - S00E01 - Behind It All.mkv",
    "TV/Show Name (2019)/Season 00/Show Name - S00E02.mkv",
    "Downloads/Show.Name.S01E03.1080p.WEB-DL.DD5.1.H.264-GRP.mkv",
    "Anime/Kumo no Hana/[SubsPlease] Kumo no Hana - 101 [1080p].mkv",
    "Anime/Kumo no Hana/[SubsPlease] Kumo no Hana - 102 [1080p].mkv",
    "TV/Other Show/Season 3/Other Show - 3x01 - A Title.mkv",
    "Downloads/Other.Show.S03.1080p.WEB-DL-GRP/Other.Show.S03E02.1080p.WEB-DL-GRP.mkv",
    "Movies/Heat (1995)/Heat (1995).mkv",
]


def _series(store) -> dict[tuple, tuple]:
    return {(r.title, r.year): (r.episodes, r.seasons) for r in series_overview(store)}


def _scan_and_group(root, store):
    summary = scan(root, store)
    return summary, group_after_scan(store, summary)


@pytest.mark.parametrize(
    ("path", "title", "year", "expected"),
    [
        ("/tv/Show (2019)/Season 01/x.mkv", "Show", None, ("show", 2019, "Show", None)),
        ("/tv/Show (2019) [tvdbid-81189]/Season 1/x.mkv", None, None, ("show", 2019, "Show", None)),
        ("/tv/Show {tmdb-1399}/Specials/x.mkv", "Show", 2011, ("show", 2011, "Show", 1399)),
        (
            "/tv/Amélie's Café/Staffel 2/x.mkv",
            None,
            None,
            ("amelies cafe", None, "Amélie's Café", None),
        ),
        ("/dl/Show.Name.S01E01.mkv", "Show Name", None, ("show name", None, "Show Name", None)),
        ("/dl/Unnamed/S01E01.mkv", None, None, ("", None, None, None)),
    ],
)
def test_show_of_reads_season_folders_then_the_parsed_title(path, title, year, expected):
    assert show_of(path, title, year) == expected


def test_layouts_group_into_one_series_per_show(tmp_path, store):
    make_files(tmp_path / "lib", LAYOUTS)
    summary, group = _scan_and_group(tmp_path / "lib", store)
    assert summary.episodes == 10 and summary.movies == 1
    assert group.grouped == 10 and group.series_new == 3 and group.series == 3
    assert _series(store) == {
        # Season 01, Season 2 and specials (season 0) from folders, plus the undated flat file
        ("Show Name", 2019): (6, 3),
        ("Kumo no Hana", None): (2, 0),  # absolute numbers: no season
        ("Other Show", None): (2, 1),
    }


def test_rescan_with_nothing_changed_groups_nothing(tmp_path, store):
    make_files(tmp_path / "lib", LAYOUTS)
    _scan_and_group(tmp_path / "lib", store)
    before = store.conn.execute("SELECT * FROM items ORDER BY id").fetchall()
    statements = []
    store.conn.set_trace_callback(statements.append)
    _, group = _scan_and_group(tmp_path / "lib", store)
    store.conn.set_trace_callback(None)
    assert (group.grouped, group.series_new, group.series_removed, group.series) == (0, 0, 0, 3)
    assert not [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE", "BEGIN")]
    assert store.conn.execute("SELECT * FROM items ORDER BY id").fetchall() == before


def test_new_episode_joins_its_series_and_new_show_gets_one(tmp_path, store):
    root = tmp_path / "lib"
    make_files(root, LAYOUTS)
    _scan_and_group(root, store)
    ids = {r.title: r.id for r in series_overview(store)}
    make_files(
        root,
        [
            "TV/Show Name (2019)/Season 02/Show Name - S02E02.mkv",
            "TV/Brand New (2024)/Season 01/Brand New - S01E01.mkv",
        ],
    )
    _, group = _scan_and_group(root, store)
    assert (group.grouped, group.series_new, group.series) == (2, 1, 4)
    after = {r.title: r for r in series_overview(store)}
    assert after["Show Name"].id == ids["Show Name"] and after["Show Name"].episodes == 7
    assert after["Brand New"].year == 2024


def test_removed_show_loses_its_series_and_moved_file_is_regrouped(tmp_path, store):
    root = tmp_path / "lib"
    make_files(root, LAYOUTS)
    _scan_and_group(root, store)
    for rel in LAYOUTS:
        if "Other" in rel:
            os.unlink(root / rel)
    moved = root / "TV/Kumo no Hana (2021)/Season 01"
    moved.mkdir(parents=True)
    for rel in LAYOUTS:
        if "Kumo" in rel:
            os.rename(root / rel, moved / os.path.basename(rel))
    summary, group = _scan_and_group(root, store)
    assert summary.removed == 2 and summary.moved == 2
    assert group.series_removed == 2 and group.series_new == 1
    assert set(_series(store)) == {("Show Name", 2019), ("Kumo no Hana", 2021)}


def test_undated_show_joins_the_only_dated_one_and_ambiguity_stays_apart(tmp_path, store):
    root = tmp_path / "lib"
    make_files(
        root,
        [
            "TV/Twins (2001)/Season 01/Twins - S01E01.mkv",
            "TV/Twins (2017)/Season 01/Twins - S01E01.mkv",
            "Downloads/Twins.S01E02.720p.HDTV.x264-GRP.mkv",
            "Downloads/Solo.S01E02.720p.HDTV.x264-GRP.mkv",
            "TV/Solo (2010)/Season 01/Solo - S01E01.mkv",
        ],
    )
    _scan_and_group(root, store)
    assert _series(store) == {
        ("Twins", 2001): (1, 1),
        ("Twins", 2017): (1, 1),
        ("Twins", None): (1, 1),  # two dated shows of that title: not guessed
        ("Solo", 2010): (2, 1),
    }


def test_episode_without_a_title_is_set_aside_once(tmp_path, store):
    root = tmp_path / "lib"
    make_files(root, ["Downloads/S01E01.mkv", "TV/Show (2019)/Season 01/Show - S01E01.mkv"])
    _, group = _scan_and_group(root, store)
    assert group.ungroupable == 1 and group.series == 1
    assert group_series(store, prune=False).ungroupable == 0


def test_scan_command_reports_series(tmp_path, db_path):
    make_files(tmp_path / "lib", LAYOUTS)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "lib"), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "3 series (3 new, 0 gone), 10 episodes grouped" in result.output
    result = CliRunner().invoke(
        cli, ["scan", str(tmp_path / "lib"), "--db", str(db_path), "--json"]
    )
    assert '"series": {"grouped": 0, "series_new": 0' in result.output


def test_an_untitled_episode_between_a_shows_files_stays_out_of_it(tmp_path, store):
    root = tmp_path / "lib"
    names = [
        "Show.Name.S01E01.720p.HDTV-GRP.mkv",
        "S01E02.mkv",
        "Show.Name.S01E03.720p.HDTV-GRP.mkv",
    ]
    make_files(root, [f"Downloads/{n}" for n in names])
    _, group = _scan_and_group(root, store)
    assert (group.grouped, group.ungroupable, group.series) == (2, 1, 1)
    linked = dict(store.conn.execute("SELECT key, series_id FROM items WHERE type = 'episode'"))
    assert linked[str(root / "Downloads/S01E02.mkv")] == 0
    assert _series(store) == {("Show Name", None): (2, 1)}


def test_a_year_only_in_a_release_name_does_not_pull_an_undated_show_in(tmp_path, store):
    root = tmp_path / "lib"
    make_files(
        root,
        [
            "Downloads/Echos.S01E01.720p.HDTV.x264-GRP.mkv",
            "Downloads/Echos.2021.S01E02.1080p.WEB-DL-GRP.mkv",
        ],
    )
    _scan_and_group(root, store)
    assert _series(store) == {("Echos", None): (1, 1), ("Echos", 2021): (1, 1)}
