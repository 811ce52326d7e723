"""How one synthetic movie is drawn: traits first, then genres, year, title, overview, keywords,
certification and ratings that follow from them, all from one ``random.Random``.

Used by :func:`synthetic.library.movies.generate`. The order of the draws is part of the library's
bytes: reordering them changes every seeded library.
"""

from __future__ import annotations

from random import Random

from synthetic.library import words as W
from synthetic.library.pools import pools
from synthetic.library.record import GENRES, TRAITS, Movie
from synthetic.library.titles import TitleMaker

_GENRE_W = (20, 12, 3, 30, 15, 5, 45, 6, 7, 4, 12, 4, 8, 15, 8, 3, 25, 3, 2)
_GENRE_CUM = tuple(sum(_GENRE_W[: i + 1]) for i in range(len(_GENRE_W)))

# (genre, probability) added for each trait a movie has, in TRAITS order.
_TRAIT_GENRES = {
    "film_noir": (("Crime", 0.85), ("Drama", 0.5), ("Thriller", 0.45), ("Mystery", 0.35)),
    "time_travel": (
        ("Science Fiction", 0.8),
        ("Adventure", 0.3),
        ("Comedy", 0.25),
        ("Romance", 0.15),
        ("Thriller", 0.2),
    ),
    "heist": (("Crime", 0.9), ("Thriller", 0.5), ("Action", 0.45), ("Comedy", 0.25)),
    "based_on_true_story": (
        ("Drama", 0.8),
        ("History", 0.4),
        ("Crime", 0.2),
        ("War", 0.15),
        ("Music", 0.1),
    ),
    "christmas": (("Comedy", 0.5), ("Family", 0.5), ("Romance", 0.35), ("TV Movie", 0.2)),
    "mind_bending": (
        ("Science Fiction", 0.5),
        ("Thriller", 0.5),
        ("Mystery", 0.45),
        ("Drama", 0.3),
    ),
    "strong_female_lead": (("Action", 0.15),),
    "animated_family": (
        ("Animation", 0.95),
        ("Family", 0.85),
        ("Adventure", 0.5),
        ("Comedy", 0.45),
        ("Fantasy", 0.3),
    ),
    "slow_burn_horror": (("Horror", 0.95), ("Thriller", 0.4), ("Mystery", 0.3), ("Drama", 0.3)),
    "cult_classic": (("Horror", 0.3), ("Comedy", 0.3), ("Science Fiction", 0.2), ("Fantasy", 0.1)),
}
# Decades 1920s..2020s (2020-2026 only).
_DECADES = (1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020)
_DECADE_CUM = (1, 3, 6, 10, 15, 21, 30, 42, 59, 81, 93)
_KINDS = (
    "ordinary",
    "accented",
    "sequel",
    "number",
    "year_in_title",
    "punctuation",
    "non_english",
    "short",
    "remake",
)
_KIND_CUM = (647, 653, 733, 758, 773, 873, 958, 970, 1000)
TMDB_PRIME, _IMDB_P = 1_499_977, 29_999_999  # primes: id -> (a*id + b) mod p is a bijection


