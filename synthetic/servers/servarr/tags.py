"""The stand-in Radarr's tags and which movies carry them, behind one lock (Sonarr's book, keyed by
series, extends it: ``synthetic.servers.sonarr.tags``).

Handlers change it on the server's loop while tests read and set it from their own thread. The
rules are Radarr v6's (``TagController``, ``TagService``): a label must match ``^[a-z0-9-]+$``
ignoring case; adding a label that exists exactly returns that tag; anything else is stored
lowercased, and the label column is unique.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

LABEL = re.compile(r"^[a-z0-9-]+$", re.IGNORECASE)
LABEL_MESSAGE = "Allowed characters a-z, 0-9 and -"


class LabelRejected(ValueError):
    """Radarr's validation refused the label; ``code`` is the FluentValidation error code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class LabelTaken(ValueError):
    """The lowercased label exists in another case: Radarr's unique constraint fails."""


class TagInUse(ValueError):
    """A movie still carries the tag: Radarr's ``ModelConflictException`` (409)."""


def check_label(label: object) -> None:
    """Radarr's ``TagController`` validation of a label."""
    if not isinstance(label, str) or not label.strip():
        raise LabelRejected("'Label' must not be empty.", "NotEmptyValidator")
    if not LABEL.match(label):
        raise LabelRejected(LABEL_MESSAGE, "RegularExpressionValidator")


class TagBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._labels: dict[int, str] = {}
        self._ids: dict[str, int] = {}
        self._movies: dict[int, set[int]] = {}  # movie id -> tag ids
        self._next_id = 1

    def add(self, label: object) -> tuple[int, str]:
        """``POST /api/v3/tag``: the (id, label) stored or found."""
        check_label(label)
        assert isinstance(label, str)
        with self._lock:
            if label in self._ids:
                return self._ids[label], label
            lowered = label.lower()
            if lowered in self._ids:
                raise LabelTaken("constraint failed\nUNIQUE constraint failed: Tags.Label")
            return self._create(lowered), lowered

    def label(self, tag_id: int) -> str | None:
        with self._lock:
            return self._labels.get(tag_id)

    def rename(self, tag_id: int, label: object) -> str:
        """``PUT /api/v3/tag/{id}``: the label stored (lowercased); ``KeyError`` if no such tag."""
        check_label(label)
        lowered = str(label).lower()
        with self._lock:
            old = self._labels[tag_id]
            if self._ids.get(lowered, tag_id) != tag_id:
                raise LabelTaken("constraint failed\nUNIQUE constraint failed: Tags.Label")
            del self._ids[old]
            self._labels[tag_id] = lowered
            self._ids[lowered] = tag_id
            return lowered

    def delete(self, tag_id: int) -> None:
        """``DELETE /api/v3/tag/{id}``: ``KeyError`` if no such tag, ``TagInUse`` if in use."""
        with self._lock:
            label = self._labels[tag_id]
            if any(tag_id in tags for tags in self._movies.values()):
                raise TagInUse(
                    f"Tag with ID {tag_id} '{label}' cannot be deleted since it's still in use"
                )
            del self._labels[tag_id], self._ids[label]

    def tags(self) -> list[tuple[int, str]]:
        with self._lock:
            return sorted(self._labels.items())

    def tags_of(self, movie_id: int) -> list[int]:
        with self._lock:
            return sorted(self._movies.get(movie_id, ()))

    def details(self) -> list[tuple[int, str, list[int]]]:
        """Every tag with the ids of its movies, as ``GET /api/v3/tag/detail``."""
        with self._lock:
            members: dict[int, list[int]] = {tag_id: [] for tag_id in self._labels}
            for movie_id in sorted(self._movies):
                for tag_id in self._movies[movie_id]:
                    if tag_id in members:
                        members[tag_id].append(movie_id)
            return [(i, self._labels[i], members[i]) for i in sorted(self._labels)]

    def apply(self, movie_ids: Iterable[int], tag_ids: Iterable[int], mode: str) -> None:
        """The editor's ``applyTags``: add, remove or replace, on every given movie."""
        tags = set(tag_ids)
        with self._lock:
            for movie_id in movie_ids:
                current = self._movies.get(movie_id, set())
                if mode == "remove":
                    current = current - tags
                elif mode == "replace":
                    current = set(tags)
                else:
                    current = current | tags
                if current:
                    self._movies[movie_id] = current
                else:
                    self._movies.pop(movie_id, None)

    def by_label(self) -> dict[str, set[int]]:
        with self._lock:
            members: dict[str, set[int]] = {label: set() for label in self._labels.values()}
            for movie_id, tag_ids in self._movies.items():
                for tag_id in tag_ids:
                    if tag_id in self._labels:
                        members[self._labels[tag_id]].add(movie_id)
            return members

    def set_members(self, label: str, movie_ids: Iterable[int]) -> int:
        """Make ``label`` (created lowercase if missing) tag exactly ``movie_ids``."""
        wanted = set(movie_ids)
        lowered = label.lower()
        with self._lock:
            tag_id = self._ids.get(lowered)
            if tag_id is None:
                tag_id = self._create(lowered)
            for movie_id in list(self._movies):
                if movie_id not in wanted:
                    self._movies[movie_id].discard(tag_id)
                    if not self._movies[movie_id]:
                        del self._movies[movie_id]
            for movie_id in wanted:
                self._movies.setdefault(movie_id, set()).add(tag_id)
            return tag_id

    def _create(self, label: str) -> int:
        tag_id, self._next_id = self._next_id, self._next_id + 1
        self._labels[tag_id] = label
        self._ids[label] = tag_id
        return tag_id
