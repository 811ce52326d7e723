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

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_exponential_jitter

from core.clients.radarr.models import EditResult, FailedChunk, RadarrMovie, Tag, TagDetail
from core.clients.radarr.stream import BadPayload, Skips, iter_movies
from core.clients.radarr.wire import (
    Retryable,
    chunks,
    connect_reason,
    describe,
    drain,
    error_detail,
    int_tuple,
)
from core.config.model import RadarrSettings, env_name
from core.config.secret_url import bare_url
from core.errors import ConfigError, RadarrConfigError, RadarrError

URL_ENV = env_name(RadarrSettings, "url")
KEY_ENV = env_name(RadarrSettings, "api_key")
KEY_HELP = f"check {KEY_ENV} (Settings > General > Security > API Key)"
LIST_TIMEOUT_ENV = env_name(RadarrSettings, "list_timeout")
LIST = "GET /api/v3/movie"
TAG_RULE = "^[a-z0-9-]+$"
_TAG_LABEL = re.compile(TAG_RULE)


class RadarrClient:
    """``with RadarrClient(settings) as radarr: for movie in radarr.movies(): ...``.

    Counters: ``requests`` (logical requests), ``attempts`` (HTTP requests sent, retries
    included), ``writes`` (logical POSTs and PUTs) and ``skipped`` (elements of the last movie
    list without a usable id).

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    def __init__(self, settings: RadarrSettings, *, transport: httpx.BaseTransport | None = None):
        if settings.url is None:
            raise RadarrConfigError(
                f"{URL_ENV} is not set: export {URL_ENV} (e.g. http://radarr:7878) or add url to "
                "the [radarr] table of the config"
            )
        if settings.api_key is None or not settings.api_key.get_secret_value():
            raise RadarrConfigError(f"{KEY_ENV} is not set; {KEY_HELP}")
        self.settings = settings
        url = settings.url.get_secret_value()
        self.url = bare_url(url)
        self._key = settings.api_key.get_secret_value()
        self._http = httpx.Client(
            base_url=url.rstrip("/"),
            headers={
                "X-Api-Key": self._key,
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
            },
            timeout=httpx.Timeout(settings.timeout),
            transport=transport,
            # A plain-http Radarr (the usual LAN setup) needs no TLS: skipping the default SSL
            # context saves loading the CA bundle, 1 MB of RSS (bench numbers run, 10k movies).
            # Requests only go to paths under this base URL and redirects are not followed.
            verify=url.lower().startswith("https://"),
        )
        self._list_timeout = httpx.Timeout(settings.list_timeout, connect=settings.timeout)
        self._skips = Skips()
        self.requests = self.attempts = self.writes = 0
        self._answered = False  # Radarr answered once: a connection failure after is an outage

    @property
    def skipped(self) -> int:
        return self._skips.count

    @property
    def skipped_examples(self) -> list[str]:
        """The first few skipped elements of the last movie list, named for a report."""
        return list(self._skips.examples)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RadarrClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------
    def ping(self) -> str:
        """``GET /ping`` (no key needed): Radarr's status word, "OK" when it is up."""
        body = self._get_json("/ping")
        return str(body.get("status", "")) if isinstance(body, dict) else ""

    def system_status(self) -> dict:
        body = self._get_json("/api/v3/system/status")
        if not isinstance(body, dict):
            raise self._unexpected("GET /api/v3/system/status", "an object")
        return body

    def health(self) -> list[dict]:
        body = self._get_json("/api/v3/health")
        if not isinstance(body, list):
            raise self._unexpected("GET /api/v3/health", "a list")
        return [item for item in body if isinstance(item, dict)]

    def movies(self, on_element: Callable[[dict], None] | None = None) -> Iterator[RadarrMovie]:
        """Every movie of the library, parsed as the one ``GET /api/v3/movie`` answer streams in.

        Elements without a usable id are skipped and counted in ``skipped``; ``on_element`` sees
        each usable one as Radarr sent it.
        """
        where = LIST
        self._skips = skips = Skips()
        params = {"excludeLocalCovers": "true"}
        with self._open("GET", "/api/v3/movie", params=params, timeout=self._list_timeout) as r:
            self._expect_json(r, where)
            seen = 0
            try:
                for movie in iter_movies(r.iter_bytes(), skips, on_element):
                    seen += 1
                    yield movie
            except BadPayload as exc:
                raise RadarrError(
                    f"Radarr at {self.url}: the answer to {where} is unusable: {exc}"
                ) from None
            except httpx.TimeoutException:
                raise RadarrError(
                    f"Radarr at {self.url} stopped sending the movie list after {seen:,} movies "
                    f"(nothing for {self.settings.list_timeout:g} s); try again, or raise "
                    f"{LIST_TIMEOUT_ENV}"
                ) from None
            except httpx.HTTPError as exc:
                raise RadarrError(
                    f"Radarr at {self.url}: the movie list broke off after {seen:,} movies "
                    f"({describe(exc)}); try again"
                ) from None

    def tags(self) -> list[Tag]:
        return [Tag(i, label) for i, label, _ in self._tag_rows("/api/v3/tag")]

    def tag_details(self) -> list[TagDetail]:
        """Every tag with the ids of the movies carrying it: membership without the library."""
        return [
            TagDetail(i, label, int_tuple(raw.get("movieIds")))
            for i, label, raw in self._tag_rows("/api/v3/tag/detail")
        ]

    # -- writes ---------------------------------------------------------------------------------
    def create_tag(self, label: str) -> Tag:
        """``POST /api/v3/tag``; the label is checked and lowercased first, as Radarr stores it."""
        label = check_label(label)
        body = self._send_json("POST", "/api/v3/tag", {"label": label})
        if not (isinstance(body, dict) and type(body.get("id")) is int):
            raise self._unexpected("POST /api/v3/tag", "the created tag")
        stored = body.get("label")
        return Tag(body["id"], stored if isinstance(stored, str) else label)

    def ensure_tags(self, labels: Iterable[str]) -> dict[str, int]:
        """The tag id of each label, creating (lowercase) only those Radarr lacks.

        Labels are matched case-insensitively; the result is keyed by the labels as given.

        :raises ConfigError: a label is not ``[a-z0-9-]+`` once lowercased.
        """
        wanted = {label: check_label(label) for label in labels}
        if not wanted:
            return {}
        known = {tag.label.lower(): tag.id for tag in self.tags()}
        for lowered in dict.fromkeys(wanted.values()):
            if lowered not in known:
                known[lowered] = self.create_tag(lowered).id
        return {label: known[lowered] for label, lowered in wanted.items()}

    def edit_tags(self, movie_ids: Iterable[int], tag_ids: Iterable[int], apply: str) -> EditResult:
        """Add or remove tags on movies: ``PUT /api/v3/movie/editor``, ``chunk_size`` ids a time.

        A chunk that still fails after the retries is recorded in ``EditResult.failed`` and the
        others go on; only wrong settings (401, nothing answering) raise.
        """
        if apply not in ("add", "remove"):
            raise ValueError(f"apply must be 'add' or 'remove', not {apply!r}")
        tags = tuple(dict.fromkeys(tag_ids))
        result = EditResult(apply, tags)
        if not tags:
            return result
        for chunk in chunks(movie_ids, self.settings.chunk_size):
            result.chunks += 1
            body = {"movieIds": chunk, "tags": list(tags), "applyTags": apply}
            try:
                with self._open("PUT", "/api/v3/movie/editor", body=body) as response:
                    drain(response)
            except RadarrConfigError:
                raise
            except RadarrError as exc:
                result.failed.append(FailedChunk(tuple(chunk), str(exc)))
                continue
            result.edited += len(chunk)
        return result

    # -- plumbing -------------------------------------------------------------------------------
    def _tag_rows(self, path: str) -> Iterator[tuple[int, str, dict]]:
        body = self._get_json(path)
        if not isinstance(body, list):
            raise self._unexpected(f"GET {path}", "a list")
        for raw in body:
            if isinstance(raw, dict) and type(raw.get("id")) is int:
                label = raw.get("label")
                if isinstance(label, str):
                    yield raw["id"], label, raw

    def _get_json(self, path: str) -> object:
        with self._open("GET", path) as response:
            return self._read_json(response, f"GET {path}")

    def _send_json(self, method: str, path: str, body: object) -> object:
        with self._open(method, path, body=body) as response:
            return self._read_json(response, f"{method} {path}")

    def _read_json(self, response: httpx.Response, where: str) -> object:
        self._expect_json(response, where)
        try:
            return json.loads(response.read())
        except ValueError:
            raise RadarrError(
                f"Radarr at {self.url} answered {where} with malformed JSON"
            ) from None
        except httpx.HTTPError as exc:
            raise RadarrError(
                f"Radarr at {self.url}: the answer to {where} broke off ({describe(exc)})"
            ) from None

    @contextlib.contextmanager
    def _open(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: object = None,
        timeout: httpx.Timeout | None = None,
    ) -> Iterator[httpx.Response]:
        """Send with retries; yield the open 2xx response (its body not read yet), then close it."""
        self.requests += 1
        if method in ("POST", "PUT"):
            self.writes += 1
        extra = {} if timeout is None else {"timeout": timeout}
        request = self._http.build_request(method, path, params=params, json=body, **extra)
        stop = stop_after_attempt(self.settings.retries + 1)
        if f"{method} {path}" == LIST:
            # No new attempt at the list once one list timeout has passed since the first: a
            # Radarr slow to start answering costs at most two list timeouts, not five.
            stop = stop | stop_after_delay(self.settings.list_timeout)
        retrying = Retrying(
            stop=stop,
            wait=wait_exponential_jitter(
                multiplier=self.settings.backoff, max=30.0, jitter=self.settings.backoff
            ),
            retry=retry_if_exception_type(Retryable),
            reraise=True,
        )
        first = self.attempts
        try:
            response = retrying(self._attempt, request, f"{method} {path}")
        except Retryable as exc:
            raise self._gave_up(exc, f"{method} {path}", self.attempts - first) from None
        try:
            yield response
        finally:
            response.close()

    def _attempt(self, request: httpx.Request, where: str) -> httpx.Response:
        self.attempts += 1
        try:
            response = self._http.send(request, stream=True)
        except httpx.ConnectTimeout:
            raise Retryable("connect", "timed out connecting") from None
        except httpx.TimeoutException as exc:
            raise Retryable("timeout", describe(exc)) from None
        except httpx.ConnectError as exc:
            raise Retryable("connect", connect_reason(exc)) from None
        except httpx.TransportError as exc:
            raise Retryable("io", describe(exc)) from None
        status = response.status_code
        self._answered = True
        if status < 300:
            return response
        try:
            if status >= 500 or status == 429:
                raise Retryable("status", f"answered {status} {response.reason_phrase}")
            raise self._status_error(response, where)
        finally:
            response.close()

    def _status_error(self, response: httpx.Response, where: str) -> RadarrError:
        status = response.status_code
        if status == 401:
            return RadarrConfigError(f"Radarr at {self.url} answered 401 Unauthorized: {KEY_HELP}")
        if status == 404:
            return RadarrConfigError(
                f"{URL_ENV} {self.url}: {where} answered 404 Not Found; check that this is "
                "Radarr v3 or later and that the URL includes its URL base (Settings > General)"
            )
        if status < 400:
            location = bare_url(response.headers.get("Location", "?"))
            return RadarrConfigError(
                f"{URL_ENV} {self.url}: {where} was redirected ({status}) to {location}; "
                "use the address Radarr answers on"
            )
        detail = self._clean(error_detail(response))
        return RadarrError(
            f"Radarr at {self.url} refused {where}: {status} {response.reason_phrase}"
            + (f" ({detail})" if detail else "")
        )

    def _gave_up(self, exc: Retryable, where: str, attempts: int) -> RadarrError:
        if exc.kind == "timeout" and where == LIST:
            return RadarrError(
                f"Radarr at {self.url} did not start sending the movie list within "
                f"{LIST_TIMEOUT_ENV} ({self.settings.list_timeout:g} s, {_attempts(attempts)}); "
                f"a big library can take minutes: raise {LIST_TIMEOUT_ENV}, or check that Radarr "
                "is healthy (System > Status)"
            )
        if exc.kind == "connect" and not self._answered:
            return RadarrConfigError(
                f"{URL_ENV} {self.url}: {exc}; check the URL and that Radarr is running"
            )
        return RadarrError(
            f"Radarr at {self.url}: {where} {exc} (gave up after {attempts} attempts); "
            "check that Radarr is healthy (System > Status) and try again"
        )

    def _expect_json(self, response: httpx.Response, where: str) -> None:
        kind = response.headers.get("Content-Type", "")
        if "json" not in kind:
            raise RadarrConfigError(
                f"{URL_ENV} {self.url}: {where} answered with {kind.split(';')[0] or 'no type'}, "
                "not JSON; check that the URL points at Radarr (and includes its URL base)"
            )

    def _unexpected(self, where: str, wanted: str) -> RadarrError:
        return RadarrError(f"Radarr at {self.url} answered {where} without {wanted}")

    def _clean(self, text: str) -> str:
        return text.replace(self._key, "***")


def _attempts(n: int) -> str:
    return f"{n} attempt" if n == 1 else f"{n} attempts"


def check_label(label: str) -> str:
    """``label`` lowercased, as Radarr stores it; ConfigError unless it is ``[a-z0-9-]+``."""
    lowered = label.lower() if isinstance(label, str) else ""
    if not _TAG_LABEL.fullmatch(lowered):
        raise ConfigError(
            f"tag {label!r} cannot be a Radarr tag: labels may only hold a-z, 0-9 and - "
            f"({TAG_RULE}); rename it"
        )
    return lowered
