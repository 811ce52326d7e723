"""Cut a release name into tokens and separators, and classify each token once.

The first step of :mod:`core.pipeline.source.release_scan`. A token's class is a ``(kind, value)``
pair (kinds in :mod:`core.pipeline.source.release_words`): a keyword's canonical value, a
number's value, ``(season, episode)`` for ``S01E02``. Classes are memoised per distinct token
and bracket depths per distinct separator, so a library's recurring words cost one dict lookup.
"""

from __future__ import annotations

import re

from core.pipeline.source import release_words as W

_SEP = r"[\s._\-+,~*=|/\\()\[\]{}\"【】「」‒–—]"
#: ``(X X*)``, not ``(X+)``: the same matches, but a pattern that opens with a character class lets
#: ``re`` skip to the next separator in one C loop instead of trying a match at every character.
SPLIT = re.compile(f"({_SEP}{_SEP}*)")
_TOKEN = re.compile(
    r"(?P<year>(?:18|19|20)\d\d)|(?P<num>\d{1,6})|(?P<numv>\d{1,4}(?:v\d|[a-c]))"
    r"|(?P<ord>\d{1,2}(?:st|nd|rd|th|ª|º|°))|(?P<se>s\d{1,4}x?ep?\d{1,4}(?:e\d{1,4})*(?:v\d)?)"
    r"|(?P<season>s\d{1,4}(?:ep?|d\d{1,2}|extras?)?|(?:season|saison|temporada|staffel)\d{1,2})|(?P<ep>(?:ep?i?|#)\d{1,4}(?:v\d)?|\d{1,2}of\d{1,2})"
    r"|(?P<xep>(?:\d{1,2}|(?:19|20)\d\d)x\d{1,3}(?:x\d{1,3})*)"
    r"|(?P<res>\d{3,4}[pi](?:\d\d)?|\d{3,4}x\d{3,4})|(?P<extra>x\d{1,2})|(?P<film>f\d{1,3})"
    r"|(?P<codec>[xh]26[2345]|hevc\d*|xvid\w*|divx\w*)"
    r"|(?P<audio>(?:dd|ddp|eac3|ac3|aac|dts|flac|opus|mp3|lpcm|pcm|atmos|truehd)\d{0,2}(?:ch)?)"
    r"|(?P<tech>\d+(?:gb|mb|gib|mib|tb|kbps|mbps)|\d{1,2}bits?|\d{2,3}fps|\d{1,2}ch"
    r"|cd\d(?:of\d)?|\d{1,2}cds?|dvd\d|bd\d\d|[a-z]*mux|hdr\w*|v[2-9])"
)
_DIGITS = re.compile(r"\d+")
_DASH = re.compile("[‒–—]")
YEAR_MIN, YEAR_MAX = 1890, 2035
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
memo: dict[str, tuple[int, object]] = {}
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
        return (W.YEAR if YEAR_MIN <= nums[0] <= YEAR_MAX else W.NUM), nums[0]
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


def kind(tok: str) -> tuple[int, object]:
    """The class of a token not yet in ``memo`` (callers try ``memo.get`` first: it is faster)."""
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    hit = memo[tok] = _classify(tok)
    return hit


def depths(seps: list[str]) -> list[int]:
    """Bracket depth before each token."""
    out, level, get = [0], 0, _deltas.get
    append = out.append  # bound once: this loop runs for every separator of a bracketed name
    for sep in seps:
        d = get(sep)
        if d is None:
            if len(_deltas) >= _MEMO_MAX:
                _deltas.clear()
            d = _deltas[sep] = sum(map(sep.count, "([{【「")) - sum(map(sep.count, ")]}】」"))
        if d:
            level = level + d if level + d > 0 else 0
        append(level)
    return out


def is_seg(sep: str) -> bool:
    """A separator between title segments: " - ", "_-_", "--", ".-." (not the one in "X-Men")."""
    return len(sep) > 1 and ("-" in sep or (not sep.isascii() and _DASH.search(sep) is not None))
