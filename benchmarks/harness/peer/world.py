"""What both tools are given: the collections as Kometa YAML, the library, and its truth."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from synthetic.library.collection_defs import COLLECTIONS, SyntheticCollection

THRESHOLD = 0.7


def peer_tag(name: str) -> str:
    """The tag Kometa-AI writes for a collection: ``KAI-`` + its ``slugify(name)``."""
    slug = re.sub(r"[^a-z0-9-]", "", re.sub(r"\s+", "-", name.lower()))
    return "KAI-" + re.sub(r"-+", "-", slug).strip("-")


def collections(count: int) -> list[SyntheticCollection]:
    if not 1 <= count <= len(COLLECTIONS):
        from core.errors import UsageError

        raise UsageError(f"--collections must be between 1 and {len(COLLECTIONS)}, not {count}")
    return list(COLLECTIONS[:count])


def kometa_yaml(chosen: Sequence[SyntheticCollection]) -> str:
    """One Kometa collection file: a ``# === KOMETA-AI ===`` block above each collection, in the
    format of Kometa-AI's ``kometa-config/collections.yml`` (the peer reads it, and so does
    reelscale's ``--config``); genre prefilters where the collection has them."""
    out = ["collections:"]
    for c in chosen:
        out += ["  # === KOMETA-AI ===", "  # enabled: true"]
        out.append(f"  # confidence_threshold: {THRESHOLD}")
        if c.genres_any:
            out.append(f"  # candidate_genres: {', '.join(c.genres_any)}")
        out += ["  # prompt: |", f"  #   {c.prompt}", "  # === END KOMETA-AI ==="]
        out += [f"  {c.name}:", f"    radarr_taglist: {peer_tag(c.name)}", ""]
    return "\n".join(out)


def write_config(folder: Path, chosen: Sequence[SyntheticCollection]) -> Path:
    """``folder/kometa-config/collections.yml``; the config folder."""
    config = folder / "kometa-config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "collections.yml").write_text(kometa_yaml(chosen), encoding="utf-8")
    return config


def agreement(tags: dict[str, set[int]], movies, chosen: Sequence[SyntheticCollection]) -> float:
    """The share of (movie, collection) pairs where the tag in Radarr equals the truth."""
    folded = {label.casefold(): ids for label, ids in tags.items()}
    right = total = 0
    for c in chosen:
        tagged = folded.get(peer_tag(c.name).casefold(), set())
        for m in movies:
            right += (m.id in tagged) == (c.trait in m.traits)
            total += 1
    return right / total if total else 1.0
