"""The stand-in Radarr's movies: the library, what clients edited on them, and the wider catalogue.

A movie's resource is derived from its ``Movie`` record (``records.movie_resource``); what a client
may change through ``PUT /api/v3/movie/{id}`` or the editor is kept beside it as edits, the fields
Radarr's ``Movie.ApplyChanges`` copies from a resource: monitored, quality profile, minimum
availability and path (tags live in the ``TagBook``). The catalogue is the part of "TMDB" that is
not in the library: ``GET /api/v3/movie/lookup`` finds it and ``POST /api/v3/movie`` adds from it;
a deleted movie goes back to it.

Handlers run on the server's one event loop while a streamed list may be suspended mid-write, so a
change never mutates the list being iterated: it builds a new list (changes are rare; reads are
the bulk of the traffic and cost nothing extra).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from synthetic.library.movies import Movie

# what ``Movie.ApplyChanges`` copies, and ``hasFile`` (False for a movie added without a file)
EDITABLE = ("monitored", "qualityProfileId", "minimumAvailability", "path", "hasFile")
AVAILABILITY = ("tba", "announced", "inCinemas", "released", "deleted")
LOOKUP_LIMIT = 20  # TMDB's first page of search results, which Radarr's lookup returns
_WORD = re.compile(r"\w+")


class MovieBook:
    def __init__(self, movies: Iterable[Movie], catalogue: Iterable[Movie] = ()) -> None:
        self._lock = threading.Lock()
        self._movies: list[Movie] = sorted(movies, key=lambda m: m.id)
        self._by_id = {m.id: m for m in self._movies}
        self._by_tmdb = {m.tmdb_id: m for m in self._movies}
        self._outside = {m.tmdb_id: m for m in catalogue if m.tmdb_id not in self._by_tmdb}
        self._edits: dict[int, dict] = {}
        self._next_id = max(self._by_id, default=0) + 1

    @property
    def movies(self) -> Sequence[Movie]:
        """The library in id order; a snapshot that later changes do not touch."""
        return self._movies

    def get(self, movie_id: int) -> Movie | None:
        return self._by_id.get(movie_id)

    def by_tmdb(self, tmdb_id: int) -> Movie | None:
        return self._by_tmdb.get(tmdb_id)

    def outside(self, tmdb_id: int) -> Movie | None:
        """The catalogue movie with this TMDB id, if it is not in the library."""
        return self._outside.get(tmdb_id)

    def edits(self, movie_id: int) -> Mapping[str, object]:
        return self._edits.get(movie_id, {})

    def edit(self, movie_id: int, fields: Mapping[str, object]) -> None:
        """Keep the editable ``fields`` given (others are ignored, as Radarr ignores them)."""
        kept = {k: v for k, v in fields.items() if k in EDITABLE and v is not None}
        with self._lock:
            self._edits.setdefault(movie_id, {}).update(kept)

    def put(self, movie: Movie) -> None:
        """Add ``movie``, or replace the one with its id."""
        with self._lock:
            movies = [m for m in self._movies if m.id != movie.id]
            old = self._by_id.get(movie.id)
            if old is not None:
                self._by_tmdb.pop(old.tmdb_id, None)
            movies.append(movie)
            movies.sort(key=lambda m: m.id)
            self._movies = movies
            self._by_id[movie.id] = self._by_tmdb[movie.tmdb_id] = movie
            self._outside.pop(movie.tmdb_id, None)
            self._next_id = max(self._next_id, movie.id + 1)

    def add(self, tmdb_id: int) -> Movie:
        """Move the catalogue movie with this TMDB id into the library under the next free id."""
        with self._lock:
            found = self._outside[tmdb_id]
            movie_id = self._next_id
        movie = replace(found, id=movie_id)
        self.put(movie)
        return movie

    def remove(self, movie_id: int) -> Movie:
        """Delete a movie from the library (back to the catalogue); ``KeyError`` if unknown."""
        with self._lock:
            movie = self._by_id.pop(movie_id)
            self._movies = [m for m in self._movies if m.id != movie_id]
            self._by_tmdb.pop(movie.tmdb_id, None)
            self._edits.pop(movie_id, None)
            self._outside[movie.tmdb_id] = movie
        return movie

    def lookup(self, term: str) -> list[Movie]:
        """Radarr's ``movie/lookup``: ``tmdb:ID``, ``imdb:ttID`` or words of the title."""
        kind, _, value = term.strip().partition(":")
        everything = [*self._movies, *self._outside.values()]
        if kind.lower() == "tmdb" and value.strip().isdigit():
            tmdb_id = int(value)
            return [m for m in everything if m.tmdb_id == tmdb_id]
        if kind.lower() == "imdb":
            return [m for m in everything if m.imdb_id == value.strip()]
        words = set(_WORD.findall(term.lower()))
        if not words:
            return []
        found = [m for m in everything if words <= set(_WORD.findall(m.title.lower()))]
        return found[:LOOKUP_LIMIT]
