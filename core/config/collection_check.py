"""Checking one collection definition as read (TOML or Kometa-AI block) and building it.

Every value is checked by the rule for its key (:data:`CHECKS`), the defaults are applied (the
tag ``kai-<slug>``, each format's ``enabled``), and names and tags must be unique across the
config; each problem is added to :class:`~core.config.entry.Problems` with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.config.collection import KINDS, TAG_PREFIX, TAG_RE, Collection, genre_key, slugify
from core.config.entry import Entry, Problems, show


class _Invalid(Exception):
    def __init__(self, what: str, fix: str) -> None:
        self.what, self.fix = what, fix


def build(entry: Entry, problems: Problems, seen: Seen) -> Collection | None:
    """Check an entry's values and apply the defaults; None (and problems) if anything is wrong."""
    fields = entry.fields
    values: dict[str, object] = {}
    failed = False
    name = fields["name"].value if "name" in fields else None
    label = show(name.strip()) if isinstance(name, str) and name.strip() else "this collection"
    for key, fld in fields.items():
        try:
            values[key] = CHECKS[key](fld.value)
        except _Invalid as exc:
            problems.add(entry.file, fld.line, f"{fld.key} of {label} {exc.what}", exc.fix)
            failed = True
    for key, what, fix in (
        ("name", "a collection has no name", 'add name = "..." to its table'),
        ("prompt", f"{label} has no prompt", "add one describing which movies belong in it"),
    ):
        if key not in fields:
            problems.add(entry.file, entry.line, what, fix)
            failed = True
    low, high = values.get("year_min"), values.get("year_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.add(
            entry.file,
            fields["year_min"].line,
            f"year_min {low} of {label} is after year_max {high}",
            "swap them",
        )
        failed = True
    slug = slugify(values["name"]) if "name" in values else ""
    if "name" in values and "tag" not in values and "tag" not in fields:
        if slug:
            values["tag"] = TAG_PREFIX + slug
        else:
            problems.add(
                entry.file,
                fields["name"].line,
                f"{label} has no letters a-z or digits to make a tag from",
                f"set {entry.tag_key} explicitly, e.g. kai-my-collection",
            )
            failed = True
    if not seen.unique(entry, values.get("name"), values.get("tag"), problems) or failed:
        return None
    values.setdefault("enabled", entry.enabled_default)
    return Collection(
        slug=slug or values["tag"].removeprefix(TAG_PREFIX) or values["tag"],
        source=f"{entry.file}:{entry.line}",
        kometa_ai_prompt_hash=entry.kometa_ai_prompt_hash,
        **values,
    )


@dataclass(slots=True)
class Seen:
    """Names (ignoring case) and tags already defined, so a second definition is reported.

    Checked even for entries with other problems, so one run shows every clash.
    """

    names: dict[str, Entry] = field(default_factory=dict)
    tags: dict[str, tuple[str, Entry]] = field(default_factory=dict)

    def unique(self, entry: Entry, name, tag, problems: Problems) -> bool:
        """Whether the entry is the first of its name and tag; a second one is an error, except
        a Kometa-AI block repeated in another file: a warning, and the first one is used."""
        if name is not None:
            first = self.names.setdefault(genre_key(name), entry)
            if first is not entry and _kometa_twice(first, entry, name):
                problems.warn(
                    entry.file,
                    entry.line,
                    f"collection {show(name)} is defined again (first at {first.file}:"
                    f"{first.line}); reelscale uses the first, in sorted file order, and ignores "
                    "this one (Kometa-AI 0.5.7 warns too, and uses the one it reads last, in "
                    "the order the filesystem lists the files)",
                    "delete one of the two blocks so both tools use the same",
                )
                return False
            if first is not entry:
                what = (
                    f"collection {show(name)} is defined twice (first at {first.file}:{first.line})"
                )
                problems.add(entry.file, entry.line, what, "rename or delete one of them")
                return False
        if tag is not None and name is not None:
            first_name, first = self.tags.setdefault(tag, (name, entry))
            if first is not entry:
                what = (
                    f"tag {show(tag)} of {show(name)} is already used by {show(first_name)} "
                    f"({first.file}:{first.line})"
                )
                problems.add(entry.file, entry.line, what, "give one of them another tag")
                return False
        return True


def _kometa_twice(first: Entry, entry: Entry, name: object) -> bool:
    """Kometa-AI blocks of the same collection in two files (within one file, YAML refuses the
    repeated key)."""
    kometa = first.tag_key.endswith("_taglist") and entry.tag_key.endswith("_taglist")
    return kometa and first.file != entry.file and isinstance(name, str)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"is {show(value)}", "write it as non-empty text")
    return value.strip()


def _name(value: object) -> str:
    text = _text(value)
    if "\n" in text:
        raise _Invalid("spans several lines", "keep the name on one line")
    return text


def _tag(value: object) -> str:
    tag = _text(value).lower()
    if not TAG_RE.match(tag):
        raise _Invalid(f"is {show(value)}, which Radarr rejects", "use only a-z, 0-9 and '-'")
    return tag


_KIND_WORDS = {
    "movie": "movies",
    "film": "movies",
    "films": "movies",
    "show": "series",
    "shows": "series",
    "tv": "series",
    "tv shows": "series",
    "all": "both",
}


def _kind(value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else value
    if text in KINDS:
        return text
    meant = _KIND_WORDS.get(text) if isinstance(text, str) else None
    fix = f"did you mean {meant!r}?" if meant else "write movies, series or both"
    raise _Invalid(f"is {show(value)}, not movies, series or both", fix)


def _threshold(value: object) -> float:
    fix = "use a number above 0 and at most 1, e.g. 0.7"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"is {show(value)}, not a number", fix)
    if not 0 < value <= 1:
        raise _Invalid(f"is {value}, out of range", fix)
    return float(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"is {show(value)}", "write true or false")
    return value


def _whole(example: int):
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(f"is {show(value)}, not a whole number", f"write one, e.g. {example}")
        return value

    return check


def _genres(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(g, str) and g.strip() for g in value):
        raise _Invalid(f"is {show(value)}", 'write a list of genre names, e.g. ["Crime", "Drama"]')
    return tuple(g.strip() for g in value)


CHECKS = {
    "name": _name,
    "prompt": _text,
    "tag": _tag,
    "kind": _kind,
    "confidence_threshold": _threshold,
    "enabled": _flag,
    "priority": _whole(10),
    "genres_any": _genres,
    "genres_none": _genres,
    "year_min": _whole(1990),
    "year_max": _whole(1999),
}
