"""The records the Sonarr client hands out: a series projected to what reelscale uses, tag
membership, and the outcome of a bulk tag edit."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class SonarrSeries:
    """One series of the library, keeping only what the prompt, the fingerprint and matching use.

    Missing, null or wrongly typed fields in Sonarr's answer arrive here as ``None``, ``""`` or
    an empty tuple. ``seasons`` counts regular seasons (specials, season 0, are not counted).
    """

    id: int
    title: str = ""
    year: int | None = None
    tvdb_id: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    genres: tuple[str, ...] = ()
    overview: str = ""
    network: str | None = None
    status: str | None = None
    seasons: int = 0
    original_language: str | None = None
    certification: str | None = None
    runtime: int | None = None
    series_type: str | None = None
    tags: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SeriesTagDetail:
    id: int
    label: str
    series_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FailedSeriesChunk:
    """Series ids whose edit failed after every retry, and why; retry them next run."""

    series_ids: tuple[int, ...]
    cause: str


@dataclass(slots=True)
class SeriesEditResult:
    """What ``SonarrClient.edit_tags`` did: ``chunks`` sent, ``edited`` series ids accepted."""

    apply: str
    tag_ids: tuple[int, ...]
    chunks: int = 0
    edited: int = 0
    failed: list[FailedSeriesChunk] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed_ids(self) -> list[int]:
        return [series_id for chunk in self.failed for series_id in chunk.series_ids]
