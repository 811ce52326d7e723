"""Read a release name or media path: title, year, season/episode and quality tags.

How it works, and why:

* **One tokenising pass.** ``re.split`` with a capturing separator pattern cuts the file name into
  words and the separators between them (dots, spaces, underscores, dashes, brackets). Each word is
  classified once: a dict of keyword vocabularies (``_release_words``), then one precompiled
  ``fullmatch`` for shaped tokens (``S01E02``, ``1x02``, ``1080p``, ``x264``, ``2014``). The class is
  memoised per distinct token, so a library's recurring words cost one dict lookup. A single loop
  then notes where the first marker of each kind sits; there is no rule engine and no regex is
  compiled per call (guessit's rebulk engine parses ~80 names/s, this ~70k/s).
* **Year and title end.** The year is the first year written in brackets, else the last plausible
  year followed by metadata or the end; a year that opens the name is title ("1917", "2001 A Space
  Odyssey 1968"). The title runs from the first content word (after leading ``[group]`` tags, site
  adverts and codec tags) to the first year, episode marker, hard keyword (resolution, source,
  codec, edition) or bracket. Soft keywords (languages, PROPER, COMPLETE) end it only when no year
  follows, because "Immersion French 2011" and "Johnny English 2003" are titles.
* **Text from the original.** The title is cut out of the input, so "X-Men", "S.H.I.E.L.D." and
  "L.A. Story" keep their punctuation; only dotted or underscored names get spaces.
* **Folder context.** Libraries keep the clean title in the folder (``Title (Year)/``,
  ``Show/Season 01/``) while file names may be abbreviated, obfuscated or lack the year; parsers
  that read only the file name lose ~10 points on path corpora. Parent folders are parsed the same
  way: a clean ``Title (Year)`` folder wins, a release-name folder stands in for an abbreviated or
  junk file name, and season folders give the season.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import _release_words as W

__all__ = ["Release", "parse"]


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

    def as_dict(self) -> dict:
        return {
            "name": self.name, "title": self.title, "year": self.year, "type": self.type,
            "season": self.season, "episode": self.episode, "edition": self.edition,
            "resolution": self.resolution, "source": self.source, "codec": self.codec,
            "group": self.group,
        }


_SPLIT = re.compile(r"([\s._\-+,~*=|/\\()\[\]{}\"]+)")
_PATH = re.compile(r"(?<! )[/\\]|[/\\](?! )")
_TOKEN = re.compile(
    r"(?P<year>(?:18|19|20)\d\d)|(?P<num>\d{1,6})|(?P<numv>\d{1,4}v\d)|(?P<ord>\d{1,2}(?:st|nd|rd|th))"
    r"|(?P<se>s\d{1,4}x?ep?\d{1,4}(?:e\d{1,4})*)|(?P<season>s\d{1,4}(?:ep?|d\d{1,2}|extras?)?)"
    r"|(?P<ep>ep?i?\d{1,4}(?:v\d)?)|(?P<xep>(?:\d{1,2}|(?:19|20)\d\d)x\d{1,3}(?:x\d{1,3})*)"
    r"|(?P<res>\d{3,4}[pi](?:\d\d)?|\d{3,4}x\d{3,4})|(?P<extra>x\d{1,2})|(?P<film>f\d{1,3})"
    r"|(?P<codec>[xh]26[2345]|hevc\d*|xvid\w*|divx\w*)"
    r"|(?P<audio>(?:dd|ddp|dd\+|eac3|ac3|aac|dts|flac|opus|mp3|lpcm|pcm|atmos|truehd)\d{0,2}(?:ch)?)"
    r"|(?P<tech>\d+(?:gb|mb|gib|mib|tb|kbps|mbps)|\d{1,2}bits?|\d{2,3}fps|\d{1,2}ch|cd\d(?:of\d)?"
    r"|\d{1,2}cds?|dvd\d|bd\d\d|[a-z]*mux|hdr\w*)"
)
_DIGITS = re.compile(r"\d+")
_ACRONYM = re.compile(r"(?<![^._])[^\W\d_]\.[^\W\d_](?![^._])")
_SEASON_DIR = re.compile(
    r"(?i)(?:season|saison|series|staffel|temporada|stagione|seizoen|s)[\s._-]*(\d{1,4})"
    r"(?:\s*[(\[].*|\s+\w+)?|specials"
)
_YEAR_MIN, _YEAR_MAX = 1890, 2035
_MEMO_MAX = 200_000
_WORD = (W.WORD, None)
_EMPTY = (W.EMPTY, None)
_SHAPED = {"num": W.NUM, "numv": W.NUMV, "ord": W.ORD, "se": W.SE, "season": W.SEASON,
           "ep": W.EP, "xep": W.XEP}
_OTHER = {"extra": W.EXTRA, "film": W.FILMNO, "audio": W.AUDIO, "tech": W.TECH}
_TV_SOURCES = frozenset(("HDTV", "PDTV", "SDTV", "DSR"))
_COMPOUNDS = frozenset(("web-dl", "blu-ray", "dts-hd", "dd-ex", "dts-es", "dts-x", "hd-dvd",
                        "dvd-r", "vc-1", "mpeg-2", "he-aac", "aac-lc", "half-sbs", "half-ou"))
_NEUTRAL = frozenset((W.WORD, W.EMPTY, W.YEAR, W.NUM, W.NUMV, W.ORD, W.GENRE))
_memo: dict[str, tuple[int, object]] = {}
_DELTA: dict[str, int] = {}


def _classify(tok: str) -> tuple[int, object]:
    if not tok:
        return _EMPTY
    hit = W.UPPER_ONLY.get(tok)
    if hit:
        return hit
    low = tok.lower()
    hit = W.WORDS.get(low)
    if hit:
        return hit
    m = _TOKEN.fullmatch(low)
    if m is None:
        return _WORD
    kind = m.lastgroup
    nums = [int(d) for d in _DIGITS.findall(low)]
    if kind == "year":
        return (W.YEAR, nums[0]) if _YEAR_MIN <= nums[0] <= _YEAR_MAX else (W.NUM, nums[0])
    if kind in _SHAPED:
        kind = _SHAPED[kind]
        return kind, (nums[0], nums[1]) if kind in (W.SE, W.XEP) else nums[0]
    if kind == "res":
        return W.RES, f"{nums[-1]}p" if "x" in low else f"{nums[0]}{low[len(str(nums[0]))]}"
    if kind == "codec":
        if low[0] in "xh" and low[1:4].isdigit():
            return W.CODEC, ("H." if low[0] == "h" else "x") + low[1:4]
        return W.CODEC, W.WORDS.get(low.rstrip("0123456789"), (0, low.upper()))[1]
    return _OTHER[kind], None


def _kind(tok: str) -> tuple[int, object]:
    if len(_memo) >= _MEMO_MAX:
        _memo.clear()
    hit = _memo[tok] = _classify(tok)
    return hit


def _is_seg(sep: str) -> bool:
    """A separator between title segments: " - ", "_-_", "--", ".-." (not the hyphen in "X-Men")."""
    return len(sep) > 1 and "-" in sep


class _Scan:
    __slots__ = ("clean", "codec", "date", "edition", "episode", "group", "informative",
                 "lead_marker", "raw", "resolution", "season", "source", "title", "year")

    def __init__(self) -> None:
        self.title = self.raw = self.year = self.season = self.episode = self.edition = None
        self.resolution = self.source = self.codec = self.group = None
        self.clean = self.informative = self.lead_marker = self.date = False


def _depths(seps: list[str]) -> list[int]:
    """Bracket depth before each token."""
    out = [0]
    level = 0
    get = _DELTA.get
    for sep in seps:
        d = get(sep)
        if d is None:
            if len(_DELTA) >= _MEMO_MAX:
                _DELTA.clear()
            d = _DELTA[sep] = (sep.count("(") + sep.count("[") + sep.count("{")
                               - sep.count(")") - sep.count("]") - sep.count("}"))
        if d:
            level = max(level + d, 0)
        out.append(level)
    return out


def _start(toks, seps, kinds, depth, n) -> tuple[int, int]:
    """Index of the first title word, and of a leading bracket group (-1 if none)."""
    i, lead = 0, -1
    while i < n:
        if not toks[i]:
            i += 1
        elif depth is not None and depth[i]:
            if lead < 0:
                lead = i
            i += 1
        elif kinds[i][0] in W.TECHNICAL or (kinds[i][0] == W.LANG and i + 1 < n
                                             and _is_seg(seps[i])):
            i += 1
        else:
            break
    if i >= n:
        return next((j for j in range(n) if toks[j] and kinds[j][0] not in W.TECHNICAL), n), -1
    if lead == 0 and seps[0].endswith("(") and i == 2 and kinds[1][0] == W.NUM \
            and len(toks[1]) > 2:
        return 1, -1     # "(500) Days of Summer": a number in brackets that starts the title
    j = i
    while j + 1 < n and seps[j] == ".":
        j += 1
    if j > i and j + 1 < n and (" " in seps[j] or "_" in seps[j]) and (
            toks[i].lower() == "www" or toks[j].lower() in W.TLDS):
        i = j + 1
        while i < n and (not toks[i] or (depth is not None and depth[i])):
            i += 1
    if i + 1 < n and toks[i].lower() in W.NETWORK_PREFIXES and kinds[i + 1][0] == W.WORD:
        i += 1
    return min(i, n), lead


def _ends_title(i: int, toks, kinds, depth, n) -> bool:
    """Is token i followed by metadata, a bracket or the end (so it is not part of a title)?"""
    j = i + 1
    while j < n and not toks[j]:
        j += 1
    if j >= n:
        return True
    if depth is not None and depth[j] > depth[i]:
        return True
    return kinds[j][0] not in (W.WORD, W.GENRE, W.HPREFIX)


def _undot(toks: list[str], seps: list[str], a: int, b: int) -> str:
    """Title text of a dotted/underscored name: separators become spaces, acronyms ("S.H.I.E.L.D.")
    and ellipses ("What If...") stay."""
    parts = []
    j = a
    while j < b:
        k = j
        while (k + 1 < b and seps[k] == "." and len(toks[k]) == 1 == len(toks[k + 1])
               and toks[k].isalpha() and toks[k + 1].isalpha()):
            k += 1
        parts.append(".".join(toks[j:k + 1]) if k > j else toks[j])
        sep = seps[k] if k < len(seps) else ""
        ellipsis = len(sep) >= 3 and not sep.strip(".")
        if k + 1 < b:
            if ellipsis:
                parts.append("... " if len(sep) > 3 else "...")
            elif k > j and sep[:1] == ".":
                parts.append(". " + sep[1:].replace(".", " ").replace("_", " "))
            else:
                parts.append(sep.replace(".", " ").replace("_", " "))
        elif ellipsis:
            parts.append("...")
        elif k > j and sep[:1] == ".":
            parts.append(".")
        j = k + 1
    return " ".join("".join(parts).split())


def _title_text(pieces, toks, seps, a: int, b: int) -> tuple[str | None, str | None]:
    raw = "".join(pieces[2 * a:2 * b - 1])
    if not raw.strip(" ._-"):
        return None, None
    if " " in raw:
        title = " ".join(raw.replace("_", " ").split())
        if seps[b - 1][:2] == ". ":
            title += "."
    elif ".." in raw or seps[b - 1][:3] == "..." or _ACRONYM.search(raw):
        title = _undot(toks, seps, a, b)
    else:
        title = " ".join(raw.replace(".", " ").replace("_", " ").split())
    return (title.strip(" -") or None), raw


def _season_value(tok: str, kind: tuple[int, object]) -> int | None:
    if kind[0] in (W.NUM, W.NUMV):
        return kind[1]
    low = tok.lower()
    if low[:1].isdigit():
        return int(low[:2] if low[1:2].isdigit() else low[:1])
    return W.ROMAN.get(low) or W.NUMBER_WORDS.get(low)


def _word_marker(i: int, toks, kinds, n: int) -> tuple[int, int | None, int | None] | None:
    """'Season 2', 'Saison VII', '2nd Season', 'Season 1 Episode 2', 'Episode 4', 'Ep 2x03':
    (marker index, season, episode)."""
    if i + 1 >= n:
        return None
    kind, (nkind, nval) = kinds[i][0], kinds[i + 1]
    if kind == W.EPWORD:
        if nkind == W.SE or nkind == W.XEP:
            return i, nval[0], nval[1]
        if nkind == W.SEASON:
            return i, nval, None
        return (i, None, nval) if nkind in (W.NUM, W.NUMV, W.EP) else None
    season = _season_value(toks[i + 1], kinds[i + 1])
    if season is None:
        return None
    episode = None
    if i + 3 < n and kinds[i + 2][0] == W.EPWORD and kinds[i + 3][0] in (W.NUM, W.NUMV):
        episode = kinds[i + 3][1]
    return (i - 1 if i and kinds[i - 1][0] == W.ORD else i), season, episode


def _cut(i: int, toks, kinds, start: int) -> tuple[int, str] | None:
    """"Director's Cut", "Special Edition", "Ultimate Collector's Edition": (first index, name)."""
    j = i
    while j > start and (toks[j - 1].lower() in W.MODIFIERS or kinds[j - 1][0] == W.ORD):
        j -= 1
    if j == i and kinds[i][0] != W.EDWORD:
        return None
    words = [toks[x].lower() for x in range(j, i + 1)]
    if words[0].startswith("director"):
        return j, "Director's Cut"
    return j, " ".join(w.capitalize() for w in words)


def _scan(text: str, folder: bool = False) -> _Scan:
    pieces = _SPLIT.split(text)
    toks, seps = pieces[0::2], pieces[1::2]
    seps.append("")
    n = len(toks)
    memo = _memo
    kinds = [memo.get(t) or _kind(t) for t in toks]
    depth = _depths(seps) if ("(" in text or "[" in text or "{" in text) else None
    start, lead = _start(toks, seps, kinds, depth, n)
    if depth is not None and start < n and depth[start]:
        depth, lead = None, -1
    anime = lead >= 0 and any(kinds[j][0] == W.WORD and depth[j] for j in range(lead, start))
    vals: list = [None] * W.NKINDS
    hard = soft = lang = marker = -1
    season = episode = None
    word_marker = False
    years: list[int] = []
    for i in range(start, n):
        kind, val = kinds[i]
        if kind <= W.EMPTY:
            continue
        if kind in W.HARD:
            if hard < 0 and i > start:
                hard = i
            if vals[kind] is None:
                vals[kind] = val
        elif kind == W.YEAR:
            years.append(i)
        elif kind in W.MARKERS:
            if marker < 0:
                marker = i
                if kind == W.SE or kind == W.XEP:
                    season, episode = val
                elif kind == W.SEASON:
                    season = val
                    if i + 1 < n and kinds[i + 1][0] == W.EP:
                        episode = kinds[i + 1][1]
                else:
                    episode = val
            elif episode is None and kind == W.EP:
                episode = val
        elif kind == W.NUM or kind == W.NUMV:
            if marker < 0 and hard < 0 and i > start and len(toks[i]) <= 4:
                if _is_seg(seps[i - 1]) or (anime and not _is_seg(seps[i])
                                            and _ends_title(i, toks, kinds, depth, n)):
                    marker, episode = i, val
                elif len(toks[i]) >= 3 and not years and i + 1 < n \
                        and kinds[i + 1][1] in _TV_SOURCES:
                    marker, season, episode = i, val // 100, val % 100
        elif kind == W.SOFT:
            if soft < 0 and i > start:
                soft = i
            if val is not None and vals[kind] is None:
                vals[kind] = val
                if val == "WEB" and seps[i] == "-" and toks[i + 1][:2].lower() == "dl":
                    vals[W.SRC] = vals[W.SRC] or "WEB-DL"
                    hard = i if hard < 0 and i > start else hard
        elif kind == W.LANG:
            if lang < 0 and i > start and _ends_title(i, toks, kinds, depth, n):
                lang = i
        elif kind == W.CUT or kind == W.EDWORD:
            hit = _cut(i, toks, kinds, start)
            if hit is not None:
                if hit[0] > start and (hard < 0 or hit[0] < hard):
                    hard = hit[0]
                vals[W.EDITION] = vals[W.EDITION] or hit[1]
        elif kind == W.SEASONWORD or kind == W.EPWORD:
            hit = _word_marker(i, toks, kinds, n)
            if hit is None:
                continue
            if marker < 0:
                marker, season, episode = max(hit[0], start), hit[1], hit[2]
                word_marker = kind == W.EPWORD
            elif episode is None:
                episode = hit[2]
        elif kind == W.HPREFIX:
            if seps[i] == "." and i + 1 < n and toks[i + 1] in ("264", "265"):
                vals[W.CODEC] = vals[W.CODEC] or "H." + toks[i + 1]
                hard = i if hard < 0 and i > start else hard
        elif kind == W.FILMNO:
            if marker < 0 and hard < 0 and i > start and seps[i - 1] == "-" == seps[i]:
                start, years, soft, lang = i + 1, [], -1, -1

    out = _Scan()
    year_i = _pick_year(years, start, marker, hard, toks, seps, kinds, depth, n)
    if word_marker and year_i > marker + 2:
        marker, season, episode = -1, None, None
    bracket = next((j for j in range(start + 1, n) if depth[j]), -1) if depth else -1
    ends = [x for x in (year_i, marker, hard, bracket) if x > start]
    if year_i < 0:
        ends += [x for x in (soft, lang) if x > start]
    end = min(ends) if ends else n
    if year_i >= 0:
        out.year = kinds[year_i][1]
        if end == year_i and year_i - 2 > start and _is_date_part(kinds, year_i - 2) \
                and _is_date_part(kinds, year_i - 1) and seps[year_i - 1] in "-./":
            end = year_i - 2
            out.date = True
        elif year_i + 2 < n and _is_date_part(kinds, year_i + 1) \
                and _is_date_part(kinds, year_i + 2):
            out.date = True
    elif season is not None and _YEAR_MIN <= season <= _YEAR_MAX:
        out.year = season

    if start < n and (marker == start or (
            year_i < 0 and marker < 0 and kinds[start][0] in (W.NUM, W.NUMV)
            and len(toks[start]) <= 3 and start + 1 < n
            and ("-" in seps[start] or seps[start][:2] == ". " or anime))):
        if marker < 0:
            episode = kinds[start][1]
        _lead_marker_title(out, pieces, toks, seps, kinds, depth, start, n)
    else:
        end = _trim_end(toks, seps, kinds, start, end, n, year_i >= 0, bool(ends))
        if end > start:
            out.title, out.raw = _title_text(pieces, toks, seps, start, end)
    out.season, out.episode = season, episode
    out.resolution, out.codec, out.edition = vals[W.RES], vals[W.CODEC], vals[W.EDITION]
    out.source = vals[W.SRC] or vals[W.SOFT]
    out.group = _group(toks, seps, kinds, depth, lead, start, max(end, start), anime, n)
    if folder:
        tagged = [j for j in range(n) if kinds[j][0] not in _NEUTRAL]
        out.informative = year_i >= 0 or marker >= 0 or bool(tagged)
        out.clean = year_i >= 0 and marker < 0 and out.title is not None and all(
            depth is not None and depth[j] for j in tagged)
    return out


def _is_date_part(kinds, i: int) -> bool:
    kind, val = kinds[i]
    return kind == W.NUM and val <= 31


def _pick_year(years, start, marker, hard, toks, seps, kinds, depth, n) -> int:
    """The first bracketed year, else the last year that is followed by metadata or the end."""
    if not years:
        return -1
    if depth is not None:
        for i in years:
            if i > start and depth[i]:
                return i
    for i in reversed(years):
        if i > start and (marker < 0 or i < marker or i == marker + 1) and (
                _ends_title(i, toks, kinds, depth, n) or _is_seg(seps[i])
                or (seps[i] == "-" and i + 2 >= n)):
            return i
    limit = min((x for x in (hard, marker) if x >= 0), default=-1)
    return next((i for i in reversed(years) if start < i < limit), -1)


def _trim_end(toks, seps, kinds, start, end, n, has_year, has_marker) -> int:
    """Drop a trailing article before a keyword and segments that are only tags or junk."""
    if end < n and end - 1 > start and toks[end - 1].lower() == "the" \
            and kinds[end][0] != W.WORD:
        end -= 1
    while end > start and not toks[end - 1]:
        end -= 1
    segs = [j for j in range(start, end) if "-" in seps[j] and len(seps[j]) > 1]
    if segs:
        if (len(segs) >= 2 and not has_year) or not has_marker:
            end = segs[0] + 1
        elif all(kinds[j][0] != W.WORD for j in range(segs[-1] + 1, end)):
            end = segs[-1] + 1
    return end


def _lead_marker_title(out, pieces, toks, seps, kinds, depth, start, n) -> None:
    """'01 - Ep Name', '2x05 - Show - Title', 'E13 - Title': the title follows the marker."""
    out.lead_marker = True
    a = start + (2 if kinds[start][0] in (W.SEASONWORD, W.EPWORD) else 1)
    while a < n and not toks[a]:
        a += 1
    b = a
    while b < n and kinds[b][0] in (W.WORD, W.NUM, W.GENRE) and not (depth and depth[b]) \
            and (b == a or not _is_seg(seps[b - 1])):
        b += 1
    if b > a:
        out.title, out.raw = _title_text(pieces, toks, seps, a, b)


def _group(toks, seps, kinds, depth, lead, start, end, anime, n) -> str | None:
    last = n - 1
    while last > end and (not toks[last] or (depth is not None and depth[last])):
        last -= 1
    if last > end and "-" in seps[last - 1] and kinds[last][0] not in (
            W.RES, W.SRC, W.CODEC, W.AUDIO, W.YEAR, W.NUM) and kinds[last][0] not in W.MARKERS \
            and (toks[last - 1] + "-" + toks[last]).lower() not in _COMPOUNDS:
        return toks[last]
    if anime:
        j = lead
        while j < start and depth[j]:
            j += 1
        return "".join(toks[x] + (seps[x] if x + 1 < j else "") for x in range(lead, j)) or None
    return None


def _key(title: str) -> str:
    """Comparison key: no accents, case, punctuation or 'and'/'&'."""
    s = unicodedata.normalize("NFKD", title.casefold())
    s = "".join(c for c in s if c.isalnum() and not unicodedata.combining(c))
    return s.replace("and", "")


def _words(title: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in title.casefold()).split()


def _weak(scan: _Scan) -> bool:
    """A file name that cannot be trusted for the title: none, after a leading episode marker,
    an all-lowercase abbreviation ("dmd-aw", "personnea_mp") or hash-like junk."""
    if scan.title is None or scan.lead_marker:
        return True
    if scan.year is not None:
        return False
    raw = scan.raw or ""
    if raw.islower() and not any(c.isspace() for c in raw):
        return True
    parts = [p for p in _SPLIT.split(raw)[0::2] if p]
    if len(parts) == 1 and len(raw) < 12:
        return False
    return all(any(c.isdigit() for c in p) for p in parts)


def _with_folders(rel: Release, scan: _Scan, base: str, folders: list[str]) -> None:
    weak = _weak(scan)
    for folder in folders:
        folder = folder.strip()
        if not folder:
            continue
        m = _SEASON_DIR.fullmatch(folder)
        if m:
            if rel.season is None:
                rel.season, rel.type = int(m.group(1)) if m.group(1) else 0, "episode"
            continue
        if folder.lower() in W.GENERIC_FOLDERS:
            continue
        f = _scan(folder, folder=True)
        if f.title is None:
            continue
        if f.clean or (weak and not _weak(f) and (
                f.informative or scan.title is None or scan.lead_marker
                or _contains(_words(base), _words(f.title)))):
            _adopt(rel, f)
            return
        if weak:
            if _weak(f):
                continue
            return
        if (f.informative and _is_suffix(_words(f.title), _words(rel.title or ""))) \
                or _key(f.title) == _key(rel.title or ""):
            rel.title = f.title
            if rel.year is None and f.year is not None and f.season is None:
                rel.year = f.year
        return


def _contains(words: list[str], part: list[str]) -> bool:
    k = len(part)
    return any(words[i:i + k] == part for i in range(len(words) - k + 1))


def _is_suffix(short: list[str], long: list[str]) -> bool:
    return 0 < len(short) < len(long) and long[-len(short):] == short


def _adopt(rel: Release, f: _Scan) -> None:
    rel.title = f.title
    if f.year is not None:
        rel.year = f.year
    if rel.season is None and f.season is not None:
        rel.season = f.season
        rel.type = "episode"
    if rel.episode is None and f.episode is not None and rel.type == "episode":
        rel.episode = f.episode
    rel.edition = rel.edition or f.edition
    rel.resolution = rel.resolution or f.resolution
    rel.source = rel.source or f.source
    rel.codec = rel.codec or f.codec
    rel.group = rel.group or f.group


def _parse(name: str) -> Release:
    parts = _PATH.split(name) if ("/" in name or "\\" in name) else [name]
    base = parts[-1].strip()
    while not base and len(parts) > 1:
        parts.pop()
        base = parts[-1].strip()
    stem, dot, ext = base.rpartition(".")
    if dot and stem and ext.lower() in W.EXTENSIONS:
        base = stem.rstrip()
    s = _scan(base)
    rel = Release(name, s.title, s.year,
                  "episode" if s.season is not None or s.episode is not None or s.date
                  else "movie",
                  s.season, s.episode, s.edition, s.resolution, s.source, s.codec, s.group)
    if len(parts) > 1:
        _with_folders(rel, s, base, parts[-2:-5:-1])
    return rel


def parse(name: str) -> Release:
    """Parse a release name, file name or path (``/`` or ``\\`` separated); never raises."""
    try:
        return _parse(name)
    except Exception:
        return Release(name, None, None, "movie", None, None, None, None, None, None, None)
