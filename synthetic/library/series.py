"""A deterministic synthetic TV library with hidden ground truth, the series half of the library.

``generate_series(size, seed)`` yields ``Series`` records the same way
:func:`synthetic.library.movies.generate` yields movies: the same (size, seed) always gives the
same series, ``generate_series(n, s)`` is a prefix of ``generate_series(m, s)`` for m > n, Faker
only fills the name pools (once per process, fixed seed), and every draw comes from one
``random.Random``. Each series carries ``traits``, a hidden subset of ``SERIES_TRAITS``; they pull
genres, network, language, runtime and season counts the way real shows do (anime is Japanese,
a miniseries has one season and has ended) and most, not all, holders get a cue in the overview.
``SERIES_COLLECTIONS`` has one collection per trait, so ``truth(series)`` is every collection's
right answer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from random import Random

from synthetic.library import series_words as S
from synthetic.library import words as W
from synthetic.library.collection_defs import SyntheticCollection
from synthetic.library.pools import pools

__all__ = [
    "SERIES_COLLECTIONS",
    "SERIES_GENRES",
    "SERIES_TRAITS",
    "Series",
    "generate_series",
    "read_series_jsonl",
    "truth",
    "write_series_jsonl",
]

SERIES_TRAITS = S.SERIES_TRAITS
SERIES_GENRES = S.SERIES_GENRES
# Primes, so id -> (a*id + b) mod p is a bijection: distinct ids for up to p - 2 series.
TVDB_PRIME, TMDB_TV_PRIME, IMDB_PRIME = 999_983, 299_993, 29_999_999
MAX_SERIES = TMDB_TV_PRIME - 2
_TRAIT_RATE = {  # probability a series holds each trait, before exclusions
    "prestige_drama": 0.12,
    "anime": 0.08,
    "sitcom": 0.14,
    "true_crime": 0.05,
    "space_opera": 0.05,
    "period_drama": 0.07,
    "police_procedural": 0.10,
    "miniseries": 0.09,
    "kids_animation": 0.06,
    "reality_competition": 0.06,
}
# Traits a series cannot hold together (the second is dropped when the first is held).
_EXCLUSIVE = (
    ("kids_animation", "prestige_drama"),
    ("kids_animation", "true_crime"),
    ("anime", "sitcom"),
    ("anime", "reality_competition"),
    ("anime", "kids_animation"),
    ("reality_competition", "prestige_drama"),
    ("reality_competition", "space_opera"),
    ("reality_competition", "period_drama"),
    ("miniseries", "reality_competition"),
    ("miniseries", "sitcom"),
    ("true_crime", "space_opera"),
)
_CUE_RATE = 0.8
_GENRE_CUM = tuple(sum(S.GENRE_WEIGHTS[: i + 1]) for i in range(len(S.GENRE_WEIGHTS)))


@dataclass(slots=True)
class Series:
    """One TV series: what Sonarr and TMDB show about it, plus the hidden ``traits``."""

    id: int
    tvdb_id: int
    tmdb_id: int
    imdb_id: str
    title: str
    year: int
    genres: list[str]
    overview: str
    network: str
    status: str  # Sonarr's SeriesStatusType: continuing, ended, upcoming
    seasons: int  # regular seasons (specials not counted)
    episodes_per_season: int
    runtime: int
    original_language: str
    certification: str
    series_type: str  # Sonarr's SeriesTypes: standard, daily, anime
    rating: float
    votes: int
    traits: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def _draw_traits(rng: Random) -> list[str]:
    held = [t for t in SERIES_TRAITS if rng.random() < _TRAIT_RATE[t]]
    for first, second in _EXCLUSIVE:
        if first in held and second in held:
            held.remove(second)
    return held


def _draw_genres(rng: Random, traits: list[str]) -> list[str]:
    genres: dict[str, None] = {}
    for trait in traits:
        for genre, p in S.TRAIT_GENRES[trait]:
            if rng.random() < p:
                genres[genre] = None
    while len(genres) < 1 + (rng.random() < 0.4):
        x = rng.random() * _GENRE_CUM[-1]
        genre = SERIES_GENRES[next(i for i, c in enumerate(_GENRE_CUM) if x < c)]
        if genre not in ("Anime", "Children", "Reality", "Mini-Series") or traits:
            genres[genre] = None
    return sorted(genres)


def _draw_year(rng: Random, traits: list[str]) -> int:
    x = rng.random() * S.DECADE_CUM[-1]
    decade = S.DECADES[next(i for i, c in enumerate(S.DECADE_CUM) if x < c)]
    span = 7 if decade == 2020 else 10
    year = decade + rng.randrange(span)
    return max(year, 2005) if "true_crime" in traits and rng.random() < 0.8 else year


def _network_and_language(rng: Random, traits: list[str]) -> tuple[str, str]:
    if "anime" in traits:
        return rng.choice(S.ANIME_NETWORKS), "ja"
    if "kids_animation" in traits:
        return rng.choice(S.KIDS_NETWORKS), "en"
    network, language = S.NETWORKS[rng.randrange(len(S.NETWORKS))]
    if language == "ja":  # live-action Japanese drama is rare in Western libraries
        network, language = "Netflix", "en"
    return network, language


def _seasons_status(rng: Random, traits: list[str], year: int) -> tuple[int, str]:
    if "miniseries" in traits:
        return 1, "ended" if year < 2026 or rng.random() < 0.7 else "continuing"
    if year >= 2026 and rng.random() < 0.3:
        return 1, "upcoming"
    age = 2026 - year
    longest = 3 + age // 2 + (8 if "sitcom" in traits or "police_procedural" in traits else 0)
    seasons = min(1 + int(rng.expovariate(1 / 3)), max(1, longest), 40)
    ended = (age > 8 and rng.random() < 0.85) or rng.random() < 0.25
    return seasons, "ended" if ended else "continuing"


def _runtime_and_episodes(rng: Random, traits: list[str]) -> tuple[int, int]:
    if "anime" in traits:
        return 24, rng.choice((12, 12, 13, 24, 25, 26))
    if "kids_animation" in traits:
        return rng.choice((7, 11, 22)), rng.choice((26, 39, 52))
    if "sitcom" in traits:
        return rng.choice((22, 22, 25, 30)), rng.choice((10, 13, 22, 24))
    if "miniseries" in traits:
        return rng.choice((45, 50, 58, 60)), rng.choice((3, 4, 5, 6, 8))
    if "reality_competition" in traits:
        return rng.choice((42, 60, 90)), rng.choice((8, 10, 12, 16))
    return rng.choice((42, 44, 50, 55, 60)), rng.choice((6, 8, 10, 13, 22))


def _certification(rng: Random, traits: list[str]) -> str:
    if "kids_animation" in traits:
        return rng.choice(S.CERTIFICATIONS[:3])
    if {"prestige_drama", "true_crime"} & set(traits):
        return rng.choice(("TV-14", "TV-MA", "TV-MA"))
    return rng.choice(S.CERTIFICATIONS[2:])


class SeriesMaker:
    """Draws series after series from one seed."""

    __slots__ = ("pools", "rng", "titles")

    def __init__(self, seed: int):
        self.rng = Random(f"series:{seed}")
        self.pools = pools()
        self.titles: set[str] = set()  # titles given so far: a repeat is redrawn, then dated

    def series(self, sid: int) -> Series:
        rng = self.rng
        traits = _draw_traits(rng)
        genres = _draw_genres(rng, traits)
        year = _draw_year(rng, traits)
        network, language = _network_and_language(rng, traits)
        seasons, status = _seasons_status(rng, traits, year)
        runtime, episodes = _runtime_and_episodes(rng, traits)
        title = self._unique_title(traits, language, year)
        return Series(
            id=sid,
            tvdb_id=70_000 + (7_919 * sid + 101) % TVDB_PRIME,
            tmdb_id=1_000 + (4_099 * sid + 37) % TMDB_TV_PRIME,
            imdb_id=f"tt{(7_654_321 * sid + 999_999) % IMDB_PRIME:07d}",
            title=title,
            year=year,
            genres=genres,
            overview=self._overview(traits, title),
            network=network,
            status=status,
            seasons=seasons,
            episodes_per_season=episodes,
            runtime=runtime,
            original_language=language,
            certification=_certification(rng, traits),
            series_type="anime" if "anime" in traits else "standard",
            rating=round(min(9.8, max(1.0, rng.gauss(7.2, 1.0))), 1),
            votes=int(rng.lognormvariate(7.0, 1.5)),
            traits=traits,
        )

    def _unique_title(self, traits: list[str], language: str, year: int) -> str:
        """A title not given before: a few redraws, then Sonarr's way, the year in brackets."""
        for _ in range(4):
            title = self._title(language)
            if title not in self.titles:
                break
        else:
            title = f"{title} ({year})"
            while title in self.titles:
                title = f"{title[:-1]}, {self.rng.choice(('US', 'UK', 'AU', 'CA'))})"
        self.titles.add(title)
        return title

    def _title(self, language: str) -> str:
        rng, p = self.rng, self.pools
        if language == "ja":
            a, b = rng.sample(W.JA_WORDS, 2)
            return f"{a[0]} no {b[0]}" if rng.random() < 0.6 else f"{a[2]} {b[2]}"
        noun, adjective = rng.choice(p.nouns), rng.choice(p.adjectives)
        shape = rng.randrange(6)
        if shape == 0:
            return f"The {adjective} {noun}"
        if shape == 1:
            return f"{noun}s" if not noun.endswith("s") else noun
        if shape == 2:
            return f"The {rng.choice(p.surnames)}s"
        if shape == 3:
            return f"{rng.choice(p.female)} & {rng.choice(p.male)}"
        if shape == 4:
            return f"{adjective} {rng.choice(W.PLACES)}"
        return f"{noun} {rng.choice(('Street', 'County', 'Bay', 'Heights', 'Park', 'Falls'))}"

    def _overview(self, traits: list[str], title: str) -> str:
        rng = self.rng
        parts = [rng.choice(S.OPENINGS).format(place=rng.choice(S.PLACES))]
        cues = [rng.choice(S.TRAIT_CUES[t]) for t in traits if rng.random() < _CUE_RATE]
        parts.append((", and ".join(cues) if cues else rng.choice(S.FILLERS)) + ".")
        parts.append(f"{title} follows what happens when {rng.choice(S.FILLERS)}.")
        return " ".join(parts)


