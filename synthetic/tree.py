"""Materialise the synthetic library as a realistic file tree of empty files.

``build_tree(root, size, seed, truth=None)`` creates exactly ``size`` empty files under ``root``,
drawing movies from ``library.generate(size, seed)`` in order, placed in the shapes real libraries
have (Radarr folders, tmdb-id folders, scene names in a flat Downloads folder, release folders with
samples, collection folders, CD1/CD2 splits, extras/trailers, side files, TV seasons to be told
apart). With ``truth`` it streams one JSON line per video file:
``{"path", "title", "year", "type": "movie"|"episode"|"extra", "season", "episode", "tmdb_id"}``.

Same (size, seed) gives the same tree and the same truth bytes: files are created in a fixed
order and every choice comes from ``random.Random`` seeded from ``seed`` (never the clock).
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass
from random import Random

from synthetic import release_names as R
from synthetic.library.movies import Movie, generate
from synthetic.library.pools import pools
from synthetic.library.titles import TitleMaker

SHAPES = (
    "radarr",
    "radarr_4k",
    "tmdb_folder",
    "download_flat",
    "release_folder",
    "collection",
    "loose",
    "cd_split",
)
_SHAPE_CUM = (46, 51, 61, 75, 84, 91, 99, 100)
_P_SEASON = 0.0127  # chance that the next step is a TV season instead of a movie
_EXTRA_NAMES = (
    ("Extras", "Behind the Scenes"),
    ("Featurettes", "Making Of"),
    ("Featurettes", "Visual Effects"),
    ("Deleted Scenes", "Deleted Scene 1"),
    ("Interviews", "Cast Interview"),
    ("Behind The Scenes", "On Set"),
    ("Trailers", "Theatrical Trailer"),
    ("Shorts", "Short Film"),
)
_EXTRA_SUFFIXES = ("trailer", "behindthescenes", "featurette", "deleted", "interview", "scene")
_SEQUEL_TAIL = re.compile(r"\s+(?:\d+|[IVX]+|Part \w+)$")
_FLAGS = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)


class _Full(Exception):
    pass


def _create_open(path: str) -> None:
    os.close(os.open(path, _FLAGS, 0o644))


def _create_mknod(path: str) -> None:
    """One syscall per empty file (mknod S_IFREG needs no privilege); EEXIST like O_EXCL."""
    try:
        os.mknod(path, 0o644 | stat.S_IFREG)
    except (PermissionError, NotImplementedError):
        _create_open(path)


@dataclass(slots=True)
class TreeStats:
    files: int  # all files created (== size)
    videos: int  # video files: movies + episodes + extras
    movies: int  # movie video files (a CD1/CD2 split counts twice)
    episodes: int
    side_files: int  # non-video files (.srt, .nfo, .jpg, .idx/.sub, .xml, .txt)
    extras: int  # extras, samples, trailers (video files that are not the movie)
    dirs: int  # directories created under root
    seconds: float


class _Writer:
    def __init__(self, root: str, size: int, truth_fp):
        self.root, self.left, self.truth = root, size, truth_fp
        self.videos = self.movies = self.episodes = self.side = self.extras = self.dirs = 0
        self.known_dirs: set[str] = set()  # shared dirs only (roots, collections, shows)
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self.create = _create_mknod if hasattr(os, "mknod") else _create_open

    def mkdir(self, rel: str) -> bool:
        """Create a new directory; False if it already exists."""
        try:
            os.mkdir(f"{self.root}/{rel}")
        except FileExistsError:
            return False
        self.dirs += 1
        return True

    def shared_dir(self, rel: str) -> None:
        if rel not in self.known_dirs:
            parent = rel.rpartition("/")[0]
            if parent:
                self.shared_dir(parent)
            self.mkdir(rel)
            self.known_dirs.add(rel)

    def file(self, rel: str) -> bool:
        if self.left <= 0:
            raise _Full
        try:
            self.create(f"{self.root}/{rel}")
        except FileExistsError:
            return False
        self.left -= 1
        return True

    def side_file(self, rel: str) -> None:
        if self.file(rel):
            self.side += 1

    def video(
        self, rel: str, kind: str, title: str, year, season=None, episode=None, tmdb_id=None
    ) -> bool:
        if not self.file(rel):
            return False
        self.videos += 1
        if kind == "movie":
            self.movies += 1
        elif kind == "episode":
            self.episodes += 1
        else:
            self.extras += 1
        if self.truth is not None:
            self.truth.write(
                self.dumps(
                    {
                        "path": rel,
                        "title": title,
                        "year": year,
                        "type": kind,
                        "season": season,
                        "episode": episode,
                        "tmdb_id": tmdb_id,
                    }
                )
                + "\n"
            )
        return True


class _Builder:
    def __init__(self, w: _Writer, seed: int):
        self.w = w
        self.rng = Random(f"reelscale-tree:{seed}")
        self.titles = TitleMaker(self.rng, pools())
        self.collection: str | None = None
        self.shows: list[list] = []  # [folder, name, year, next_season, style]
        self.shape_counts = dict.fromkeys((*SHAPES, "tv_season"), 0)

    # -- naming helpers -------------------------------------------------------------------------
    def folder_title(self, m: Movie) -> str:
        t = R.radarr_title(m.title, self.rng, self.rng.random() < 0.8)
        if not t.isascii() and self.rng.random() < 0.1:
            t = unicodedata.normalize("NFD", t)  # copied from a Mac: decomposed accents
        return t

    def movie_dir(self, parent: str, name: str, m: Movie) -> str:
        rel = f"{parent}/{name}" if parent else name
        if self.w.mkdir(rel):
            return rel
        rel = f"{rel} [tmdbid-{m.tmdb_id}]"  # same title and year already there
        self.w.mkdir(rel)
        return rel

    def scene_name(self, m: Movie, rel: R.Release) -> str:
        return rel.scene(R.scene_title(m.title, self.rng), m.year, self.rng, m.original_language)

    # -- movie shapes ---------------------------------------------------------------------------
    def movie(self, m: Movie) -> None:
        rng = self.rng
        shape = rng.choices(SHAPES, cum_weights=_SHAPE_CUM)[0]
        self.shape_counts[shape] += 1
        getattr(self, "_" + shape)(m)

    def _in_folder(
        self, m: Movie, parent: str, folder: str, rel: R.Release, stem: str | None = None
    ) -> None:
        """A movie folder: the video, then side files and extras."""
        rng, w = self.rng, self.w
        d = self.movie_dir(parent, folder, m)
        if stem is None:
            x = rng.random()
            if x < 0.5:
                stem = self.scene_name(m, rel)
            elif x < 0.65:
                stem = folder
            elif x < 0.93:
                stem = f"{folder} {rel.radarr_quality(rng)}"
            else:
                ed = f" {{edition-{rng.choice(R.EDITION_NAMES)}}}" if rng.random() < 0.6 else ""
                hdr = f"[{rel.hdr.replace('.', ' ')}]" if rel.hdr else ""
                stem = (
                    f"{folder}{ed} [{rel.radarr_quality(rng)}]{hdr}"
                    f"[{(rel.audio or 'AAC').replace('.', ' ')}][{rel.codec}]-{rel.group}"
                )
        ext = rel.ext(rng)
        w.video(f"{d}/{stem}.{ext}", "movie", m.title, m.year, tmdb_id=m.tmdb_id)
        self._sides(d, stem, m, folder)

    def _sides(self, d: str, stem: str, m: Movie, folder: str) -> None:
        rng, w, r = self.rng, self.w, self.rng.random
        if r() < 0.25:
            w.side_file(f"{d}/{stem}{rng.choice(('', '.en', '.eng', '.en.forced', '.forced'))}.srt")
            if r() < 0.3:
                w.side_file(f"{d}/{stem}.{rng.choice(('fr', 'de', 'es', 'nl', 'pt'))}.srt")
        if r() < 0.2:
            w.side_file(f"{d}/{rng.choice(('movie', stem))}.nfo")
        if r() < 0.15:
            w.side_file(f"{d}/poster.jpg")
            if r() < 0.7:
                w.side_file(f"{d}/fanart.jpg")
        if r() < 0.02:
            w.side_file(f"{d}/{stem}.idx")
            w.side_file(f"{d}/{stem}.sub")
        if r() < 0.03:
            w.side_file(f"{d}/movie.xml")
        if r() < 0.08:
            if r() < 0.4:
                w.video(
                    f"{d}/{folder}-{rng.choice(_EXTRA_SUFFIXES)}.{rng.choice(('mkv', 'mp4'))}",
                    "extra",
                    m.title,
                    m.year,
                )
            else:
                sub, name = rng.choice(_EXTRA_NAMES)
                if w.mkdir(f"{d}/{sub}"):
                    w.video(f"{d}/{sub}/{name}.mkv", "extra", m.title, m.year)
                    if r() < 0.4:
                        w.video(f"{d}/{sub}/{name} 2.mkv", "extra", m.title, m.year)

    def _radarr(self, m: Movie, root: str = "Movies") -> None:
        self.w.shared_dir(root)
        folder = f"{self.folder_title(m)} ({m.year})"
        self._in_folder(m, root, folder, R.Release(self.rng, m.year))

    def _radarr_4k(self, m: Movie) -> None:
        rel = R.Release(self.rng, m.year, "2160p")
        self.w.shared_dir("Movies 4K")
        folder = f"{self.folder_title(m)} ({m.year})"
        self._in_folder(m, "Movies 4K", folder, rel)

    def _tmdb_folder(self, m: Movie) -> None:
        rng = self.rng
        self.w.shared_dir("Movies")
        tag = f"[tmdbid-{m.tmdb_id}]" if rng.random() < 0.5 else f"{{tmdb-{m.tmdb_id}}}"
        base = f"{self.folder_title(m)} ({m.year})"
        folder = f"{base} {tag}"
        rel = R.Release(rng, m.year)
        x = rng.random()
        stem = (
            folder if x < 0.4 else f"{base} {tag} [{rel.radarr_quality(rng)}]" if x < 0.7 else None
        )
        self._in_folder(m, "Movies", folder, rel, stem)

    def _collection(self, m: Movie) -> None:
        rng = self.rng
        if self.collection is None or rng.random() < 0.55:
            base = _SEQUEL_TAIL.sub("", m.title.split(":")[0]).strip() or m.title
            name = R.radarr_title(base, rng)
            name = name if name.startswith("The ") else f"The {name}"
            self.collection = f"Collections/{name} Collection"
        self.w.shared_dir(self.collection)
        folder = f"{self.folder_title(m)} ({m.year})"
        self._in_folder(m, self.collection, folder, R.Release(rng, m.year))

    def _download_flat(self, m: Movie) -> None:
        rng, w = self.rng, self.w
        w.shared_dir("Downloads")
        for _ in range(20):
            rel = R.Release(rng, m.year)
            name = self.scene_name(m, rel)
            if w.video(
                f"Downloads/{name}.{rel.ext(rng)}", "movie", m.title, m.year, tmdb_id=m.tmdb_id
            ):
                break
        if rng.random() < 0.1:
            w.side_file(f"Downloads/{name}.srt")

    def _release_folder(self, m: Movie) -> None:
        rng, w, r = self.rng, self.w, self.rng.random
        w.shared_dir("Downloads")
        rel = R.Release(rng, m.year)
        if r() < 0.15:  # YTS-style
            title = R.radarr_title(R.ascii_fold(m.title), rng)
            res = rel.res or "720p"
            d = self.movie_dir("Downloads", f"{title} ({m.year}) [{res}] [BluRay] [YTS.MX]", m)
            stem = f"{R.scene_title(m.title, rng)}.{m.year}.{res}.BluRay.x264.AAC-[YTS.MX]"
            w.video(f"{d}/{stem}.mp4", "movie", m.title, m.year, tmdb_id=m.tmdb_id)
            if r() < 0.8:
                w.side_file(f"{d}/www.YTS.MX.jpg")
            return
        name = self.scene_name(m, rel)
        d = self.movie_dir("Downloads", name, m)
        ext = rel.ext(rng)
        stem = name
        if r() < 0.15:  # obfuscated/abbreviated file name: only the folder has the title
            abbrev = "".join(ch for ch in R.scene_title(m.title, rng).lower() if ch.isalnum())
            stem = f"{rel.group.lower()}-{abbrev[:12]}-{rel.res or 'sd'}"
        w.video(f"{d}/{stem}.{ext}", "movie", m.title, m.year, tmdb_id=m.tmdb_id)
        if r() < 0.6:
            w.side_file(f"{d}/{name}.nfo")
        x = r()
        if x < 0.2:
            if w.mkdir(f"{d}/Sample"):
                w.video(f"{d}/Sample/sample-{stem}.{ext}", "extra", m.title, m.year)
        elif x < 0.3:
            w.video(f"{d}/{name}.sample.{ext}", "extra", m.title, m.year)
        elif x < 0.35:
            w.video(f"{d}/{name}-sample.{ext}", "extra", m.title, m.year)
        if r() < 0.15:
            w.side_file(f"{d}/RARBG.txt")
        if r() < 0.2 and w.mkdir(f"{d}/Subs"):
            w.side_file(f"{d}/Subs/{rng.choice(('English', '2_English', 'eng'))}.srt")

    def _loose(self, m: Movie) -> None:
        """Hand-named files straight in a movies folder."""
        rng, w = self.rng, self.w
        w.shared_dir("Movies")
        t = R.radarr_title(m.title, rng, False)
        rel = R.Release(rng, m.year)
        for _ in range(20):
            x = rng.random()
            stem = (
                f"{t} ({m.year})"
                if x < 0.4
                else f"{t} [{m.year}]"
                if x < 0.6
                else f"{t} - {m.year}"
                if x < 0.75
                else f"{t} {m.year} {rel.res or 'DVDRip'}"
                if x < 0.9
                else f"{R.scene_title(m.title, rng)}.{m.year}.DVDRip.XviD"
            )
            if w.video(
                f"Movies/{stem}.{rel.ext(rng)}", "movie", m.title, m.year, tmdb_id=m.tmdb_id
            ):
                break
            rel = R.Release(rng, m.year)
        if rng.random() < 0.08:
            w.video(f"Movies/{stem}-trailer.mp4", "extra", m.title, m.year)

    def _cd_split(self, m: Movie) -> None:
        rng, w = self.rng, self.w
        w.shared_dir("Movies")
        folder = f"{self.folder_title(m)} ({m.year})"
        d = self.movie_dir("Movies", folder, m)
        grp = rng.choice(R.GROUPS)
        base = f"{R.scene_title(m.title, rng)}.{m.year}.DVDRip.XviD-{grp}"
        fmt = rng.choice(("{b}.CD{n}", "{b}.cd{n}", "{b}-part{n}", "{b} - pt{n}", "{b}.DISC{n}"))
        for n in (1, 2):
            w.video(
                f"{d}/{fmt.format(b=base, n=n)}.avi", "movie", m.title, m.year, tmdb_id=m.tmdb_id
            )
        if rng.random() < 0.3:
            w.side_file(f"{d}/{base}.nfo")

    # -- TV -------------------------------------------------------------------------------------
    def season(self) -> None:
        rng, w, tm = self.rng, self.w, self.titles
        self.shape_counts["tv_season"] += 1
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


def build_tree(root, size: int, seed: int, truth=None) -> TreeStats:
    """Create exactly ``size`` empty files under ``root`` (created if missing, must be empty)."""
    if size < 0:
        raise ValueError("size must be >= 0")
    root = os.fspath(root)
    if os.path.exists(root):
        if not os.path.isdir(root):
            raise ValueError(f"{root} is not a directory")
        with os.scandir(root) as it:
            if next(it, None) is not None:
                raise ValueError(f"{root} is not empty")
    else:
        os.makedirs(root)
    t0 = time.perf_counter()
    tfp = None
    try:
        if truth is not None:
            tfp = open(truth, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        w = _Writer(root.rstrip("/") or "/", size, tfp)
        b = _Builder(w, seed)
        movies = generate(size, seed)
        rnd = b.rng.random
        try:
            while w.left > 0:
                if rnd() < _P_SEASON:
                    b.season()
                else:
                    b.movie(next(movies))
        except _Full:
            pass
    finally:
        if tfp is not None:
            tfp.close()
    seconds = time.perf_counter() - t0
    return TreeStats(
        files=size - w.left,
        videos=w.videos,
        movies=w.movies,
        episodes=w.episodes,
        side_files=w.side,
        extras=w.extras,
        dirs=w.dirs,
        seconds=seconds,
    )
