"""Check a model's answer against the request it answers.

Structured outputs guarantee the JSON's shape, not that it answers the request: the set of ids
returned must equal the set sent. Unknown ids are dropped, duplicates keep their first record,
missing ids are reported so the caller sends them again, and collection ids or confidences
outside the request are ignored. Never raises on any text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field

from core.clients.claude.wire import parse_record


@dataclass(slots=True)
class Checked:
    """``found[mid] = {cid: confidence}``; ``missing`` ids to send again; counts of what was off."""

    found: dict[str, dict[str, float]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: int = 0
    duplicates: int = 0
    malformed: bool = False


def check_answer(text: str, sent: Collection[str], collection_ids: Collection[str]) -> Checked:
    """Read ``text`` (the answer JSON of :mod:`~core.clients.claude.wire`) for the ids sent."""
    out = Checked()
    try:
        records = json.loads(text)["r"]
        if not isinstance(records, list):
            raise TypeError
    except (ValueError, TypeError, KeyError, IndexError):
        out.malformed = True
        out.missing = sorted(sent, key=_order)
        return out
    for record in records:
        parsed = parse_record(record) if isinstance(record, str) else None
        if parsed is None:
            continue
        mid, pairs = parsed
        if mid not in sent:
            out.unknown += 1
            continue
        if mid in out.found:
            out.duplicates += 1
            continue
        found: dict[str, float] = {}
        for cid, p in pairs:
            if cid in collection_ids and math.isfinite(p):
                found.setdefault(cid, p)
        out.found[mid] = found
    out.missing = sorted((m for m in sent if m not in out.found), key=_order)
    return out


def _order(mid: str) -> tuple[int, str]:
    digits = mid[1:]
    return (int(digits), mid) if digits.isdigit() else (1 << 62, mid)


@dataclass(slots=True)
class Reading:
    """What one Messages response settles: ``outcome`` is ok, truncated, refused or malformed.

    A refusal settles none of its movies: it says nothing about them, so they are never recorded
    as members of nothing. The caller splits the batch until the refused movie is alone, and that
    movie keeps the decisions it had (and so its tags). A truncated answer settles none either.
    """

    outcome: str
    found: dict[str, dict[str, float]]
    missing: list[str]


def read_message(message, sent: Collection[str], collection_ids: Collection[str]) -> Reading:
    """Interpret a response (``stop_reason`` first, then the answer text) for the ids ``sent``."""
    if message.stop_reason == "max_tokens":
        return Reading("truncated", {}, sorted(sent, key=_order))
    if message.stop_reason == "refusal":
        return Reading("refused", {}, [])
    text = next((b.text for b in message.content if b.type == "text"), "")
    checked = check_answer(text, sent, collection_ids)
    return Reading("malformed" if checked.malformed else "ok", checked.found, checked.missing)
