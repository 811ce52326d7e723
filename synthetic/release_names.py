"""Render titles into file and folder names the way real tools and release groups do."""

from __future__ import annotations

import re
import unicodedata
from random import Random

GROUPS = (
    "SPARKS",
    "GECKOS",
    "AMIABLE",
    "DRONES",
    "ROVERS",
    "FGT",
    "EVO",
    "NTb",
    "FLUX",
    "CMRG",
    "TEPES",
    "ION10",
    "DON",
    "CtrlHD",
    "HiFi",
    "FraMeSToR",
    "EPSiLON",
    "playHD",
    "KOGi",
    "BLOW",
    "SiNNERS",
    "CiNEFiLE",
    "VETO",
    "SWTYBLZ",
    "NOGRP",
    "PSA",
    "RARBG",
    "YIFY",
    "TIGOLE",
    "QxR",
    "UTR",
    "BiPOLAR",
    "HDEX",
    "DEFLATE",
    "GalaxyRG",
    "MZABI",
    "KiNGS",
    "TOMMY",
    "LAMA",
    "NAISU",
    "PiGNUS",
    "BORDURE",
    "REWARD",
    "DiAMOND",
    "aXXo",
    "NeDiVx",
    "SAiNTS",
    "CRiSC",
    "ViSTA",
    "W4F",
    "iNTERNAL",
    "HANDJOB",
    "Ozlem",
    "WiKi",
)
EDITIONS = (
    "PROPER",
    "REPACK",
    "EXTENDED",
    "Directors.Cut",
    "IMAX",
    "UNRATED",
    "REMASTERED",
    "THEATRICAL",
    "Criterion",
    "Extended.Cut",
    "Anniversary.Edition",
    "PROPER",
    "REPACK",
)
EDITION_NAMES = (
    "Director's Cut",
    "Extended",
    "Theatrical",
    "IMAX",
    "Unrated",
    "Ultimate Cut",
    "Final Cut",
    "Remastered",
    "Criterion Collection",
)
STREAMERS = ("AMZN", "NF", "DSNP", "ATVP", "HMAX", "HULU", "iT", "PCOK", "MA")
AUDIO = (
    "DTS",
    "DTS-HD.MA.5.1",
    "TrueHD.7.1.Atmos",
    "DD5.1",
    "DDP5.1",
    "DDP5.1.Atmos",
    "AAC2.0",
    "AAC",
    "AC3",
    "FLAC.2.0",
    "EAC3",
    "DTS-X",
    "LPCM.2.0",
    "DD+5.1",
    "AC3.5.1",
)
HDR = ("HDR", "HDR10", "HDR10Plus", "DV", "DV.HDR10", "DoVi", "HDR.DV")
LANG_TAGS = {
    "fr": ("FRENCH", "MULTi", "VOSTFR", "TRUEFRENCH"),
    "de": ("GERMAN", "German.DL"),
    "es": ("SPANiSH", "CASTELLANO"),
    "it": ("iTALiAN", "ITA"),
    "ja": ("JAPANESE",),
    "ko": ("KOREAN",),
}
RADARR_Q = {
    "2160p": ("Bluray-2160p", "WEBDL-2160p", "Remux-2160p"),
    "1080p": ("Bluray-1080p", "WEBDL-1080p", "WEBRip-1080p", "HDTV-1080p", "Remux-1080p"),
    "720p": ("Bluray-720p", "WEBDL-720p", "WEBRip-720p", "HDTV-720p"),
    "": ("DVD", "SDTV", "Bluray-480p", "WEBDL-480p", "DVD-R"),
}
_SOURCES = {
    "2160p": ("UHD.BluRay", "BluRay", "WEB-DL", "BluRay.REMUX", "WEBRip"),
    "1080p": ("BluRay", "BluRay", "WEB-DL", "WEBRip", "BDRip", "HDTV", "BluRay.REMUX"),
    "720p": ("BluRay", "WEB-DL", "WEBRip", "HDTV", "BRRip", "HDRip"),
    "": ("DVDRip", "BDRip", "WEBRip", "DVDSCR", "HDRip", "DVD5", "TVRip"),
}
_CODECS = {
    "2160p": ("x265", "HEVC", "H.265", "H265"),
    "1080p": ("x264", "x264", "H.264", "x265", "AVC", "HEVC", "H264"),
    "720p": ("x264", "x264", "H.264", "x265", "HEVC"),
    "": ("XviD", "x264", "DivX", "XviD-AC3"),
}
_RES = ("2160p", "1080p", "1080p", "1080p", "1080p", "720p", "720p", "")

