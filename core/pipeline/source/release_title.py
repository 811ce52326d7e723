"""Where the title starts and ends, which year is the release's, and the title's text.

Steps of :func:`core.pipeline.source.release_scan.scan`, each reading and writing its ``Scan``.
The title runs from the first content word to the first year, episode marker, hard keyword or
bracket; soft keywords end it only when no year does (see ``release_name``'s docstring).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.pipeline.source import release_words as W
from core.pipeline.source.release_tokens import SPLIT, YEAR_MAX, YEAR_MIN, is_seg

if TYPE_CHECKING:
    from core.pipeline.source.release_scan import Scan

#: Is there an acronym: a single letter, a dot and a single letter between separators or the ends
#: ("S.H.I.E.L.D.", "L.A.")? Read from the dot, checking the letter and the character before it
#: behind: ``re`` then jumps from dot to dot instead of trying a match at every letter (5x
#: faster). Only ``search``'s truth is used; the match starts at the dot, one after the letter.
_ACRONYM = re.compile(r"\.(?<=[^\W\d_]\.)(?<![^._]..)[^\W\d_](?![^._])")
_NOT_GROUP = frozenset((W.RES, W.SRC, W.CODEC, W.AUDIO, W.YEAR, W.NUM, *W.MARKERS))
_AKA = re.compile(r"(?i)(?<![^\W_])a\.k\.a\.?(?![^\W_])")
_EPISODE_END = frozenset((W.SE, W.XEP, W.SEASON, W.SEASONWORD, W.ORD))
_ANIME_EPISODE = frozenset((W.NUM, W.NUMV, W.EP))
_OPENS = {")": "(", "]": "["}
_MORE_TITLE = frozenset((W.WORD, W.GENRE, W.HPREFIX))
_TITLE_GOES_ON = frozenset((W.WORD, W.NUM, W.NUMV, W.EP, W.SE, W.SEASON, W.XEP))


def edition(s: Scan, i: int, start: int) -> tuple[int, str] | None:
    """Edition tags such as "Director's Cut" or "25th Anniversary Edition": (first index, name)."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
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


def ends_title(s: Scan, i: int) -> bool:
    """Is token i followed by metadata, a bracket or the end (so not by more title)?"""
    toks, depth, n = s.toks, s.depth, s.n
    j = i + 1
    while j < n and not toks[j]:
        j += 1
    return (
        j >= n or (depth is not None and depth[j] > depth[i]) or (s.kinds[j][0] not in _MORE_TITLE)
    )


def episode_or_film(s: Scan) -> None:
    """After "Episode N", a year two or more words later makes this a film ("Star.Wars.Episode.
    1.The.Phantom.Menace.1999"): the marker is dropped; a year closer to it is picked again with
    the marker in place."""
    year_i, marker = s.year_i, s.marker
    if year_i > marker + 2:
        s.marker, s.season, s.episode = -1, None, None
    elif year_i > marker:
        s.year_i = pick_year(s, marker)


def pick_year(s: Scan, marker: int) -> int:
    """The release's year (its index, -1 for none): the first bracketed year, else the last year
    followed by metadata or the end, else the last year before the metadata ("Lollapalooza.2022.
    Cat.Dealers.1080p"); never the first word, nor after the episode ``marker`` (-1: none)."""
    years, start, depth = s.years, s.start, s.depth
    seps, n = s.seps, s.n
    if not years:
        return _year_first(s) if start else -1
    if depth is not None:
        for i in years:
            if i > start and depth[i]:
                return i
    for i in reversed(years):
        if (
            i > start
            and (marker < 0 or i < marker or i == marker + 1)
            and (ends_title(s, i) or is_seg(seps[i]) or (seps[i] == "-" and i + 2 >= n))
        ):
            return i
    limit = min((x for x in (s.hard, marker) if x >= 0), default=-1)
    before = next((i for i in reversed(years) if start < i < limit), -1)
    if before < 0 and marker < 0 and 0 <= s.hard < years[-1]:
        return years[-1]  # among the tags: "Title FRENCH BluRay 720p 2016 junk"
    return before


def _year_first(s: Scan) -> int:
    """A year before the title, bracketed or set off by a dash: "(2019) Title", "2012 - Title"."""
    kinds, seps, depth = s.kinds, s.seps, s.depth
    for i in range(s.start):
        if kinds[i][0] == W.YEAR and ((depth is not None and depth[i]) or is_seg(seps[i])):
            return i
    return -1