class MovieMaker:
    """Draws movie after movie from one seed; remembers earlier titles for remakes and sequels."""

    __slots__ = ("bases", "ia", "ib", "pools", "rng", "seen", "ta", "tb", "titles")

    def __init__(self, seed: int):
        self.rng = rng = Random(seed)
        self.pools = pools()
        self.titles = TitleMaker(rng, self.pools)
        self.ta, self.tb = rng.randrange(1, TMDB_PRIME), rng.randrange(TMDB_PRIME)
        self.ia, self.ib = rng.randrange(1, _IMDB_P), rng.randrange(_IMDB_P)
        self.seen: list[tuple[str, int]] = []  # (title, year) of earlier movies, for remakes
        self.bases: list[tuple[str, int]] = []  # earlier ordinary titles, for sequels

    # -- traits, genres, year -------------------------------------------------------------------
    def _traits(self) -> list[str]:
        r = self.rng.random
        af = r() < 0.085
        noir = not af and r() < 0.07
        sbh = not af and not noir and r() < 0.075
        tt = r() < 0.06
        mb = r() < (0.45 if tt else 0.065)
        heist = not af and not sbh and r() < 0.085
        bots = not (af or tt or mb) and r() < 0.15
        xmas = r() < (0.25 if af else 0.045)
        sfl = not af and r() < 0.2
        cult = r() < 0.10
        flags = (noir, tt, heist, bots, xmas, mb, sfl, af, sbh, cult)
        return [t for t, f in zip(TRAITS, flags, strict=True) if f]

    def _genres(self, traits: list[str]) -> list[str]:
        r, choices = self.rng.random, self.rng.choices
        genres: list[str] = []
        for t in traits:
            for g, p in _TRAIT_GENRES[t]:
                if r() < p and g not in genres:
                    genres.append(g)
        want = 1 + (r() < 0.5) + (r() < 0.2) if not genres else len(genres) + (r() < 0.3)
        tries = 0
        while len(genres) < min(want, 4) and tries < 8:
            tries += 1
            g = choices(GENRES, cum_weights=_GENRE_CUM)[0]
            if (
                g in genres
                or (traits and g == "Documentary")
                or (genres and genres[0] == "Documentary")
            ):
                continue
            genres.append(g)
        return genres[:4]

    def _year(self, traits: list[str]) -> int:
        rng = self.rng
        if "film_noir" in traits and rng.random() < 0.7:
            return rng.randint(1941, 1958)
        d = rng.choices(_DECADES, cum_weights=_DECADE_CUM)[0]
        y = d + rng.randrange(7 if d == 2020 else 10)
        if "cult_classic" in traits and y > 2012:
            y = rng.randint(1968, 2012)
        return y

    # -- title ----------------------------------------------------------------------------------
    def _title(self, year: int, traits: list[str]) -> tuple[str, str, str, str]:
        rng, tm = self.rng, self.titles
        kind = rng.choices(_KINDS, cum_weights=_KIND_CUM)[0]
        lang = "en"
        if kind == "remake" and len(self.seen) > 20:
            title, y0 = self.seen[rng.randrange(len(self.seen))]
            if y0 != year:
                return title, title, lang, kind
            kind = "ordinary"
        if kind in ("ordinary", "remake"):
            hint = ""
            if "christmas" in traits and rng.random() < 0.35:
                hint = "christmas"
            elif "heist" in traits and rng.random() < 0.15:
                hint = "heist"
            title, kind = tm.ordinary(hint), "ordinary"
            if year < 2021 and rng.random() < 0.3:
                self.bases.append((title, year))
            return title, title, lang, kind
        if kind == "sequel":
            base = ""
            if self.bases and rng.random() < 0.5:
                base, y0 = self.bases[rng.randrange(len(self.bases))]
                if y0 >= year:  # a sequel comes after its original
                    base = ""
            base = base or tm.ordinary()
            title, kind = tm.sequel(base, year)
        elif kind == "accented":
            title = tm.accented()
        elif kind == "number":
            title = tm.number()
        elif kind == "year_in_title":
            title = tm.year_in_title(year)
        elif kind == "punctuation":
            title = tm.punctuation()
        elif kind == "short":
            title = rng.choice(W.SHORT_TITLES)
        else:
            title, original, lang = tm.foreign()
            return title, original, lang, "non_english"
        return title, title, lang, kind

    # -- overview and keywords ------------------------------------------------------------------
    def _overview(self, primary: str, traits: list[str], year: int, female: bool) -> str:
        rng, c, r = self.rng, self.rng.choice, self.rng.random
        subj, obj, pos = ("she", "her", "her") if female else ("he", "him", "his")
        role = c(W.ROLES[primary])
        plot = c(W.PLOTS[primary]).format(pos=pos, subj=subj)
        if primary == "Documentary":
            s1 = f"This documentary follows {role} as they {plot}."
        else:
            k = rng.randrange(5)
            if k < 2:
                if "film_noir" in traits or (k == 0 and year < 1965):
                    where = f"In {year // 10 * 10 - 10 * (r() < 0.3)}s {c(W.CITIES)}"
                elif r() < 0.5:
                    where = f"In {c(W.CITIES)}"
                else:
                    where = c(W.SETTINGS).format(region=c(W.REGIONS))
                    where = where[0].upper() + where[1:]
                s1 = f"{where}, {role} {plot}."
            elif k < 4 and primary not in ("Animation", "Family"):
                p = self.pools
                name = f"{c(p.female if female else p.male)} {c(p.surnames)}"
                s1 = f"{name}, {role}, {plot}."
            else:
                s1 = f"{role[0].upper()}{role[1:]} {plot}."
        parts = [s1]
        n = len(traits)
        if n:
            first = traits[rng.randrange(n)] if n > 1 else traits[0]
            if r() < 0.8:
                parts.append(c(W.TRAIT_CUES[first]).format(subj=subj, obj=obj, Subj=subj.title()))
            if n > 1 and r() < 0.35:
                other = traits[0] if traits[0] != first else traits[-1]
                parts.append(c(W.TRAIT_CUES[other]).format(subj=subj, obj=obj, Subj=subj.title()))
        if len(parts) < 3 and r() < 0.45:
            parts.append(c(W.CLOSERS).format(subj=subj))
        return " ".join(parts)

    def _keywords(self, genres: list[str], traits: list[str]) -> list[str]:
        c, r = self.rng.choice, self.rng.random
        kws: list[str] = []
        for t in traits:
            if r() < 0.75:
                kws.append(c(W.TRAIT_KEYWORDS[t]))
                if r() < 0.3:
                    k2 = c(W.TRAIT_KEYWORDS[t])
                    if k2 not in kws:
                        kws.append(k2)
        for g in genres[:2]:
            k = c(W.GENRE_KEYWORDS[g])
            if k not in kws:
                kws.append(k)
        if r() < 0.6:
            k = c(W.GENERIC_KEYWORDS)
            if k not in kws:
                kws.append(k)
        if r() < 0.2:
            t = c(TRAITS)
            if t not in traits:
                k = c(W.DECOY_KEYWORDS[t])
                if k not in kws:
                    kws.append(k)
        return kws

    # -- one movie ------------------------------------------------------------------------------
    def movie(self, i: int) -> tuple[Movie, str]:
        rng, r = self.rng, self.rng.random
        traits = self._traits()
        genres = self._genres(traits)
        year = self._year(traits)
        title, original, lang, kind = self._title(year, traits)
        self.seen.append((title, year))
        female = "strong_female_lead" in traits or r() < 0.3
        overview = self._overview(genres[0], traits, year, female)
        keywords = self._keywords(genres, traits)
        primary = genres[0]
        if primary in ("Animation", "Family"):
            runtime = rng.randint(72, 105)
        elif primary == "Documentary":
            runtime = rng.randint(62, 125)
        else:
            runtime = max(63, min(229, int(rng.gauss(108, 17))))
        cert = self._cert(genres, traits, year, lang)
        studio = rng.choice(self.pools.studios[lang])
        v = max(1.5, min(9.5, rng.gauss(6.3, 0.9) + (0.5 if "cult_classic" in traits else 0)))
        votes = int(rng.lognormvariate(7.8, 1.7)) + 5
        tv = max(1.0, min(9.8, v + rng.gauss(0.1, 0.35)))
        ratings = {
            "imdb": {"value": round(v, 1), "votes": votes},
            "tmdb": {"value": round(tv, 1), "votes": max(1, votes // rng.randint(4, 40))},
        }
        # An affine map followed by the modular inverse: a bijection on 0..p-1 that looks random.
        x = (i * self.ta + self.tb) % TMDB_PRIME
        tmdb_id = 2 + (pow(x, -1, TMDB_PRIME) if x else 0)
        x = (i * self.ia + self.ib) % _IMDB_P
        imdb_n = 1 + (pow(x, -1, _IMDB_P) if x else 0)
        imdb_id = f"tt{imdb_n:07d}" if imdb_n < 10_000_000 else f"tt{imdb_n}"
        m = Movie(
            i,
            tmdb_id,
            imdb_id,
            title,
            original,
            year,
            genres,
            overview,
            runtime,
            cert,
            studio,
            keywords,
            ratings,
            lang,
            traits,
        )
        return m, kind

    def _cert(self, genres: list[str], traits: list[str], year: int, lang: str) -> str:
        x = self.rng.random()
        if year < 1968 or (lang != "en" and x < 0.4):
            return "NR" if x < 0.55 else ("G" if x < 0.7 else ("PG" if x < 0.9 else "PG-13"))
        if "animated_family" in traits or genres[0] in ("Family", "Animation"):
            return "G" if x < 0.35 else ("PG" if x < 0.92 else "PG-13")
        if "Horror" in genres:
            return "R" if x < 0.7 else ("PG-13" if x < 0.95 else "NR")
        if genres[0] in ("Action", "Thriller", "Crime", "War"):
            return "R" if x < 0.5 else ("PG-13" if x < 0.95 else "NC-17")
        cum = ((0.03, "G"), (0.18, "PG"), (0.53, "PG-13"), (0.88, "R"), (0.89, "NC-17"))
        for p, cert in cum:
            if x < p:
                return cert
        return "NR"