def generate_series(size: int, seed: int) -> Iterator[Series]:
    """Yield ``size`` series, deterministically from ``seed``; a prefix of any larger library."""
    if not 0 <= size <= MAX_SERIES:
        raise ValueError(f"size must be between 0 and {MAX_SERIES}")
    maker = SeriesMaker(seed)
    for sid in range(1, size + 1):
        yield maker.series(sid)


def write_series_jsonl(path: str | os.PathLike, size: int, seed: int) -> int:
    """Write the series as JSON lines (UTF-8, compact); return the count."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fp:
        for series in generate_series(size, seed):
            fp.write(dumps(series.as_dict()) + "\n")
            count += 1
    return count


def read_series_jsonl(path: str | os.PathLike) -> Iterator[Series]:
    """Read series written by ``write_series_jsonl``."""
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            if line.strip():
                yield Series(**json.loads(line))


SERIES_COLLECTIONS: tuple[SyntheticCollection, ...] = (
    SyntheticCollection(
        "Prestige Drama",
        "prestige_drama",
        "Ambitious, critically acclaimed dramas with complex characters and serialized stories.",
    ),
    SyntheticCollection("Anime", "anime", "Japanese animated series."),
    SyntheticCollection("Sitcoms", "sitcom", "Situation comedies with a recurring cast."),
    SyntheticCollection(
        "True Crime", "true_crime", "Documentary series about real crimes and investigations."
    ),
    SyntheticCollection(
        "Space Opera", "space_opera", "Science fiction adventures among the stars."
    ),
    SyntheticCollection(
        "Period Pieces", "period_drama", "Dramas set in a past era, with its manners and costumes."
    ),
    SyntheticCollection(
        "Police Procedurals",
        "police_procedural",
        "Series following police or investigators as they solve cases.",
    ),
    SyntheticCollection(
        "Miniseries", "miniseries", "Limited series that tell one complete story in one season."
    ),
    SyntheticCollection(
        "Kids' Animation", "kids_animation", "Animated series made for young children."
    ),
    SyntheticCollection(
        "Reality Competitions",
        "reality_competition",
        "Unscripted shows in which contestants compete and are eliminated.",
    ),
)
assert [c.trait for c in SERIES_COLLECTIONS] == list(SERIES_TRAITS)


def truth(series: Iterable[Series]) -> dict[str, set[int]]:
    """The right answer of every series collection: its name -> the ids of the series in it."""
    members: dict[str, set[int]] = {c.name: set() for c in SERIES_COLLECTIONS}
    name_of = {c.trait: c.name for c in SERIES_COLLECTIONS}
    for s in series:
        for trait in s.traits:
            members[name_of[trait]].add(s.id)
    return members