def find_end(s: Scan) -> None:
    """The title ends at the first of the year, the marker, a hard keyword or a bracket; without
    a year also at a soft keyword or language (``bounded``: one of them did), and before the
    day of a date ("Show.03-29-2012"). Reads the year, or a season written as one ("S2014E18")."""
    start, depth, year_i = s.start, s.depth, s.year_i
    kinds, n = s.kinds, s.n
    end, bounded, bracket = n, False, -1
    if depth:
        if s.anime:
            bracket = _first_bracket(s, start + 1)
        else:
            for j in range(start + 1, n):
                if depth[j]:
                    bracket = j
                    break
    for x in (year_i, s.marker, s.hard, bracket):
        if x > start:
            end, bounded = x if x < end else end, True
    if end == s.hard and year_i > end and end - 1 > start and kinds[end - 1][0] == W.LANG:
        end -= 1  # "Title.German.Bluray.[...].1998": the language is a tag too
    if year_i < 0:
        for x in (s.soft, s.lang):
            if x > start:
                end, bounded = x if x < end else end, True
        if s.season is not None and YEAR_MIN <= s.season <= YEAR_MAX:
            s.year = s.season
    else:
        s.year = kinds[year_i][1]
        if (
            end == year_i
            and year_i - 2 > start
            and _is_day(kinds, year_i - 2)
            and _is_day(kinds, year_i - 1)
            and s.seps[year_i - 1] in "-./"
        ):
            end, s.date = year_i - 2, True
        elif year_i + 2 < n and _is_day(kinds, year_i + 1) and _is_day(kinds, year_i + 2):
            s.date = True  # "Show.2012.03.29"
    s.end, s.bounded = end, bounded


def _first_bracket(s: Scan, j: int) -> int:
    """The first bracketed token from j of an anime name, or -1; a group of plain words that
    more of the name follows is title ("Ushio to Tora (TV) - 02", "Mezzo(DSA)_-_05")."""
    toks, kinds, depth, n = s.toks, s.kinds, s.depth, s.n
    while j < n:
        if not depth[j]:
            j += 1
            continue
        k = j
        while k < n and (depth[k] or not toks[k]):
            k += 1
        words = all(kinds[x][0] in (W.WORD, W.EMPTY) for x in range(j, k))
        if not words or k >= n or depth[j] > 1 or kinds[k][0] not in _TITLE_GOES_ON:
            return j
        j = k
    return -1


def _is_day(kinds, i: int) -> bool:
    kind, val = kinds[i]
    return kind == W.NUM and val <= 31


def read_title(s: Scan) -> None:
    """The title text: after an episode marker that opens the name, or a short number and a
    separator ("01 - Ep Name", "12. Name", "[Grp] 12 Name"); else from the start to the end,
    trimmed."""
    start, n = s.start, s.n
    kinds, marker = s.kinds, s.marker
    if start < n and (
        marker == start
        or (
            s.year_i < 0
            and marker < 0
            and kinds[start][0] in (W.NUM, W.NUMV)
            and len(s.toks[start]) <= 3
            and start + 1 < n
            and ("-" in s.seps[start] or s.seps[start][:2] == ". " or s.anime)
        )
    ):
        if marker < 0:
            s.episode = kinds[start][1]
        _title_after_marker(s)
    else:
        s.end = end = _trim_end(s)
        if end > start:
            s.title, s.raw = _title_text(s, start, end)


def _trim_end(s: Scan) -> int:
    """Drop "The" before a tag ("Show The Complete Series") and trailing segments: all but the
    first of several when neither a year nor an SxxEyy follows ("Title - Other Title - Actor
    Multi 1080p", "[Grp] Show - Arc - 07"), a tag-only one ("Title - Drama 2011 720p"), and all
    but the first when nothing marks the title's end, unless they are " - " (Sonarr and Radarr
    write "Title: Subtitle" as "Title - Subtitle")."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
    start, end = s.start, s.end
    episode_end = end < len(toks) and (
        kinds[end][0] in _EPISODE_END or (s.anime and kinds[end][0] in _ANIME_EPISODE)
    )
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
        if (len(segs) >= 2 and s.year_i < 0 and not episode_end) or (
            not s.bounded and any(seps[j].strip() != "-" for j in segs)
        ):
            end = segs[0] + 1
        elif s.hard >= 0 and all(kinds[j][0] != W.WORD for j in range(segs[-1] + 1, end)):
            end = segs[-1] + 1
    return end


def _title_after_marker(s: Scan) -> None:
    """The title follows a leading absolute number or "Episode N" ('01 - Show', '[Grp] 06 Show')
    and an SxxEyy or 1x02 when another segment follows ('2x05 - Show - Episode Name'); after an
    SxxEyy alone come the episode's words ('S03E03 - Episode Name'), not the series'."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
    depth, start, n = s.depth, s.start, s.n
    s.lead_marker = True
    a = start + (2 if kinds[start][0] in (W.SEASONWORD, W.EPWORD) else 1)
    while a < n and not toks[a]:
        a += 1
    b = a
    while (
        b < n
        and kinds[b][0] in (W.WORD, W.NUM, W.GENRE)
        and not (depth and depth[b])
        and (b == a or not is_seg(seps[b - 1]))
    ):
        b += 1
    if b > a and (kinds[start][0] not in (W.SE, W.XEP) or _segment_follows(s, b)):
        s.title, s.raw = _title_text(s, a, b)  # "01 - Show", "2x05 - Show - Episode Name"
    elif b > a:
        s.raw = _title_text(s, a, b)[1]  # "S03E03 - Episode Name": no series title