_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
    }
)
_ELISION = re.compile(r"\b([LDJldj])'(?=[A-Za-z])")
_SCENE_DROP = re.compile(r"[^A-Za-z0-9.+\-& ]+")
_DOTS = re.compile(r"[ .]+")
_WIN_BAD = re.compile(r'[\\/:*?"<>|]')
_RADARR_MAP = str.maketrans(
    {"/": "+", "?": "!", "*": "-", "\\": "", "<": "", ">": "", "|": "", '"': ""}
)


def ascii_fold(s: str) -> str:
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return s.encode("ascii", "ignore").decode("ascii")


def scene_title(title: str, rng: Random) -> str:
    """'Schindler's List' -> 'Schindlers.List'; 'Amélie' -> 'Amelie'; '&' -> 'and' or dropped."""
    t = ascii_fold(title)
    if "'" in t:
        if rng.random() < 0.5:
            t = _ELISION.sub(r"\1.", t)
        t = t.replace("'", "")
    if "&" in t:
        t = t.replace("&", "and" if rng.random() < 0.6 else " ")
    if "-" in t and rng.random() < 0.4:
        t = t.replace("-", ".")
    t = t.replace("/", " ").replace(":", " ")
    t = _SCENE_DROP.sub(" ", t)
    return _DOTS.sub(".", t).strip(".")


def radarr_title(title: str, rng: Random, real_radarr: bool = True) -> str:
    """Folder-safe title: ':' becomes ' - ' or is dropped; Windows-invalid characters go."""
    t = title
    if ":" in t:
        t = t.replace(": ", " - ").replace(":", "-") if rng.random() < 0.6 else t.replace(":", "")
    t = t.translate(_RADARR_MAP) if real_radarr else _WIN_BAD.sub("", t)
    t = t.strip(" .")
    return t if "  " not in t else " ".join(t.split())


