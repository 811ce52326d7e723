"""A deterministic synthetic movie library with hidden ground-truth traits.

``generate(size, seed)`` yields ``Movie`` records; the same (size, seed) always gives the same
movies (no clock, no hashing, no set iteration), and ``generate(n, s)`` is a prefix of
``generate(m, s)`` for m > n. Faker is only used, once per process and with a fixed seed, to
build name pools (``_pools``); each movie is combined from pools with ``random.Random(seed)``.

Every movie carries ``traits``, a hidden subset of ``TRAITS``. Traits are correlated with
genres, keywords and the overview (which mention cues for most, not all, trait holders), but are
not a function of the genres: the stand-in Claude answers from ``traits``, and a real model would
have to read the overview.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator

from synthetic.library.generator import TMDB_PRIME, MovieMaker
from synthetic.library.record import GENRES, TRAITS, Movie

__all__ = ["GENRES", "TRAITS", "Movie", "generate", "read_jsonl", "write_jsonl"]


def _generate(size: int, seed: int) -> Iterator[tuple[Movie, str]]:
    """Yield (movie, title_kind); the kind is a reporting/test aid, not part of the record."""
    if size < 0:
        raise ValueError("size must be >= 0")
    if size > TMDB_PRIME - 2:
        raise ValueError(f"size must be <= {TMDB_PRIME - 2}")
    gen = MovieMaker(seed)
    make = gen.movie
    for i in range(1, size + 1):
        yield make(i)


def generate(size: int, seed: int) -> Iterator[Movie]:
    """Yield ``size`` movies, deterministically from ``seed``; a prefix of any larger library."""
    for m, _ in _generate(size, seed):
        yield m


def write_jsonl(fp_or_path, size: int, seed: int) -> int:
    """Write the library as JSON lines (UTF-8, compact, unsorted keys); return the count."""
    if isinstance(fp_or_path, (str, os.PathLike)):
        with open(fp_or_path, "w", encoding="utf-8", newline="\n") as fp:
            return write_jsonl(fp, size, seed)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = fp_or_path.write
    binary = isinstance(fp_or_path, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(
        fp_or_path, "mode", ""
    )
    n = 0
    buf: list[str] = []
    for m in generate(size, seed):
        buf.append(dumps(m.as_dict()))
        n += 1
        if len(buf) >= 1000:
            chunk = "\n".join(buf) + "\n"
            write(chunk.encode() if binary else chunk)
            buf.clear()
    if buf:
        chunk = "\n".join(buf) + "\n"
        write(chunk.encode() if binary else chunk)
    return n


def read_jsonl(path: str | os.PathLike) -> Iterator[Movie]:
    """Read movies written by ``write_jsonl``."""
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            if line.strip():
                yield Movie(**json.loads(line))
