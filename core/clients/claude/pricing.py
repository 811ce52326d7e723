"""What a Claude request costs, from its usage, at list prices (USD per million tokens).

Cache writes are priced by their TTL (5 minutes: 1.25x input, 1 hour: 2x), cache reads at 0.1x
(0.05x on Sonnet 5.5), output at 5x input. The Message Batches API halves everything. On Haiku 5.5
a request whose prompt (input + cache reads + cache writes) exceeds 100k tokens is billed at 5x
for all its tokens, which is why requests are kept small.

Every price names the vendor page it was read from (``Price.source``). Sonnet 5 is $2 input /
$10 output per MTok on its model overview page; Kometa-AI 0.5.7 prices it at $3/$15, the
"standard" rate announced at launch for 1 September 2026 that the published page never adopted
(the README's "Prices" section has the details).
"""

from __future__ import annotations

from dataclasses import dataclass

MTOK = 1_000_000
BATCH_DISCOUNT = 0.5


@dataclass(frozen=True, slots=True)
class Price:
    input: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    output: float
    source: str
    long_prompt_tokens: int | None = None
    long_prompt_multiplier: float = 1.0


_OVERVIEW = "https://platform.claude.com/docs/en/models/{}/overview"

PRICES: dict[str, Price] = {
    # The long-prompt rule and the 0.01 cache read are on the same page.
    "claude-haiku-5-5": Price(
        0.10, 0.125, 0.20, 0.01, 0.50, _OVERVIEW.format("haiku-5-5"), 100_000, 5.0
    ),
    # Cache read cut from 0.20 to 0.10 on 2026-10-07 (the page's 2026-09-29 version shows 0.20).
    "claude-sonnet-5-5": Price(2.00, 2.50, 4.00, 0.10, 10.00, _OVERVIEW.format("sonnet-5-5")),
    "claude-haiku-4-5": Price(1.00, 1.25, 2.00, 0.10, 5.00, _OVERVIEW.format("haiku-4-5")),
    "claude-sonnet-5": Price(2.00, 2.50, 4.00, 0.20, 10.00, _OVERVIEW.format("sonnet-5")),
}


@dataclass(slots=True)
class Usage:
    """Token counts of one or more responses (``usage`` of the Messages API)."""

    input: int = 0
    output: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0

    @property
    def prompt(self) -> int:
        return self.input + self.cache_write_5m + self.cache_write_1h + self.cache_read

    def __iadd__(self, other: Usage) -> Usage:
        self.input += other.input
        self.output += other.output
        self.cache_write_5m += other.cache_write_5m
        self.cache_write_1h += other.cache_write_1h
        self.cache_read += other.cache_read
        return self

    @classmethod
    def from_response(cls, usage) -> Usage:
        """From the SDK's ``Usage`` object or its dict form."""
        get = usage.get if isinstance(usage, dict) else lambda k, d=None: getattr(usage, k, d)
        creation = get("cache_creation") or {}
        cget = (
            creation.get
            if isinstance(creation, dict)
            else lambda k, d=None: getattr(creation, k, d)
        )
        written = get("cache_creation_input_tokens") or 0
        w1h = cget("ephemeral_1h_input_tokens") or 0
        w5m = cget("ephemeral_5m_input_tokens") or (written - w1h)
        return cls(
            input=get("input_tokens") or 0,
            output=get("output_tokens") or 0,
            cache_write_5m=max(0, w5m),
            cache_write_1h=w1h,
            cache_read=get("cache_read_input_tokens") or 0,
        )


def cost(usage: Usage, model: str, *, batch: bool = False) -> float:
    """USD for ``usage`` of one request on ``model`` (sync or through Message Batches)."""
    try:
        p = PRICES[model]
    except KeyError:
        raise KeyError(f"no price for model {model!r}; known: {', '.join(PRICES)}") from None
    dollars = (
        usage.input * p.input
        + usage.cache_write_5m * p.cache_write_5m
        + usage.cache_write_1h * p.cache_write_1h
        + usage.cache_read * p.cache_read
        + usage.output * p.output
    ) / MTOK
    if p.long_prompt_tokens is not None and usage.prompt > p.long_prompt_tokens:
        dollars *= p.long_prompt_multiplier
    return dollars * (BATCH_DISCOUNT if batch else 1.0)
