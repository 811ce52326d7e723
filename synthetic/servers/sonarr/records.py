"""Sonarr v3 API resources for the stand-in, shaped by Sonarr's OpenAPI document.

``series_resource`` turns a synthetic ``Series`` into a full ``SeriesResource`` as Sonarr v4 sends
it from ``GET /api/v3/series``: camelCase keys, null values left out (Sonarr's serializer skips
them), cover images, alternate (scene) titles, one ``SeasonResource`` per season (plus specials)
with its statistics, ratings and series statistics; about 2-5 KB of compact JSON per series
depending on its seasons, like a real library. Everything not in the ``Series`` is derived from its
id, so the same series always gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

from synthetic.library.series import Series
from synthetic.servers.servarr import records as servarr_records
from synthetic.servers.servarr.records import clean_title
from synthetic.servers.servarr.records import folder_name as _folder_name
from synthetic.servers.servarr.records import sort_title as _sort_title

VERSION = "4.0.16.2944"  # a v4 release: clients (arrapi) read the major version from here
ROOT = "/tv/"
_EPOCH_TICKS = 638_000_000_000_000_000  # .NET ticks, for the covers' ``lastWrite``
_GROUPS = ("NTb", "FLUX", "SuccessfulCrab", "EDITH", "KiNGS", "ETHEL", "SubsPlease", "CAKES")
LANGUAGES = {
    "en": (1, "English"),
    "fr": (2, "French"),
    "es": (3, "Spanish"),
    "de": (4, "German"),
    "it": (5, "Italian"),
    "ja": (8, "Japanese"),
    "ko": (21, "Korean"),
}
AIR_TIMES = ("20:00", "21:00", "22:00", "00:00", "01:30", "19:00")


def series_resource(series: Series, tags: list[int], *, season_images: bool = False) -> dict:
    """The ``SeriesResource`` Sonarr sends for ``series`` (list, get, editor and lookup)."""
    rng = Random(series.id * 1_000_003 + 29)
    sid, year, title = series.id, series.year, series.title
    folder = f"{_folder_name(title)} ({year})"
    first = _date(year, rng)
    last_year = year + max(0, series.seasons - 1)
    seasons = _seasons(series, rng, season_images)
    lang_id, lang_name = LANGUAGES.get(series.original_language, (1, "English"))
    resource: dict = {
        "title": title,
        "alternateTitles": _alternate_titles(series, rng),
        "sortTitle": _sort_title(title),
        "status": series.status,
        "ended": series.status == "ended",
        "overview": series.overview,
        "network": series.network,
        "airTime": AIR_TIMES[rng.randrange(len(AIR_TIMES))],
        "images": _images(sid, series.tvdb_id, rng),
        "originalLanguage": {"id": lang_id, "name": lang_name},
        "seasons": seasons,
        "year": year,
        "path": f"{ROOT}{folder}",
        "qualityProfileId": 1 + (rng.random() < 0.2),
        "seasonFolder": True,
        "monitored": series.status != "ended" or rng.random() < 0.5,
        "monitorNewItems": "all",
        "useSceneNumbering": series.series_type == "anime",
        "runtime": series.runtime,
        "tvdbId": series.tvdb_id,
        "tvRageId": 0 if year > 2014 else 10_000 + sid,
        "tvMazeId": 100 + sid * 3,
        "tmdbId": series.tmdb_id,
        "firstAired": first,
        "seriesType": series.series_type,
        "cleanTitle": clean_title(title),
        "imdbId": series.imdb_id,
        "titleSlug": _slug(title, year),
        "rootFolderPath": ROOT,
        "certification": series.certification,
        "genres": list(series.genres),
        "tags": tags,
        "added": _date(2016 + rng.randrange(10), rng),
        "ratings": {"votes": series.votes, "value": series.rating},
        "statistics": _statistics(series, seasons),
        "languageProfileId": 1,
        "id": sid,
    }
    if series.status != "upcoming":
        resource["lastAired"] = resource["previousAiring"] = max(
            first, _date(min(last_year, 2026), rng)
        )
    if series.status == "continuing":
        resource["nextAiring"] = f"2027-0{rng.randint(1, 9)}-{rng.randint(10, 28)}T02:00:00Z"
    return resource


def _statistics(series: Series, seasons: list[dict]) -> dict:
    """The series' ``SeriesStatisticsResource``: its seasons' statistics summed."""
    stats = [s["statistics"] for s in seasons]
    files = sum(s["episodeFileCount"] for s in stats)
    episodes = sum(s["episodeCount"] for s in stats)
    return {
        "seasonCount": series.seasons,
        "episodeFileCount": files,
        "episodeCount": episodes,
        "totalEpisodeCount": sum(s["totalEpisodeCount"] for s in stats),
        "sizeOnDisk": sum(s["sizeOnDisk"] for s in stats),
        "releaseGroups": sorted({g for s in stats for g in s["releaseGroups"]}),
        "percentOfEpisodes": 100.0 * files / episodes if episodes else 0.0,
    }


def lookup_resource(series: Series, tags: list[int]) -> dict:
    """A ``/series/lookup`` hit for a series in the library: the resource plus ``remotePoster``."""
    resource = series_resource(series, tags)
    resource["remotePoster"] = resource["images"][1]["remoteUrl"]
    resource["folder"] = resource["path"].removeprefix(ROOT)
    return resource


def _seasons(series: Series, rng: Random, with_images: bool) -> list[dict]:
    out = []
    specials = series.seasons > 2 and rng.random() < 0.5
    for number in range(0 if specials else 1, series.seasons + 1):
        total = rng.randrange(1, 6) if number == 0 else series.episodes_per_season
        aired = total if series.status != "upcoming" else 0
        have = aired if number and rng.random() < 0.85 else rng.randrange(aired + 1)
        size = int(have * series.runtime * rng.uniform(12_000_000, 45_000_000))
        stats: dict = {
            "episodeFileCount": have,
            "episodeCount": aired,
            "totalEpisodeCount": total,
            "sizeOnDisk": size,
            "releaseGroups": [_GROUPS[rng.randrange(len(_GROUPS))]] if have else [],
            "percentOfEpisodes": 100.0 * have / aired if aired else 0.0,
        }
        if aired:
            stats["previousAiring"] = _date(min(series.year + max(number - 1, 0), 2026), rng)
        season: dict = {"seasonNumber": number, "monitored": number > 0, "statistics": stats}
        if with_images:
            season["images"] = [
                {
                    "coverType": "poster",
                    "url": f"/MediaCover/{series.id}/season-{number}.jpg",
                    "remoteUrl": f"https://artworks.thetvdb.com/banners/seasons/{series.tvdb_id}"
                    f"-{number}.jpg",
                }
            ]
        out.append(season)
    return out


def _images(sid: int, tvdb_id: int, rng: Random) -> list[dict]:
    images = []
    for kind in ("banner", "poster", "fanart"):
        stamp = _EPOCH_TICKS + rng.randrange(10**15)
        images.append(
            {
                "coverType": kind,
                "url": f"/MediaCover/{sid}/{kind}.jpg?lastWrite={stamp}",
                "remoteUrl": f"https://artworks.thetvdb.com/banners/{kind}s/{tvdb_id}"
                f"-{rng.randrange(1, 9)}.jpg",
            }
        )
    return images


def _alternate_titles(series: Series, rng: Random) -> list[dict]:
    variants = (
        f"{series.title} ({series.year})",
        series.title.upper(),
        series.title.replace(" & ", " and "),
        f"{series.title} {series.network}",
    )
    count = rng.randrange(len(variants) + 1)
    return [{"title": v, "sceneSeasonNumber": -1} for v in variants[:count]]


def _slug(title: str, year: int) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower())) or str(year)


def _date(year: int, rng: Random) -> str:
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T02:00:00Z"


def system_status(url_base: str) -> dict:
    return servarr_records.system_status(
        "Sonarr",
        url_base,
        {
            "version": VERSION,
            "buildTime": "2025-10-05T18:11:02Z",
            "branch": "main",
            "migrationVersion": 219,
            "runtimeVersion": "6.0.36",
        },
    )


HEALTH = (
    {
        "id": 1,
        "source": "IndexerSearchCheck",
        "type": "warning",
        "message": "No indexers available with Automatic Search enabled",
        # Sonarr writes an HttpUri as a plain string; its OpenAPI document draws it as an object.
        "wikiUrl": "https://wiki.servarr.com/sonarr/system#no-indexers-available-with-automatic-search-enabled",
    },
)
ROOT_FOLDERS = ({"path": ROOT, "accessible": True, "freeSpace": 3_298_534_883_328, "id": 1},)
_QUALITIES = (
    (1, "SDTV", "television", 480),
    (4, "HDTV-720p", "television", 720),
    (9, "HDTV-1080p", "television", 1080),
    (5, "WEBDL-720p", "web", 720),
    (3, "WEBDL-1080p", "web", 1080),
    (7, "Bluray-1080p", "bluray", 1080),
)


def quality_profiles() -> list[dict]:
    items = [
        {"quality": {"id": i, "name": n, "source": s, "resolution": r}, "items": [], "allowed": a}
        for (i, n, s, r) in _QUALITIES
        for a in (r >= 720,)
    ]
    return [
        {
            "name": name,
            "upgradeAllowed": True,
            "cutoff": cutoff,
            "items": items,
            "minFormatScore": 0,
            "cutoffFormatScore": 0,
            "minUpgradeFormatScore": 1,
            "formatItems": [],
            "id": pid,
        }
        for pid, name, cutoff in ((1, "HD-1080p", 9), (2, "Any", 1))
    ]


def language_profiles() -> list[dict]:
    """Sonarr v4 keeps one deprecated language profile for v3 clients."""
    return [
        {
            "name": "Deprecated",
            "upgradeAllowed": False,
            "cutoff": {"id": 1, "name": "English"},
            "languages": [{"language": {"id": 1, "name": "English"}, "allowed": True}],
            "id": 1,
        }
    ]
