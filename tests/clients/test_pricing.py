import pytest

from core.clients.claude.pricing import Usage, cost


def test_haiku_5_5_list_prices():
    usage = Usage(
        input=1_000_000,
        output=1_000_000,
        cache_write_5m=1_000_000,
        cache_write_1h=1_000_000,
        cache_read=1_000_000,
    )
    # Far above 100k prompt tokens: everything at 5x.
    assert cost(usage, "claude-haiku-5-5") == pytest.approx(5 * (0.10 + 0.50 + 0.125 + 0.20 + 0.01))
    small = Usage(input=50_000, output=10_000, cache_read=40_000)
    expected = (50_000 * 0.10 + 10_000 * 0.50 + 40_000 * 0.01) / 1e6
    assert cost(small, "claude-haiku-5-5") == pytest.approx(expected)
    assert cost(small, "claude-haiku-5-5", batch=True) == pytest.approx(expected / 2)


def test_long_prompt_rule_counts_cache_tokens():
    just_under = Usage(input=60_000, cache_read=40_000)
    over = Usage(input=60_000, cache_read=40_001)
    assert cost(over, "claude-haiku-5-5") / cost(just_under, "claude-haiku-5-5") > 4.9


def test_other_models_and_unknown():
    u = Usage(input=1_000_000, output=100_000, cache_read=1_000_000)
    assert cost(u, "claude-sonnet-5-5") == pytest.approx(2.0 + 1.0 + 0.10)
    assert cost(u, "claude-sonnet-5") == pytest.approx(2.0 + 1.0 + 0.20)
    assert cost(u, "claude-haiku-4-5") == pytest.approx(1.0 + 0.5 + 0.10)
    with pytest.raises(KeyError, match="known"):
        cost(u, "gpt-4")


def test_usage_from_response_shapes():
    raw = {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_creation_input_tokens": 7,
        "cache_read_input_tokens": 3,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 7},
    }
    assert Usage.from_response(raw) == Usage(10, 5, 0, 7, 3)
    assert (
        Usage.from_response({"input_tokens": 1, "cache_creation_input_tokens": 4}).cache_write_5m
        == 4
    )


def test_every_price_names_its_vendor_page():
    from core.clients.claude.pricing import PRICES

    for model, price in PRICES.items():
        assert price.source.startswith("https://platform.claude.com/docs/en/models/"), model
        assert model.removeprefix("claude-") in price.source, model


def test_sonnet_5_is_priced_as_published_not_as_the_peer_prices_it():
    # The overview page: $2 / $10 per MTok; Kometa-AI 0.5.7 bills $3 / $15.
    u = Usage(input=1_000_000, output=1_000_000)
    assert cost(u, "claude-sonnet-5") == pytest.approx(12.0)
