"""The HTTP layer both *arr clients share: one ``httpx.Client``, retries, and the error wording.

Radarr and Sonarr speak the same API v3 dialect (``X-Api-Key``, ``/api/v3/tag``, an editor that
adds or removes tags in bulk, one unpaged list), so :class:`ArrClient` holds everything but the
list and its records; a subclass names its service, its errors, its settings' environment
variables and its list, and keeps only what is its own.

Every request is retried with exponential backoff (tenacity) on 5xx, 429, timeouts and connection
errors; a 4xx is final. Wrong settings are the service's config error (exit 2) naming its
``*_URL`` or ``*_API_KEY``; everything else that goes wrong is the service's error (exit 1).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, Self, TypeVar

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_exponential_jitter

from core.clients.arr.models import Tag
from core.clients.arr.stream import BadPayload, Skips
from core.clients.arr.wire import (
    Retryable,
    chunks,
    connect_reason,
    describe,
    drain,
    error_detail,
)
from core.config.model import RadarrSettings, SonarrSettings
from core.config.secret_url import bare_url
from core.errors import ConfigError, SourceError

TAG_RULE = "^[a-z0-9-]+$"
_TAG_LABEL = re.compile(TAG_RULE)
T = TypeVar("T")
R = TypeVar("R")


def key_help(key_env: str) -> str:
    return f"check {key_env} (Settings > General > Security > API Key)"


class ArrClient:
    """Requests to one *arr service. Counters: ``requests`` (logical requests), ``attempts``
    (HTTP requests sent, retries included), ``writes`` (logical POSTs and PUTs) and ``skipped``
    (elements of the last list without a usable id).

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    SERVICE: ClassVar[str]  # "Radarr": how messages name it
    ERROR: ClassVar[type[SourceError]]
    CONFIG_ERROR: ClassVar[type[SourceError]]  # a subclass of ERROR, exit 2
    URL_ENV: ClassVar[str]
    KEY_ENV: ClassVar[str]
    LIST_TIMEOUT_ENV: ClassVar[str]
    EXAMPLE_URL: ClassVar[str]  # "http://radarr:7878"
    TABLE: ClassVar[str]  # the config table: "radarr"
    LIST_NOUN: ClassVar[str]  # "movie list"
    ITEMS_NOUN: ClassVar[str]  # "movies"
    SECONDS_FORMAT: ClassVar[str]  # how the list timeout is shown: "g"

    def __init__(
        self, settings: RadarrSettings | SonarrSettings, *, transport: httpx.BaseTransport | None
    ) -> None:
        if settings.url is None:
            raise self.CONFIG_ERROR(
                f"{self.URL_ENV} is not set: export {self.URL_ENV} (e.g. {self.EXAMPLE_URL}) or "
                f"add url to the [{self.TABLE}] table of the config"
            )
        if settings.api_key is None or not settings.api_key.get_secret_value():
            raise self.CONFIG_ERROR(f"{self.KEY_ENV} is not set; {key_help(self.KEY_ENV)}")
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
            # A plain-http *arr (the usual LAN setup) needs no TLS: skipping the default SSL
            # context saves loading the CA bundle, 1 MB of RSS (bench numbers run, 10k movies).
            # Requests only go to paths under this base URL and redirects are not followed.
            verify=url.lower().startswith("https://"),
        )
        self._list_timeout = httpx.Timeout(settings.list_timeout, connect=settings.timeout)
        self._skips = Skips()
        self.requests = self.attempts = self.writes = 0
        self._answered = False  # answered once: a connection failure after is an outage

    @property
    def skipped(self) -> int:
        return self._skips.count

    @property
    def skipped_examples(self) -> list[str]:
        """The first few skipped elements of the last list, named for a report."""
        return list(self._skips.examples)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------
    def ping(self) -> str:
        """``GET /ping`` (no key needed): the service's status word, "OK" when it is up."""
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

    def tags(self) -> list[Tag]:
        return [Tag(i, label) for i, label, _ in self._tag_rows("/api/v3/tag")]

    def _stream_list(
        self,
        path: str,
        parse: Callable[[Iterator[bytes], Skips], Iterator[T]],
        params: dict[str, str] | None = None,
    ) -> Iterator[T]:
        """The one unpaged list at ``path``, parsed as it streams in; skips counted anew."""
        where = f"GET {path}"
        self._skips = skips = Skips()
        with self._open("GET", path, params=params, timeout=self._list_timeout) as response:
            self._expect_json(response, where)
            seen = 0
            try:
                for record in parse(response.iter_bytes(), skips):
                    seen += 1
                    yield record
            except BadPayload as exc:
                raise self.ERROR(
                    f"{self.SERVICE} at {self.url}: the answer to {where} is unusable: {exc}"
                ) from None
            except httpx.TimeoutException:
                seconds = format(self.settings.list_timeout, self.SECONDS_FORMAT)
                raise self.ERROR(
                    f"{self.SERVICE} at {self.url} stopped sending the {self.LIST_NOUN} after "
                    f"{seen:,} {self.ITEMS_NOUN} (nothing for {seconds} s); try again, or raise "
                    f"{self.LIST_TIMEOUT_ENV}"
                ) from None
            except httpx.HTTPError as exc:
                raise self.ERROR(
                    f"{self.SERVICE} at {self.url}: the {self.LIST_NOUN} broke off after "
                    f"{seen:,} {self.ITEMS_NOUN} ({describe(exc)}); try again"
                ) from None

    # -- writes ---------------------------------------------------------------------------------
    def create_tag(self, label: str) -> Tag:
        """``POST /api/v3/tag``; the label is checked and lowercased first, as the service
        stores it."""
        label = check_label(label, self.SERVICE)
        body = self._send_json("POST", "/api/v3/tag", {"label": label})
        if not (isinstance(body, dict) and type(body.get("id")) is int):
            raise self._unexpected("POST /api/v3/tag", "the created tag")
        stored = body.get("label")
        return Tag(body["id"], stored if isinstance(stored, str) else label)

    def ensure_tags(self, labels: Iterable[str]) -> dict[str, int]:
        """The tag id of each label, creating (lowercase) only those the service lacks.

        Labels are matched case-insensitively; the result is keyed by the labels as given.

        :raises ConfigError: a label is not ``[a-z0-9-]+`` once lowercased.
        """
        wanted = {label: check_label(label, self.SERVICE) for label in labels}
        if not wanted:
            return {}
        known = {tag.label.lower(): tag.id for tag in self.tags()}
        for lowered in dict.fromkeys(wanted.values()):
            if lowered not in known:
                known[lowered] = self.create_tag(lowered).id
        return {label: known[lowered] for label, lowered in wanted.items()}

    def _edit(self, path: str, ids_key: str, ids: Iterable[int], result: R, failed: type) -> R:
        """Put ``result``'s tags on or off ``ids`` through the editor at ``path``, a chunk a time.

        A chunk that still fails after the retries is recorded as ``failed(chunk, message)`` in
        ``result.failed`` and the others go on; only wrong settings (401, nothing answering) raise.
        """
        if not result.tag_ids:
            return result
        for chunk in chunks(ids, self.settings.chunk_size):
            result.chunks += 1
            body = {ids_key: chunk, "tags": list(result.tag_ids), "applyTags": result.apply}
            try:
                with self._open("PUT", path, body=body) as response:
                    drain(response)
            except self.CONFIG_ERROR:
                raise
            except self.ERROR as exc:
                result.failed.append(failed(tuple(chunk), str(exc)))
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
            raise self.ERROR(
                f"{self.SERVICE} at {self.url} answered {where} with malformed JSON"
            ) from None
        except httpx.HTTPError as exc:
            raise self.ERROR(
                f"{self.SERVICE} at {self.url}: the answer to {where} broke off ({describe(exc)})"
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
        where = f"{method} {path}"
        retrying = Retrying(
            stop=self._stop(where),
            wait=wait_exponential_jitter(
                multiplier=self.settings.backoff, max=30.0, jitter=self.settings.backoff
            ),
            retry=retry_if_exception_type(Retryable),
            reraise=True,
        )
        first = self.attempts
        try:
            response = retrying(self._attempt, request, where)
        except Retryable as exc:
            raise self._gave_up(exc, where, self.attempts - first) from None
        try:
            yield response
        finally:
            response.close()

    def _stop(self, where: str) -> stop_base:
        """When to stop retrying ``where``: after ``retries`` attempts past the first."""
        return stop_after_attempt(self.settings.retries + 1)

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

    def _status_error(self, response: httpx.Response, where: str) -> SourceError:
        status, service = response.status_code, self.SERVICE
        if status == 401:
            return self.CONFIG_ERROR(
                f"{service} at {self.url} answered 401 Unauthorized: {key_help(self.KEY_ENV)}"
            )
        if status == 404:
            return self.CONFIG_ERROR(
                f"{self.URL_ENV} {self.url}: {where} answered 404 Not Found; check that this is "
                f"{service} v3 or later and that the URL includes its URL base (Settings > General)"
            )
        if status < 400:
            location = bare_url(response.headers.get("Location", "?"))
            return self.CONFIG_ERROR(
                f"{self.URL_ENV} {self.url}: {where} was redirected ({status}) to {location}; "
                f"use the address {service} answers on"
            )
        detail = self._clean(error_detail(response))
        return self.ERROR(
            f"{service} at {self.url} refused {where}: {status} {response.reason_phrase}"
            + (f" ({detail})" if detail else "")
        )

    def _gave_up(self, exc: Retryable, where: str, attempts: int) -> SourceError:
        if exc.kind == "connect" and self._connect_is_config():
            return self.CONFIG_ERROR(
                f"{self.URL_ENV} {self.url}: {exc}; check the URL and that {self.SERVICE} is "
                "running"
            )
        return self.ERROR(
            f"{self.SERVICE} at {self.url}: {where} {exc} (gave up after {attempts} attempts); "
            f"check that {self.SERVICE} is healthy (System > Status) and try again"
        )

    def _connect_is_config(self) -> bool:
        """A connection that never came is a wrong address, unless the service answered before
        (then it is an outage)."""
        return not self._answered

    def _expect_json(self, response: httpx.Response, where: str) -> None:
        kind = response.headers.get("Content-Type", "")
        if "json" not in kind:
            raise self.CONFIG_ERROR(
                f"{self.URL_ENV} {self.url}: {where} answered with "
                f"{kind.split(';')[0] or 'no type'}, not JSON; check that the URL points at "
                f"{self.SERVICE} (and includes its URL base)"
            )

    def _unexpected(self, where: str, wanted: str) -> SourceError:
        return self.ERROR(f"{self.SERVICE} at {self.url} answered {where} without {wanted}")

    def _clean(self, text: str) -> str:
        return text.replace(self._key, "***")


def check_label(label: str, service: str) -> str:
    """``label`` lowercased, as the service stores it; ConfigError unless it is ``[a-z0-9-]+``."""
    lowered = label.lower() if isinstance(label, str) else ""
    if not _TAG_LABEL.fullmatch(lowered):
        raise ConfigError(
            f"tag {label!r} cannot be a {service} tag: labels may only hold a-z, 0-9 and - "
            f"({TAG_RULE}); rename it"
        )
    return lowered
