"""The single tokenising pass of the release-name parser: one name (or folder) in, a ``Scan`` out.

Used by :mod:`core.pipeline.source.release_name`, which adds the folder context; see its docstring
for how the pass works and why. ``scan`` runs named steps in order over one ``Scan``: classify the
tokens (:mod:`~core.pipeline.source.release_tokens`), find where the title starts
(:mod:`~core.pipeline.source.release_start`), note the markers and tags in one loop and rank the
episode markers (here), then pick the year, find where the title ends, read the title
(:mod:`~core.pipeline.source.release_title`), the tags and the group.
"""

from __future__ import annotations

import re

from core.pipeline.source import release_tokens as K
from core.pipeline.source import release_words as W
from core.pipeline.source.release_start import find_start
from core.pipeline.source.release_title import (
    edition,
    ends_title,
    episode_or_film,
    find_end,
    pick_year,
    read_source_and_group,
    read_title,
)

# The kinds _note_markers tests most tokens against: a module name is one lookup, W.NAME two.
from core.pipeline.source.release_words import EMPTY, HARD, LANG, MARKERS, SOFT, SRC, YEAR

_SITE = re.compile(
    r"(?i)[\[\s]*(?:www\.|[^\s.\[\]()]+\.(?:{})[\s_\]])".format("|".join(sorted(W.TLDS)))
)
_DIGITS = re.compile(r"\d+")
_split, _memo_get = K.SPLIT.split, K.memo.get  # bound once; the memo is cleared, never replaced
_TAGS = W.HARD | {W.LANG, W.SOFT}
_RESOLUTIONS = frozenset((480, 576, 720, 1080, 2160))
_EP_NEXT = frozenset((W.NUM, W.NUMV, W.EP))
_CHAIN = frozenset((W.SE, W.XEP, W.EP))
_NEUTRAL = frozenset((W.WORD, W.EMPTY, W.YEAR, W.NUM, W.NUMV, W.ORD, W.GENRE))


class Scan:
    """One path component while it is read, shared by the steps instead of long argument lists.

    Tokens (from ``release_tokens``): ``pieces`` (tokens and separators alternating, as split),
    ``toks``, ``seps`` (the separator after each token), ``kinds``, ``depth`` (bracket depth
    before each token, None when nothing is bracketed) and ``n``. Token indexes the steps find
    (-1 when absent): ``start``, ``lead``, ``hard``, ``soft``, ``lang``, ``marker``,
    ``soft_source``, ``year_i``, ``end``, and ``years`` (all of them); flags ``anime``,
    ``word_marker`` (the marker is "Episode N") and ``bounded`` (something ended the title);
    ``soft_value``, the first soft keyword's value. The rest is what was read (``title``,
    ``year``, ``season``...), which ``release_name`` uses.

    Steps copy the fields they use into locals first, at most three per assignment (more build a
    tuple): reading an attribute costs several times a local, and the parser's instruction count
    is gated.
    """

    __slots__ = (
        "anime",
        "bounded",
        "clean",
        "codec",
        "date",
        "depth",
        "edition",
        "end",
        "episode",
        "episode_end",
        "group",
        "hard",
        "informative",
        "kinds",
        "lang",
        "lead",
        "lead_marker",
        "marker",
        "n",
        "pieces",
        "raw",
        "resolution",
        "season",
        "season_end",
        "seps",
        "soft",
        "soft_source",
        "soft_value",
        "source",
        "start",
        "title",
        "toks",
        "word_marker",
        "year",
        "year_i",
        "years",
    )

    def __init__(self, text: str) -> None:
        self.pieces = pieces = _split(text)
        self.toks = toks = pieces[0::2]
        self.seps = seps = pieces[1::2]
        seps.append("")
        self.n = len(toks)
        kinds = list(map(_memo_get, toks))  # memo hits looked up in C; a class is never falsy
        if not all(kinds):
            kind = K.kind
            kinds = [k or kind(t) for k, t in zip(kinds, toks, strict=True)]
        self.kinds = kinds
        bracketed = "(" in text or "[" in text or "{" in text
        if not bracketed and not text.isascii():
            bracketed = "【" in text or "「" in text
        self.depth = K.depths(seps) if bracketed else None
        self.title = self.raw = self.year = None
        self.clean = self.informative = self.lead_marker = self.date = False


