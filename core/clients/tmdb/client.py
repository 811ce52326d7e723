"""TMDB v3 client: movie and TV search by title (+ year) and details by id, rate-limited and
retried (movies and TV share one limiter: TMDB counts requests, not endpoints).

Async over one ``httpx.AsyncClient``. Every request first passes a client-side rate limit
(aiolimiter's leaky bucket) and a semaphore bounding concurrency. The default, 48 requests per
second, follows TMDB's documented behaviour: the 40 requests / 10 s limit was dropped on
16 December 2019, and what remains is a ceiling "somewhere in the 40 requests per second range"
with a 429 beyond it (https://developer.themoviedb.org/docs/rate-limiting). The bucket
holds half the window's requests (24 per 0.5 s): the same rate, but a server bucket of a full
window keeps half its capacity as slack, which absorbs network jitter, so a steady run draws no
429. Retries with backoff (tenacity) on 429 (waiting the ``Retry-After`` TMDB sends), 5xx,
timeouts and connection errors. A 401 is final: it means the credentials are wrong, and retrying
would only repeat it.

Credentials come from ``TMDB_TOKEN`` (v4 read access token, sent as ``Authorization: Bearer``,
preferred) or ``TMDB_API_KEY`` (v3 key, which TMDB only takes as the ``api_key`` query parameter);
they are never logged or put in an error message.
"""

from __future__ import annotations

import asyncio

import httpx
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from core.config.model import TMDBSettings, env_name
from core.config.secret_url import bare_url
from core.errors import ProviderAuthError, ProviderError

KEY_ENV = env_name(TMDBSettings, "api_key")
TOKEN_ENV = env_name(TMDBSettings, "token")


def check_credentials(settings: TMDBSettings) -> None:
    """A ProviderAuthError (exit 2) naming both variables when neither credential is set."""
    if not (settings.api_key or settings.token):
        raise ProviderAuthError(
            f"TMDB credentials missing: set {KEY_ENV} (a v3 API key) or {TOKEN_ENV} "
            "(a v4 read access token)"
        )


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class _Wait:
    """Exponential backoff with jitter, or the server's ``Retry-After`` when it sent one."""

    def __init__(self) -> None:
        self.backoff = wait_exponential_jitter(multiplier=0.5, max=8.0)

    def __call__(self, retry_state) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return exc.retry_after
        return self.backoff(retry_state)


class TMDBClient:
    """``async with TMDBClient(settings) as tmdb: await tmdb.search("Heat", 1995)``.

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    def __init__(self, settings: TMDBSettings, *, transport=None) -> None:
        self.settings = settings
        headers = {"Accept": "application/json"}
        check_credentials(settings)
        self.url = bare_url(settings.url.get_secret_value())
        if settings.token:
            headers["Authorization"] = f"Bearer {settings.token.get_secret_value()}"
        self._http = httpx.AsyncClient(
            base_url=settings.url.get_secret_value().rstrip("/"),
            headers=headers,
            timeout=settings.timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=settings.concurrency),
        )
        self._params = {} if settings.token else {"api_key": settings.api_key.get_secret_value()}
        burst = max(1, settings.rate // 2)
        self._limiter = AsyncLimiter(burst, settings.per_seconds * burst / settings.rate)
        self._slots = asyncio.Semaphore(settings.concurrency)
        self.requests = 0
        self.retries = 0
        self.rate_limited = 0

    async def __aenter__(self) -> TMDBClient:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._http.aclose()

    async def search(self, query: str, year: int | None = None) -> list[dict]:
        """First page of ``/3/search/movie`` results (at most 20), best first."""
        params = {"query": query, "include_adult": "false", "page": "1"}
        if year:
            params["year"] = str(year)
        body = await self._get("/3/search/movie", params)
        results = (body or {}).get("results")
        if not isinstance(results, list):
            raise ProviderError("TMDB search answered without a results list")
        return results

    async def details(self, tmdb_id: int) -> dict | None:
        """``/3/movie/{id}`` with keywords and release dates appended; None for an unknown id."""
        return await self._get(
            f"/3/movie/{int(tmdb_id)}", {"append_to_response": "keywords,release_dates"}
        )

    async def search_tv(self, query: str, year: int | None = None) -> list[dict]:
        """First page of ``/3/search/tv`` results (at most 20), best first; ``year`` filters on
        the first air date (``first_air_date_year``,
        https://developer.themoviedb.org/reference/search-tv)."""
        params = {"query": query, "include_adult": "false", "page": "1"}
        if year:
            params["first_air_date_year"] = str(year)
        body = await self._get("/3/search/tv", params)
        results = (body or {}).get("results")
        if not isinstance(results, list):
            raise ProviderError("TMDB TV search answered without a results list")
        return results

    async def tv_details(self, tmdb_id: int) -> dict | None:
        """``/3/tv/{id}`` with its external ids (TVDB, IMDb) and content ratings appended; None
        for an unknown id (https://developer.themoviedb.org/reference/tv-series-details)."""
        return await self._get(
            f"/3/tv/{int(tmdb_id)}", {"append_to_response": "external_ids,content_ratings"}
        )

    async def _get(self, path: str, params: dict[str, str]) -> dict | None:
        params = {**params, **self._params, "language": self.settings.language}
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=_Wait(),
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        self.retries += 1
                    return await self._once(path, params)
        except _Retryable as exc:
            raise ProviderError(
                f"TMDB {path.rsplit('/', 1)[0]}: {exc} (gave up after "
                f"{self.settings.attempts} attempts)"
            ) from None
        return None  # pragma: no cover - the loop always returns or raises

    async def _once(self, path: str, params: dict[str, str]) -> dict | None:
        async with self._slots:
            await self._limiter.acquire()
            self.requests += 1
            try:
                response = await self._http.get(path, params=params)
            except httpx.TimeoutException:
                raise _Retryable("timed out") from None
            except httpx.TransportError as exc:
                raise _Retryable(f"connection failed ({type(exc).__name__})") from None
        status = response.status_code
        if status == 200:
            try:
                return response.json()
            except ValueError:
                raise ProviderError(f"TMDB {path} answered with malformed JSON") from None
        if status == 404:
            return None
        if status == 401:
            raise ProviderAuthError(
                f"TMDB rejected the credentials (401 at {self.url}); check {KEY_ENV} or {TOKEN_ENV}"
            )
        if status == 429:
            self.rate_limited += 1
            raise _Retryable("rate limited (429)", _retry_after(response))
        if status >= 500:
            raise _Retryable(f"server error {status}")
        raise ProviderError(f"TMDB {path} answered {status}: {response.text[:200]}")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return min(float(value), 120.0) if value is not None else None
    except ValueError:
        return None
