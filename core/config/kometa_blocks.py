"""Kometa-AI's collection definitions, read out of ordinary Kometa YAML files.

Kometa-AI keeps each AI collection as a comment block right above the collection's key::

    collections:
      # === KOMETA-AI ===
      # enabled: true
      # candidate_genres: Crime, Thriller
      # prompt: |
      #   Identify film noir movies ...
      # === END KOMETA-AI ===
      Film Noir:
        radarr_taglist: KAI-film-noir

The block is a comment, so Kometa ignores it. Its body (each line without the ``#`` and one space)
is read by :mod:`core.config.yaml_subset`. The rest of the file belongs to Kometa and is read only
lightly: the first mapping key below the block is the collection's name (as in Kometa-AI), and its
``radarr_taglist`` (one tag, a comma-separated string or a list) is the tag. Everything else may be
any Kometa YAML and is never parsed, so templates, overlays or syntax this reader does not know
cannot break a config.

Kometa-AI's own leniencies are kept so existing blocks load unchanged: list fields may be
comma-separated strings, numbers and booleans may be quoted, ``enabled`` also takes yes/no/on/off,
and ``include_tags``/``exclude_tags`` (parsed but never used by Kometa-AI) are accepted and
ignored. An empty field (``candidate_genres:``) counts as not set.
"""

from __future__ import annotations

import re

from core.config.entry import Entry, Field, Problems, did_you_mean, show
from core.config.yaml_subset import (
    YamlError,
    indent_of,
    inline_value,
    is_item,
    mapping_key,
    parse_mapping,
)

START = re.compile(r"\s*#\s*===\s*KOMETA-AI\s*===\s*\Z")
END = re.compile(r"\s*#\s*===\s*END\s+KOMETA-AI\s*===\s*\Z")

BLOCK_KEYS = {
    "enabled": "enabled",
    "prompt": "prompt",
    "confidence_threshold": "confidence_threshold",
    "priority": "priority",
    "candidate_genres": "genres_any",
    "candidate_exclude_genres": "genres_none",
    "candidate_year_min": "year_min",
    "candidate_year_max": "year_max",
}
IGNORED_KEYS = frozenset({"include_tags", "exclude_tags"})
_ALIASES = {
    "threshold": "confidence_threshold",
    "genres_any": "candidate_genres",
    "genres": "candidate_genres",
    "genres_none": "candidate_exclude_genres",
    "exclude_genres": "candidate_exclude_genres",
    "year_min": "candidate_year_min",
    "year_max": "candidate_year_max",
}
_NOT_IN_BLOCK = {
    "name": "the name is the collection key below the block; delete this line",
    "tag": "set the tag with radarr_taglist under the collection key; delete this line",
    "radarr_taglist": "radarr_taglist belongs under the collection key, not in the block",
}
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_INT = re.compile(r"\s*[-+]?[0-9]+\s*\Z")
_PLACE = "put the block right above the collection's key"


def read_kometa(file: str, text: str, problems: Problems) -> list[Entry]:
    """The Kometa-AI blocks of one Kometa YAML file, in file order; problems go to ``problems``."""
    lines = text.split("\n")
    entries = []
    i = 0
    while i < len(lines):
        if END.match(lines[i]):
            problems.add(
                file,
                i + 1,
                "'# === END KOMETA-AI ===' without a start marker above it",
                "add '# === KOMETA-AI ===' where the block starts, or delete it",
            )
        if not START.match(lines[i]):
            i += 1
            continue
        end, body = _block_body(file, lines, i, problems)
        if end is None:
            i = len(lines) if body is None else body
            continue
        entry = _entry(file, lines, i, end, body, problems)
        if entry is not None:
            entries.append(entry)
        i = end + 1
    return entries


def _block_body(file: str, lines: list[str], start: int, problems: Problems):
    """``(end, body)`` of the block at ``start``; ``(None, where to resume or None)`` if broken."""
    body: list[tuple[int, str]] = []
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if END.match(line):
            return j, body
        stripped = line.lstrip()
        if START.match(line):
            problems.add(
                file,
                start + 1,
                f"the KOMETA-AI block is not closed before line {j + 1}",
                "add '# === END KOMETA-AI ===' at its end",
            )
            return None, j
        if stripped and not stripped.startswith("#"):
            problems.add(
                file,
                j + 1,
                "a line inside a KOMETA-AI block is not a comment",
                "start it with '#', or close the block with '# === END KOMETA-AI ==='",
            )
            return None, j
        text = stripped[1:]
        body.append((j + 1, text[1:] if text.startswith(" ") else text))
    problems.add(
        file,
        start + 1,
        "the KOMETA-AI block has no '# === END KOMETA-AI ===' marker",
        f"close it and {_PLACE}",
    )
    return None, None


