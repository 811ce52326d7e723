"""TMDB v3 JSON shapes for a synthetic ``Movie``: search results, details and appended objects.

The library holds what reelscale reads (titles, year, genres, overview, keywords, ratings); TMDB
answers with much more (release date, popularity, artwork paths, companies, ...). Those extra
fields are derived from the TMDB id with an integer mix, never ``hash()`` or a clock, so every
run and every process serves the same bytes for the same movie.
"""

from __future__ import annotations

import zlib

from synthetic.library.movies import Movie

GENRE_IDS: dict[str, int] = {
    "Action": 28,
    "Adventure": 12,
    "Animation": 16,
    "Comedy": 35,
    "Crime": 80,
    "Documentary": 99,
    "Drama": 18,
    "Family": 10751,
    "Fantasy": 14,
    "History": 36,
    "Horror": 27,
    "Music": 10402,
    "Mystery": 9648,
    "Romance": 10749,
    "Science Fiction": 878,
    "TV Movie": 10770,
    "Thriller": 53,
    "War": 10752,
    "Western": 37,
}
# original_language -> (English name, native name, production country, country name)
LANGUAGES: dict[str, tuple[str, str, str, str]] = {
    "en": ("English", "English", "US", "United States of America"),
    "fr": ("French", "Français", "FR", "France"),
    "de": ("German", "Deutsch", "DE", "Germany"),
    "es": ("Spanish", "Español", "ES", "Spain"),
    "it": ("Italian", "Italiano", "IT", "Italy"),
    "ja": ("Japanese", "日本語", "JP", "Japan"),
    "ko": ("Korean", "한국어/조선말", "KR", "South Korea"),
}

_M64 = (1 << 64) - 1
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _mix(x: int) -> int:
    """splitmix64's finaliser: a fixed, well-spread 64-bit hash of an int."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _image_path(seed: int) -> str:
    chars = []
    for _ in range(3):
        seed = _mix(seed)
        x = seed
        for _ in range(9):
            x, r = divmod(x, 62)
            chars.append(_B62[r])
    return "/" + "".join(chars) + ".jpg"


def _name_id(name: str, span: int) -> int:
    return 1 + zlib.crc32(name.encode()) % span


def _language(movie: Movie) -> tuple[str, str, str, str]:
    return LANGUAGES.get(movie.original_language, (movie.original_language,) * 2 + ("US", "US"))


def release_date(movie: Movie) -> str:
    h = _mix(movie.tmdb_id)
    return f"{movie.year:04d}-{1 + h % 12:02d}-{1 + (h >> 8) % 28:02d}"


def popularity(movie: Movie) -> float:
    votes = movie.ratings.get("tmdb", {}).get("votes", 0)
    recency = 1.0 + max(0, movie.year - 2015) * 0.2
    return round(0.6 + votes**0.8 / 20 * recency + _mix(movie.tmdb_id) % 1000 / 400, 3)


def _votes(movie: Movie) -> tuple[float, int]:
    tmdb = movie.ratings.get("tmdb", {})
    return float(tmdb.get("value", 0.0)), int(tmdb.get("votes", 0))


def search_result(movie: Movie, pop: float) -> dict:
    average, count = _votes(movie)
    return {
        "adult": False,
        "backdrop_path": _image_path(movie.tmdb_id * 2 + 1),
        "genre_ids": [GENRE_IDS[g] for g in movie.genres if g in GENRE_IDS],
        "id": movie.tmdb_id,
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": pop,
        "poster_path": _image_path(movie.tmdb_id * 2),
        "release_date": release_date(movie),
        "title": movie.title,
        "video": False,
        "vote_average": average,
        "vote_count": count,
    }


def details(movie: Movie, pop: float) -> dict:
    average, count = _votes(movie)
    english, native, country, country_name = _language(movie)
    h = _mix(movie.tmdb_id ^ 0x5DEECE66D)
    budget = 0 if h % 3 == 0 else (1 + (h >> 4) % 150) * 500_000
    revenue = 0 if not budget else int(budget * (0.2 + (h >> 16) % 60 / 10))
    return {
        "adult": False,
        "backdrop_path": _image_path(movie.tmdb_id * 2 + 1),
        "belongs_to_collection": None,
        "budget": budget,
        "genres": [{"id": GENRE_IDS[g], "name": g} for g in movie.genres if g in GENRE_IDS],
        "homepage": "",
        "id": movie.tmdb_id,
        "imdb_id": movie.imdb_id,
        "origin_country": [country],
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": pop,
        "poster_path": _image_path(movie.tmdb_id * 2),
        "production_companies": [
            {
                "id": _name_id(movie.studio, 200_000),
                "logo_path": _image_path(_name_id(movie.studio, 200_000)).replace(".jpg", ".png"),
                "name": movie.studio,
                "origin_country": country,
            }
        ],
        "production_countries": [{"iso_3166_1": country, "name": country_name}],
        "release_date": release_date(movie),
        "revenue": revenue,
        "runtime": movie.runtime,
        "spoken_languages": [
            {"english_name": english, "iso_639_1": movie.original_language, "name": native}
        ],
        "status": "Released",
        "tagline": "",
        "title": movie.title,
        "video": False,
        "vote_average": average,
        "vote_count": count,
    }


def keywords(movie: Movie) -> dict:
    return {"keywords": [{"id": _name_id(k, 300_000), "name": k} for k in movie.keywords]}


def alternative_titles(movie: Movie) -> dict:
    titles = []
    if movie.original_title != movie.title:
        country = _language(movie)[2]
        titles.append({"iso_3166_1": country, "title": movie.original_title, "type": ""})
        titles.append({"iso_3166_1": "US", "title": movie.title, "type": "English title"})
    return {"titles": titles}


def release_dates(movie: Movie) -> dict:
    when = release_date(movie) + "T00:00:00.000Z"

    def entry(certification: str) -> dict:
        return {
            "certification": certification,
            "descriptors": [],
            "iso_639_1": "",
            "note": "",
            "release_date": when,
            "type": 3,
        }

    results = [{"iso_3166_1": "US", "release_dates": [entry(movie.certification)]}]
    country = _language(movie)[2]
    if country != "US":
        results.insert(0, {"iso_3166_1": country, "release_dates": [entry("")]})
    return {"results": results}


def external_ids(movie: Movie) -> dict:
    return {
        "imdb_id": movie.imdb_id,
        "wikidata_id": None,
        "facebook_id": None,
        "instagram_id": None,
        "twitter_id": None,
    }


APPENDERS = {
    "keywords": keywords,
    "alternative_titles": alternative_titles,
    "release_dates": release_dates,
    "external_ids": external_ids,
}
