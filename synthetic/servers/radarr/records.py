"""Radarr v3 resources for the stand-in, shaped by Radarr's OpenAPI document.

``movie_resource`` turns a synthetic ``Movie`` into a full ``MovieResource`` as Radarr v6 sends it:
camelCase keys, null values left out (Radarr's serializer skips them), ``id`` last, a
``movieFile`` with quality, custom formats and media info, cover images, alternate titles and
five ratings; about 3.6 KB of compact JSON per movie, like a real library. Everything that is not
in the ``Movie`` is derived from its id, so the same movie always gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from random import Random

from synthetic.library.movies import Movie
from synthetic.servers.servarr import records as servarr_records
from synthetic.servers.servarr.records import clean_title
from synthetic.servers.servarr.records import folder_name as _folder_name
from synthetic.servers.servarr.records import sort_title as _sort_title

VERSION = "6.0.4.10291"
ROOT = "/movies/"
_EPOCH_TICKS = 638_000_000_000_000_000  # .NET ticks, for the covers' ``lastWrite``

LANGUAGES = {
    "en": (1, "English"),
    "fr": (2, "French"),
    "es": (3, "Spanish"),
    "de": (4, "German"),
    "it": (5, "Italian"),
    "ja": (8, "Japanese"),
    "ko": (21, "Korean"),
}
_QUALITIES = (
    ({"id": 7, "name": "Bluray-1080p", "source": "bluray", "resolution": 1080}, "BluRay", 9),
    ({"id": 3, "name": "WEBDL-1080p", "source": "webdl", "resolution": 1080}, "WEB-DL", 6),
    ({"id": 19, "name": "Bluray-2160p", "source": "bluray", "resolution": 2160}, "BluRay", 30),
    ({"id": 6, "name": "Bluray-720p", "source": "bluray", "resolution": 720}, "BluRay", 5),
    ({"id": 14, "name": "WEBRip-720p", "source": "webrip", "resolution": 720}, "WEBRip", 3),
    ({"id": 2, "name": "DVD", "source": "dvd", "resolution": 480}, "DVDRip", 2),
)
_FORMATS = ((1, "x264"), (2, "x265 (HD)"), (3, "DV HDR10"), (4, "Repack/Proper"), (5, "HQ-Release"))
_GROUPS = ("SPARKS", "GECKOS", "FLUX", "NTb", "AMIABLE", "YIFY", "RARBG", "CMRG", "TAoE", "DON")
_AUDIO = (("DTS", 6.0, 1_509_000), ("AC3", 6.0, 640_000), ("AAC", 2.0, 224_000), ("TrueHD", 8.0, 0))
_SUBTITLES = ("eng", "eng/fre/ger/spa", "eng/spa", "", "eng/fre/ger/ita/spa/por/dut/swe")
_SLUG_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True, slots=True)
class _File:
    """The movie's one file, drawn before the resource so both its parts describe the same."""

    quality: dict
    source: str
    group: str
    size: int
    name: str  # without the extension
    language: dict


def movie_resource(movie: Movie, tags: list[int], *, local_covers: bool = True) -> dict:
    """The ``MovieResource`` Radarr sends for ``movie`` (``GET /api/v3/movie`` and the editor)."""
    rng = Random(movie.id * 1_000_003 + 17)
    mid, year, title = movie.id, movie.year, movie.title
    folder = folder_of(movie)
    f = _file(movie, rng)
    added = _date(2015 + rng.randrange(10), rng)
    resource: dict = {
        "title": title,
        "originalTitle": movie.original_title,
        "originalLanguage": dict(f.language),
        "alternateTitles": _alternate_titles(movie, rng),
        "secondaryYearSourceId": 0,
        "sortTitle": _sort_title(title),
        "sizeOnDisk": f.size,
        "status": "released",
        "overview": movie.overview,
        "inCinemas": _date(year, rng),
        "physicalRelease": _date(min(year + 1, 2026), rng),
        "digitalRelease": _date(min(year + 1, 2026), rng),
        "releaseDate": _date(min(year + 1, 2026), rng),
        "images": _images(mid, rng, local_covers),
        "website": f"https://www.{clean_title(movie.studio)}.com/movies/{movie.tmdb_id}",
        "year": year,
        "youTubeTrailerId": _token(rng, 11),
        "studio": movie.studio,
        "path": folder,
        "qualityProfileId": 1 + (f.quality["resolution"] == 2160) * 3,
        "hasFile": True,
        "movieFileId": mid,
        "monitored": True,
        "minimumAvailability": "released",
        "isAvailable": True,
        "folderName": folder,
        "runtime": movie.runtime,
        "cleanTitle": clean_title(title),
        "imdbId": movie.imdb_id,
        "tmdbId": movie.tmdb_id,
        "titleSlug": str(movie.tmdb_id),
        "rootFolderPath": ROOT,
        "certification": movie.certification,
        "genres": list(movie.genres),
        "keywords": list(movie.keywords),
        "tags": tags,
        "added": added,
        "lastSearchTime": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T04:12:55Z",
        "ratings": _ratings(movie, rng),
        "movieFile": _movie_file(movie, f, folder, added, rng),
        "popularity": round(rng.lognormvariate(2.0, 1.0), 3),
        "statistics": {"movieFileCount": 1, "sizeOnDisk": f.size, "releaseGroups": [f.group]},
        "id": mid,
    }
    if rng.random() < 0.15:
        base = re.split(r"[:\d]", title, maxsplit=1)[0].strip() or title
        resource["collection"] = {
            "title": f"{base} Collection",
            "tmdbId": 100_000 + movie.tmdb_id % 900_000,
        }
    return resource