def scan(text: str, folder: bool = False) -> Scan:
    """Parse one path component (file stem or folder name); ``folder`` also judges whether it
    names the title cleanly (``Scan.clean``) or says anything at all (``Scan.informative``)."""
    s = Scan(text)
    find_start(s, "." in text and _SITE.match(text) is not None)  # both of its forms need a dot
    _note_markers(s)
    s.season_end = s.episode_end = None
    if s.marker >= 0:
        _note_ranges(s)
    s.year_i = pick_year(s, -1 if s.word_marker else s.marker)
    if s.word_marker:
        episode_or_film(s)
    find_end(s)
    read_title(s)
    read_source_and_group(s)
    if folder:
        _judge_folder(s)
    return s


def _note_markers(s: Scan) -> None:
    """One loop from the title's start: every year, the first hard keyword, soft keyword,
    language and episode marker (ranked: ``_weak_marker``), and the first value of each tag."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
    n, start = s.n, s.start
    hard = soft = lang = marker = soft_source = -1
    season = episode = words = bare = None
    vals, years = [None] * W.NKINDS, []
    for i in range(start, n):
        kind, val = kinds[i]
        if kind <= EMPTY:
            continue
        if kind in HARD and i > start:
            hard = i if hard < 0 else hard
            vals[kind] = val if vals[kind] is None else vals[kind]
        elif kind == YEAR:
            years.append(i)
        elif kind in MARKERS:
            if marker < 0:
                marker, (season, episode) = i, _marker_numbers(s, i)
            elif episode is None and kind == W.EP:
                episode = val
        elif kind == W.NUM or kind == W.NUMV:
            if marker < 0 and bare is None and hard < 0 and i > start:
                bare = _bare_marker(s, i, bool(years))
                if bare is not None and K.is_seg(seps[i - 1]):
                    marker, season, episode = bare  # "Show - 313-315 - s16e03-05"
        elif kind == SOFT:
            if soft < 0 and i > start and ends_title(s, i):
                soft = i
            if val is not None:
                vals[kind], soft_source = val, i
                if val == "WEB" and seps[i] == "-" and toks[i + 1][:2].lower() == "dl":
                    vals[SRC] = vals[SRC] or "WEB-DL"
                    hard = i if hard < 0 and i > start else hard
        elif kind == LANG and lang < 0 and i > start and ends_title(s, i):
            lang = i
        elif (kind == W.CUT or kind == W.EDWORD) and (hit := edition(s, i, start)):
            hard = hit[0] if hit[0] > start and (hard < 0 or hit[0] < hard) else hard
            vals[W.EDITION] = vals[W.EDITION] or hit[1]
        elif (kind == W.SEASONWORD or kind == W.EPWORD) and (hit := _word_marker(s, i)):
            if marker >= 0 or bare is not None:
                episode = hit[2] if episode is None else episode
            elif toks[i].lower() in W.TITLE_SEASONWORDS:
                words = words or hit  # "Series 13 - S01E01": kept only if nothing stronger
            else:
                marker, season, episode = max(hit[0], start), hit[1], hit[2]
        elif kind == W.FILMNO:
            if marker < 0 and hard < 0 and i > start and seps[i - 1] == "-" == seps[i]:
                start, years, soft, lang = i + 1, [], -1, -1  # "James_Bond-f21-Casino_Royale"
        elif kind == W.HPREFIX and seps[i] == "." and i + 1 < n and toks[i + 1] in ("264", "265"):
            vals[W.CODEC] = vals[W.CODEC] or "H." + toks[i + 1]
            hard = i if hard < 0 and i > start else hard
    if marker < 0 and (bare or words or not years):
        marker, season, episode = _weak_marker(s, start, bare or words, not years, vals[W.SRC])
    s.start, s.years, s.hard = start, years, hard
    s.soft, s.lang, s.marker, s.season, s.episode = soft, lang, marker, season, episode
    s.word_marker = marker >= 0 and kinds[marker][0] == W.EPWORD  # "Episode 4"
    s.resolution, s.codec, s.edition = vals[W.RES], vals[W.CODEC], vals[W.EDITION]
    s.source, s.soft_source, s.soft_value = vals[W.SRC], soft_source, vals[W.SOFT]


def _note_ranges(s: Scan) -> None:
    """The last season or episode of a range that starts at the marker: "S01-S07", "S01-07",
    "Season 1-6", "Season 01 - Season 07", and the episodes ``_episode_chain`` follows."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
    i, n = s.marker, s.n
    kind, val = kinds[i]
    if kind == W.SEASONWORD and i + 1 < n and kinds[i + 1][0] in (W.NUM, W.NUMV):
        i, kind, val = i + 1, W.SEASON, kinds[i + 1][1]
    elif i + 1 < n and (
        (kind == W.EPWORD and kinds[i + 1][0] in _EP_NEXT)
        or (kind == W.SEASON and kinds[i + 1][0] == W.EP)
    ):
        i, kind = i + 1, W.EP  # "Ep. 1-5", "S01 E01-10", "S01.E02.E03"
    elif kind == W.NUM or kind == W.NUMV:
        kind = W.EP  # an absolute number: "Show - 316-317", "01v2-04", "01+02"
    if kind == W.SE or kind == W.XEP:
        nums = _DIGITS.findall(toks[i].lower().partition("v")[0])  # "S01E06v2": a version
        if len(nums) > 2:
            s.episode_end = int(nums[-1])  # "S01E01E02", "5x44x45x46"
    if kind != W.SEASON:
        k = i + 1  # the chain only where something can follow: a dash, a marker, "&"
        if (
            k < n
            and s.episode is not None
            and kind in (W.SE, W.XEP, W.EP)
            and (
                "-" in seps[i] or seps[i] == "+" or kinds[k][0] in _CHAIN or toks[k] in W.CONNECTORS
            )
        ):
            _episode_chain(s, i)
        return
    k = i + 1
    if s.episode is not None or k >= n or not ("-" in seps[i] or not seps[i].strip(" .")):
        return
    nkind, nval = kinds[k]
    if nkind == W.SEASONWORD and k + 1 < n and kinds[k + 1][0] == W.NUM:
        nkind, nval = W.SEASON, kinds[k + 1][1]
    if (nkind == W.SEASON or (nkind == W.NUM and "-" in seps[i])) and val < nval < 100:
        s.season_end = nval


