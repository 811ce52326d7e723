"""Radarr API v3 client: the library in one streamed request, tags, and bulk tag edits.

Synchronous over one ``httpx.Client``. The key goes in the ``X-Api-Key`` header only, never in a
URL. Every request is retried with exponential backoff (tenacity) on 5xx, 429, timeouts and
connection errors; a 4xx is final. Tag edits are idempotent (add or remove a tag), so retrying a
PUT that may have been applied is safe.

``GET /api/v3/movie`` has no paging: at 100k movies it is some 360 MB of JSON, and Radarr may
take minutes to start answering, so it gets its own read timeout (``list_timeout_s``) and is
parsed as it arrives (``_stream``). The editor answers every edit with the edited movies' full
resources; those bodies are drained unread.

Wrong settings are :class:`RadarrConfigError` (exit 2) naming ``RADARR_URL`` or
``RADARR_API_KEY`` (an address where nothing ever answered is one); everything else that goes
wrong, a Radarr that answered and then stopped included, is :class:`RadarrError` (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import httpx
from tenacity import stop_after_delay
from tenacity.stop import stop_base

from core.clients.arr.client import TAG_RULE, ArrClient, key_help
from core.clients.arr.client import check_label as _check_label
from core.clients.arr.wire import Retryable, int_tuple
from core.clients.radarr.models import EditResult, FailedChunk, RadarrMovie, TagDetail
from core.clients.radarr.stream import iter_movies
from core.config.model import RadarrSettings, env_name
from core.errors import RadarrConfigError, RadarrError, SourceError

URL_ENV = env_name(RadarrSettings, "url")
KEY_ENV = env_name(RadarrSettings, "api_key")
KEY_HELP = key_help(KEY_ENV)
LIST_TIMEOUT_ENV = env_name(RadarrSettings, "list_timeout")
LIST = "GET /api/v3/movie"
__all__ = ["KEY_ENV", "KEY_HELP", "LIST", "TAG_RULE", "URL_ENV", "RadarrClient", "check_label"]


class RadarrClient(ArrClient):
    """``with RadarrClient(settings) as radarr: for movie in radarr.movies(): ...``.

    Counters: ``requests`` (logical requests), ``attempts`` (HTTP requests sent, retries
    included), ``writes`` (logical POSTs and PUTs) and ``skipped`` (elements of the last movie
    list without a usable id).

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    SERVICE = "Radarr"
    ERROR = RadarrError
    CONFIG_ERROR = RadarrConfigError
    URL_ENV, KEY_ENV, LIST_TIMEOUT_ENV = URL_ENV, KEY_ENV, LIST_TIMEOUT_ENV
    EXAMPLE_URL, TABLE = "http://radarr:7878", "radarr"
    LIST_NOUN, ITEMS_NOUN, SECONDS_FORMAT = "movie list", "movies", "g"
    settings: RadarrSettings

    def __init__(self, settings: RadarrSettings, *, transport: httpx.BaseTransport | None = None):
        super().__init__(settings, transport=transport)

    def movies(self, on_element: Callable[[dict], None] | None = None) -> Iterator[RadarrMovie]:
        """Every movie of the library, parsed as the one ``GET /api/v3/movie`` answer streams in.

        Elements without a usable id are skipped and counted in ``skipped``; ``on_element`` sees
        each usable one as Radarr sent it.
        """
        return self._stream_list(
            "/api/v3/movie",
            lambda body, skips: iter_movies(body, skips, on_element),
            params={"excludeLocalCovers": "true"},
        )

    def tag_details(self) -> list[TagDetail]:
        """Every tag with the ids of the movies carrying it: membership without the library."""
        return [
            TagDetail(i, label, int_tuple(raw.get("movieIds")))
            for i, label, raw in self._tag_rows("/api/v3/tag/detail")
        ]

    def edit_tags(self, movie_ids: Iterable[int], tag_ids: Iterable[int], apply: str) -> EditResult:
        """Add or remove tags on movies: ``PUT /api/v3/movie/editor``, ``chunk_size`` ids a time.

        A chunk that still fails after the retries is recorded in ``EditResult.failed`` and the
        others go on; only wrong settings (401, nothing answering) raise.
        """
        if apply not in ("add", "remove"):
            raise ValueError(f"apply must be 'add' or 'remove', not {apply!r}")
        result = EditResult(apply, tuple(dict.fromkeys(tag_ids)))
        return self._edit("/api/v3/movie/editor", "movieIds", movie_ids, result, FailedChunk)

    def _stop(self, where: str) -> stop_base:
        stop = super()._stop(where)
        if where == LIST:
            # No new attempt at the list once one list timeout has passed since the first: a
            # Radarr slow to start answering costs at most two list timeouts, not five.
            stop = stop | stop_after_delay(self.settings.list_timeout)
        return stop

    def _gave_up(self, exc: Retryable, where: str, attempts: int) -> SourceError:
        if exc.kind == "timeout" and where == LIST:
            return RadarrError(
                f"Radarr at {self.url} did not start sending the movie list within "
                f"{LIST_TIMEOUT_ENV} ({self.settings.list_timeout:g} s, {_attempts(attempts)}); "
                f"a big library can take minutes: raise {LIST_TIMEOUT_ENV}, or check that Radarr "
                "is healthy (System > Status)"
            )
        return super()._gave_up(exc, where, attempts)


def _attempts(n: int) -> str:
    return f"{n} attempt" if n == 1 else f"{n} attempts"


def check_label(label: str) -> str:
    """``label`` lowercased, as Radarr stores it; ConfigError unless it is ``[a-z0-9-]+``."""
    return _check_label(label, "Radarr")
