"""Title search the way TMDB's (and Radarr's lookup) behaves: word matching, exact titles first.

A release name reaches search as "Amelie", "2001 A Space Odyssey" or "Mr and Mrs Smith", so
matching ignores case, accents and punctuation: a title matches when it contains every query word.
"L.A.", "X-Men" and "Ocean's" are indexed both joined ("la", "xmen", "oceans") and split ("l", "a";
"x", "men"; "ocean", "s"), and "&" reads as "and". Entries are added in rank order (the caller
sorts by popularity), so an entry's position is its rank and ranking a result set is sorting ints.

The index is built once (an inverted index of words to entry positions, plus years) so a search
over 300k titles intersects a few sets, smallest first, and answers in microseconds. A broad match
("the") is ranked by walking positions in order until a page is full, not by sorting it.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import islice

_FOLD = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "`": "'",
        "&": " and ",
    }
)
_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"['.\-](?<=[^\W_]['.\-])(?=[^\W_])")
_EMPTY: frozenset[int] = frozenset()


def fold(text: str) -> str:
    """Lower case without accents: "Amélie & Co." -> "amelie  and  co."."""
    if text.isascii():
        return text.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join([c for c in decomposed if not unicodedata.combining(c)])
    return plain.translate(_FOLD)


def query_words(text: str) -> list[str]:
    """The words a query must match, with "L.A."/"X-Men"/"Ocean's" joined."""
    return _WORD.findall(_JOINER.sub("", fold(text)))


def title_words(text: str) -> tuple[list[str], list[str]]:
    """(joined, split) word lists of a title; a query matching either form matches the title."""
    folded = fold(text)
    split = _WORD.findall(folded)
    joined_text, joins = _JOINER.subn("", folded)
    return (_WORD.findall(joined_text) if joins else split), split


class TitleIndex:
    """Entries are (titles, year); ``search`` returns their positions, best first.

    >>> index = TitleIndex([(("Amélie",), 2001), (("2001: A Space Odyssey",), 1968)])
    >>> index.search("amelie")
    (1, [0])
    >>> index.search("2001 A Space Odyssey", years=[1968])
    (1, [1])
    """

    __slots__ = ("_by_year", "_exact", "_postings", "size")

    def __init__(self, entries: Iterable[tuple[Sequence[str], int | None]]):
        postings: dict[str, set[int]] = {}
        exact: dict[str, list[int]] = {}
        by_year: dict[int, set[int]] = {}
        n = 0
        for n, (titles, year) in enumerate(entries, 1):
            pos = n - 1
            words: set[str] = set()
            keys: set[str] = set()
            for title in dict.fromkeys(titles):
                joined, split = title_words(title)
                words.update(joined)
                keys.add(" ".join(joined))
                if split is not joined:
                    words.update(split)
                    keys.add(" ".join(split))
            for word in words:
                bucket = postings.get(word)
                if bucket is None:
                    postings[word] = {pos}
                else:
                    bucket.add(pos)
            for key in keys:
                exact.setdefault(key, []).append(pos)
            if year is not None:
                by_year.setdefault(year, set()).add(pos)
        self._postings = postings
        self._exact = exact
        self._by_year = by_year
        self.size = n

    def search(
        self, query: str, *, years: Iterable[int] = (), offset: int = 0, limit: int = 20
    ) -> tuple[int, list[int]]:
        """Return (total matches, positions[offset:offset+limit]) for titles with every word.

        Exact title matches come first, then rank order. Each of ``years`` must equal the
        entry's year.
        """
        words = query_words(query)
        if not words:
            return 0, []
        sets: list[set[int] | frozenset[int]] = [
            self._postings.get(w, _EMPTY) for w in dict.fromkeys(words)
        ]
        for y in years:
            sets.append(self._by_year.get(y, _EMPTY))
        sets.sort(key=len)
        matches = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        total = len(matches)
        if not total or offset >= total:
            return total, []
        need = offset + limit
        exact = [p for p in self._exact.get(" ".join(words), ()) if p in matches]
        ranked = exact[:need]
        if len(ranked) < need:
            skip = set(exact)
            want = need + len(skip)
            if total * total > want * self.size:
                rest = islice((p for p in range(self.size) if p in matches), want)
            else:
                rest = heapq.nsmallest(want, matches)
            ranked.extend(p for p in rest if p not in skip)
        return total, ranked[offset:need]
