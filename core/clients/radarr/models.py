"""The records the Radarr client hands out: a movie projected to what reelscale uses, tags, and
the outcome of a bulk tag edit."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.clients.arr.models import Tag

__all__ = ["EditResult", "FailedChunk", "RadarrMovie", "Tag", "TagDetail"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RadarrMovie:
    """One movie of the library, keeping only the fields classification and matching use.

    Missing, null or wrongly typed fields in Radarr's answer arrive here as ``None``, ``""`` or
    an empty tuple; ``keywords`` is empty on servers before Radarr 5.24.
    """

    id: int
    title: str = ""
    original_title: str | None = None
    year: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    genres: tuple[str, ...] = ()
    overview: str = ""
    keywords: tuple[str, ...] = ()
    certification: str | None = None
    studio: str | None = None
    runtime: int | None = None
    original_language: str | None = None
    collection: str | None = None
    alternate_titles: tuple[str, ...] = ()
    tags: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class TagDetail:
    id: int
    label: str
    movie_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FailedChunk:
    """Movie ids whose edit failed after every retry, and why; retry them next run."""

    movie_ids: tuple[int, ...]
    cause: str


@dataclass(slots=True)
class EditResult:
    """What ``RadarrClient.edit_tags`` did: ``chunks`` sent, ``edited`` movie ids accepted."""

    apply: str
    tag_ids: tuple[int, ...]
    chunks: int = 0
    edited: int = 0
    failed: list[FailedChunk] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed_ids(self) -> list[int]:
        return [movie_id for chunk in self.failed for movie_id in chunk.movie_ids]
