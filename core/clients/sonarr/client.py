"""Sonarr API v3 client (Sonarr v3 and v4): the series list in one streamed request, tag
membership, and bulk tag edits.

Synchronous over one ``httpx.Client``, built like :class:`core.clients.radarr.RadarrClient`. The
key goes in the ``X-Api-Key`` header only, never in a URL. Every request is retried with
exponential backoff (tenacity) on 5xx, 429, timeouts and connection errors; a 4xx is final. Tag
edits are idempotent (add or remove a tag), so retrying a PUT that may have been applied is safe.

``GET /api/v3/series`` has no paging and Sonarr builds it in full before it answers, so it gets
its own read timeout (``list_timeout_s``) and is parsed as it arrives, projected to
``SonarrSeries`` one element at a time. Membership comes from ``GET /api/v3/tag/detail``
(``seriesIds`` per tag), writes go through ``PUT /api/v3/series/editor`` ``chunk_size`` ids at a
time; the editor answers with the edited series' full resources, drained unread.

Wrong settings are :class:`SonarrConfigError` (exit 2) naming ``SONARR_URL`` or
``SONARR_API_KEY``; everything else that goes wrong is :class:`SonarrError`.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from core.clients.radarr.models import Tag
from core.clients.radarr.stream import BadPayload, Skips
from core.clients.radarr.wire import (
    Retryable,
    chunks,
    connect_reason,
    describe,
    drain,
    error_detail,
    int_tuple,
)
from core.clients.sonarr.models import (
    FailedSeriesChunk,
    SeriesEditResult,
    SeriesTagDetail,
    SonarrSeries,
)
from core.clients.sonarr.stream import iter_series
from core.config.model import SonarrSettings, env_name
from core.config.secret_url import bare_url
from core.errors import ConfigError, SonarrConfigError, SonarrError

URL_ENV = env_name(SonarrSettings, "url")
KEY_ENV = env_name(SonarrSettings, "api_key")
LIST_TIMEOUT_ENV = env_name(SonarrSettings, "list_timeout")
KEY_HELP = f"check {KEY_ENV} (Settings > General > Security > API Key)"
TAG_RULE = "^[a-z0-9-]+$"
_TAG_LABEL = re.compile(TAG_RULE)


class SonarrClient:
    """``with SonarrClient(settings) as sonarr: for series in sonarr.series(): ...``.

    Counters: ``requests`` (logical requests), ``attempts`` (HTTP requests sent, retries
    included), ``writes`` (logical POSTs and PUTs) and ``skipped`` (elements of the last series
    list without a usable id).

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    def __init__(self, settings: SonarrSettings, *, transport: httpx.BaseTransport | None = None):
        if settings.url is None:
            raise SonarrConfigError(
                f"{URL_ENV} is not set: export {URL_ENV} (e.g. http://sonarr:8989) or add url to "
                "the [sonarr] table of the config"
            )
        if settings.api_key is None or not settings.api_key.get_secret_value():
            raise SonarrConfigError(f"{KEY_ENV} is not set; {KEY_HELP}")
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
            # A plain-http Sonarr (the usual LAN setup) needs no TLS: skipping the default SSL
            # context saves loading the CA bundle, 1 MB of RSS (measured for Radarr).
            # Requests only go to paths under this base URL and redirects are not followed.
            verify=url.lower().startswith("https://"),
        )
        self._list_timeout = httpx.Timeout(settings.list_timeout, connect=settings.timeout)
        self._skips = Skips()
        self.requests = self.attempts = self.writes = 0

    @property
    def skipped(self) -> int:
        return self._skips.count

    @property
    def skipped_examples(self) -> list[str]:
        """The first few skipped elements of the last series list, named for a report."""
        return list(self._skips.examples)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SonarrClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------
    def ping(self) -> str:
        """``GET /ping`` (no key needed): Sonarr's status word, "OK" when it is up."""
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

    def series(self) -> Iterator[SonarrSeries]:
        """Every series of the library, parsed as the one ``GET /api/v3/series`` answer streams in.

        Elements without a usable id are skipped and counted in ``skipped``.
        """
        where = "GET /api/v3/series"
        self._skips = skips = Skips()
        with self._open("GET", "/api/v3/series", timeout=self._list_timeout) as response:
            self._expect_json(response, where)
            seen = 0
            try:
                for series in iter_series(response.iter_bytes(), skips):
                    seen += 1
                    yield series
            except BadPayload as exc:
                raise SonarrError(
                    f"Sonarr at {self.url}: the answer to {where} is unusable: {exc}"
                ) from None
            except httpx.TimeoutException:
                raise SonarrError(
                    f"Sonarr at {self.url} stopped sending the series list after {seen:,} series "
                    f"(nothing for {self.settings.list_timeout:.0f} s); try again, or raise "
                    f"{LIST_TIMEOUT_ENV}"
                ) from None
            except httpx.HTTPError as exc:
                raise SonarrError(
                    f"Sonarr at {self.url}: the series list broke off after {seen:,} series "
                    f"({describe(exc)}); try again"
                ) from None

    def tags(self) -> list[Tag]:
        return [Tag(i, label) for i, label, _ in self._tag_rows("/api/v3/tag")]

    def tag_details(self) -> list[SeriesTagDetail]:
        """Every tag with the ids of the series carrying it: membership without the library."""
        return [
            SeriesTagDetail(i, label, int_tuple(raw.get("seriesIds")))
            for i, label, raw in self._tag_rows("/api/v3/tag/detail")
        ]

    # -- writes ---------------------------------------------------------------------------------
    def create_tag(self, label: str) -> Tag:
        """``POST /api/v3/tag``; the label is checked and lowercased first, as Sonarr stores it."""
        label = check_label(label)
        body = self._send_json("POST", "/api/v3/tag", {"label": label})
        if not (isinstance(body, dict) and type(body.get("id")) is int):
            raise self._unexpected("POST /api/v3/tag", "the created tag")
        stored = body.get("label")
        return Tag(body["id"], stored if isinstance(stored, str) else label)

    def ensure_tags(self, labels: Iterable[str]) -> dict[str, int]:
        """The tag id of each label, creating (lowercase) only those Sonarr lacks.

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

    def edit_tags(
        self, series_ids: Iterable[int], tag_ids: Iterable[int], apply: str
    ) -> SeriesEditResult:
        """Add or remove tags on series: ``PUT /api/v3/series/editor``, ``chunk_size`` ids a time.

        Only the given tags change (``applyTags`` add or remove, never replace), so tags other
        tools set on the same series are left alone. A chunk that still fails after the retries is
        recorded in ``SeriesEditResult.failed`` and the
        others go on; only wrong settings (401, nothing answering) raise.
        """
        if apply not in ("add", "remove"):
            raise ValueError(f"apply must be 'add' or 'remove', not {apply!r}")
        tags = tuple(dict.fromkeys(tag_ids))
        result = SeriesEditResult(apply, tags)
        if not tags:
            return result
        for chunk in chunks(series_ids, self.settings.chunk_size):
            result.chunks += 1
            body = {"seriesIds": chunk, "tags": list(tags), "applyTags": apply}
            try:
                with self._open("PUT", "/api/v3/series/editor", body=body) as response:
                    drain(response)
            except SonarrConfigError:
                raise
            except SonarrError as exc:
                result.failed.append(FailedSeriesChunk(tuple(chunk), str(exc)))
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
            raise SonarrError(
                f"Sonarr at {self.url} answered {where} with malformed JSON"
            ) from None
        except httpx.HTTPError as exc:
            raise SonarrError(
                f"Sonarr at {self.url}: the answer to {where} broke off ({describe(exc)})"
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
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.retries + 1),
            wait=wait_exponential_jitter(
                multiplier=self.settings.backoff, max=30.0, jitter=self.settings.backoff
            ),
            retry=retry_if_exception_type(Retryable),
            reraise=True,
        )
        try:
            response = retrying(self._attempt, request, f"{method} {path}")
        except Retryable as exc:
            raise self._gave_up(exc, f"{method} {path}") from None
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
        if status < 300:
            return response
        try:
            if status >= 500 or status == 429:
                raise Retryable("status", f"answered {status} {response.reason_phrase}")
            raise self._status_error(response, where)
        finally:
            response.close()

    def _status_error(self, response: httpx.Response, where: str) -> SonarrError:
        status = response.status_code
        if status == 401:
            return SonarrConfigError(f"Sonarr at {self.url} answered 401 Unauthorized: {KEY_HELP}")
        if status == 404:
            return SonarrConfigError(
                f"{URL_ENV} {self.url}: {where} answered 404 Not Found; check that this is "
                "Sonarr v3 or later and that the URL includes its URL base (Settings > General)"
            )
        if status < 400:
            location = bare_url(response.headers.get("Location", "?"))
            return SonarrConfigError(
                f"{URL_ENV} {self.url}: {where} was redirected ({status}) to {location}; "
                "use the address Sonarr answers on"
            )
        detail = self._clean(error_detail(response))
        return SonarrError(
            f"Sonarr at {self.url} refused {where}: {status} {response.reason_phrase}"
            + (f" ({detail})" if detail else "")
        )

    def _gave_up(self, exc: Retryable, where: str) -> SonarrError:
        attempts = self.settings.retries + 1
        if exc.kind == "connect":
            return SonarrConfigError(
                f"{URL_ENV} {self.url}: {exc}; check the URL and that Sonarr is running"
            )
        return SonarrError(
            f"Sonarr at {self.url}: {where} {exc} (gave up after {attempts} attempts); "
            "check that Sonarr is healthy (System > Status) and try again"
        )

    def _expect_json(self, response: httpx.Response, where: str) -> None:
        kind = response.headers.get("Content-Type", "")
        if "json" not in kind:
            raise SonarrConfigError(
                f"{URL_ENV} {self.url}: {where} answered with {kind.split(';')[0] or 'no type'}, "
                "not JSON; check that the URL points at Sonarr (and includes its URL base)"
            )

    def _unexpected(self, where: str, wanted: str) -> SonarrError:
        return SonarrError(f"Sonarr at {self.url} answered {where} without {wanted}")

    def _clean(self, text: str) -> str:
        return text.replace(self._key, "***")


def check_label(label: str) -> str:
    """``label`` lowercased, as Sonarr stores it; ConfigError unless it is ``[a-z0-9-]+``."""
    lowered = label.lower() if isinstance(label, str) else ""
    if not _TAG_LABEL.fullmatch(lowered):
        raise ConfigError(
            f"tag {label!r} cannot be a Sonarr tag: labels may only hold a-z, 0-9 and - "
            f"({TAG_RULE}); rename it"
        )
    return lowered
