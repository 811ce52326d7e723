"""Title generation for the synthetic library: realistic, and hard for release-name parsers.

``TitleMaker.make(kind, year, lang_hint)`` returns ``(title, original_title, language, kind)``.
The kinds (used for reporting shares and by the tests) are:

- ordinary: 1-5 word English titles ("The Silent Harbor", "Midnight Protocol", "Casablanca")
- accented: English-market titles with diacritics ("Déjà Vu", "The Café")
- sequel: "Base 2", "Base II", "Base Part 2", "Base 3: Subtitle", "Base: Subtitle"
- number_inside: "2 Fast 2 Furious"-style, the number inside the title
- year_suffix: "Blade Runner 2049"-style, the title ends in a year-like number
- number: other titles with numbers ("12 Angry Men", "300", "Ocean's Eleven"-style)
- year_in_title: "2001: A Space Odyssey", "1917", "Summer of '84"
- punctuation: apostrophes, colons, "Dr.", "?", "!", "&", "/", hyphens, commas, initials, "..."
- non_english: French/German/Spanish/Italian/Japanese/Korean films (title vs original_title)
- short: "Up", "M", "It", "Us"
- remake: a title reused from an earlier movie, with another year (chosen in library.py)
"""

from __future__ import annotations

import random
import re

from synthetic.library import words as W
from synthetic.library.pools import Pools

PLURALS = (
    "Days",
    "Nights",
    "Weeks",
    "Summers",
    "Graves",
    "Brothers",
    "Sisters",
    "Seconds",
    "Ways",
    "Kings",
    "Angry Men",
    "Monkeys",
    "Lives",
    "Miles",
    "Doors",
    "Wishes",
)
CHRISTMAS = (
    "A {A} Christmas",
    "Christmas in {P}",
    "The {N} Who Stole Christmas",
    "Silent Night in {P}",
    "Home for Christmas, {F}",
    "The Christmas {N}",
    "{A} Christmas Eve",
    "Twelve Days of {N}",
    "Snow on {P}",
    "A {N} for Christmas",
)
HEIST = (
    "The {P} Job",
    "The {A} Heist",
    "The {N} Vault",
    "The {A} Score",
    "{A} Money",
    "The {N} Job",
)
FRAMES = {
    "fr": ("La Vie de {n}", "Le Fabuleux Destin de {n}", "{n} et les Autres"),
    "de": ("Die Geschichte von {n}", "{n} und die Anderen", "Das Leben der {n}"),
    "es": ("La Vida de {n}", "Los Amores de {n}", "{n} y los Demás"),
    "it": ("La Storia di {n}", "Il Ritorno di {n}", "{n} e gli Altri"),
}
# Title frames of the "punctuation" kind, one tuple per punctuation mark they exercise.
PUNCT_APOSTROPHE = (
    "Don't Look at the {N}",
    "It's a {A} {N}",
    "Can't Stop the {N}",
    "Nobody's {N}",
    "Ain't No {N}",
    "They Won't Forget {F}",
    "Who's Afraid of the {N}?",
    "Don't Tell {F}",
    "We're No {N}s",
)
PUNCT_ABBREVIATION = (
    "Dr. {S}",
    "Mr. {S}",
    "Mrs. {S}'s {N}",
    "Mr. & Mrs. {S}",
    "St. {F}",
    "The Curious Case of Dr. {S}",
    "Dr. {S} or: How I Learned to Love the {N}",
)
PUNCT_QUESTION = (
    "What's Up, {F}?",
    "Who Killed {F} {S}?",
    "Where Is the {N}?",
    "What About {F}?",
    "Guess Who's Coming to {P}?",
)
PUNCT_EXCLAMATION = ("{N}!", "{A} {N}!", "Hello, {F}!", "{P}!")
PUNCT_AMPERSAND = ("{F} & {F2}", "{N} & {N2}", "{S} & Sons", "The {N} & the {N2}")
PUNCT_HYPHEN = ("{N}-Man", "{A}-{N}", "Half-{N}", "X-{N}s")
PUNCT_COMMA = (
    "{N}, {N2} and {N3}",
    "Goodbye, {F}",
    "{F}, {F2} & {F3}",
    "Three {N}s Outside {P}, {P2}",
)
PUNCT_INITIALS = (
    "L.A. {N}",
    "{X}.{Y}.",
    "U.S. {N}",
    "{F} {X}.",
    "The {N} of Dr. {S}",
    "S.W.A.T. {N}",
)
_INITIALS = "ABCDEGHJKLMPRST"
_ELLIPSIS_NUMBERS = ("500", "100", "40", "7")
PUNCT_ELLIPSIS = (
    "...And {N} for All",
    "({n}) Days of {N}",
    "{A} Hearts...",
    "Once Upon a Time in {P}...",
)
_A_VOWEL = re.compile(r"\b([Aa]) (?=[AEIOU])")


