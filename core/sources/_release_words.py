"""Keyword vocabularies for :mod:`core.sources.release_name`.

General scene/P2P/Radarr naming knowledge only (quality, source, codec, audio, language, edition
and release flags); no film or show titles. Every key is lower case except in ``UPPER_ONLY``,
whose short tokens are keywords only when written in capitals ("DC", "SE", "OM").
"""

from __future__ import annotations

# Token kinds.  Hard kinds end a title wherever they appear; soft ones only when no year follows.
WORD, EMPTY, YEAR, NUM, NUMV, ORD = range(6)
RES, SRC, CODEC, AUDIO, TECH, EDITION = range(6, 12)
CUT, SOFT, LANG, GENRE = range(12, 16)
SE, SEASON, EP, XEP, SEASONWORD, EPWORD, EXTRA, FILMNO, HPREFIX, EDWORD = range(16, 26)
NKINDS = 26

HARD = frozenset((RES, SRC, CODEC, AUDIO, TECH, EDITION, EXTRA))
TECHNICAL = frozenset((RES, SRC, CODEC, AUDIO, TECH))
MARKERS = frozenset((SE, SEASON, EP, XEP))
RARE = frozenset((SEASONWORD, EPWORD, FILMNO, HPREFIX, CUT, EDWORD))


def _kinds(kind: int, table: dict[str, str | None]) -> dict[str, tuple[int, str | None]]:
    return {key: (kind, value) for key, value in table.items()}