def _entry(
    file: str,
    lines: list[str],
    start: int,
    end: int,
    body: list[tuple[int, str]],
    problems: Problems,
) -> Entry | None:
    key_index = _collection_key(file, lines, end, problems)
    if key_index is None:
        return None
    found = mapping_key(lines[key_index])
    fields = {"name": Field("collection key", found.key, key_index + 1)}
    try:
        raw = parse_mapping(body)
    except YamlError as exc:
        problems.add(file, exc.line, exc.what, exc.fix)
        return None
    for key, fld in raw.items():
        if key in IGNORED_KEYS:
            continue
        if key not in BLOCK_KEYS:
            fix = _NOT_IN_BLOCK.get(key) or did_you_mean(key, BLOCK_KEYS, _ALIASES)
            problems.add(file, fld.line, f"unknown field {show(key)} in the KOMETA-AI block", fix)
            continue
        if fld.value is not None:
            name = BLOCK_KEYS[key]
            fields[name] = fld._replace(value=_lenient(name, fld.value))
    tag = _taglist(file, lines, key_index, found.indent, problems, found.key)
    if tag is not None:
        fields["tag"] = tag
    return Entry(file, start + 1, fields, enabled_default=False, tag_key="radarr_taglist")


def _collection_key(file: str, lines: list[str], end: int, problems: Problems) -> int | None:
    """Index of the first mapping key below the block's end marker (the collection's name)."""
    for k in range(end + 1, len(lines)):
        line = lines[k]
        stripped = line.strip()
        if START.match(line):
            problems.add(
                file,
                end + 1,
                "two KOMETA-AI blocks without a collection key between",
                f"merge them into one; {_PLACE}",
            )
            return None
        if not stripped or stripped.startswith("#"):
            continue
        found = mapping_key(line)
        if found is None:
            problems.add(
                file,
                k + 1,
                f"expected the collection's key after the KOMETA-AI block, found {stripped[:40]!r}",
                _PLACE,
            )
            return None
        if found.indent == 0:
            problems.add(
                file,
                k + 1,
                f"the KOMETA-AI block sits above the top-level key {show(found.key)}, "
                "not a collection",
                "move it below 'collections:', right above the collection's key",
            )
            return None
        return k
    problems.add(file, end + 1, "no collection key follows the KOMETA-AI block", _PLACE)
    return None


def _taglist(
    file: str, lines: list[str], key_index: int, key_indent: int, problems: Problems, name: str
) -> Field | None:
    """The collection's ``radarr_taglist`` as one tag, read from its direct children."""
    child = None
    for m in range(key_index + 1, len(lines)):
        line = lines[m]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = indent_of(line)
        if indent <= key_indent:
            return None
        child = indent if child is None else child
        found = mapping_key(line) if indent == child else None
        if found is None or found.key != "radarr_taglist":
            continue
        try:
            value = _taglist_value(lines, m, child, found.rest)
        except YamlError as exc:
            problems.add(file, exc.line, exc.what, exc.fix)
            return None
        return _one_tag(file, Field("radarr_taglist", value, m + 1), problems, name)
    return None


def _taglist_value(lines: list[str], index: int, child: int, rest: str) -> object:
    if rest:
        return inline_value(rest, index + 1)
    items = []
    for line in lines[index + 1 :]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not is_item(line) or indent_of(line) < child:
            break
        items.append(inline_value(stripped[1:].strip(), index + 1))
    return items


def _one_tag(file: str, fld: Field, problems: Problems, name: str) -> Field | None:
    """reelscale writes one tag per collection: the only tag, or the only ``KAI-`` one."""
    value = fld.value
    values = value if isinstance(value, list) else [value]
    tags = [t.strip() for v in values if v is not None for t in str(v).split(",") if t.strip()]
    if len(tags) > 1:
        tags = [t for t in tags if t.lower().startswith("kai-")] or tags
    if not tags:
        problems.add(
            file,
            fld.line,
            f"radarr_taglist of {show(name)} is empty, so Kometa would collect untagged movies",
            "set it to the collection's tag, e.g. KAI-<name>",
        )
        return None
    if len(tags) > 1:
        problems.add(
            file,
            fld.line,
            f"radarr_taglist of {show(name)} lists several tags ({show(', '.join(tags))[1:-1]})",
            "reelscale writes one tag per collection; keep one",
        )
        return None
    return fld._replace(value=tags[0])


def _lenient(name: str, value: object) -> object:
    """Kometa-AI's readings of block values that plain YAML would type differently."""
    if name in ("genres_any", "genres_none") and isinstance(value, str):
        return [g.strip() for g in value.split(",") if g.strip()]
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if name == "enabled" and text in _BOOLS:
        return _BOOLS[text]
    if name in ("priority", "year_min", "year_max") and _INT.match(text):
        return int(text)
    if name == "confidence_threshold":
        try:
            return float(text)
        except ValueError:
            return value
    return value
