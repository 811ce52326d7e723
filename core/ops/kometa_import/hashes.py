"""Kometa-AI 0.5.7's two fingerprints, computed the way it computes them.

- the movie's ``metadata_hash`` (``Movie.calculate_metadata_hash`` in ``kometa_ai/radarr/
  models.py``): SHA-256 of ``json.dumps(fields, sort_keys=True)`` over title, original title,
  year, overview, genres, keywords, certification, original language, studio, YouTube trailer
  id, alternative titles and collection, read from Radarr's movie resource as
  ``Movie.from_dict`` reads them. reelscale fingerprints fewer fields (title, year, genres,
  overview, keywords: what it sends), so an unchanged Kometa-AI hash means an unchanged movie
  for reelscale too; a changed one may be a change reelscale would not re-judge for (a new
  trailer), which costs a judgment but never keeps a stale one.
- the collection's ``prompt_hash``: SHA-256 (16 hex digits) of the prompt as Kometa-AI reads it
  (:mod:`core.config.kometa_compat`); for a collection defined in reelscale.toml, the prompt as
  written and as Kometa-AI would have it from a ``prompt: |`` block (indented two spaces).
"""

from __future__ import annotations

import hashlib
import json

from core.config.collection import Collection


def movie_hash(raw: dict) -> str | None:
    """Kometa-AI's ``metadata_hash`` of one Radarr ``MovieResource``; None if it cannot hash it
    (Kometa-AI would fail on that movie too)."""
    try:
        alternatives = raw.get("alternativeTitles", [])
        collection = raw.get("collection", {})
        fields = {
            "title": raw.get("title", ""),
            "original_title": raw.get("originalTitle"),
            "year": raw.get("year"),
            "overview": raw.get("overview"),
            "genres": sorted(raw.get("genres", [])),
            "keywords": sorted(raw.get("keywords", [])),
            "certification": raw.get("certification"),
            "original_language": (raw.get("originalLanguage") or {}).get("name"),
            "studio": raw.get("studio"),
            "youtube_trailer_id": raw.get("youTubeTrailerId"),
            "alternative_titles": sorted(t.get("title", "") for t in alternatives)
            if alternatives
            else [],
        }
        if collection and "name" in collection:
            fields["collection"] = collection.get("name")
        text = json.dumps(fields, sort_keys=True)
    except (AttributeError, TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prompt_hashes(collection: Collection) -> frozenset[str]:
    """The prompt hashes under which a Kometa-AI decision is current for ``collection``."""
    if collection.kometa_ai_prompt_hash is not None:
        return frozenset({collection.kometa_ai_prompt_hash})
    indented = "\n".join("  " + line if line else line for line in collection.prompt.split("\n"))
    return frozenset(_hash(text) for text in (collection.prompt, indented))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