def folder_of(movie: Movie) -> str:
    """The movie's folder under the root folder, named as Radarr names it."""
    return f"{ROOT}{_folder_name(movie.title)} ({movie.year})"


def _file(movie: Movie, rng: Random) -> _File:
    quality, source_name, gb = _QUALITIES[rng.randrange(len(_QUALITIES))]
    group = _GROUPS[rng.randrange(len(_GROUPS))]
    size = int(gb * (0.6 + rng.random()) * 1_073_741_824)
    name = f"{_folder_name(movie.title)} ({movie.year}) [{quality['name']}]"
    lang_id, lang_name = LANGUAGES.get(movie.original_language, (1, "English"))
    return _File(quality, source_name, group, size, name, {"id": lang_id, "name": lang_name})


def _movie_file(movie: Movie, f: _File, folder: str, added: str, rng: Random) -> dict:
    """The ``movieFile`` of a ``MovieResource``."""
    mid, resolution, scene = movie.id, f.quality["resolution"], _scene(movie.title)
    return {
        "movieId": mid,
        "relativePath": f"{f.name}.mkv",
        "path": f"{folder}/{f.name}.mkv",
        "size": f.size,
        "dateAdded": added,
        "sceneName": f"{scene}.{movie.year}.{resolution}p.{f.source}-{f.group}",
        "releaseGroup": f.group,
        "edition": "",
        "languages": [dict(f.language)],
        "quality": {
            "quality": {**f.quality, "modifier": "none"},
            "revision": {"version": 1, "real": 0, "isRepack": False},
        },
        "customFormats": [
            {"id": i, "name": n} for i, n in _FORMATS[: rng.randrange(1, len(_FORMATS))]
        ],
        "customFormatScore": rng.randrange(0, 200, 10),
        "indexerFlags": 0,
        "mediaInfo": _media_info(mid, resolution, movie.runtime, rng),
        "originalFilePath": f"{scene}.{movie.year}.{resolution}p-{f.group}.mkv",
        "qualityCutoffNotMet": resolution < 1080,
        "id": mid,
    }


