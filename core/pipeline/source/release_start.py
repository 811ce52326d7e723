"""Where the title starts: after leading bracket groups, site adverts and codec tags.

The first step of :func:`core.pipeline.source.release_scan.scan` after tokenising, reading and
writing its ``Scan``: ``start`` (the first title word), ``lead`` (the first leading bracket
group, where an anime-style "[Group]" sits) and ``anime``. A name written wholly in brackets
("[Grp][Title][01][1080p]") takes its title from one of its groups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.pipeline.source import release_words as W
from core.pipeline.source.release_tokens import is_seg

if TYPE_CHECKING:
    from core.pipeline.source.release_scan import Scan

_PAREN = frozenset((") ", ").", ")_"))


def find_start(s: Scan, site: bool) -> None:
    """The first title word (``start``): after leading bracket groups (``lead``, the first of
    them), site adverts and codec tags; and whether the name is anime-style ("[Group] Show 12")."""
    toks, seps, kinds = s.toks, s.seps, s.kinds
    depth, n = s.depth, s.n
    i, lead = 0, -1
    while i < n:
        if depth is not None and depth[i] and toks[i]:
            lead = i if lead < 0 else lead
        elif (
            toks[i]
            and kinds[i][0] not in W.TECHNICAL
            and not (kinds[i][0] == W.LANG and is_seg(seps[i]))
        ):
            break
        i += 1
    if i >= n:
        i, lead = next((j for j in range(n) if toks[j] and kinds[j][0] not in W.TECHNICAL), n), -1
    elif lead == 1 and seps[0] == "(" and i == 2 and kinds[1][0] == W.NUM and seps[1] in _PAREN:
        depth[1] = 0  # "(500) Days of Summer", not the track number of "(1)The Girl..."
        i, lead = 1, -1
    elif i + 1 < n and kinds[i][0] == W.YEAR and is_seg(seps[i]) and kinds[i + 1][0] == W.WORD:
        if sum(k[0] == W.YEAR for k in kinds) == 1:
            i += 1  # year first: "2012 - Title 1080p"; pick_year finds it before the start
    else:
        i = _skip_site(s, i) if site else i  # "www.site.com - Title", "Site.com_title"
        if i + 1 < n and toks[i].lower() in W.NETWORK_PREFIXES and kinds[i + 1][0] == W.WORD:
            i += 1
    if depth is not None and i < n and depth[i]:
        i, lead = _title_group(s)  # everything is bracketed: "[Grp][Title][01][1080p]"
        depth = s.depth
    s.start, s.lead = i, lead
    s.anime = lead >= 0 and any(kinds[j][0] == W.WORD and depth[j] for j in range(lead, i))


def _groups(s: Scan) -> list[tuple[int, int]]:
    """(first, last + 1) token indexes of each top-level bracket group."""
    seps, depth = s.seps, s.depth
    out, a = [], 0
    for j in range(s.n - 1):
        if any(c in seps[j] for c in ")]}】」") and depth[j + 1] <= 1:
            out.append((a, j + 1))
            a = j + 1
    out.append((a, s.n))
    return out


def _title_group(s: Scan) -> tuple[int, int]:
    """(start, lead) of a name written wholly in brackets: the title is the first group after
    the first (the group's) with a word in Latin letters that is no keyword, else the first with
    any word ("[Grp][國漫][Title][2022][11]"). Its tokens are set to depth 0, so the rest reads
    as "[Grp] Title [2022][11]"; one group alone is read from its inside."""
    toks, kinds, depth = s.toks, s.kinds, s.depth
    groups = [g for g in _groups(s) if any(toks[g[0] : g[1]])]

    def words(g, latin):
        return any(
            kinds[j][0] == W.WORD and toks[j] and (not latin or toks[j][0].isascii())
            for j in range(*g)
        )

    rest = groups[1:]
    pick = next((g for g in rest if words(g, True)), None) or next(
        (g for g in rest if words(g, False)), None
    )
    if pick is None:
        s.depth = None
        return next((j for j in range(s.n) if toks[j] and kinds[j][0] not in W.TECHNICAL), 0), -1
    for j in range(*pick):
        depth[j] = 0
    start = next(j for j in range(*pick) if toks[j])
    return start, next(j for j in range(s.n) if toks[j])


def _skip_site(s: Scan, i: int) -> int:
    toks, seps = s.toks, s.seps
    depth, n = s.depth, s.n
    j = i
    while j + 1 < n and (seps[j] == "." or (seps[j] == "-" and seps[j + 1] == ".")):
        j += 1
    if j > i and (toks[i].lower() == "www" or toks[j].lower() in W.TLDS):
        i = j + 1
        while i < n and (not toks[i] or (depth is not None and depth[i])):
            i += 1
    return i
