"""The synthetic movie record and its hidden ground truth: ``Movie``, ``TRAITS``, ``GENRES``.

``traits`` is a hidden subset of ``TRAITS`` the stand-in Claude answers from; everything else is
what Radarr and TMDB would show (see :mod:`synthetic.library.movies`).
"""

from __future__ import annotations

from dataclasses import dataclass

TRAITS: tuple[str, ...] = (
    "film_noir",
    "time_travel",
    "heist",
    "based_on_true_story",
    "christmas",
    "mind_bending",
    "strong_female_lead",
    "animated_family",
    "slow_burn_horror",
    "cult_classic",
)
GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "TV Movie",
    "Thriller",
    "War",
    "Western",
)


@dataclass(slots=True)
class Movie:
    id: int
    tmdb_id: int
    imdb_id: str
    title: str
    original_title: str
    year: int
    genres: list[str]
    overview: str
    runtime: int
    certification: str
    studio: str
    keywords: list[str]
    ratings: dict
    original_language: str
    traits: list[str]

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "tmdb_id": self.tmdb_id,
            "imdb_id": self.imdb_id,
            "title": self.title,
            "original_title": self.original_title,
            "year": self.year,
            "genres": list(self.genres),
            "overview": self.overview,
            "runtime": self.runtime,
            "certification": self.certification,
            "studio": self.studio,
            "keywords": list(self.keywords),
            "ratings": {k: dict(v) for k, v in self.ratings.items()},
            "original_language": self.original_language,
            "traits": list(self.traits),
        }
