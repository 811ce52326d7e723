"""The ten synthetic collections, one per hidden trait of the synthetic library.

The stand-in Claude knows which trait each collection stands for (by name), so every judgment has
a right answer. ``reelscale synth collections -o FILE`` writes them as a reelscale TOML config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synthetic.library.movies import TRAITS


@dataclass(frozen=True, slots=True)
class SyntheticCollection:
    name: str
    trait: str
    prompt: str
    genres_any: tuple[str, ...] = ()


COLLECTIONS: tuple[SyntheticCollection, ...] = (
    SyntheticCollection(
        "Film Noir",
        "film_noir",
        "Crime stories in the noir tradition: cynical heroes, femmes fatales, "
        "moral ambiguity, shadowy cities, fatalism.",
    ),
    SyntheticCollection(
        "Time Travel",
        "time_travel",
        "Movies where characters travel through time or live through time loops "
        "as a central element of the plot.",
    ),
    SyntheticCollection(
        "Heist Movies",
        "heist",
        "Movies centred on planning and pulling off a robbery, con or heist.",
    ),
    SyntheticCollection(
        "Based on a True Story",
        "based_on_true_story",
        "Dramatisations of real events or real people's lives.",
    ),
    SyntheticCollection(
        "Christmas Movies", "christmas", "Movies set at Christmas or about the holiday season."
    ),
    SyntheticCollection(
        "Mind-Bending",
        "mind_bending",
        "Films with twisting realities, unreliable narrators, dreams within "
        "dreams or puzzles that make you rethink what you saw.",
    ),
    SyntheticCollection(
        "Strong Female Lead",
        "strong_female_lead",
        "Movies driven by a capable, complex woman protagonist.",
    ),
    SyntheticCollection(
        "Animated Family",
        "animated_family",
        "Animated movies made for children and families.",
    ),
    SyntheticCollection(
        "Slow-Burn Horror",
        "slow_burn_horror",
        "Horror that builds dread patiently through atmosphere rather than jump scares.",
    ),
    SyntheticCollection(
        "Cult Classics", "cult_classic", "Offbeat films with a devoted cult following."
    ),
)
assert {c.trait for c in COLLECTIONS} == set(TRAITS)
BY_NAME = {c.name: c for c in COLLECTIONS}


def to_toml() -> str:
    """The collections as a ``reelscale.toml`` config."""
    out = ["# The ten synthetic collections (reelscale synth collections).", ""]
    for c in COLLECTIONS:
        out += ["[[collection]]", f'name = "{c.name}"', f'prompt = """{c.prompt}"""']
        if c.genres_any:
            out.append("genres_any = [" + ", ".join(f'"{g}"' for g in c.genres_any) + "]")
        out.append("")
    return "\n".join(out)


def to_kometa_yaml(after_prompt: dict[str, str] | None = None) -> str:
    """The collections as Kometa-AI blocks in a Kometa file, each enabled, tagged ``KAI-<slug>``
    (Kometa-AI's slug); ``after_prompt`` puts ``{collection name: "key: value"}`` after that
    collection's ``prompt: |``, where Kometa-AI 0.5.7 reads it as prompt text and YAML as an
    option."""
    after_prompt = after_prompt or {}
    lines = ["collections:"]
    for c in COLLECTIONS:
        slug = re.sub(r"[^a-z0-9-]", "", re.sub(r"\s+", "-", c.name.lower()))
        slug = re.sub(r"-+", "-", slug).strip("-")
        lines += ["  # === KOMETA-AI ===", "  # enabled: true"]
        if c.genres_any:
            lines.append("  # candidate_genres: " + ", ".join(c.genres_any))
        lines += ["  # prompt: |", f"  #   {c.prompt}"]
        if c.name in after_prompt:
            lines.append(f"  # {after_prompt[c.name]}")
        lines += ["  # === END KOMETA-AI ===", f"  {c.name}:", f"    radarr_taglist: KAI-{slug}"]
    return "\n".join(lines) + "\n"
