"""The single tokenising pass of the release-name parser: one name (or folder) in, a ``_Scan`` out.

Used by :mod:`core.pipeline.source.release_name`, which adds the folder context; see its docstring
for how the pass works and why.
"""

from __future__ import annotations

import re

from core.pipeline.source import release_words as W

_SPLIT = re.compile(r"([\s._\-+,~*=|/\\()\[\]{}\"]+)")
_PATH = re.compile(r"(?<! )[/\\]|[/\\](?! )")
_TOKEN = re.compile(
    r"(?P<year>(?:18|19|20)\d\d)|(?P<num>\d{1,6})|(?P<numv>\d{1,4}v\d)"
    r"|(?P<ord>\d{1,2}(?:st|nd|rd|th))|(?P<se>s\d{1,4}x?ep?\d{1,4}(?:e\d{1,4})*)"
    r"|(?P<season>s\d{1,4}(?:ep?|d\d{1,2}|extras?)?)|(?P<ep>ep?i?\d{1,4}(?:v\d)?)"
    r"|(?P<xep>(?:\d{1,2}|(?:19|20)\d\d)x\d{1,3}(?:x\d{1,3})*)"
    r"|(?P<res>\d{3,4}[pi](?:\d\d)?|\d{3,4}x\d{3,4})|(?P<extra>x\d{1,2})|(?P<film>f\d{1,3})"
    r"|(?P<codec>[xh]26[2345]|hevc\d*|xvid\w*|divx\w*)"
    r"|(?P<audio>(?:dd|ddp|eac3|ac3|aac|dts|flac|opus|mp3|lpcm|pcm|atmos|truehd)\d{0,2}(?:ch)?)"
    r"|(?P<tech>\d+(?:gb|mb|gib|mib|tb|kbps|mbps)|\d{1,2}bits?|\d{2,3}fps|\d{1,2}ch"
    r"|cd\d(?:of\d)?|\d{1,2}cds?|dvd\d|bd\d\d|[a-z]*mux|hdr\w*)"
)
_DIGITS = re.compile(r"\d+")
_ALNUM = re.compile(r"[^\W_]+")
_SITE = re.compile(
    r"(?i)[\[\s]*(?:www\.|[^\s.\[\]()]+\.(?:{})[\s_\]])".format("|".join(sorted(W.TLDS)))
)
_ACRONYM = re.compile(r"(?<![^._])[^\W\d_]\.[^\W\d_](?![^._])")
_SEASON_DIR = re.compile(
    r"(?i)(?:season|saison|series|staffel|temporada|stagione|seizoen|s)"
    r"[\s._-]*(\d{1,4})(?:\s*[(\[].*|\s+\w+)?|specials"
)
_YEAR_MIN, _YEAR_MAX = 1890, 2035
_MEMO_MAX = 100_000
_WORD, _EMPTY = (W.WORD, None), (W.EMPTY, None)
_SHAPED = {
    "num": W.NUM,
    "numv": W.NUMV,
    "ord": W.ORD,
    "se": W.SE,
    "season": W.SEASON,
    "ep": W.EP,
    "xep": W.XEP,
}
_OTHER = {"extra": W.EXTRA, "film": W.FILMNO, "audio": W.AUDIO, "tech": W.TECH}
_NOT_GROUP = frozenset((W.RES, W.SRC, W.CODEC, W.AUDIO, W.YEAR, W.NUM, *W.MARKERS))
_EPISODE_END = frozenset((W.SE, W.XEP, W.SEASON, W.SEASONWORD, W.ORD))
_NEUTRAL = frozenset((W.WORD, W.EMPTY, W.YEAR, W.NUM, W.NUMV, W.ORD, W.GENRE))
_memo: dict[str, tuple[int, object]] = {}
_deltas: dict[str, int] = {}


def _classify(tok: str) -> tuple[int, object]:
    if not tok:
        return _EMPTY
    hit = W.UPPER_ONLY.get(tok) or W.WORDS.get(tok.lower())
    if hit:
        return hit
    low = tok.lower()
    m = _TOKEN.fullmatch(low)
    if m is None:
        return _WORD
    kind = m.lastgroup
    nums = [int(d) for d in _DIGITS.findall(low)]
    if kind == "year":
        return (W.YEAR if _YEAR_MIN <= nums[0] <= _YEAR_MAX else W.NUM), nums[0]
    if kind in _SHAPED:
        kind = _SHAPED[kind]
        return kind, (nums[0], nums[1]) if kind in (W.SE, W.XEP) else nums[0]
    if kind == "res":
        return W.RES, f"{nums[-1]}p" if "x" in low else low.rstrip("0123456789")
    if kind == "codec":
        if low[1:4].isdigit():
            return W.CODEC, ("H." if low[0] == "h" else "x") + low[1:4]
        return W.CODEC, W.WORDS.get(low.rstrip("0123456789"), (0, low.upper()))[1]
    return _OTHER[kind], None


