"""The quality profiles and root folder of a fresh Radarr v6, as ``GET /api/v3/qualityprofile``
and ``GET /api/v3/rootfolder`` send them.

The quality ids and names are Radarr's (``src/NzbDrone.Core/Qualities/Quality.cs``); the six
profiles are the ones Radarr creates on first start (``QualityProfileService.Handle
(ApplicationStartedEvent)``): Any, SD, HD-720p, HD-1080p, Ultra-HD, HD - 720p/1080p, each listing
every quality with the ones it allows. Movies in the synthetic library use profiles 1 and 4.
"""

from __future__ import annotations

from synthetic.servers.radarr.records import ROOT

# id, name, source, resolution, modifier; lowest quality first, as a profile lists them
QUALITIES = (
    (0, "Unknown", "unknown", 0, "none"),
    (24, "WORKPRINT", "workprint", 0, "none"),
    (25, "CAM", "cam", 0, "none"),
    (26, "TELESYNC", "telesync", 0, "none"),
    (27, "TELECINE", "telecine", 0, "none"),
    (29, "REGIONAL", "dvd", 480, "regional"),
    (28, "DVDSCR", "dvd", 480, "screener"),
    (1, "SDTV", "tv", 480, "none"),
    (2, "DVD", "dvd", 0, "none"),
    (23, "DVD-R", "dvd", 480, "remux"),
    (8, "WEBDL-480p", "webdl", 480, "none"),
    (12, "WEBRip-480p", "webrip", 480, "none"),
    (20, "Bluray-480p", "bluray", 480, "none"),
    (21, "Bluray-576p", "bluray", 576, "none"),
    (4, "HDTV-720p", "tv", 720, "none"),
    (5, "WEBDL-720p", "webdl", 720, "none"),
    (14, "WEBRip-720p", "webrip", 720, "none"),
    (6, "Bluray-720p", "bluray", 720, "none"),
    (9, "HDTV-1080p", "tv", 1080, "none"),
    (3, "WEBDL-1080p", "webdl", 1080, "none"),
    (15, "WEBRip-1080p", "webrip", 1080, "none"),
    (7, "Bluray-1080p", "bluray", 1080, "none"),
    (30, "Remux-1080p", "bluray", 1080, "remux"),
    (16, "HDTV-2160p", "tv", 2160, "none"),
    (18, "WEBDL-2160p", "webdl", 2160, "none"),
    (17, "WEBRip-2160p", "webrip", 2160, "none"),
    (19, "Bluray-2160p", "bluray", 2160, "none"),
    (31, "Remux-2160p", "bluray", 2160, "remux"),
    (22, "BR-DISK", "bluray", 1080, "brdisk"),
    (10, "Raw-HD", "tv", 1080, "rawhd"),
)
_SD = {1, 2, 8, 12, 20, 21, 23}
# id, name, allowed quality ids, cutoff quality id
PROFILES = (
    (1, "Any", {q[0] for q in QUALITIES} - {0, 10, 22, 24, 25, 26, 27, 28, 29}, 20),
    (2, "SD", _SD, 20),
    (3, "HD-720p", {4, 5, 6, 14}, 6),
    (4, "HD-1080p", {3, 7, 9, 15, 30}, 7),
    (5, "Ultra-HD", {16, 17, 18, 19, 31}, 19),
    (6, "HD - 720p/1080p", {3, 4, 5, 6, 7, 9, 14, 15, 30}, 6),
)
_FORMATS = ((1, "x264"), (2, "x265 (HD)"), (3, "DV HDR10"), (4, "Repack/Proper"), (5, "HQ-Release"))


def quality_profile(profile_id: int) -> dict | None:
    """A ``QualityProfileResource``, or ``None`` for an unknown id."""
    for pid, name, allowed, cutoff in PROFILES:
        if pid == profile_id:
            items = [
                {
                    "quality": {
                        "id": qid,
                        "name": qname,
                        "source": source,
                        "resolution": resolution,
                        "modifier": modifier,
                    },
                    "items": [],
                    "allowed": qid in allowed,
                }
                for qid, qname, source, resolution, modifier in QUALITIES
            ]
            formats = [{"format": fid, "name": fname, "score": 0} for fid, fname in _FORMATS]
            return {
                "name": name,
                "upgradeAllowed": False,
                "cutoff": cutoff,
                "items": items,
                "minFormatScore": 0,
                "cutoffFormatScore": 0,
                "minUpgradeFormatScore": 1,
                "formatItems": formats,
                "language": {"id": 1, "name": "English"},
                "id": pid,
            }
    return None


def quality_profiles() -> list[dict]:
    return [quality_profile(p[0]) for p in PROFILES]  # type: ignore[misc]


def root_folders() -> list[dict]:
    """The one root folder the library lives under."""
    return [
        {
            "path": ROOT,
            "accessible": True,
            "freeSpace": 4_398_046_511_104,
            "unmappedFolders": [],
            "id": 1,
        }
    ]
