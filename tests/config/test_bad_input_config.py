"""Bad input, config files: ``reelscale.toml`` and Kometa-AI blocks in Kometa YAML.

The properties and their strategies are in :mod:`benchmarks.harness.reliability.bad_input.config`
(``reelscale bench reliability bad-input`` runs them with thousands of examples); here they run
under hypothesis with a few dozen, plus configs holding megabyte-long values.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import cli_env, invoke
from benchmarks.harness.reliability.bad_input.config import (
    check_config,
    check_errors,
    config_context,
    render_kometa,
    toml_files,
    yaml_files,
)


@pytest.fixture(scope="module")
def config_base():
    with config_context() as base:
        yield base


@settings(max_examples=60, deadline=None)
@given(text=toml_files)
def test_any_toml_config(config_base, text):
    check_config(config_base, text, ".toml")


@settings(max_examples=50, deadline=None)
@given(text=yaml_files)
def test_any_kometa_yaml_config(config_base, text):
    check_config(config_base, text, ".yml")


@settings(max_examples=20, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".toml", ".yml"]))
def test_any_bytes_as_config(config_base, data, suffix):
    check_config(config_base, data, suffix)


def _kometa(prompt: str, enabled: str = "true", key: str = "Long") -> str:
    return (
        f"collections:\n  # === KOMETA-AI ===\n  # enabled: {enabled}\n  # prompt: {prompt}\n"
        f"  # === END KOMETA-AI ===\n  {key}:\n    radarr_taglist: KAI-long\n"
    )


HUGE = "Movies about " + "very " * 400_000 + "long journeys."  # 2 MB
HUGE_TOML = f'[[collection]]\nname = "{HUGE}"\nprompt = "p"\n'


@pytest.mark.slow  # about 18 s: half-megabyte values through every loader
@pytest.mark.parametrize(
    ("suffix", "good", "bad"),
    [
        (
            ".toml",
            f'[[collection]]\nname = "Long"\nprompt = """{HUGE}"""\n',
            f'[[collection]]\nname = """{HUGE}\nsecond line"""\nprompt = "p"\n',
        ),
        (".toml", HUGE_TOML, HUGE_TOML * 2),
        (".yml", _kometa(HUGE), _kometa(HUGE, enabled="maybe" * 200_000)),
        (".yml", _kometa("p", key="B" * 500_000), _kometa("p", key="B" * 500_000) * 2),
    ],
)
def test_huge_values_load_or_are_reported_briefly(config_base, suffix, good, bad):
    assert check_config(config_base, good, suffix) == 1
    work = Path(tempfile.mkdtemp(dir=config_base))
    config = work / f"c{suffix}"
    config.write_text(bad, encoding="utf-8")
    result = invoke(["config", "check", "--config", str(config)], cli_env())
    check_errors(result, config)
    assert "..." in result.stderr  # the value is shortened, not printed whole


def test_a_block_with_an_ignored_field_and_no_prompt_warns_then_errs(config_base):
    """Found by hypothesis: the warning for a field Kometa-AI ignores comes before the error."""
    check_config(
        config_base, render_kometa([(["name: "], "Film Noir", "KAI-noir", True)], ""), ".yml"
    )
