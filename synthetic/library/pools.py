"""Name pools drawn from Faker once per process, with a fixed seed (so they are seed-independent).

Faker is slow (~5k records/s) and some of its providers read the clock; here it is only asked for
names, with ``seed_instance`` and a fixed number of draws, and the results are frozen into tuples.
The per-library randomness comes from ``random.Random(seed)`` drawing from these pools.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from synthetic.library import words as W

_FAKER_SEED = 20_240_611


@dataclass(frozen=True, slots=True)
class Pools:
    female: tuple[str, ...]  # English first names
    male: tuple[str, ...]
    surnames: tuple[str, ...]  # English surnames (no apostrophes: "O'Brien" is dropped)
    foreign_names: dict  # lang -> tuple of first names (accented ones first-class)
    ja_names: tuple[str, ...]  # romanised Japanese given names
    studios: dict  # lang -> tuple of studio names
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]


def _unique(draw, n: int, tries: int = 8) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for _ in range(n * tries):
        v = draw()
        if v and "'" not in v and " " not in v:
            out[v] = None
            if len(out) >= n:
                break
    return tuple(out)


@functools.cache
def pools() -> Pools:
    from faker import Faker  # imported lazily: costs ~0.2 s

    def fk(locale: str) -> Faker:
        f = Faker(locale)
        f.seed_instance(_FAKER_SEED)
        return f

    en = fk("en_US")
    female = _unique(en.first_name_female, 150)
    male = _unique(en.first_name_male, 150)
    surnames = _unique(en.last_name, 300)
    foreign = {}
    for lang, loc in (("fr", "fr_FR"), ("de", "de_DE"), ("es", "es_ES"), ("it", "it_IT")):
        f = fk(loc)
        names = _unique(f.first_name, 80)
        # Prefer names with diacritics (Amélie, Léon, Jürgen): they are the hard cases.
        accented = tuple(n for n in names if not n.isascii())
        foreign[lang] = accented + accented + names
    ja = fk("ja_JP")
    ja_names = _unique(ja.first_romanized_name, 60)
    studios = dict(W.STUDIOS)
    indie = tuple(
        f"{s} {W.STUDIO_SUFFIXES[i % len(W.STUDIO_SUFFIXES)]}"
        for i, s in enumerate(_unique(en.last_name, 80))
    )
    studios["en"] = W.STUDIOS["en"] + indie
    return Pools(
        female=female,
        male=male,
        surnames=surnames,
        foreign_names=foreign,
        ja_names=ja_names,
        studios=studios,
        nouns=tuple(dict.fromkeys(W.NOUNS)),
        adjectives=tuple(dict.fromkeys(W.ADJECTIVES)),
    )
