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

The block is a comment, so Kometa ignores it. Kometa-AI's own blocks are movie collections. A
series collection (reelscale's, for Sonarr) is one collected with ``sonarr_taglist``, in a file of
Kometa's show library::

    collections:
      # === KOMETA-AI ===
      # enabled: true
      # prompt: Police procedurals ...
      # === END KOMETA-AI ===
      Cop Shows:
        sonarr_taglist: KAI-cop-shows

A collection with both ``radarr_taglist`` and ``sonarr_taglist`` (the same tag) holds both, and
a block may say so itself with ``kind: movies|series|both``, which wins over the taglists.

The markers are found in the text; a file with a block is then read with ruamel.yaml, the parser
Kometa and Kometa-AI use (through :mod:`core.config.kometa_yaml`, imported only then, so TOML
configs never load it), twice over:

- the whole file, as Kometa reads it: if it is not valid YAML, that is the file's one problem.
  The first mapping key below a block is the collection's name (as in Kometa-AI), and it must be a
  key of the top-level ``collections:`` mapping; that collection's ``radarr_taglist`` or
  ``sonarr_taglist`` (one tag, a comma-separated string or a list) is the tag. The rest of the
  file is Kometa's and not checked.
- each block's body (every line without the ``#`` and one space) as one YAML mapping. ruamel's
  round-trip loader keeps each key's line, so every problem names the line of the user's file,
  and a syntax error is reported with its line and column, never as a traceback.

Kometa-AI's own leniencies are kept so existing blocks load unchanged: list fields may be
comma-separated strings, numbers and booleans may be quoted, ``enabled`` also takes yes/no/on/off
(YAML 1.2, which ruamel reads, makes those text), and ``include_tags``/``exclude_tags`` (parsed
but never used by Kometa-AI) are accepted and ignored. An empty field (``candidate_genres:``)
counts as not set. Other fields are warnings (Kometa-AI ignores them), and so is every setting
Kometa-AI 0.5.7 reads otherwise than YAML does (:mod:`core.config.kometa_compat`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from core.config.entry import Entry, Field, Problems, did_you_mean, show
from core.config.kometa_tags import read_tags

if TYPE_CHECKING:
    from core.config.kometa_yaml import Keys

START = re.compile(r"\s*#\s*===\s*KOMETA-AI\s*===\s*\Z")
END = re.compile(r"\s*#\s*===\s*END\s+KOMETA-AI\s*===\s*\Z")

BLOCK_KEYS = {
    "enabled": "enabled",
    "prompt": "prompt",
    "kind": "kind",
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
    "sonarr_taglist": "sonarr_taglist belongs under the collection key, not in the block",
}
_UNK = "which Kometa-AI 0.5.7 ignores; so does reelscale"
_USED_NOT = "which Kometa-AI 0.5.7 reads but never uses; reelscale ignores it"
_IGNORED = {"use_iterative_refinement": _USED_NOT, "refinement_threshold": _USED_NOT}
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_INT = re.compile(r"\s*[-+]?[0-9]+\s*\Z")
_PLACE = "put the block right above the collection's key"
# Line breaks: ruamel.yaml's scanner also ends lines at NEL, LS and PS (YAML 1.1's breaks), though
# its marks do not count them; splitting at all of them and joining with "\n" gives ruamel a text
# whose line numbers are this reader's.
_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SURROGATE = "has a \\u escape of a lone surrogate, which is not a character"
_SURROGATE_FIX = "remove it, or write the character itself"


class _Block(NamedTuple):
    """A closed block: its marker lines and the first line below it with content (0-based)."""

    start: int
    end: int
    key: int


def read_kometa(file: str, text: str, problems: Problems) -> list[Entry]:
    """The Kometa-AI blocks of one Kometa YAML file, in file order; problems go to ``problems``."""
    lines = _BREAKS.split(text)
    blocks = _find_blocks(file, lines, problems)
    if not blocks:
        return []
    from core.config.kometa_yaml import Keys, YamlProblem, load

    try:
        keys = Keys(load("\n".join(lines), skim_comments=True))
    except YamlProblem as exc:
        what = f"invalid YAML in the Kometa file: {exc.what}{_column(exc.column, 0)}"
        problems.add(file, min(exc.line, len(lines) - 1) + 1, what, exc.fix)
        return []
    entries = []
    for block in blocks:
        entry = _entry(file, lines, block, keys, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _find_blocks(file: str, lines: list[str], problems: Problems) -> list[_Block]:
    """Every closed block with content below it; misplaced markers are reported."""
    blocks = []
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
        end, resume = _block_end(file, lines, i, problems)
        if end is None:
            if resume is None:
                break
            i = resume
            continue
        key = _below(file, lines, end, problems)
        if key is not None:
            blocks.append(_Block(i, end, key))
        i = end + 1
    return blocks


def _block_end(file: str, lines: list[str], start: int, problems: Problems):
    """``(end, None)`` of the block at ``start``; ``(None, where to resume or None)`` if broken."""
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if END.match(line):
            return j, None
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
    problems.add(
        file,
        start + 1,
        "the KOMETA-AI block has no '# === END KOMETA-AI ===' marker",
        f"close it and {_PLACE}",
    )
    return None, None


def _below(file: str, lines: list[str], end: int, problems: Problems) -> int | None:
    """Index of the first line below the end marker that is neither blank nor a comment."""
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
        if stripped and not stripped.startswith("#"):
            return k
    problems.add(file, end + 1, "no collection key follows the KOMETA-AI block", _PLACE)
    return None


def _entry(
    file: str, lines: list[str], block: _Block, keys: Keys, problems: Problems
) -> Entry | None:
    found = _collection(file, lines[block.key], block.key, keys, problems)
    if found is None:
        return None
    name, definition = found
    fields = _block_fields(file, lines, block, problems)
    if fields is None:
        return None
    fields["name"] = Field("collection key", name, block.key + 1)
    tag_key = read_tags(file, definition, block.key, problems, name, fields)
    from core.config.kometa_compat import compare

    peer_hash = compare(file, fields, lines[block.start + 1 : block.end], block.start + 2, problems)
    return Entry(file, block.start + 1, fields, False, tag_key, kometa_ai_prompt_hash=peer_hash)


def _collection(file: str, text: str, k: int, keys: Keys, problems: Problems):
    """``(name, definition)`` of the collection whose key is on line ``k``, as Kometa-AI finds it:
    the first mapping key below the block, which must be a key of the top-level ``collections``."""
    from core.config.kometa_yaml import has_surrogate, plain

    found = keys.at(k)
    if found is None or not _is_scalar(plain(found[1])):  # no key, or ``? [a, b]``
        problems.add(
            file,
            k + 1,
            f"expected the collection's key after the KOMETA-AI block, found {text.strip()[:40]!r}",
            _PLACE,
        )
        return None
    mapping, key = found
    name = _key_text(plain(key))
    if mapping is keys.root:
        problems.add(
            file,
            k + 1,
            f"the KOMETA-AI block sits above the top-level key {show(name)}, not a collection",
            "move it below 'collections:', right above the collection's key",
        )
        return None
    if mapping is not keys.collections:
        problems.add(
            file,
            k + 1,
            f"the KOMETA-AI block sits above {show(name)}, which is not a collection under "
            "'collections:'",
            "move it right above the collection's key",
        )
        return None
    if has_surrogate(name):
        problems.add(file, k + 1, f"the collection key {show(name)} {_SURROGATE}", _SURROGATE_FIX)
        return None
    return name, mapping[key]


def _is_scalar(key: object) -> bool:
    return key is None or isinstance(key, str | int | float | bool)


def _key_text(key: object) -> object:
    """A scalar key as Kometa names the collection (``1984:`` is the text 1984)."""
    if isinstance(key, bool):
        return show(key)
    return str(key) if isinstance(key, int | float) else key


def _block_fields(
    file: str, lines: list[str], block: _Block, problems: Problems
) -> dict[str, Field] | None:
    """The block's fields by reelscale's names, each at its line in the file; None if unreadable."""
    from core.config.kometa_yaml import YamlProblem, has_surrogate, key_line, load, plain

    body, widths = _body(lines, block)
    first = block.start + 2  # the file's line number of the body's first line
    try:
        data = load("\n".join(body))
    except YamlProblem as exc:
        line = max(min(exc.line, len(body) - 1), 0)
        what = exc.what
        if exc.syntax:
            width = widths[line] if widths else 0
            what = f"invalid YAML in the KOMETA-AI block: {what}{_column(exc.column, width)}"
        problems.add(file, first + line, what, exc.fix)
        return None
    if data is not None and not isinstance(data, dict):
        at = next((n for n, text in enumerate(body) if text.strip()[:1] not in ("", "#")), 0)
        problems.add(
            file,
            first + at,
            f"expected 'field: value', found {body[at].strip()[:40]!r}",
            "write one 'field: value' per line, all in the same column",
        )
        return None
    fields: dict[str, Field] = {}
    for raw, value in (data or {}).items():
        key = plain(raw)
        at = key_line(data, raw)
        line = block.start + 1 if at is None else first + at
        if not _is_scalar(key):
            what = "a field of the KOMETA-AI block is named by a list or a mapping"
            problems.add(file, line, what, "write one 'field: value' per line")
            continue
        if key in IGNORED_KEYS:
            continue
        if key not in BLOCK_KEYS:  # Kometa-AI ignores fields it does not use; so does reelscale
            fix = _NOT_IN_BLOCK.get(key) or did_you_mean(str(key), BLOCK_KEYS, _ALIASES)
            what = f"unknown field {show(key)} in the KOMETA-AI block, {_IGNORED.get(key, _UNK)}"
            problems.warn(file, line, what, fix)
            continue
        value = plain(value)
        if has_surrogate(value):
            problems.add(file, line, f"{key} {_SURROGATE}", _SURROGATE_FIX)
        elif value is not None:
            name = BLOCK_KEYS[key]
            fields[name] = Field(key, _lenient(name, value), line)
    return fields


def _column(column: int | None, width: int) -> str:
    """`` (column N)`` in the user's file, for a 0-based column after ``width`` cut characters."""
    return "" if column is None else f" (column {width + column + 1})"


def _body(lines: list[str], block: _Block) -> tuple[list[str], list[int]]:
    """The block's lines without ``#`` and one space, and how many characters each lost."""
    body, widths = [], []
    for line in lines[block.start + 1 : block.end]:
        stripped = line.lstrip()
        cut = 2 if stripped.startswith("# ") else 1
        body.append(stripped[cut:])
        widths.append(len(line) - len(stripped) + cut)
    return body, widths


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