def _scene(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return ".".join(re.findall(r"[A-Za-z0-9']+", ascii_title)).replace("'", "")


def _date(year: int, rng: Random) -> str:
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00Z"


def _token(rng: Random, length: int) -> str:
    """``length`` base-62 characters, like TMDB image paths and YouTube ids."""
    n, out = rng.getrandbits(6 * length), []
    for _ in range(length):
        n, digit = divmod(n, 62)
        out.append(_SLUG_CHARS[digit])
    return "".join(out)


def _images(mid: int, rng: Random, local: bool) -> list[dict]:
    """The covers; the local ones' ``lastWrite`` comes from its own generator, so that
    ``excludeLocalCovers`` changes the images only, as in Radarr (drawn from ``rng``, it shifted
    every later field: the trailer id differed between the two kinds of request)."""
    images = []
    for n, kind in enumerate(("poster", "fanart")):
        remote = f"https://image.tmdb.org/t/p/original/{_token(rng, 27)}.jpg"
        written = _EPOCH_TICKS + Random(mid * 2 + n).randrange(10**15)
        url = f"/MediaCover/{mid}/{kind}.jpg?lastWrite={written}" if local else remote
        images.append({"coverType": kind, "url": url, "remoteUrl": remote})
    return images


def _alternate_titles(movie: Movie, rng: Random) -> list[dict]:
    titles = []
    if movie.original_title != movie.title:
        titles.append(movie.original_title)
    variants = (
        f"{movie.title} ({movie.year})",
        movie.title.upper(),
        f"{movie.title}: The Movie",
        f"{movie.title} - Der Film",
        f"{movie.title} : le film",
        movie.title.replace(" ", ""),
        f"Untitled {movie.studio} Project",
    )
    titles.extend(variants[: rng.randrange(1, len(variants) + 1)])
    return [
        {
            "sourceType": "tmdb",
            "movieMetadataId": movie.id,
            "title": alt,
            "cleanTitle": clean_title(alt),
            "id": movie.id * 8 + n,
        }
        for n, alt in enumerate(titles)
    ]


def _ratings(movie: Movie, rng: Random) -> dict:
    imdb, tmdb = movie.ratings.get("imdb", {}), movie.ratings.get("tmdb", {})
    score = int(imdb.get("value", 6.0) * 10)
    critics, audience = max(0, score - rng.randrange(15)), min(100, score + rng.randrange(20))
    return {
        "imdb": {"votes": imdb.get("votes", 0), "value": imdb.get("value", 0.0), "type": "user"},
        "tmdb": {"votes": tmdb.get("votes", 0), "value": tmdb.get("value", 0.0), "type": "user"},
        "metacritic": {"votes": 0, "value": critics, "type": "user"},
        "rottenTomatoes": {"votes": 0, "value": audience, "type": "user"},
        "trakt": {
            "votes": imdb.get("votes", 0) // 7,
            "value": round(rng.uniform(4.0, 9.0), 5),
            "type": "user",
        },
    }


def _media_info(mid: int, resolution: int, runtime: int, rng: Random) -> dict:
    codec, channels, audio_bitrate = _AUDIO[rng.randrange(len(_AUDIO))]
    width = {2160: 3840, 1080: 1920, 720: 1280}.get(resolution, 720)
    height = int(width / rng.choice((1.78, 2.0, 2.39)))
    hdr = resolution == 2160
    return {
        "id": mid,
        "audioBitrate": audio_bitrate,
        "audioChannels": channels - 0.9 if channels > 2 else channels,
        "audioCodec": codec,
        "audioLanguages": "eng" if rng.random() < 0.7 else "eng/fre",
        "audioStreamCount": 1 + (rng.random() < 0.3),
        "videoBitDepth": 10 if hdr else 8,
        "videoBitrate": rng.randrange(2_000_000, 40_000_000),
        "videoCodec": "x265" if hdr else "x264",
        "videoFps": 23.976,
        "videoDynamicRange": "HDR" if hdr else "",
        "videoDynamicRangeType": "HDR10" if hdr else "",
        "resolution": f"{width}x{height}",
        "runTime": f"{runtime // 60}:{runtime % 60:02d}:{rng.randrange(60):02d}",
        "scanType": "Progressive",
        "subtitles": _SUBTITLES[rng.randrange(len(_SUBTITLES))],
    }


def system_status(url_base: str) -> dict:
    return servarr_records.system_status(
        "Radarr",
        url_base,
        {
            "version": VERSION,
            "buildTime": "2025-11-14T10:21:33Z",
            "branch": "master",
            "migrationVersion": 241,
            "runtimeVersion": "8.0.21",
        },
    )


HEALTH = (
    {
        "id": 1,
        "source": "ImportListStatusCheck",
        "type": "notice",
        "message": "Lists unavailable due to failures: Trakt Popular",
        "wikiUrl": "https://wiki.servarr.com/radarr/system#lists-are-unavailable-due-to-failures",
    },
)


def validation_error(label: str | None, message: str, code: str) -> list[dict]:
    """Radarr's 400 body: a FluentValidation failure list."""
    return [
        {
            "propertyName": "Label",
            "errorMessage": message,
            "attemptedValue": label,
            "severity": "error",
            "errorCode": code,
            "formattedMessageArguments": [],
            "formattedMessagePlaceholderValues": {"propertyName": "Label", "propertyValue": label},
        }
    ]