def _episode_chain(s: Scan, i: int) -> None:
    """Follow the episodes after the marker at i to the last: "E01-E03", "1x01-1x03",
    "1x02-03-04", "S01E02.S01E03", "S01E02 - S01E03 - S01E04", "S01E00 & S01E01", "E02.E03"."""
    toks, seps, kinds, n = s.toks, s.seps, s.kinds, s.n
    first = s.episode
    last = s.episode_end or first
    while i + 1 < n:
        k = i + 1
        if toks[k] in W.CONNECTORS and k + 1 < n and kinds[k + 1][0] in (W.SE, W.XEP):
            k += 1  # "S14E00.and.S14E01"
        nkind, nval = kinds[k]
        if (nkind == W.SE or nkind == W.XEP) and nval[0] == s.season:
            nxt = max(int(d) for d in _DIGITS.findall(toks[k].lower().partition("v")[0])[1:])
        elif (nkind == W.EP and (k > i + 1 or "-" in seps[i] or not seps[i].strip(" ._"))) or (
            nkind in (W.NUM, W.NUMV) and (seps[i] == "-" or seps[i] == "+")
        ):
            nxt = nval  # "E02.E03", "E01-E03"; "1x02-03-04", "01+02"
        else:
            break
        if not last < nxt < first + 1000:
            break
        last, i = nxt, k
    if last != first:
        s.episode_end = last


def _bare_marker(s: Scan, i: int, after_year: bool) -> tuple[int, int | None, int] | None:
    """(index, season, episode) of a bare episode number (``_bare_episode``): one set off by
    " - " is as strong as a marker; others give way to a marker after them ("Show 29 S01E03")."""
    if len(s.toks[i]) > 4 and s.kinds[i][0] == W.NUM:
        return None
    hit = _bare_episode(s, i, after_year)
    return None if hit is None else (i, *hit)


def _weak_marker(s: Scan, start: int, weak, no_year: bool, source) -> tuple:
    """(index, season, episode) when no SxxEyy, 1x02, S01 or E02 was found, by rank: a bare
    number, a title-like season word ("Series 2"), "Part N" of a TV release without a year."""
    if weak is not None:
        return max(weak[0], start), weak[1], weak[2]
    if no_year and source in W.TV_SOURCES:
        return _part_marker(s, start)
    return -1, None, None


def _part_marker(s: Scan, start: int) -> tuple[int, int | None, int | None]:
    """ "Part 2", "Part.Two", "Part01" in a TV release without a year: a mini-series episode,
    season 1 as Sonarr numbers them ("Show.Part.Two.720p.HDTV"); (-1, None, None) without."""
    toks, n = s.toks, s.n
    for i in range(start + 1, n):
        low = toks[i].lower()
        if low[:4] != "part":
            continue
        word = low[4:] or (toks[i + 1].lower() if i + 1 < n else "")
        number = int(word) if word.isdigit() and len(word) <= 2 else W.NUMBER_WORDS.get(word)
        if number:
            return i, 1, number
    return -1, None, None