def _kind(tok: str) -> tuple[int, object]:
    if len(_memo) >= _MEMO_MAX:
        _memo.clear()
    hit = _memo[tok] = _classify(tok)
    return hit


def _depths(seps: list[str]) -> list[int]:
    """Bracket depth before each token."""
    out, level, get = [0], 0, _deltas.get
    for sep in seps:
        d = get(sep)
        if d is None:
            if len(_deltas) >= _MEMO_MAX:
                _deltas.clear()
            d = _deltas[sep] = sum(map(sep.count, "([{")) - sum(map(sep.count, ")]}"))
        if d:
            level = max(level + d, 0)
        out.append(level)
    return out


def _is_seg(sep: str) -> bool:
    """A separator between title segments: " - ", "_-_", "--", ".-." (not the one in "X-Men")."""
    return len(sep) > 1 and "-" in sep


class _Scan:
    __slots__ = (
        "clean",
        "codec",
        "date",
        "edition",
        "episode",
        "group",
        "informative",
        "lead_marker",
        "raw",
        "resolution",
        "season",
        "source",
        "title",
        "year",
    )

    def __init__(self) -> None:
        self.title = self.raw = self.year = self.group = None
        self.clean = self.informative = self.lead_marker = self.date = False


def _scan(text: str, folder: bool = False) -> _Scan:
    """Parse one path component (file stem or folder name): tokenise, find where the title
    starts, note the first marker of each kind in one loop, then pick the year and title end."""
    pieces = _SPLIT.split(text)
    toks, seps = pieces[0::2], pieces[1::2]
    seps.append("")
    n = len(toks)
    memo = _memo
    kinds = [memo.get(t) or _kind(t) for t in toks]
    depth = _depths(seps) if ("(" in text or "[" in text or "{" in text) else None
    start, lead = _start(toks, seps, kinds, depth, n, _SITE.match(text) is not None)
    if depth is not None and start < n and depth[start]:
        depth, lead = None, -1  # everything is bracketed: read the inside
    anime = lead >= 0 and any(kinds[j][0] == W.WORD and depth[j] for j in range(lead, start))
    vals: list = [None] * W.NKINDS  # first value seen of each kind
    hard = soft = lang = marker = soft_source = -1
    season = episode = None
    word_marker = False
    years: list[int] = []
    for i in range(start, n):
        kind, val = kinds[i]
        if kind <= W.EMPTY:
            continue
        if kind in W.HARD:
            if i > start:
                hard = i if hard < 0 else hard
                vals[kind] = val if vals[kind] is None else vals[kind]
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
                if _is_seg(seps[i - 1]) or (
                    anime and not _is_seg(seps[i]) and _ends_title(i, toks, kinds, depth, n)
                ):
                    marker, episode = i, val  # "Show - 12", "[Grp] Show 12"
                elif (
                    len(toks[i]) >= 3
                    and not years
                    and i + 1 < n
                    and kinds[i + 1][1] in W.TV_SOURCES
                ):
                    marker, season, episode = i, val // 100, val % 100  # "Show.102.HDTV"
        elif kind == W.SOFT:
            if soft < 0 and i > start and _ends_title(i, toks, kinds, depth, n):
                soft = i
            if val is not None:
                vals[kind], soft_source = val, i
                if val == "WEB" and seps[i] == "-" and toks[i + 1][:2].lower() == "dl":
                    vals[W.SRC] = vals[W.SRC] or "WEB-DL"
                    hard = i if hard < 0 and i > start else hard
        elif kind == W.LANG:
            if lang < 0 and i > start and _ends_title(i, toks, kinds, depth, n):
                lang = i
        elif kind == W.CUT or kind == W.EDWORD:
            hit = _cut(i, toks, seps, kinds, start)
            if hit is not None:
                if hit[0] > start and (hard < 0 or hit[0] < hard):
                    hard = hit[0]
                vals[W.EDITION] = vals[W.EDITION] or hit[1]
        elif kind == W.SEASONWORD or kind == W.EPWORD:
            hit = _word_marker(i, toks, kinds, n)
            if hit is not None and marker < 0:
                marker, season, episode = max(hit[0], start), hit[1], hit[2]
                word_marker = kind == W.EPWORD
            elif hit is not None and episode is None:
                episode = hit[2]
        elif kind == W.HPREFIX and seps[i] == "." and i + 1 < n and toks[i + 1] in ("264", "265"):
            vals[W.CODEC] = vals[W.CODEC] or "H." + toks[i + 1]
            hard = i if hard < 0 and i > start else hard
        elif (
            kind == W.FILMNO
            and marker < 0
            and hard < 0
            and i > start
            and seps[i - 1] == "-" == seps[i]
        ):
            start, years, soft, lang = i + 1, [], -1, -1  # "James_Bond-f21-Casino_Royale"

    out = _Scan()
    year_i = _pick_year(
        years, start, -1 if word_marker else marker, hard, toks, seps, kinds, depth, n
    )
    if word_marker:
        if year_i > marker + 2:  # "Star.Wars.Episode.1.The.Phantom.Menace.1999"
            marker, season, episode = -1, None, None
        elif year_i > marker:
            year_i = _pick_year(years, start, marker, hard, toks, seps, kinds, depth, n)
    bracket = next((j for j in range(start + 1, n) if depth[j]), -1) if depth else -1
    ends = [x for x in (year_i, marker, hard, bracket) if x > start]
    if year_i < 0:
        ends += [x for x in (soft, lang) if x > start]
    end = min(ends) if ends else n
    if year_i >= 0:
        out.year = kinds[year_i][1]
        if (
            end == year_i
            and year_i - 2 > start
            and _is_day(kinds, year_i - 2)
            and _is_day(kinds, year_i - 1)
            and seps[year_i - 1] in "-./"
        ):
            end, out.date = year_i - 2, True  # "Show.03-29-2012"
        elif year_i + 2 < n and _is_day(kinds, year_i + 1) and _is_day(kinds, year_i + 2):
            out.date = True  # "Show.2012.03.29"
    elif season is not None and _YEAR_MIN <= season <= _YEAR_MAX:
        out.year = season  # "Show.S2014E18"

    if start < n and (
        marker == start
        or (
            year_i < 0
            and marker < 0
            and kinds[start][0] in (W.NUM, W.NUMV)
            and len(toks[start]) <= 3
            and start + 1 < n
            and ("-" in seps[start] or seps[start][:2] == ". " or anime)
        )
    ):
        if marker < 0:
            episode = kinds[start][1]
        _lead_marker_title(out, pieces, toks, seps, kinds, depth, start, n)
    else:
        end = _trim_end(toks, seps, kinds, start, end, year_i >= 0, bool(ends), hard >= 0)
        if end > start:
            out.title, out.raw = _title_text(pieces, toks, seps, start, end)
    out.season, out.episode = season, episode
    out.resolution, out.codec, out.edition = vals[W.RES], vals[W.CODEC], vals[W.EDITION]
    out.source = vals[W.SRC] or (vals[W.SOFT] if soft_source >= end else None)
    out.group = _group(toks, seps, kinds, depth, lead, start, max(end, start), anime, n)
    if folder:
        tagged = [j for j in range(n) if kinds[j][0] not in _NEUTRAL]
        out.informative = year_i >= 0 or marker >= 0 or bool(tagged)
        out.clean = (
            year_i >= 0
            and marker < 0
            and out.title is not None
            and all(depth is not None and depth[j] for j in tagged)
        )
    return out