def _a(word: str) -> str:
    return f"An {word}" if word[0] in "AEIOU" else f"A {word}"


def _poss(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _fix_a(title: str) -> str:
    """'A Eternal Christmas' -> 'An Eternal Christmas' (also after "It's a")."""
    return _A_VOWEL.sub(r"\1n ", title)


LANGS = ("fr", "es", "de", "it", "ja", "ko")
LANG_CUM = (25, 43, 58, 70, 85, 100)


class TitleMaker:
    __slots__ = ("adjs", "c", "nouns", "p", "rng")

    def __init__(self, rng: random.Random, pools: Pools):
        self.rng = rng
        self.c = rng.choice
        self.p = pools
        self.nouns = pools.nouns
        self.adjs = pools.adjectives

    # -- ordinary -------------------------------------------------------------------------------
    def ordinary(self, trait_hint: str = "") -> str:
        c, rng, N, A = self.c, self.rng, self.nouns, self.adjs
        if trait_hint:
            frames = CHRISTMAS if trait_hint == "christmas" else HEIST
            return _fix_a(c(frames).format(A=c(A), N=c(N), P=c(W.PLACES), F=c(self.p.female)))
        k = rng.randrange(20)
        if k < 1:
            return f"The {c(N)}"
        if k < 6:
            return f"The {c(A)} {c(N)}"
        if k < 8:
            return f"{c(A)} {c(N)}"
        if k == 8:
            return f"{c(N)} of the {c(N)}"
        if k == 9:
            return f"{c(N)} of {c(N)}"
        if k < 12:
            return f"{c(N)} {c(N)}"
        if k == 12:
            return f"{c(W.GERUNDS)} {c(('', 'the '))}{c(N)}"
        if k == 13:
            x = rng.random()
            P = c(W.PLACES)
            return P if x < 0.3 else (f"{c(A)} {P}" if x < 0.65 else f"{P} {c(N)}")
        if k == 14:
            return f"{c(self.p.female + self.p.male)} {c(self.p.surnames)}"
        if k == 15:
            return f"{_a(c(N))} in {c(W.PLACES)}"
        if k == 16:
            return f"{c(N)} and {c(N)}"
        if k == 17:
            return c(A) if rng.random() < 0.5 else c(N)
        if k == 18:
            return f"{c(W.NUMBER_WORDS)} {c(PLURALS)}"
        return f"{c(('Beyond', 'Under', 'Before', 'After', 'Across'))} the {c(A)} {c(N)}"

    def accented(self) -> str:
        c = self.c
        w = c(W.ACCENTED_EN)
        k = self.rng.randrange(3)
        return w if k == 0 else (f"The {w}" if k == 1 else f"{c(self.adjs)} {w}")

    # -- sequels and numbers --------------------------------------------------------------------
    def sequel(self, base: str, year: int) -> tuple[str, str]:
        c, rng = self.c, self.rng
        n = c(("2", "2", "2", "3", "3", "4", "5", "6"))
        k = rng.randrange(16)
        if k < 5:
            return f"{base} {n}", "sequel"
        if k < 7:
            return f"{base} {c(W.ROMAN)}", "sequel"
        if k < 9:
            return c(
                (f"{base} Part {n}", f"{base}: Part {c(W.ROMAN)}", f"{base} Part {c(W.PART_WORDS)}")
            ), "sequel"
        if k < 11:
            return f"{base} {n}: {c(W.SUBTITLES_NOUN)}", "sequel"
        if k < 13:
            return f"{base}: {c(W.SUBTITLES_NOUN)}", "sequel"
        if k < 15:
            y = c(W.YEARLIKE_SUFFIX)
            while y == year:
                y = c(W.YEARLIKE_SUFFIX)
            return f"{base} {y}", "year_suffix"
        a1, a2 = c(self.adjs), c(self.adjs)
        return f"{n} {a1} {n} {a2}", "number_inside"

    def number(self) -> str:
        c, k = self.c, self.rng.randrange(6)
        if k == 0:
            return c(W.SMALL_NUMBERS)
        if k == 1:
            return f"{c(W.SMALL_NUMBERS)} {c(PLURALS)}"
        if k == 2:
            return f"{_poss(c(self.p.surnames))} {c(W.NUMBER_WORDS)}"
        if k == 3:
            return f"{c(W.SMALL_NUMBERS)} {c(self.nouns)} Street"
        if k == 4:
            return f"{c(self.nouns)} {c(W.SMALL_NUMBERS)}"
        return f"The {c(W.SMALL_NUMBERS)} {c(PLURALS)}"

    def year_in_title(self, year: int) -> str:
        c, rng = self.c, self.rng
        k = rng.randrange(5)
        if k >= 3 and year > 1935:  # looking back: "Summer of '84", "The Class of 1968"
            ty = rng.randint(1920, min(year - 1, 1999) if k == 3 else year - 1)
            return f"Summer of '{ty % 100:02d}" if k == 3 else f"The Class of {ty}"
        ty = c(W.TITLE_YEARS)
        while ty == year:
            ty = c(W.TITLE_YEARS)
        return str(ty) if k == 2 else f"{ty}: {_fix_a(f'A {c(self.adjs)}')} {c(self.nouns)}"

    # -- punctuation ----------------------------------------------------------------------------
    def punctuation(self) -> str:
        c, rng, N, A = self.c, self.rng, self.nouns, self.adjs
        S, F = self.p.surnames, self.p.female + self.p.male
        k = rng.randrange(30)
        if k < 5:
            return f"{_poss(c(S))} {c(N)}" if k < 3 else f"{_poss(c(F))} {c(A)} {c(N)}"
        if k < 8:
            return _fix_a(c(PUNCT_APOSTROPHE).format(N=c(N), A=c(A), F=c(F)))
        if k < 14:
            return f"{c(N)}: {c(A)}" if k < 10 else f"{self.ordinary()}: {c(W.SUBTITLES_NOUN)}"
        if k < 16:
            return c(PUNCT_ABBREVIATION).format(S=c(S), N=c(N), F=c(F))
        if k < 18:
            return c(PUNCT_QUESTION).format(F=c(F), S=c(S), N=c(N), P=c(W.PLACES))
        if k < 20:
            return c(PUNCT_EXCLAMATION).format(N=c(N), A=c(A), F=c(F), P=c(W.PLACES))
        if k < 22:
            return c(PUNCT_AMPERSAND).format(F=c(F), F2=c(F), N=c(N), N2=c(N), S=c(S))
        if k < 24:
            return c(PUNCT_HYPHEN).format(N=c(N), A=c(A))
        if k == 24:
            return f"{c(N)}/{c(N)}"
        if k < 27:
            return c(PUNCT_COMMA).format(
                N=c(N), N2=c(N), N3=c(N), F=c(F), F2=c(F), F3=c(F), P=c(W.PLACES), P2=c(W.PLACES)
            )
        if k < 29:
            L = _INITIALS
            return c(PUNCT_INITIALS).format(N=c(N), X=c(L), Y=c(L), F=c(F), S=c(S))
        return c(PUNCT_ELLIPSIS).format(N=c(N), A=c(A), P=c(W.PLACES), n=c(_ELLIPSIS_NUMBERS))

    # -- non-English ----------------------------------------------------------------------------
    def foreign(self) -> tuple[str, str, str]:
        """(title, original_title, language)"""
        c, rng = self.c, self.rng
        lang = rng.choices(LANGS, cum_weights=LANG_CUM)[0]
        if lang == "ja" or lang == "ko":
            k = rng.randrange(4)
            words = W.JA_WORDS if lang == "ja" else W.KO_WORDS
            a, b = c(words), c(words)
            if a is b or rng.random() < 0.25:
                rom, nat, eng = a[0], a[1], a[2] if a[2].startswith("The ") else f"The {a[2]}"
            elif lang == "ja":
                rom, nat, eng = f"{a[0]} no {b[0]}", f"{a[1]}の{b[1]}", f"The {b[2]} of {a[2]}"
            else:
                rom, nat, eng = f"{a[0]}ui {b[0]}", f"{a[1]}의 {b[1]}", f"The {b[2]} of {a[2]}"
            if k == 3 and lang == "ja":
                name = c(self.p.ja_names)
                return f"{name}: {eng}", nat, lang
            return (rom if k < 2 else eng), nat, lang
        np, np_en = c(W.FOREIGN[lang])
        comp, comp_en = c(W.FOREIGN_COMPLEMENT[lang])
        k = rng.randrange(20)
        if k < 8:  # translated: "The Heart of Paris" / "Le Cœur de Paris"
            return f"{np_en} {comp_en}", f"{np} {comp}", lang
        if k < 12:  # kept in the original language, the long form as original_title
            return np, f"{np} {comp}", lang
        name = c(self.p.foreign_names[lang])
        if k < 17:  # "Amélie" / "Le Fabuleux Destin d'Amélie"-style
            return name, c(FRAMES[lang]).format(n=name), lang
        return f"{name}: The {c(self.nouns)}", name, lang
