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


@dataclass(slots=True)
class Checked:
    """``found[mid] = {cid: confidence}``; ``missing`` ids to send again; counts of what was off."""

    found: dict[str, dict[str, float]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: int = 0
    duplicates: int = 0
    malformed: bool = False


def check_answer(text: str, sent: Collection[str], collection_ids: Collection[str]) -> Checked:
    """Read ``text`` (the answer JSON) for the ids in ``sent``."""
    out = Checked()
    try:
        records = json.loads(text)["results"]
        if not isinstance(records, list):
            raise TypeError
    except (ValueError, TypeError, KeyError, IndexError):
        out.malformed = True
        out.missing = sorted(sent, key=_order)
        return out
    for record in records:
        if not isinstance(record, dict):
            continue
        mid = record.get("id")
        if not isinstance(mid, str) or mid not in sent:
            out.unknown += 1
            continue
        if mid in out.found:
            out.duplicates += 1
            continue
        out.found[mid] = _memberships(record.get("in"), collection_ids)
    out.missing = sorted((m for m in sent if m not in out.found), key=_order)
    return out


def _memberships(entries, collection_ids: Collection[str]) -> dict[str, float]:
    found: dict[str, float] = {}
    if not isinstance(entries, list):
        return found
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        cid, p = entry.get("c"), entry.get("p")
        if cid not in collection_ids or isinstance(p, bool) or not isinstance(p, int | float):
            continue
        if math.isfinite(p):
            found.setdefault(cid, min(1.0, max(0.0, float(p))))
    return found


def _order(mid: str) -> tuple[int, str]:
    digits = mid[1:]
    return (int(digits), mid) if digits.isdigit() else (1 << 62, mid)