def _marker_numbers(s: Scan, i: int) -> tuple[int | None, int | None]:
    """(season, episode) of the first episode marker: "S01E02", "1x02", "S01" (+ "E02", or
    " - 02" as anime names write it), "E02"."""
    kinds, n = s.kinds, s.n
    kind, val = kinds[i]
    if kind == W.SE or kind == W.XEP:
        return val
    if kind == W.SEASON:
        if i + 1 < n and (
            kinds[i + 1][0] == W.EP
            or (kinds[i + 1][0] in (W.NUM, W.NUMV) and K.is_seg(s.seps[i]) and s.anime)
        ):
            return val, kinds[i + 1][1]
        return val, None
    return None, val


def _bare_episode(s: Scan, i: int, after_year: bool) -> tuple[int | None, int] | None:
    """(season, episode) when a short bare number before any marker is an episode number:
    "Show - 12", "[Grp] Show 12", "Show.102.HDTV" (season 1, episode 2)."""
    toks, kinds, val = s.toks, s.kinds, s.kinds[i][1]
    if s.seps[i - 1] in (".", ". ", " ") and toks[i - 1].lower() in W.NUMBER_SIGNS:
        return None  # "Blue Submarine No.6", "No. 6": a number the title names
    if K.is_seg(s.seps[i - 1]) or (
        s.anime
        and not K.is_seg(s.seps[i])
        and ends_title(s, i)
        and (i + 1 >= s.n or kinds[i + 1][0] != W.YEAR)  # "[Grp] Title 2 2011": a sequel
    ):
        return None, val
    if i + 2 < s.n and toks[i + 1].lower() == "of" and kinds[i + 2][0] == W.NUM:
        return None, val  # "Show.14.of.21.Title", "BBC Show 1 of 6"
    j = i + 2 if i + 2 < s.n and kinds[i + 1][0] == W.RES else i + 1  # "Show.103.720p.HDTV"
    tv = j < s.n and kinds[j][1] in W.TV_SOURCES
    if (
        len(toks[i]) >= 3
        and tv
        and (not after_year or kinds[i - 1][0] == W.YEAR)
        and val not in _RESOLUTIONS
    ):
        return val // 100, val % 100  # "the.flash.2014.208.hdtv": season 2, episode 8
    if after_year or len(toks[i]) < 2 or s.seps[i - 1] != s.seps[i]:
        return None
    if tv or (toks[i][0] == "0" and (i + 1 >= s.n or kinds[i + 1][0] in _TAGS)):
        return None, val  # "Show.07.PDTV", "Show.Name.10.HDTV", "Dead.Set.02.FRENCH"
    return None


def _word_marker(s: Scan, i: int) -> tuple[int, int | None, int | None] | None:
    """'Season 2', 'Saison VII', '2nd Season', 'Season 1 Episode 2', 'Episode 4', 'Ep 2x03':
    (marker index, season, episode)."""
    toks, kinds, n = s.toks, s.kinds, s.n
    if i + 1 >= n:
        return None
    nkind, nval = kinds[i + 1]
    if kinds[i][0] == W.EPWORD:
        if nkind == W.SE or nkind == W.XEP:
            return i, nval[0], nval[1]
        if nkind == W.SEASON:
            return i, nval, None
        if nkind == W.NUM and nval >= 100 and toks[i].lower().startswith("cap"):
            return i, nval // 100, nval % 100  # Spanish "[Cap.102]": season 1, episode 2
        return (i, None, nval) if nkind in (W.NUM, W.NUMV, W.EP) else None
    low = toks[i + 1].lower()
    if i and kinds[i - 1][0] == W.ORD:
        season = kinds[i - 1][1]  # "2nd Season", "1ª Temporada"
    elif nkind in (W.NUM, W.NUMV):
        season = nval
    elif low[:1].isdigit() and nkind not in (W.RES, W.YEAR):  # "Season.2of5"
        season = int(low[:2] if low[1:2].isdigit() else low[:1])
    else:
        season = W.ROMAN.get(low) or W.NUMBER_WORDS.get(low)
    if season is None:
        return None
    episode = None
    if i + 3 < n and kinds[i + 2][0] == W.EPWORD and kinds[i + 3][0] in (W.NUM, W.NUMV):
        episode = kinds[i + 3][1]
    return (i - 1 if i and kinds[i - 1][0] == W.ORD else i), season, episode


def _judge_folder(s: Scan) -> None:
    """A folder is informative when it has a year, a marker or a tag, and clean ("Title (Year)")
    when it has a year and a title, no marker, and every tag is in brackets."""
    depth = s.depth
    tagged = [j for j, k in enumerate(s.kinds) if k[0] not in _NEUTRAL]
    s.informative = s.year_i >= 0 or s.marker >= 0 or bool(tagged)
    s.clean = (
        s.year_i >= 0
        and s.marker < 0
        and s.title is not None
        and (not tagged or (depth is not None and all(map(depth.__getitem__, tagged))))
    )
