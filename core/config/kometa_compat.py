"""How Kometa-AI 0.5.7 itself reads a KOMETA-AI block, so reelscale can say where the two differ.

reelscale reads a block as YAML (:mod:`core.config.kometa_blocks`). Kometa-AI 0.5.7
(``kometa_ai/kometa/parser.py``, ``KometaParser.process_config_block``) reads it line by line:

- ``key: value`` lines are split at the first ``:``; values stay text and are converted later
  (``enabled``: true only for ``true``/``yes``/``1``; a threshold or priority that is not a number
  falls back to 0.7 / 0; genre lists are split at commas; years that are not whole numbers are
  dropped).
- ``prompt: |`` starts the prompt, and every later line of the block is prompt text (its
  documented rule is "prompt last"): lines that look like ``confidence_threshold:``,
  ``priority:``, ``enabled:``, ``use_iterative_refinement:`` or ``refinement_threshold:`` are
  dropped, anything else (``exclude_tags: ...``, ``candidate_genres: ...``) stays in the prompt.
  So an option written after the prompt is ignored by Kometa-AI, where YAML (and reelscale)
  applies it.
- the prompt keeps each line's indentation after ``# `` (``"  Identify ...\\n  - ..."``), and its
  SHA-256 (first 16 hex digits) is the ``prompt_hash`` Kometa-AI stores with each decision.
- the tag it writes is always ``KAI-<slug>`` of the name; ``radarr_taglist`` is only compared
  with it (a mismatch is a warning).

:func:`peer_block` repeats that reading (tests compare it with the real parser on every file
Kometa-AI ships); :func:`differences` turns what differs into warnings.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from core.config.collection import slugify
from core.config.entry import Field, show

PEER = "Kometa-AI 0.5.7"
_DROPPED_FROM_PROMPT = re.compile(
    r"^(confidence_threshold|priority|enabled|use_iterative_refinement|refinement_threshold):\s"
)
_DEFAULTS = {"enabled": False, "confidence_threshold": 0.7, "priority": 0}


@dataclass(frozen=True, slots=True)
class PeerBlock:
    """A block as Kometa-AI 0.5.7 reads it: its text values, the prompt, and where the prompt
    started (0-based index into the block's lines; None for a one-line or no prompt)."""

    values: dict[str, str]
    prompt: str
    prompt_start: int | None
    prompt_lines: tuple[int, ...]  # indexes of the block lines that became prompt text

    @property
    def prompt_hash(self) -> str:
        """Kometa-AI's ``prompt_hash`` of this collection (``claude/processor.py``)."""
        return hashlib.sha256(self.prompt.encode("utf-8")).hexdigest()[:16]


def peer_block(lines: list[str]) -> PeerBlock:
    """Kometa-AI's reading of the lines between the markers (each still with its ``#``)."""
    values: dict[str, str] = {}
    prompt: list[str] = []
    used: list[int] = []
    start: int | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("#"):
            continue
        cleaned = stripped[2:] if stripped.startswith("# ") else stripped[1:]
        if start is not None:
            prompt.append(cleaned)
            used.append(i)
            continue
        if ":" in cleaned and "prompt:" in cleaned.lower():
            key, value = (part.strip() for part in cleaned.split(":", 1))
            if value == "|":
                start = i
            else:
                values[key] = value
        elif ":" in cleaned:
            key, value = (part.strip() for part in cleaned.split(":", 1))
            values[key] = value
    pairs = zip(used, prompt, strict=True)
    kept = [(n, text) for n, text in pairs if not _DROPPED_FROM_PROMPT.match(text)]
    if start is not None and prompt:
        values["prompt"] = "\n".join(text for _, text in kept)
    return PeerBlock(values, values.get("prompt", ""), start, tuple(n for n, _ in kept))


def peer_settings(block: PeerBlock) -> dict[str, object]:
    """The collection settings Kometa-AI builds from the block (``CollectionConfig.from_dict``),
    by reelscale's names."""
    v = block.values
    out: dict[str, object] = dict(_DEFAULTS)
    if "enabled" in v:
        out["enabled"] = v["enabled"].lower() in ("true", "yes", "1")
    if "confidence_threshold" in v:
        out["confidence_threshold"] = _number(float, v["confidence_threshold"], 0.7)
    if "priority" in v:
        out["priority"] = _number(int, v["priority"], 0)
    out["genres_any"] = _texts(v.get("candidate_genres"))
    out["genres_none"] = _texts(v.get("candidate_exclude_genres"))
    out["year_min"] = _whole(v.get("candidate_year_min"))
    out["year_max"] = _whole(v.get("candidate_year_max"))
    out["prompt"] = block.prompt
    return out


def _number(kind, text: str, default):
    try:
        return kind(text)
    except ValueError:
        return default


def _texts(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def _whole(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def same_prompt(ours: str, theirs: str) -> bool:
    """Whether two prompts are the same text once indentation and trailing spaces are set aside
    (Kometa-AI keeps the block's indentation; YAML removes it)."""
    return _normal(ours) == _normal(theirs)


def _normal(text: str) -> str:
    return textwrap.dedent("\n".join(line.rstrip() for line in text.split("\n"))).strip()


def differences(
    name: str,
    fields: Mapping[str, Field],
    block: PeerBlock,
    first_line: int,
) -> Iterator[tuple[int, str, str]]:
    """``(line, what, fix)`` for each setting reelscale reads differently from Kometa-AI.

    :param fields: the block's fields as reelscale read them (reelscale's names).
    :param first_line: the file's 1-based line number of the block's first line after the marker.
    """
    theirs = peer_settings(block)
    after = block.prompt_start
    for key in ("enabled", "confidence_threshold", "priority", *_LISTS, "year_min", "year_max"):
        fld = fields.get(key)
        ours = fld.value if fld is not None else _DEFAULTS.get(key, () if key in _LISTS else None)
        if isinstance(ours, list):
            ours = tuple(str(v).strip() for v in ours)
        if ours == theirs[key] or (key == "confidence_threshold" and _close(ours, theirs[key])):
            continue
        line = fld.line if fld is not None else first_line
        wrote = fld.key if fld is not None else key
        late = fld is not None and after is not None and line - first_line > after
        dropped = _DROPPED_FROM_PROMPT.match(f"{wrote}: ")
        why = (
            "which reads every line after 'prompt: |' as prompt text (its rule: prompt last) and "
            + ("drops this line" if dropped else "keeps it in the prompt")
            if late
            else "which reads the block line by line, not as YAML"
        )
        if late:
            fix = "move it above 'prompt: |' so both read it alike"
        elif key in _LISTS:
            fix = f"write it on one line, comma-separated: '{wrote}: {', '.join(ours)}'"
        else:
            fix = "write it as a plain 'field: value' line"
        yield (
            line,
            f"{wrote} of {show(name)} is {_show(ours)} for reelscale (as the YAML says) but "
            f"{_show(theirs[key])} for {PEER}, {why}",
            fix,
        )
    prompt = fields.get("prompt")
    if prompt is not None and not same_prompt(str(prompt.value), block.prompt):
        yield _prompt_difference(name, prompt.line, block, first_line)


def _prompt_difference(name: str, line: int, block: PeerBlock, first_line: int):
    after = block.prompt_start
    if after is None:
        why = (
            f"which reads it as {show(block.prompt)} (it reads a prompt over several lines "
            "only after 'prompt: |')"
        )
        fix = "write it as 'prompt: |' with the text on the lines below"
    else:
        why = "which takes every line after 'prompt: |' as prompt text"
        if late_lines := [n for n in block.prompt_lines if n > after + 1]:
            why += f" (up to line {first_line + max(late_lines)})"
        fix = "put the prompt last in the block"
    what = (
        f"the prompt of {show(name)} differs for {PEER}, {why}; reelscale takes it as the YAML says"
    )
    return line, what, fix


_LISTS = ("genres_any", "genres_none")


def _close(a: object, b: object) -> bool:
    return isinstance(a, float | int) and isinstance(b, float | int) and abs(a - b) < 1e-9


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(repr, value)) + "]" if value else "none"
    return show(value)


def compare(
    file: str, fields: Mapping[str, Field], lines: list[str], first_line: int, problems
) -> str:
    """Warn where Kometa-AI 0.5.7 reads the block (``lines``, between the markers, the first at
    file line ``first_line``) differently from reelscale; returns Kometa-AI's prompt hash.

    Blocks neither tool enables are left alone: they change nothing.
    """
    block = peer_block(lines)
    name = str(fields["name"].value) if "name" in fields else ""
    enabled = fields.get("enabled")
    if (enabled is not None and enabled.value is True) or peer_settings(block)["enabled"]:
        for line, what, fix in differences(name, fields, block, first_line):
            problems.warn(file, line, what, fix)
        tag = fields.get("tag")
        theirs = "KAI-" + slugify(name)
        if (
            tag is not None
            and tag.key == "radarr_taglist"
            and str(tag.value).lower() != theirs.lower()
        ):
            problems.warn(
                file,
                tag.line,
                f"radarr_taglist of {show(name)} is {show(tag.value)}, but {PEER} tags the "
                f"collection's movies {theirs} (it only warns about the mismatch); reelscale "
                f"writes {str(tag.value).lower()}, the tag Kometa collects, and never touches "
                f"{theirs}",
                f"set radarr_taglist to {theirs} to keep Kometa-AI's tags",
            )
    return block.prompt_hash
