"""Project Radarr's movie list (one JSON array, hundreds of MB at 100k movies) into RadarrMovie.

The array is cut into its elements as the bytes arrive by
:func:`core.clients.arr.stream.iter_elements` (one element decoded at a time with the C JSON
decoder); each element is projected to a ``RadarrMovie`` and dropped, so memory holds one network
chunk plus one movie, whatever the library size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from core.clients.arr.stream import MAX_INT, BadPayload, Skips, iter_elements
from core.clients.arr.stream import text as _text
from core.clients.radarr.models import RadarrMovie

__all__ = ["BadPayload", "Skips", "iter_elements", "iter_movies", "project"]


def iter_movies(
    chunks: Iterable[bytes],
    skips: Skips | None = None,
    on_element: Callable[[dict], None] | None = None,
) -> Iterator[RadarrMovie]:
    """Yield a ``RadarrMovie`` per usable element of the JSON array in ``chunks``.

    ``on_element`` sees each usable element as decoded, before it is projected and dropped (for
    a caller that needs a field reelscale does not keep, e.g. Kometa-AI's movie hash).

    :raises BadPayload: the payload is not an array, is malformed or is cut short.
    """
    skips = skips if skips is not None else Skips()
    for position, element in enumerate(iter_elements(chunks), 1):
        movie = project(element)
        if movie is None:
            skips.add(position, element)
        else:
            if on_element is not None:
                on_element(element)
            yield movie


def project(raw: object) -> RadarrMovie | None:
    """The ``RadarrMovie`` of one ``MovieResource``; None when it has no usable id."""
    if not isinstance(raw, dict):
        return None
    movie_id = raw.get("id")
    if type(movie_id) is not int or not 0 < movie_id <= MAX_INT:
        return None
    get = raw.get
    return RadarrMovie(
        id=movie_id,
        title=_text(get("title")) or "",
        original_title=_text(get("originalTitle")),
        year=_positive(get("year")),
        tmdb_id=_positive(get("tmdbId")),
        imdb_id=_text(get("imdbId")),
        genres=_texts(get("genres")),
        overview=_text(get("overview")) or "",
        keywords=_texts(get("keywords")),
        certification=_text(get("certification")),
        studio=_text(get("studio")),
        runtime=_positive(get("runtime")),
        original_language=_text(_field(get("originalLanguage"), "name")),
        collection=_text(_field(get("collection"), "title")),
        alternate_titles=_alternate_titles(get("alternateTitles")),
        tags=_ints(get("tags")),
    )


def _positive(value: object) -> int | None:
    return value if type(value) is int and 0 < value <= MAX_INT else None


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(_text(v) for v in value if isinstance(v, str) and v)


def _ints(value: object) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if type(v) is int)


def _field(value: object, name: str) -> object:
    return value.get(name) if isinstance(value, dict) else None


def _alternate_titles(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(t for alt in value if isinstance(alt, dict) and (t := _text(alt.get("title"))))
