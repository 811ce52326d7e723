"""Read a release name or media path: title, year, season/episode and quality tags.

How it works, and why:

* **One tokenising pass.** ``re.split`` with a capturing separator pattern cuts the file name
  into words and the separators between them (dots, spaces, underscores, dashes, brackets). Each
  word is classified once, by a dict of keyword vocabularies (``release_words``) and then one
  precompiled ``fullmatch`` for shaped tokens (``S01E02``, ``1x02``, ``1080p``, ``x264``,
  ``2014``); the class is memoised per distinct token, so a library's recurring words cost one
  dict lookup. A single loop notes where the first marker of each kind sits. There is no rule
  engine and no regex is compiled per call: guessit's rebulk engine parses a few dozen names a
  second here, this ~44k corpus names/s in one CPython process (``reelscale bench pyperf parse``).
* **Year and title end.** The year is the first year written in brackets, else the last
  plausible year followed by metadata or the end; a year that opens the name is title ("1917",
  "2001 A Space Odyssey 1968"). The title runs from the first content word (after leading
  ``[group]`` tags, site adverts and codec tags) to the first year, episode marker, hard keyword
  (resolution, source, codec, edition) or bracket. Soft keywords (languages, PROPER, COMPLETE,
  WEB) end it only when no year follows and a tag or the end comes next, because "Immersion
  French 2011", "Johnny English 2003" and "The English Patient" are titles.
* **Text from the original.** The title is cut out of the input, so "X-Men", "S.H.I.E.L.D." and
  "L.A. Story" keep their punctuation; only dotted or underscored names get spaces.
* **Folder context.** Libraries keep the clean title in the folder (``Title (Year)/``,
  ``Show/Season 01/``) while file names may be abbreviated, obfuscated or lack the year; parsers
  that read only the file name lose ~10 points on path corpora. Parent folders are parsed the
  same way: a clean ``Title (Year)`` folder wins, a release-name folder stands in for an
  abbreviated or junk file name, and season folders give the season.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.pipeline.source import release_words as W
from core.pipeline.source.release_scan import Scan
from core.pipeline.source.release_scan import scan as _scan
from core.pipeline.source.release_title import weak as _weak
from core.titles import candidates

__all__ = ["Release", "parse"]

_PATH = re.compile(r"(?<! )[/\\]|[/\\](?! )")
_ALNUM = re.compile(r"[^\W_][^\W_]*")  # not "[^\W_]+": see release_tokens.SPLIT
_SEASON_START = frozenset("sStTſ")
_SLASH_IN_BRACKETS = re.compile(r"[(\[][^)\]/\\]*[/\\]")
_SEASON_DIR = re.compile(
    r"(?i)(?:season|saison|series|staffel|temporada|stagione|seizoen|s)"
    r"[\s._-]*(\d{1,4})(?:\s*[(\[].*|\s+\w+)?|specials"
)


@dataclass(slots=True)
class Release:
    name: str
    title: str | None
    year: int | None
    type: str
    season: int | None
    episode: int | None
    edition: str | None
    resolution: str | None
    source: str | None
    codec: str | None
    group: str | None
    #: the last season of a pack ("S01-S07"), the last episode of a range ("S01E01-E03")
    season_end: int | None = None
    episode_end: int | None = None

    @property
    def titles(self) -> tuple[str, ...]:
        """Ranked title candidates for matching (:func:`core.titles.candidates`)."""
        return candidates(self.title) if self.title else ()

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "year": self.year,
            "type": self.type,
            "season": self.season,
            "episode": self.episode,
            "edition": self.edition,
            "resolution": self.resolution,
            "source": self.source,
            "codec": self.codec,
            "group": self.group,
            "season_end": self.season_end,
            "episode_end": self.episode_end,
        }


@lru_cache(maxsize=64)
def _words(title: str) -> tuple[str, ...]:
    """The title's words, case-folded. Remembered, like ``_key``: a folder's title (a show's, a
    "tree" or "incoming" folder's) is compared with every file name under it."""
    return tuple(_ALNUM.findall(title.casefold()))


@lru_cache(maxsize=64)
def _key(title: str) -> str:
    """Comparison key without accents, case, punctuation and 'and'/'&'."""
    s = title.casefold()
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return "".join(_ALNUM.findall(s)).replace("and", "")


@lru_cache(maxsize=64)
def _scan_folder(folder: str) -> Scan:
    """A folder's scan, remembered for the next files: a scan walks depth first, so the files of
    one folder (and a show's season folders) come one after another, and a show folder shared by
    hundreds of episodes is read once. Callers only read the ``Scan``."""
    return _scan(folder, folder=True)


def _season_dir(folder: str) -> re.Match | None:
    """``_SEASON_DIR``'s match of a folder name. Each of its words starts with "s" or "t", and
    ``(?i)`` matches those to "sStTſ" only (the long s folds to "s"), so any other first character
    cannot match and the pattern is not tried: most folders are titles."""
    return _SEASON_DIR.fullmatch(folder) if folder[:1] in _SEASON_START else None


def _scan_stem(base: str, parts: list[str]) -> Scan:
    """The file name's scan. A file named exactly as its folder ("Title (2001)/Title (2001).mkv",
    a sixth of a big library) takes the folder's scan, which ``_with_folders`` asks for next:
    ``scan(text, folder=True)`` differs from ``scan(text)`` only in ``clean`` and ``informative``,
    and nothing reads those of a file name's scan."""
    if len(parts) > 1 and base == parts[-2].strip():
        return _scan_folder(base)
    return _scan(base)


def _with_folders(rel: Release, scan: Scan, base: str, folders: list[str]) -> None:
    weak = None
    for folder in folders:
        folder = folder.strip()
        m = _season_dir(folder)
        if m:
            if rel.season is None:
                rel.season, rel.type = int(m.group(1) or 0), "episode"
            continue
        if not folder or folder.lower() in W.GENERIC_FOLDERS:
            continue
        f = _scan_folder(folder)
        if f.title is None:
            continue
        if weak is None:
            weak = _weak(scan)
        if f.clean and (weak or rel.year is None or rel.year == f.year):
            return _adopt(rel, f)  # "Title (Year)/..."
        if weak:
            if _weak(f):
                continue  # junk folder too: look further up
            if (
                f.informative
                or scan.title is None
                or scan.lead_marker
                or _contains(_words(base), _words(f.title))
            ):
                return _adopt(rel, f)
            return None
        fw, rw = _words(f.title), _words(rel.title)
        if (f.informative and 0 < len(fw) < len(rw) and rw[-len(fw) :] == fw) or (
            fw != rw and _key(f.title) == _key(rel.title)
        ):
            rel.title = f.title  # "grp-title.2016" in "Title.2016-GRP/", "Harold & Kumar/"
        return None
    return None


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    k = len(part)
    return any(words[i : i + k] == part for i in range(len(words) - k + 1))


def _adopt(rel: Release, f: Scan) -> None:
    rel.title = f.title
    rel.year = f.year if f.year is not None else rel.year
    if rel.season is None and f.season is not None:
        rel.season, rel.type = f.season, "episode"
    if rel.episode is None and rel.type == "episode":
        rel.episode = f.episode
    rel.edition = rel.edition or f.edition
    rel.resolution = rel.resolution or f.resolution
    rel.source = rel.source or f.source
    rel.codec = rel.codec or f.codec
    rel.group = rel.group or f.group


def _split_path(name: str) -> list[str]:
    """Path components: split at every ``/`` or ``\\`` except one with a space on both sides
    ("Title / Other Title" is one name). Without a backslash or " / " every slash splits, so
    ``str.split`` gives what ``_PATH`` gives, ~15 times faster (the lookbehind has no prefix to
    search for, so ``_PATH`` is tried at every position)."""
    if "\\" in name or " / " in name:
        return _PATH.split(name)
    return name.split("/")


def _parse(name: str) -> Release:
    parts = _split_path(name)
    if len(parts) > 1 and ("(" in name or "[" in name) and _SLASH_IN_BRACKETS.search(name):
        parts = _rejoin(parts)
    while len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    base = parts[-1].strip()
    stem, dot, ext = base.rpartition(".")
    if dot and stem and ext.lower() in W.EXTENSIONS:
        base = stem.rstrip()
    s = _scan_stem(base, parts)
    kind = "episode" if s.season is not None or s.episode is not None or s.date else "movie"
    rel = Release(
        name,
        s.title,
        s.year,
        kind,
        s.season,
        s.episode,
        s.edition,
        s.resolution,
        s.source,
        s.codec,
        s.group,
        s.season_end,
        s.episode_end,
    )
    if len(parts) > 1:
        _with_folders(rel, s, base, parts[-2:-5:-1])
    return rel


def _rejoin(parts: list[str]) -> list[str]:
    """Path components again where a slash inside brackets separates tags, not folders
    ("Title (2024/S01E07/WEB-DL/1080p)")."""
    out = [parts[0]]
    for part in parts[1:]:
        last = out[-1]
        if last.count("(") > last.count(")") or last.count("[") > last.count("]"):
            out[-1] = f"{last}/{part}"
        else:
            out.append(part)
    return out


def parse(name: str) -> Release:
    """Parse a release name, file name or path (``/`` or ``\\`` separated). Never raises: the
    tests run the internals on arbitrary text, and this guard is the last line of defence."""
    try:
        return _parse(name)
    except Exception:
        return Release(name, None, None, "movie", None, None, None, None, None, None, None)