class Release:
    """One release: resolution, source, codec, audio, HDR, edition, group."""

    __slots__ = ("audio", "codec", "edition", "group", "hdr", "res", "source", "streamer")

    def __init__(self, rng: Random, year: int, res: str | None = None):
        c, r = rng.choice, rng.random
        if res is None:
            res = c(_RES)
            if year < 1995 and res == "2160p" and r() < 0.6:
                res = "1080p"
        self.res = res
        self.source = c(_SOURCES[res])
        self.streamer = c(STREAMERS) if res and self.source.startswith("WEB") and r() < 0.5 else ""
        self.codec = c(_CODECS[res])
        self.audio = c(AUDIO) if r() < 0.7 and "AC3" not in self.codec else ""
        self.hdr = c(HDR) if res == "2160p" and r() < 0.7 else ""
        self.edition = c(EDITIONS) if r() < 0.09 else ""
        self.group = c(GROUPS)

    def scene(self, stitle: str, year: int, rng: Random, lang: str = "en") -> str:
        """'Title.Year.[EDITION].[LANG].1080p.[AMZN].WEB-DL.DDP5.1.H.264-GRP' (no extension)."""
        parts = [stitle, str(year)]
        if self.edition:
            parts.append(self.edition)
        if lang != "en" and rng.random() < 0.4:
            parts.append(rng.choice(LANG_TAGS[lang]))
        if self.res:
            parts.append(self.res)
        if self.streamer:
            parts.append(self.streamer)
        parts.append(self.source)
        if self.hdr:
            parts.append(self.hdr)
        if rng.random() < 0.85:
            if self.audio:
                parts.append(self.audio)
            parts.append(self.codec)
        else:
            parts.append(self.codec)
            if self.audio:
                parts.append(self.audio)
        name = ".".join(parts) + "-" + self.group
        x = rng.random()
        if x < 0.03:
            name = name.lower()
        elif x < 0.06:
            name = name.replace(".", " ").replace("H 26", "H.26").replace("DD5 1", "DD5.1")
        elif x < 0.08:
            name += rng.choice(("[rarbg]", "[TGx]", "[EtHD]", "-Obfuscated"))
        return name

    def radarr_quality(self, rng: Random) -> str:
        q = rng.choice(RADARR_Q[self.res])
        if self.edition in ("PROPER", "REPACK") and rng.random() < 0.7:
            q += " Proper"
        return q

    def ext(self, rng: Random) -> str:
        if self.codec.startswith(("XviD", "DivX")):
            return "avi"
        x = rng.random()
        if x < 0.80:
            return "mkv"
        if x < 0.91:
            return "mp4"
        ext = ("m4v", "ts", "wmv", "mov", "avi")[int((x - 0.91) / 0.018)]
        return "mkv" if self.res == "2160p" and ext in ("wmv", "avi") else ext


# -- noise with ground truth (#17): what real downloads add around a release name ---------------
NOISE_KINDS = ("site", "site_bracket", "brace", "lenticular", "fansub", "native", "cyrillic")
_SITES = ("rarbg", "yts", "torrentgalaxy", "eztv", "rutracker", "kinozal", "dytt8", "bitsearch")
_SITE_TLDS = ("com", "org", "to", "tv", "net", "ru", "mx", "ws")
_FANSUBS = ("Erai-raws", "SubsPlease", "Judas", "ASW", "Anime Time", "Kametsu")
# Cyrillic words of a made-up translated title: the stand-in TMDB knows no translations, as a
# Russian release's translation is often not the title TMDB searches by either.
_CYRILLIC = ("Тайна", "Последний", "Город", "Ночь", "Дорога", "Любовь", "Война", "Сердце", "Река")


def noisy(name: str, stitle: str, original: str | None, rng: Random) -> tuple[str, str] | None:
    """``name`` (a scene name starting with ``stitle``) with one kind of noise: a site or tracker
    prefix, a bracketed group before the title, or a second title in another script before it
    ("Original.English.2001", the native title of a Japanese or Korean film, or a Cyrillic
    translation). Returns (kind, new name), or None when the kind does not apply (a native title
    only for a film whose original title is in another script)."""
    kind = rng.choice(NOISE_KINDS)
    site = f"{rng.choice(_SITES)}.{rng.choice(_SITE_TLDS)}"
    if kind == "site":
        return kind, f"www.{site} - {name}"
    if kind == "site_bracket":
        return kind, f"[{site}]_-_{name}"
    if kind == "brace":
        return kind, f"{{{rng.choice(_SITES).upper()}}} {name}"
    if kind == "lenticular":
        return kind, f"【{rng.choice(GROUPS)}】{name}"
    if kind == "fansub":
        return kind, f"[{rng.choice(_FANSUBS)}] {name}"
    if kind == "native":
        if not original or not any(_non_latin(c) for c in original) or ":" in original:
            return None
        second = ".".join(original.split())
    else:
        second = ".".join(rng.sample(_CYRILLIC, rng.randint(1, 3)))
    return (kind, f"{second}.{name}") if name.startswith(stitle) else None


def _non_latin(ch: str) -> bool:
    return ch.isalpha() and not unicodedata.name(ch, "LATIN").startswith("LATIN")
