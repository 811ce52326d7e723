"""Materialise the synthetic library as a realistic file tree of empty files.

``build_tree(root, size, seed, truth=None)`` creates exactly ``size`` empty files under ``root``,
drawing movies from ``library.generate(size, seed)`` in order, placed in the shapes real libraries
have (Radarr folders, tmdb-id folders, scene names in a flat Downloads folder, release folders with
samples, collection folders, CD1/CD2 splits, extras/trailers, side files, TV seasons to be told
apart). With ``truth`` it streams one JSON line per video file:
``{"path", "title", "year", "type": "movie"|"episode"|"extra", "season", "episode", "tmdb_id"}``,
plus ``"noise"`` (a kind of ``synthetic.release_names.NOISE_KINDS``) on a flat download named
with noise around its release name.

Same (size, seed) gives the same tree and the same truth bytes: files are created in a fixed
order and every choice comes from ``random.Random`` seeded from ``seed`` (never the clock).
"""

from __future__ import annotations

import os
import time
from random import Random

from synthetic.library.movies import generate
from synthetic.library.pools import pools
from synthetic.library.titles import TitleMaker
from synthetic.tree.movies import SHAPES, MovieShapes
from synthetic.tree.tv import Seasons
from synthetic.tree.writer import Full, TreeStats, Writer

__all__ = ["SHAPES", "TreeStats", "build_tree"]

_P_SEASON = 0.0127  # chance that the next step is a TV season instead of a movie


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
        w = Writer(root.rstrip("/") or "/", size, tfp)
        rng = Random(f"reelscale-tree:{seed}")
        titles = TitleMaker(rng, pools())
        shapes, seasons = MovieShapes(w, rng), Seasons(w, rng, titles)
        movies = generate(size, seed)
        rnd = rng.random
        try:
            while w.left > 0:
                if rnd() < _P_SEASON:
                    seasons.season()
                else:
                    shapes.movie(next(movies))
        except Full:
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