_SOURCES = {
    "bluray": "BluRay", "blu-ray": "BluRay", "bdrip": "BDRip", "brrip": "BRRip", "bdremux": "BluRay",
    "bd": "BluRay", "bd25": "BluRay", "bd50": "BluRay", "bdmv": "BluRay", "uhdbluray": "BluRay",
    "bdscr": "BDSCR", "hddvd": "HD-DVD", "hd-dvd": "HD-DVD", "hddvdrip": "HD-DVD",
    "webdl": "WEB-DL", "web-dl": "WEB-DL", "webrip": "WEBRip", "web-rip": "WEBRip",
    "webdlrip": "WEB-DL", "web-dlrip": "WEB-DL", "dlrip": "WEB-DL", "webhd": "WEB-DL",
    "webcap": "WEBRip", "webmux": "WEB-DL", "hdrip": "HDRip", "hdtv": "HDTV", "hdtvrip": "HDTV",
    "ahdtv": "HDTV", "uhdtv": "HDTV", "pdtv": "PDTV", "sdtv": "SDTV", "dsr": "DSR", "dsrip": "DSR",
    "dvb": "DVB", "dvbrip": "DVB", "satrip": "SATRip", "tvrip": "TVRip", "vhsrip": "VHSRip",
    "dvdrip": "DVDRip", "dvdivx": "DVDRip", "dvdmux": "DVDRip", "dvdscr": "DVDSCR",
    "dvdscreener": "DVDSCR", "screener": "DVDSCR", "dvdr": "DVD", "dvd-r": "DVD",
    "camrip": "CAM", "hdcam": "CAM", "hdts": "TS", "telesync": "TS", "telecine": "TC",
    "hdtc": "TC", "r5": "R5", "r6": "R6", "ppv": "PPV", "ppvrip": "PPV", "workprint": "Workprint",
    "hdlight": "HDLight", "mhd": "HDLight", "uhdrip": "UHDRip", "itunes": "WEB-DL",
    "ituneshd": "WEB-DL", "netflixuhd": "WEB-DL", "netflixuhdrip": "WEBRip",
    "bdmux": "BluRay", "brmux": "BluRay", "bdripmux": "BDRip", "brripmux": "BRRip",
    "blurayrip": "BDRip", "bluraymux": "BluRay", "dlmux": "WEB-DL", "web-dlmux": "WEB-DL",
    "hdtvmux": "HDTV", "ahdtvmux": "HDTV", "wbbrip": "BDRip", "dmrip": "WEBRip", "dvd5": "DVD",
    "dvd9": "DVD", "wbrip": "WEBRip", "webdlmux": "WEB-DL", "uhd-bluray": "BluRay",
    "amzn": None, "dsnp": None, "hmax": None, "atvp": None, "pcok": None, "remux": None,
}
_CODECS = {
    "x264": "x264", "x265": "x265", "h264": "H.264", "h265": "H.265", "h263": "H.263",
    "h262": "H.262", "x263": "H.263", "hevc": "HEVC", "hevc10": "HEVC", "avc": "AVC",
    "avchd": "AVC", "xvid": "XviD", "divx": "DivX", "divx5": "DivX", "vp9": "VP9", "av1": "AV1",
    "vc1": "VC-1", "vc-1": "VC-1", "mpeg2": "MPEG-2", "mpeg-2": "MPEG-2", "mpeg4": "MPEG-4",
    "mpg2": "MPEG-2", "wmv": "WMV", "hi10": "H.264", "hi10p": "H.264", "x264-hi10p": "H.264",
}
_AUDIO = {
    "aac": None, "ac3": None, "ac3d": None, "eac3": None, "e-ac3": None, "dts": None,
    "dtshd": None, "dts-hd": None, "dtsma": None, "dtses": None, "dts-es": None, "dtsx": None,
    "dts-x": None, "truehd": None, "atmos": None, "flac": None, "mp3": None, "mp2": None,
    "opus": None, "lpcm": None, "pcm": None, "dd": None, "ddp": None, "dd+": None, "ddex": None,
    "dd-ex": None, "he-aac": None, "aac-lc": None, "heaac": None, "hra": None, "ogg": None,
    "dolby": None, "lame": None, "6ch": None, "8ch": None, "2ch": None, "dts-hdma": None,
}
_TECH = {
    "hdr": None, "hdr10": None, "hdr10plus": None, "hdr10+": None, "dovi": None, "dv": None,
    "sdr": None, "3d": None, "sbs": None, "hsbs": None, "half-sbs": None, "half-ou": None,
    "hou": None, "hfr": None, "uhd": None, "upscaled": None, "upscale": None, "bt2020": None,
    "bt709": None, "10bit": None, "8bit": None, "12bit": None, "mkv": None, "mp4": None,
    "avi": None, "m2ts": None, "ogm": None, "iso": None, "2in1": None, "dxva": None, "yuv420p10": None,
}
_RESOLUTIONS = {"4k": "2160p", "8k": "4320p", "2k": "1440p"}
_EDITIONS = {
    "extended": "Extended", "unrated": "Unrated", "uncut": "Uncut", "uncensored": "Uncensored",
    "remastered": "Remastered", "theatrical": "Theatrical", "criterion": "Criterion",
    "imax": "IMAX", "restored": "Restored", "colorized": "Colorized", "oar": "Open Matte",
    "integral": "Integral",
}
_SOFT = {
    "proper": None, "repack": None, "rerip": None, "internal": None, "limited": None,
    "complete": None, "readnfo": None, "nfofix": None, "dirfix": None, "samplefix": None,
    "prooffix": None, "syncfix": None, "proof": None, "sample": None, "convert": None,
    "dubbed": None, "dub": None, "subbed": None, "subs": None, "subforced": None, "multisub": None,
    "multisubs": None, "esub": None, "esubs": None, "msub": None, "msubs": None, "hardsub": None,
    "hc": None, "docu": None, "doku": None, "festival": None, "stv": None, "retail": None,
    "custom": None, "hybrid": None, "xxx": None, "hq": None, "lq": None, "pal": None,
    "ntsc": None, "secam": None, "rip": None, "multi": None, "dual": None, "ws": None,
    "preair": None, "fastsub": None, "subfrench": None, "nf": None, "hulu": None, "netflix": None,
    "hbo": None, "dublado": None, "legendado": None, "subtitulado": None, "nlsubs": None,
    "dksubs": None, "swesub": None, "hebsubs": None, "repost": None, "untouched": None,
    "web": "WEB", "hd": None, "cam": "CAM", "ts": "TS", "tc": "TC", "scr": "SCR", "dvd": "DVD",
    "vhs": "VHS", "dl": None, "ova": None, "ona": None, "oad": None, "oav": None,
}
_LANGS = {
    key: None for key in (
        "english", "eng", "french", "fre", "fra", "fr", "truefrench", "vff", "vfq", "vf", "vf2",
        "vfi", "vo", "vost", "vostfr", "german", "ger", "deu", "swissgerman", "spanish", "spa",
        "esp", "castellano", "latino", "italian", "ita", "japanese", "jap", "jpn", "korean",
        "kor", "chinese", "chi", "mandarin", "cantonese", "hindi", "tamil", "telugu", "malayalam",
        "kannada", "bengali", "bangla", "marathi", "punjabi", "urdu", "russian", "rus",
        "ukrainian", "polish", "pl", "pol", "portuguese", "por", "dutch", "nl", "flemish",
        "nordic", "swedish", "swe", "danish", "dan", "norwegian", "nor", "finnish", "fin",
        "icelandic", "turkish", "tur", "arabic", "ara", "hebrew", "heb", "greek", "czech",
        "hungarian", "hun", "romanian", "thai", "vietnamese", "indonesian", "persian",
    )
}
_GENRES = {
    key: None for key in (
        "drama", "comedy", "thriller", "western", "action", "horror", "romance", "animation",
        "crime", "fantasy", "adventure", "documentary", "documentry", "musical", "mystery",
    )
}