def _start(toks, seps, kinds, depth, n, site: bool) -> tuple[int, int]:
    """Index of the first title word, and of a leading bracket group (-1 if none)."""
    i, lead = 0, -1
    while i < n:
        if depth is not None and depth[i] and toks[i]:
            lead = i if lead < 0 else lead
        elif (
            toks[i]
            and kinds[i][0] not in W.TECHNICAL
            and not (kinds[i][0] == W.LANG and _is_seg(seps[i]))
        ):
            break
        i += 1
    if i >= n:
        return next((j for j in range(n) if toks[j] and kinds[j][0] not in W.TECHNICAL), n), -1
    if lead == 1 and seps[0] == "(" and i == 2 and kinds[1][0] == W.NUM and seps[1] == ") ":
        depth[1] = 0  # "(500) Days of Summer", not the track number of "(1)The Girl..."
        return 1, -1
    if site:  # "www.site.com - Title", "Site.com_title"
        j = i
        while j + 1 < n and seps[j] == ".":
            j += 1
        if j > i and (toks[i].lower() == "www" or toks[j].lower() in W.TLDS):
            i = j + 1
            while i < n and (not toks[i] or (depth is not None and depth[i])):
                i += 1
    if i + 1 < n and toks[i].lower() in W.NETWORK_PREFIXES and kinds[i + 1][0] == W.WORD:
        i += 1
    return min(i, n), lead


