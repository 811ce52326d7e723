"""The tag and kind of a Kometa-AI block's collection, from its Radarr and Sonarr taglists.

Kometa builds a collection from the Radarr tags named by ``radarr_taglist`` (a movie library) or
the Sonarr tags named by ``sonarr_taglist`` (a show library); reelscale writes exactly one tag per
collection, so either key must name one tag (a comma-separated string or a list may hold several,
of which the one ``KAI-`` tag is taken), and both keys, if present, the same one.
"""

from __future__ import annotations

from core.config.entry import Field, Problems, show


def read_tags(file: str, definition: object, k: int, problems: Problems, name: str, fields) -> str:
    """Put the collection's tag and kind into ``fields``; returns the key that sets the tag.

    ``radarr_taglist`` alone: movies; ``sonarr_taglist`` alone: series; both (one tag): both. A
    ``kind`` written in the block wins over what the taglists say.
    """
    radarr = _taglist(file, definition, k, problems, name, "radarr_taglist")
    sonarr = _taglist(file, definition, k, problems, name, "sonarr_taglist")
    if radarr is not None and sonarr is not None and radarr.value.lower() != sonarr.value.lower():
        problems.add(
            file,
            sonarr.line,
            f"sonarr_taglist of {show(name)} is {show(sonarr.value)} but its radarr_taglist is "
            f"{show(radarr.value)}",
            "reelscale keeps one tag per collection in Radarr and Sonarr; use the same tag",
        )
    tag = radarr or sonarr
    if tag is not None:
        fields["tag"] = tag
    if "kind" not in fields and sonarr is not None:
        kind = "both" if radarr is not None else "series"
        fields["kind"] = Field(sonarr.key, kind, sonarr.line)
    return "sonarr_taglist" if radarr is None and sonarr is not None else "radarr_taglist"


def _taglist(
    file: str, definition: object, k: int, problems: Problems, name: str, key: str
) -> Field | None:
    """The collection's ``key`` (``radarr_taglist``/``sonarr_taglist``) as one tag (the
    collection key's line ``k`` if it was merged in)."""
    from core.config.kometa_yaml import key_line, plain

    if not isinstance(definition, dict) or key not in definition:
        return None
    at = key_line(definition, key)
    line = (k if at is None else at) + 1
    fld = Field(key, plain(definition[key]), line)
    return _one_tag(file, fld, problems, name)


def _one_tag(file: str, fld: Field, problems: Problems, name: str) -> Field | None:
    """reelscale writes one tag per collection: the only tag, or the only ``KAI-`` one."""
    value = fld.value
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, list | dict) for v in values):
        problems.add(
            file,
            fld.line,
            f"{fld.key} of {show(name)} holds a list or a mapping, not tags",
            "set it to the collection's tag, e.g. KAI-<name>",
        )
        return None
    tags = [t.strip() for v in values if v is not None for t in str(v).split(",") if t.strip()]
    if len(tags) > 1:
        tags = [t for t in tags if t.lower().startswith("kai-")] or tags
    if not tags:
        problems.add(
            file,
            fld.line,
            f"{fld.key} of {show(name)} is empty, so Kometa would collect untagged "
            + ("series" if fld.key == "sonarr_taglist" else "movies"),
            "set it to the collection's tag, e.g. KAI-<name>",
        )
        return None
    if len(tags) > 1:
        problems.add(
            file,
            fld.line,
            f"{fld.key} of {show(name)} lists several tags ({show(', '.join(tags))[1:-1]})",
            "reelscale writes one tag per collection; keep one",
        )
        return None
    return fld._replace(value=tags[0])