def _segment_follows(s: Scan, b: int) -> bool:
    """Another " - " segment of words after the one read: "2x05 - Show - Episode Name"."""
    toks, seps, kinds, n = s.toks, s.seps, s.kinds, s.n
    return b < n and is_seg(seps[b - 1]) and kinds[b][0] == W.WORD and bool(toks[b])


def _title_text(s: Scan, a: int, b: int) -> tuple[str | None, str | None]:
    """Tokens a..b-1 cut out of the original text, spaced if they were dotted or underscored."""
    toks, seps = s.toks, s.seps
    raw = "".join(s.pieces[2 * a : 2 * b - 1])
    if ")" in raw and raw.count(")") > raw.count("(") and seps[a - 1][-1:] == "(":
        raw = "(" + raw
    close = seps[b - 1][:1]
    if (close == ")" or close == "]") and raw.count(_OPENS[close]) > raw.count(close):
        raw += close  # "Ushio to Tora (TV) - 02"
    if not raw.strip(" ._-"):
        return None, None
    if " " in raw and "." in raw and raw.count(".") > raw.count(" ") and not _ACRONYM.search(raw):
        title = " ".join(raw.replace(".", " ").replace("_", " ").split())  # "A.b. AKA.C.d"
    elif " " in raw:
        title = " ".join(raw.replace("_", " ").split())
        if seps[b - 1][:2] == ". ":  # "Samrat & Co. (2014)"
            title += "."
    elif ".." in raw or seps[b - 1][:3] == "..." or _ACRONYM.search(raw):
        title = _undot(toks, seps, a, b)
    else:
        title = " ".join(raw.replace(".", " ").replace("_", " ").split())
    if "k." in title or "K." in title:
        title = _AKA.sub("AKA", title)
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


def read_source_and_group(s: Scan) -> None:
    """What follows the title: a soft source keyword ("WEB") is the source there, and the
    "-GROUP" suffix, else an anime-style leading "[Group]", is the group."""
    toks, seps, depth = s.toks, s.seps, s.depth
    start, n = s.start, s.n
    end = max(s.end, start)
    if s.source is None and s.soft_source >= s.end:
        s.source = s.soft_value
    last = n - 1
    while last > end and (
        not toks[last] or (depth is not None and depth[last]) or toks[last].lower() == "sample"
    ):
        last -= 1
    if (
        last > end
        and "-" in seps[last - 1]
        and s.kinds[last][0] not in _NOT_GROUP
        and f"{toks[last - 1]}-{toks[last]}".lower() not in W.COMPOUNDS
    ):
        s.group = toks[last]
    elif s.anime:
        j = lead = s.lead
        while j < start and depth[j]:
            j += 1
        s.group = "".join(toks[x] + (seps[x] if x + 1 < j else "") for x in range(lead, j)) or None
    else:
        s.group = None


def weak(scan: Scan) -> bool:
    """A file name that cannot be trusted for the title: none, one after a leading episode
    marker, an all-lowercase abbreviation ("dmd-aw", "personnea_mp") or hash-like junk."""
    if scan.title is None or scan.lead_marker:
        return True
    if scan.year is not None:
        return False
    raw = scan.raw
    if raw.islower() and not any(c.isspace() for c in raw):
        return True
    parts = [p for p in SPLIT.split(raw)[0::2] if p]
    return (len(parts) > 1 or len(raw) >= 12) and all(any(map(str.isdigit, p)) for p in parts)
