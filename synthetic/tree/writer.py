"""Create the tree's empty files and directories, count them, and write the truth lines.

``Writer`` is the only part of the tree builder that touches the file system: it stops the build
(raising ``Full``) once ``size`` files exist, and skips names that already exist.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass

_FLAGS = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)


class Full(Exception):
    """The tree has its ``size`` files: stop building."""


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


class Writer:
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
            raise Full
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
        self,
        rel: str,
        kind: str,
        title: str,
        year,
        season=None,
        episode=None,
        tmdb_id=None,
        noise=None,
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
                        **({"noise": noise} if noise else {}),
                    }
                )
                + "\n"
            )
        return True