def _ends_title(i: int, toks, kinds, depth, n) -> bool:
    """Is token i followed by metadata, a bracket or the end (so not by more title)?"""
    j = i + 1
    while j < n and not toks[j]:
        j += 1
    return (
        j >= n
        or (depth is not None and depth[j] > depth[i])
        or (kinds[j][0] not in (W.WORD, W.GENRE, W.HPREFIX))
    )


def _is_day(kinds, i: int) -> bool:
    kind, val = kinds[i]
    return kind == W.NUM and val <= 31


def _word_marker(i: int, toks, kinds, n: int) -> tuple[int, int | None, int | None] | None:
    """'Season 2', 'Saison VII', '2nd Season', 'Season 1 Episode 2', 'Episode 4', 'Ep 2x03':
    (marker index, season, episode)."""
    if i + 1 >= n:
        return None
    nkind, nval = kinds[i + 1]
    if kinds[i][0] == W.EPWORD:
        if nkind == W.SE or nkind == W.XEP:
            return i, nval[0], nval[1]
        if nkind == W.SEASON:
            return i, nval, None
        return (i, None, nval) if nkind in (W.NUM, W.NUMV, W.EP) else None
    low = toks[i + 1].lower()
    if nkind in (W.NUM, W.NUMV):
        season = nval
    elif low[:1].isdigit():  # "Season.2of5"
        season = int(low[:2] if low[1:2].isdigit() else low[:1])
    else:
        season = W.ROMAN.get(low) or W.NUMBER_WORDS.get(low)
    if season is None:
        return None
    episode = None
    if i + 3 < n and kinds[i + 2][0] == W.EPWORD and kinds[i + 3][0] in (W.NUM, W.NUMV):
        episode = kinds[i + 3][1]
    return (i - 1 if i and kinds[i - 1][0] == W.ORD else i), season, episode


def _cut(i: int, toks, seps, kinds, start: int) -> tuple[int, str] | None:
    """Edition tags such as "Director's Cut" or "25th Anniversary Edition": (first index, name)."""
    j = i
    while j > start and (toks[j - 1].lower() in W.MODIFIERS or kinds[j - 1][0] == W.ORD):
        j -= 1
    if j == i and kinds[i][0] != W.EDWORD:
        return None  # a bare "Cut"/"Version" is a title word
    if j == i and seps[i] == "-" and i + 1 < len(toks):  # Radarr's "{edition-Final Cut}"
        k = i + 1
        while k + 1 < len(toks) and not any(c in seps[k] for c in ")]}"):
            k += 1
        words = [toks[x].lower() for x in range(i + 1, k + 1)]
    else:
        words = [toks[x].lower() for x in range(j, i + 1)]
    if words[0].startswith("director"):
        return j, "Director's Cut"
    return j, " ".join(w.capitalize() for w in words)


def _pick_year(years, start, marker, hard, toks, seps, kinds, depth, n) -> int:
    """The first bracketed year, else the last year followed by metadata or the end, else the
    last year before the metadata ("Lollapalooza.2022.Cat.Dealers.1080p")."""
    if not years:
        return -1
    if depth is not None:
        for i in years:
            if i > start and depth[i]:
                return i
    for i in reversed(years):
        if (
            i > start
            and (marker < 0 or i < marker or i == marker + 1)
            and (
                _ends_title(i, toks, kinds, depth, n)
                or _is_seg(seps[i])
                or (seps[i] == "-" and i + 2 >= n)
            )
        ):
            return i
    limit = min((x for x in (hard, marker) if x >= 0), default=-1)
    return next((i for i in reversed(years) if start < i < limit), -1)


def _trim_end(toks, seps, kinds, start, end, has_year, has_marker, tagged) -> int:
    """Drop "The" before a tag ("Show The Complete Series") and trailing segments: all but the
    first of several when neither a year nor an SxxEyy follows ("Title - Other Title - Actor
    Multi 1080p", "[Grp] Show - Arc - 07"), a tag-only one ("Title - Drama 2011 720p"), and all
    but the first when nothing marks the title's end, unless they are " - " (Sonarr and Radarr
    write "Title: Subtitle" as "Title - Subtitle")."""
    episode_end = end < len(toks) and kinds[end][0] in _EPISODE_END
    if (
        end < len(toks)
        and end - 1 > start
        and toks[end - 1].lower() == "the"
        and kinds[end][0] != W.WORD
    ):
        end -= 1
    while end > start and not toks[end - 1]:
        end -= 1
    if "-" not in "".join(seps[start:end]):
        return end
    segs = [j for j in range(start, end) if "-" in seps[j] and len(seps[j]) > 1]
    if segs:
        if (len(segs) >= 2 and not has_year and not episode_end) or (
            not has_marker and any(seps[j].strip() != "-" for j in segs)
        ):
            end = segs[0] + 1
        elif tagged and all(kinds[j][0] != W.WORD for j in range(segs[-1] + 1, end)):
            end = segs[-1] + 1
    return end


