"""The TMDB client's rate: TMDB's documented behaviour by default, and 429s waited out as the
server's ``Retry-After`` says."""

import asyncio
import time

import httpx
import pytest

from core.clients.tmdb.client import TMDBClient
from core.config.model import TMDBSettings
from core.errors import ProviderError
from synthetic.servers.tmdb.server import DEFAULT_RATE_LIMIT


def test_default_rate_is_tmdbs_documented_ceiling_and_under_the_stand_ins():
    settings = TMDBSettings()
    per_second = settings.rate / settings.per_seconds
    assert 40 <= per_second < 50  # "somewhere in the 40 requests per second range"
    assert per_second < DEFAULT_RATE_LIMIT.requests / DEFAULT_RATE_LIMIT.per_s


def _settings(**overrides) -> TMDBSettings:
    return TMDBSettings(url="http://127.0.0.1:9", api_key="k", **overrides)


def test_a_429_is_retried_after_the_servers_retry_after():
    seen: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(time.monotonic())
        if len(seen) == 1:
            body = {"success": False, "status_code": 25, "status_message": "over the limit"}
            return httpx.Response(429, json=body, headers={"Retry-After": "1"})
        return httpx.Response(200, json={"id": 62, "title": "x"})

    async def fetch():
        async with TMDBClient(_settings(), transport=httpx.MockTransport(answer)) as tmdb:
            return await tmdb.details(62), tmdb

    body, tmdb = asyncio.run(fetch())
    assert body == {"id": 62, "title": "x"}
    assert tmdb.rate_limited == 1 and tmdb.retries == 1 and tmdb.requests == 2
    assert seen[1] - seen[0] >= 0.99  # waited what the server asked, not the short backoff


def test_429s_until_the_attempts_run_out_are_a_provider_error():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"status_code": 25}, headers={"Retry-After": "0"})

    async def fetch():
        async with TMDBClient(_settings(attempts=3), transport=httpx.MockTransport(answer)) as tmdb:
            await tmdb.details(62)

    with pytest.raises(ProviderError, match=r"rate limited \(429\).*3 attempts"):
        asyncio.run(fetch())
