"""A collection's ``kind`` (movies, series or both): TOML, Kometa blocks, ``config check``."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.config.collection import Collection, of_kind
from core.config.files import load_collections
from core.errors import ConfigError

#: What a Radarr run needs besides the collections (no request is sent by `config check`).
RUNNABLE = {
    "RADARR_URL": "http://radarr.invalid:7878",
    "RADARR_API_KEY": "0123456789abcdef",
    "ANTHROPIC_API_KEY": "sk-test-0123456789",
}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_toml_kind_defaults_to_movies(tmp_path):
    path = write(
        tmp_path,
        "reelscale.toml",
        """
        [[collection]]
        name = "Noir"
        prompt = "p"

        [[collection]]
        name = "Cop Shows"
        prompt = "p"
        kind = "series"

        [[collection]]
        name = "Christmas"
        prompt = "p"
        kind = " Both "
        """,
    )
    loaded = load_collections(path)
    assert {c.name: c.kind for c in loaded} == {
        "Noir": "movies",
        "Cop Shows": "series",
        "Christmas": "both",
    }
    assert {c.name for c in of_kind(loaded, "series")} == {"Cop Shows", "Christmas"}
    assert {c.name for c in of_kind(loaded, "movies")} == {"Noir", "Christmas"}


@pytest.mark.parametrize(
    "value,fix",
    [('"tv"', "did you mean 'series'?"), ('"anime"', "write movies, series or both"), ("1", None)],
)
def test_toml_bad_kind_names_the_line(tmp_path, value, fix):
    path = write(
        tmp_path, "reelscale.toml", f'[[collection]]\nname = "A"\nprompt = "p"\nkind = {value}\n'
    )
    with pytest.raises(ConfigError) as info:
        load_collections(path)
    assert info.value.exit_code == 2
    message = str(info.value)
    assert message.startswith(f"{path}:4: kind of 'A' is ")
    assert message.endswith(fix or "write movies, series or both")


def test_collection_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind 'tv' is not one of movies, series, both"):
        Collection(name="A", slug="a", prompt="p", tag="kai-a", kind="tv")


KOMETA = """
collections:
  # === KOMETA-AI ===
  # enabled: true
  # prompt: Police procedurals.
  # === END KOMETA-AI ===
  Cop Shows:
    sonarr_taglist: KAI-cop-shows
  # === KOMETA-AI ===
  # enabled: true
  # prompt: Christmas.
  # === END KOMETA-AI ===
  Christmas:
    radarr_taglist: KAI-christmas
    sonarr_taglist: KAI-christmas
  # === KOMETA-AI ===
  # enabled: true
  # kind: series
  # prompt: Anime.
  # === END KOMETA-AI ===
  Anime:
    plex_search: {}
  # === KOMETA-AI ===
  # enabled: true
  # prompt: Noir.
  # === END KOMETA-AI ===
  Noir:
    radarr_taglist: KAI-noir
"""


def test_kometa_kind_from_taglists_and_block(tmp_path):
    path = write(tmp_path, "shows.yml", KOMETA)
    assert {(c.name, c.tag, c.kind) for c in load_collections(path)} == {
        ("Cop Shows", "kai-cop-shows", "series"),
        ("Christmas", "kai-christmas", "both"),
        ("Anime", "kai-anime", "series"),
        ("Noir", "kai-noir", "movies"),
    }


def test_kometa_two_different_taglists_is_a_problem(tmp_path):
    text = KOMETA.replace("sonarr_taglist: KAI-christmas", "sonarr_taglist: KAI-xmas")
    path = write(tmp_path, "shows.yml", text)
    with pytest.raises(ConfigError) as info:
        load_collections(path)
    assert str(info.value) == (
        f"{path}:14: sonarr_taglist of 'Christmas' is 'KAI-xmas' but its radarr_taglist is "
        "'KAI-christmas'; reelscale keeps one tag per collection in Radarr and Sonarr; use the "
        "same tag"
    )


def test_kometa_empty_sonarr_taglist(tmp_path):
    text = KOMETA.replace("sonarr_taglist: KAI-cop-shows", "sonarr_taglist: ''")
    path = write(tmp_path, "shows.yml", text)
    with pytest.raises(
        ConfigError,
        match="sonarr_taglist of 'Cop Shows' is empty, so Kometa would collect untagged series",
    ):
        load_collections(path)


def test_config_check_shows_kind(tmp_path):
    path = write(tmp_path, "shows.yml", KOMETA)
    runner = CliRunner()
    result = runner.invoke(cli, ["config", "check", "--config", str(path), "--json"], env=RUNNABLE)
    assert result.exit_code == 0, result.output
    kinds = {c["name"]: c["kind"] for c in json.loads(result.stdout)["collections"]}
    assert kinds == {
        "Cop Shows": "series",
        "Christmas": "both",
        "Anime": "series",
        "Noir": "movies",
    }
    result = runner.invoke(cli, ["config", "check", "--config", str(path)], env=RUNNABLE)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[3:]}
    assert rows["Cop"][3] == "series" and rows["Christmas"][2] == "both"