def _lead_marker_title(out: _Scan, pieces, toks, seps, kinds, depth, start, n) -> None:
    """'01 - Ep Name', '2x05 - Show - Title', 'E13 - Title': the title follows the marker."""
    out.lead_marker = True
    a = start + (2 if kinds[start][0] in (W.SEASONWORD, W.EPWORD) else 1)
    while a < n and not toks[a]:
        a += 1
    b = a
    while (
        b < n
        and kinds[b][0] in (W.WORD, W.NUM, W.GENRE)
        and not (depth and depth[b])
        and (b == a or not _is_seg(seps[b - 1]))
    ):
        b += 1
    if b > a:
        out.title, out.raw = _title_text(pieces, toks, seps, a, b)


def _title_text(pieces, toks, seps, a: int, b: int) -> tuple[str | None, str | None]:
    raw = "".join(pieces[2 * a : 2 * b - 1])
    if ")" in raw and raw.count(")") > raw.count("(") and seps[a - 1][-1:] == "(":
        raw = "(" + raw
    if not raw.strip(" ._-"):
        return None, None
    if " " in raw:
        title = " ".join(raw.replace("_", " ").split())
        if seps[b - 1][:2] == ". ":  # "Samrat & Co. (2014)"
            title += "."
    elif ".." in raw or seps[b - 1][:3] == "..." or _ACRONYM.search(raw):
        title = _undot(toks, seps, a, b)
    else:
        title = " ".join(raw.replace(".", " ").replace("_", " ").split())
    return (title.strip(" -") or None), raw


def _undot(toks: list[str], seps: list[str], a: int, b: int) -> str:
    """Dotted title text that keeps acronyms ("S.H.I.E.L.D.") and ellipses ("What If...")."""
    parts = []
    j = a
    while j < b:
        k = j
        while (
            k + 1 < b
            and seps[k] == "."
            and len(toks[k]) == 1 == len(toks[k + 1])
            and toks[k].isalpha()
            and toks[k + 1].isalpha()
        ):
            k += 1
        parts.append(".".join(toks[j : k + 1]))
        sep = seps[k]
        ellipsis = len(sep) >= 3 and not sep.strip(".")
        if k + 1 < b:
            if ellipsis:
                parts.append("... " if len(sep) > 3 else "...")
            else:
                parts.append(
                    ("." if k > j and sep[0] == "." else "")
                    + sep.replace(".", " ").replace("_", " ")
                )
        elif ellipsis or (k > j and sep[:1] == "."):
            parts.append("..." if ellipsis else ".")
        j = k + 1
    return " ".join("".join(parts).split())


def _group(toks, seps, kinds, depth, lead, start, end, anime, n) -> str | None:
    """The "-GROUP" suffix, else an anime-style leading "[Group]"."""
    last = n - 1
    while last > end and (
        not toks[last] or (depth is not None and depth[last]) or toks[last].lower() == "sample"
    ):
        last -= 1
    if (
        last > end
        and "-" in seps[last - 1]
        and kinds[last][0] not in _NOT_GROUP
        and f"{toks[last - 1]}-{toks[last]}".lower() not in W.COMPOUNDS
    ):
        return toks[last]
    if anime:
        j = lead
        while j < start and depth[j]:
            j += 1
        return "".join(toks[x] + (seps[x] if x + 1 < j else "") for x in range(lead, j)) or None
    return None


def _weak(scan: _Scan) -> bool:
    """A file name that cannot be trusted for the title: none, one after a leading episode
    marker, an all-lowercase abbreviation ("dmd-aw", "personnea_mp") or hash-like junk."""
    if scan.title is None or scan.lead_marker:
        return True
    if scan.year is not None:
        return False
    raw = scan.raw
    if raw.islower() and not any(c.isspace() for c in raw):
        return True
    parts = [p for p in _SPLIT.split(raw)[0::2] if p]
    return (len(parts) > 1 or len(raw) >= 12) and all(any(map(str.isdigit, p)) for p in parts)
