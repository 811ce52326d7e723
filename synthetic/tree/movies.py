"""The movie shapes of the synthetic tree: where and under which names a library keeps a movie.

Radarr folders (also 4K and tmdb-id tagged), scene names in a flat Downloads folder, release
folders with samples and subtitles, collection folders, hand-named loose files and CD1/CD2 splits;
each with the side files and extras real libraries have.
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

from synthetic import release_names as R
from synthetic.library.movies import Movie
from synthetic.tree.writer import Writer

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
#: the share of flat downloads named with noise around the release name (``R.noisy``)
NOISE_SHARE = 0.4
_SEQUEL_TAIL = re.compile(r"\s+(?:\d+|[IVX]+|Part \w+)$")


class MovieShapes:
    """Places each movie in a shape drawn from ``SHAPES``; ``shape_counts`` says how often each."""

    def __init__(self, w: Writer, rng: Random):
        self.w, self.rng = w, rng
        self.collection: str | None = None
        self.shape_counts = dict.fromkeys(SHAPES, 0)

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
            stitle = R.scene_title(m.title, rng)
            name = rel.scene(stitle, m.year, rng, m.original_language)
            noise, video = self._noise(m, stitle, name)
            path = f"Downloads/{video}.{rel.ext(rng)}"
            if w.video(path, "movie", m.title, m.year, tmdb_id=m.tmdb_id, noise=noise):
                break
        if rng.random() < 0.1:
            w.side_file(f"Downloads/{name}.srt")

    def _noise(self, m: Movie, stitle: str, name: str) -> tuple[str | None, str]:
        """Noise around a flat download's name for NOISE_SHARE of them (#17), drawn from the
        movie's own generator so the rest of the tree stays as it was."""
        noise_rng = Random(f"noise-{m.tmdb_id}")
        if noise_rng.random() >= NOISE_SHARE:
            return None, name
        drawn = R.noisy(name, stitle, m.original_title, noise_rng)
        return drawn if drawn is not None else (None, name)

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
