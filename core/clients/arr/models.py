"""The records both *arr clients hand out alike: a tag."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    label: str
