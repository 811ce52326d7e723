"""TV seasons in the synthetic tree, to be told apart from movies: ``TV/Show (Year)/Season 01/``
with episodes named in Sonarr's and the scene's styles."""

from __future__ import annotations

from random import Random

from synthetic import release_names as R
from synthetic.library.titles import TitleMaker
from synthetic.tree.writer import Writer


class Seasons:
    """Adds one season at a time, to a new show or (35 %) to one of the last 200 shows."""

    def __init__(self, w: Writer, rng: Random, titles: TitleMaker):
        self.w, self.rng, self.titles = w, rng, titles
        self.shows: list[list] = []  # [folder, name, year, next_season, style]
        self.count = 0

    def season(self) -> None:
        rng, w, tm = self.rng, self.w, self.titles
        self.count += 1
        w.shared_dir("TV")
        if self.shows and rng.random() < 0.35:
            show = self.shows[rng.randrange(len(self.shows))]
        else:
            name = tm.ordinary() if rng.random() < 0.8 else tm.punctuation()
            year = rng.randint(1990, 2025) if rng.random() < 0.2 else None
            folder = R.radarr_title(name, rng)
            folder = f"{folder} ({year})" if year else folder
            while folder in w.known_dirs or f"TV/{folder}" in w.known_dirs:
                year = rng.randint(1990, 2025)
                folder = f"{R.radarr_title(name, rng)} ({year})"
            style = rng.choices((0, 1, 2), cum_weights=(45, 90, 100))[0]
            show = [f"TV/{folder}", name, year, 1, style]
            w.shared_dir(show[0])
            self.shows.append(show)
            if len(self.shows) > 200:
                self.shows.pop(0)
        d, name, year, s, style = show
        show[3] += 1
        sdir = f"{d}/Season {s:02d}" if rng.random() < 0.85 or s > 9 else f"{d}/Season {s}"
        if not w.mkdir(sdir):
            return
        stitle = R.scene_title(name, rng)
        stitle = f"{stitle}.{year}" if year and rng.random() < 0.5 else stitle
        rel = R.Release(rng, 2015)
        res, src = rel.res or "720p", rng.choice(("HDTV", "WEB-DL", "WEB", "WEBRip", "BluRay"))
        for e in range(1, rng.randint(6, 13) + 1):
            if style == 0:
                stem = f"{stitle}.S{s:02d}E{e:02d}.{res}.{src}.{rel.codec}-{rel.group}"
            elif style == 1:
                stem = (
                    f"{R.radarr_title(name, rng)} - S{s:02d}E{e:02d} - "
                    f"{R.radarr_title(tm.ordinary(), rng, False)}"
                )
            else:
                stem = (
                    f"{R.radarr_title(name, rng)} - {s}x{e:02d} - "
                    f"{R.radarr_title(tm.ordinary(), rng, False)}"
                )
            w.video(
                f"{sdir}/{stem}.{'mkv' if rng.random() < 0.85 else 'mp4'}",
                "episode",
                name,
                year,
                season=s,
                episode=e,
            )
