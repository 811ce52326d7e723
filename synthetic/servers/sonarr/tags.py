"""The stand-in Sonarr's tags: the Radarr stand-in's ``TagBook`` (same rules: Sonarr v4's
``TagController`` checks ``^[a-z0-9-]+$`` ignoring case and stores labels lowercased) keyed by
series id, plus what Sonarr's tag API adds on top of Radarr's routes the core uses: one tag by id,
rename (``PUT /tag/{id}``) and delete (``DELETE /tag/{id}``, refused while the tag is in use, as
Sonarr v4's ``TagService.Delete`` does)."""

from __future__ import annotations

from synthetic.servers.servarr.tags import LabelRejected, LabelTaken, TagBook, check_label

__all__ = ["LabelRejected", "LabelTaken", "SeriesTagBook", "TagInUse", "UnknownTag"]


class UnknownTag(KeyError):
    """No tag has this id (Sonarr: ``ModelNotFoundException``, 404)."""


class TagInUse(ValueError):
    """The tag still carries series (Sonarr v4: ``ModelConflictException``, 409)."""


class SeriesTagBook(TagBook):
    """``TagBook`` whose members are series ids; ``label_of``, ``rename`` and ``delete`` added."""

    def label_of(self, tag_id: int) -> str:
        with self._lock:
            if tag_id not in self._labels:
                raise UnknownTag(tag_id)
            return self._labels[tag_id]

    def members_of(self, tag_id: int) -> list[int]:
        with self._lock:
            if tag_id not in self._labels:
                raise UnknownTag(tag_id)
            return sorted(s for s, tags in self._movies.items() if tag_id in tags)

    def rename(self, tag_id: int, label: object) -> str:
        """``PUT /api/v3/tag/{id}``: the label stored (lowercased)."""
        check_label(label)
        lowered = str(label).lower()
        with self._lock:
            if tag_id not in self._labels:
                raise UnknownTag(tag_id)
            if self._ids.get(lowered, tag_id) != tag_id:
                raise LabelTaken("constraint failed\nUNIQUE constraint failed: Tags.Label")
            del self._ids[self._labels[tag_id]]
            self._labels[tag_id] = lowered
            self._ids[lowered] = tag_id
            return lowered

    def delete(self, tag_id: int) -> None:
        """``DELETE /api/v3/tag/{id}``."""
        with self._lock:
            if tag_id not in self._labels:
                raise UnknownTag(tag_id)
            label = self._labels[tag_id]
            if any(tag_id in tags for tags in self._movies.values()):
                raise TagInUse(f"'{label}' cannot be deleted since it's still in use")
            del self._labels[tag_id], self._ids[label]
