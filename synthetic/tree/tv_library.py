"""A TV-heavy synthetic tree: the series library's shows as episode files, with ground truth.

``build_tv_tree(root, episodes, seed, truth=None)`` writes exactly ``episodes`` episode files
(plus the side files real TV folders hold: ``tvshow.nfo``, subtitles, season posters) from
``synthetic.library.series.generate_series(n, seed)``, one show after another, each in one of the
layouts real libraries mix:

- ``sonarr`` (55 %): ``TV/Title (Year)/Season 01/Title (Year) - S01E02 - Ep [WEBDL-1080p].mkv``
  (Sonarr's standard episode format); one show in ten of all also has specials, in
  ``Specials/`` or ``Season 00/``;
- ``plex`` (20 %): ``TV/Title/Season 1/Title - 1x02 - Episode.mkv``, no year;
- ``scene`` (15 %): ``Downloads/Title.S01E02.1080p.WEB-DL.DDP5.1.H.264-GRP.mkv``, flat;
- ``packs`` (10 %): season-pack folders ``Downloads/Title.S02.1080p.BluRay.x264-GRP/...``;
- ``anime`` (an anime series): ``Anime/Title/[Group] Title - 102 [1080p].mkv``, absolute numbers.

With ``truth`` it streams one JSON line per episode file: ``{"path", "series_id", "tmdb_id",
"tvdb_id", "title", "year", "season", "episode", "layout"}``. Same (episodes, seed), same tree and
same truth bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from random import Random

from synthetic import release_names as R
from synthetic.library.pools import pools
from synthetic.library.series import Series, generate_series
from synthetic.library.titles import TitleMaker
from synthetic.tree.writer import Full, Writer

__all__ = ["LAYOUTS", "TVTreeStats", "build_tv_tree"]

LAYOUTS = ("sonarr", "plex", "scene", "packs")
_LAYOUT_CUM = (45, 65, 80, 90, 100)  # the last 10 %: sonarr with specials
_MAX_SEASONS = 10
_SUB_RATE = 0.15
_ANIME_GROUPS = ("SubsPlease", "Erai-raws", "HorribleSubs", "Judas", "EMBER")
_QUALITIES = ("WEBDL-1080p", "HDTV-720p", "Bluray-1080p", "WEBRip-1080p", "WEBDL-2160p")


@dataclass(slots=True)
class TVTreeStats:
    files: int
    episodes: int
    side_files: int
    series: int
    dirs: int
    seconds: float


class _Shows:
    """Writes one show at a time in its layout."""

    def __init__(self, w: Writer, rng: Random, truth) -> None:
        self.w, self.rng, self.truth = w, rng, truth
        self.titles = TitleMaker(rng, pools())
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self.episodes = 0
        self.show: Series | None = None
        self.layout = ""
        self.room = 0  # episodes the tree may still take beyond the show's regular ones

    def write(self, show: Series) -> None:
        rng = self.rng
        self.show = show
        if show.series_type == "anime":
            self.layout = "anime"
            self._anime(show)
            return
        x = rng.random() * 100
        pick = next(i for i, c in enumerate(_LAYOUT_CUM) if x < c)
        self.layout = LAYOUTS[pick] if pick < len(LAYOUTS) else "sonarr"
        with_specials = x >= _LAYOUT_CUM[3] and self.room >= 3
        getattr(self, f"_{self.layout}")(show, with_specials)

    def _episode(self, rel: str, season: int | None, episode: int) -> None:
        if not self.w.file(rel):
            return
        self.w.videos += 1
        self.w.episodes += 1
        self.episodes += 1
        show = self.show
        if self.truth is not None:
            self.truth.write(
                self.dumps(
                    {
                        "path": rel,
                        "series_id": show.id,
                        "tmdb_id": show.tmdb_id,
                        "tvdb_id": show.tvdb_id,
                        "title": show.title,
                        "year": show.year,
                        "season": season,
                        "episode": episode,
                        "layout": self.layout,
                    }
                )
                + "\n"
            )
        if self.rng.random() < _SUB_RATE:
            self.w.side_file(rel.rsplit(".", 1)[0] + ".en.srt")

    def _seasons(self, show: Series) -> range:
        return range(1, min(show.seasons, _MAX_SEASONS) + 1)

    def _ep_title(self) -> str:
        return R.radarr_title(self.titles.ordinary(), self.rng, False)

    def _sonarr(self, show: Series, with_specials: bool) -> None:
        w, rng = self.w, self.rng
        name = R.radarr_title(show.title, rng)
        dated = name if name.endswith(")") else f"{name} ({show.year})"
        folder = f"TV/{dated}"
        w.shared_dir("TV")
        w.mkdir(folder)
        w.side_file(f"{folder}/tvshow.nfo")
        for s in self._seasons(show):
            sdir = f"{folder}/Season {s:02d}"
            w.mkdir(sdir)
            q = rng.choice(_QUALITIES)
            for e in range(1, show.episodes_per_season + 1):
                self._episode(
                    f"{sdir}/{dated} - S{s:02d}E{e:02d} - {self._ep_title()} [{q}].mkv", s, e
                )
        if with_specials:
            sdir = f"{folder}/{rng.choice(('Specials', 'Season 00'))}"
            w.mkdir(sdir)
            for e in range(1, rng.randint(1, 3) + 1):
                self._episode(f"{sdir}/{dated} - S00E{e:02d} - {self._ep_title()}.mkv", 0, e)

    def _plex(self, show: Series, _specials: bool) -> None:
        w, rng = self.w, self.rng
        name = R.radarr_title(show.title, rng)
        folder = f"TV/{name}"
        w.shared_dir("TV")
        if not w.mkdir(folder):  # a show of that name already there: Plex would date it
            folder = f"TV/{name} ({show.year})"
            w.mkdir(folder)
        for s in self._seasons(show):
            sdir = f"{folder}/Season {s}"
            w.mkdir(sdir)
            w.side_file(f"{sdir}/season{s:02d}-poster.jpg")
            for e in range(1, show.episodes_per_season + 1):
                self._episode(f"{sdir}/{name} - {s}x{e:02d} - {self._ep_title()}.mkv", s, e)

    def _scene_name(self, show: Series) -> str:
        stitle = R.scene_title(R.ascii_fold(show.title).replace("(", "").replace(")", ""), self.rng)
        return stitle

    def _scene(self, show: Series, _specials: bool) -> None:
        w, rng = self.w, self.rng
        stitle = self._scene_name(show)
        w.shared_dir("Downloads")
        for s in self._seasons(show):
            rel = R.Release(rng, 2015)
            res = rel.res or "720p"
            for e in range(1, show.episodes_per_season + 1):
                stem = f"{stitle}.S{s:02d}E{e:02d}.{res}.{rel.source}.{rel.codec}-{rel.group}"
                self._episode(f"Downloads/{stem}.{rel.ext(rng)}", s, e)

    def _packs(self, show: Series, _specials: bool) -> None:
        w, rng = self.w, self.rng
        stitle = self._scene_name(show)
        w.shared_dir("Downloads")
        for s in self._seasons(show):
            rel = R.Release(rng, 2015)
            tail = f"{rel.res or '720p'}.{rel.source}.{rel.codec}-{rel.group}"
            pack = f"Downloads/{stitle}.S{s:02d}.{tail}"
            if not w.mkdir(pack):
                continue
            w.side_file(f"{pack}/{stitle}.S{s:02d}.{tail}.nfo")
            for e in range(1, show.episodes_per_season + 1):
                self._episode(f"{pack}/{stitle}.S{s:02d}E{e:02d}.{tail}.mkv", s, e)

    def _anime(self, show: Series) -> None:
        w, rng = self.w, self.rng
        name = R.radarr_title(show.title, rng)
        folder = f"Anime/{name}"
        w.shared_dir("Anime")
        w.mkdir(folder)
        group, res = rng.choice(_ANIME_GROUPS), rng.choice(("1080p", "720p"))
        number = 0
        for _ in self._seasons(show):
            for _ in range(show.episodes_per_season):
                number += 1
                self._episode(f"{folder}/[{group}] {name} - {number:02d} [{res}].mkv", None, number)


def build_tv_tree(root, episodes: int, seed: int, truth=None) -> TVTreeStats:
    """Create ``episodes`` episode files (and their side files) under ``root`` (created if
    missing, must be empty); with ``truth``, a path to write the ground truth JSON lines to."""
    if episodes < 0:
        raise ValueError("episodes must be >= 0")
    root = os.fspath(root)
    os.makedirs(root, exist_ok=True)
    with os.scandir(root) as it:
        if next(it, None) is not None:
            raise ValueError(f"{root} is not empty")
    start = time.perf_counter()
    tfp = open(truth, "w", encoding="utf-8", newline="\n") if truth is not None else None  # noqa: SIM115
    try:
        # The episode count bounds the tree; the writer's own bound only has to stay out of the way.
        w = Writer(root.rstrip("/") or "/", episodes * 3 + 1000, None)
        shows = _Shows(w, Random(f"reelscale-tv-tree:{seed}"), tfp)
        series = 0
        for show in generate_series(min(episodes, 290_000), seed):
            if shows.episodes >= episodes:
                break
            series += 1
            _write_capped(shows, show, episodes)
    finally:
        if tfp is not None:
            tfp.close()
    return TVTreeStats(
        files=w.episodes + w.side,
        episodes=w.episodes,
        side_files=w.side,
        series=series,
        dirs=w.dirs,
        seconds=round(time.perf_counter() - start, 3),
    )


def _write_capped(shows: _Shows, show: Series, episodes: int) -> None:
    """Write ``show``, stopping at exactly ``episodes`` episode files in the tree."""
    budget = episodes - shows.episodes
    show.seasons = min(show.seasons, _MAX_SEASONS)
    if show.seasons * show.episodes_per_season > budget:
        show.seasons = max(1, budget // show.episodes_per_season)
        if show.seasons * show.episodes_per_season > budget:
            show.episodes_per_season = budget
    shows.room = budget - show.seasons * show.episodes_per_season
    with contextlib.suppress(Full):  # the writer's bound is three files per episode: not hit
        shows.write(show)