WORDS: dict[str, tuple[int, str | None]] = {
    **_kinds(SRC, _SOURCES), **_kinds(CODEC, _CODECS), **_kinds(AUDIO, _AUDIO),
    **_kinds(TECH, _TECH), **_kinds(RES, _RESOLUTIONS), **_kinds(EDITION, _EDITIONS),
    **_kinds(SOFT, _SOFT), **_kinds(LANG, _LANGS), **_kinds(GENRE, _GENRES),
    **_kinds(CUT, {"cut": "Cut", "version": "Version", "collection": "Collection",
                   "matte": "Matte"}),
    **_kinds(EDWORD, {"edition": "Edition"}),
    **_kinds(SEASONWORD, dict.fromkeys(("season", "seasons", "saison", "saisons", "series",
                                        "temporada", "stagione", "seizoen", "staffel"))),
    **_kinds(EPWORD, dict.fromkeys(("episode", "episodes", "ep", "epi", "episodio", "épisode"))),
    "h": (HPREFIX, None),
}
UPPER_ONLY: dict[str, tuple[int, str | None]] = {
    "DC": (EDITION, "Director's Cut"), "SE": (EDITION, "Special Edition"),
    "OM": (EDITION, "Open Matte"),
}
# Words that turn a following "Cut"/"Edition"/"Version"/"Collection" into an edition tag.
MODIFIERS = frozenset((
    "director", "directors", "director's", "directors'", "collector", "collectors",
    "collector's", "special", "ultimate", "alternative", "alternate", "anniversary", "deluxe",
    "definitive", "international", "extended", "theatrical", "unrated", "uncut", "criterion",
    "remastered", "imax", "limited", "open", "producer's", "producers", "rogue", "redux",
))
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10,
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
         "x": 10, "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
# Top-level domains that mark a leading "site.tld - " advertisement.
TLDS = frozenset((
    "com", "org", "net", "info", "biz", "cd", "ws", "cc", "ru", "pw", "io", "sbs", "art", "lat",
    "xyz", "club", "site", "online", "tv", "ag", "nu", "lol", "mx", "top", "eu", "uk", "de",
))
NETWORK_PREFIXES = frozenset(("bbc",))
EXTENSIONS = frozenset((
    "mkv", "avi", "mp4", "m4v", "mov", "wmv", "ts", "m2ts", "mts", "mpg", "mpeg", "mpe", "vob",
    "ogm", "ogv", "flv", "webm", "divx", "xvid", "rmvb", "rm", "3gp", "iso", "img", "mk3d",
    "srt", "sub", "idx", "ass", "ssa", "vtt", "smi", "nfo", "txt", "jpg", "png", "nzb",
    "torrent", "par2", "rar", "zip", "sfv", "xml", "asf", "f4v", "m2v", "dat",
))
SEASON_FOLDER_WORDS = frozenset(("season", "saison", "series", "staffel", "temporada", "s",
                                 "stagione", "seizoen", "specials", "extras"))
GENERIC_FOLDERS = frozenset((
    "movies", "movie", "films", "film", "series", "tv", "tv shows", "tvshows", "shows", "videos",
    "video", "downloads", "download", "media", "incoming", "complete", "completed", "unsorted",
    "4k", "uhd", "hd", "kids", "anime", "documentaries", "collections", "torrents", "mnt", "home",
    "volumes", "share", "public", "data", "tmp", "new", "seen", "watched",
))
