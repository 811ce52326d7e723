"""Kometa-AI's blocks give what Kometa-AI 0.5.7 gives, or a warning that says why not (issue #15).

Every file Kometa-AI ships (``kometa-config/``, ``config-examples/``, and the YAML its parser
tests write) is read twice: by Kometa-AI's own parser (``kometa_ai/kometa/parser.py`` and the
modules it imports, copied under MIT into ``tests/data/kometa-ai/peer/``) and by reelscale. Each
setting must be equal, or reelscale must have warned about that setting of that collection,
naming the file and line. The prompt hash reelscale computes for Kometa-AI (which ``reelscale
import kometa-ai`` compares with the decisions it imports) must equal Kometa-AI's exactly.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config.entry import ConfigWarning
from core.config.files import load_collections
from core.config.kometa_compat import same_prompt

DATA = Path(__file__).parents[1] / "data" / "kometa-ai"
FOLDERS = ("kometa-config", "config-examples", "tests-fixtures")
FILES = sorted(p for folder in FOLDERS for p in (DATA / folder).glob("*.yml"))
RUNNABLE = {
    "RADARR_URL": "http://radarr.invalid:7878",
    "RADARR_API_KEY": "0123456789abcdef",
    "ANTHROPIC_API_KEY": "sk-test-0123456789",
}


@pytest.fixture(scope="module")
def peer():
    """Kometa-AI 0.5.7's parser module and its ``CollectionConfig``."""
    sys.path.insert(0, str(DATA / "peer"))
    try:
        from kometa_ai.kometa.models import CollectionConfig
        from kometa_ai.kometa.parser import KometaParser

        yield KometaParser, CollectionConfig
    finally:
        sys.path.remove(str(DATA / "peer"))


def peer_read(peer, file: Path) -> dict:
    """``{name: CollectionConfig}`` of every block of ``file``, as Kometa-AI reads it."""
    parser_cls, config_cls = peer
    logging.getLogger("kometa_ai").setLevel(logging.CRITICAL)
    blocks = parser_cls(str(file.parent)).extract_ai_blocks(file)
    for data in blocks.values():
        data.setdefault("prompt", "")  # as parse_configs does
    return {name: config_cls.from_dict(name, data) for name, data in blocks.items()}


def ours_read(path: Path) -> tuple[dict, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        collections = load_collections(path)
    texts = [str(w.message) for w in caught if issubclass(w.category, ConfigWarning)]
    return {c.name: c for c in collections}, texts


def test_the_data_is_all_there():
    assert len(FILES) == 12  # 3 + 6 shipped files, 3 written by its parser tests


@pytest.mark.parametrize("file", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_field_by_field(peer, file):
    theirs = peer_read(peer, file)
    ours, warned = ours_read(file)
    assert set(ours) == set(theirs), "the same collections, by name"

    def explained(name: str, what: str) -> bool:
        return any(f"{what} of '{name}'" in w and w.startswith(f"{file}:") for w in warned)

    compared = 0
    for name, their in theirs.items():
        our = ours[name]
        pairs = {
            "enabled": (our.enabled, their.enabled),
            "confidence_threshold": (our.confidence_threshold, their.confidence_threshold),
            "priority": (our.priority, their.priority),
            "candidate_genres": (list(our.genres_any), their.candidate_genres),
            "candidate_exclude_genres": (list(our.genres_none), their.candidate_exclude_genres),
            "candidate_year_min": (our.year_min, their.candidate_year_min),
            "candidate_year_max": (our.year_max, their.candidate_year_max),
            "radarr_taglist": (our.tag, their.tag.lower()),
        }
        for key, (mine, peers) in pairs.items():
            compared += 1
            if mine != peers:
                assert their.enabled or our.enabled  # both disabled: no warning needed
                assert explained(name, key), f"{name}: {key} {mine!r} != {peers!r}, no warning"
        if not same_prompt(our.prompt, their.prompt):
            assert explained(name, "the prompt"), f"{name}: prompts differ, no warning"
        assert our.kometa_ai_prompt_hash == hashlib.sha256(their.prompt.encode()).hexdigest()[:16]
        assert our.slug == their.slug
    assert compared >= 8


def test_options_after_the_prompt_follow_the_yaml_with_a_warning(peer):
    file = DATA / "config-examples" / "advanced-collections.yml"
    theirs = peer_read(peer, file)
    ours, warned = ours_read(file)
    world = "World Cinema Essentials"
    assert (theirs[world].confidence_threshold, ours[world].confidence_threshold) == (0.7, 0.85)
    assert (theirs[world].priority, ours[world].priority) == (0, 2)
    assert f"{file}:15: confidence_threshold of '{world}' is 0.85 for reelscale" in "\n".join(
        warned
    )
    # a setting Kometa-AI keeps in the prompt: its prompt differs, and reelscale says so
    assert "exclude_tags: KAI-straightforward-narratives" in theirs["Innovative Narratives"].prompt
    assert any(
        w.startswith(f"{file}:23: the prompt of 'Innovative Narratives' differs") for w in warned
    )


def test_unknown_keys_warn_with_file_and_line():
    file = DATA / "kometa-config" / "enhanced_collections.yml"
    _, warned = ours_read(file)
    unknown = [w for w in warned if "unknown field" in w]
    assert [w.split(": unknown")[0] for w in unknown] == [f"{file}:{n}" for n in (4, 5, 21)]
    assert all("Kometa-AI 0.5.7 reads but never uses" in w for w in unknown)


def test_a_collection_in_two_files_warns_and_the_first_wins():
    folder = DATA / "kometa-config"
    ours, warned = ours_read(folder)
    assert ours["Film Noir"].source == f"{folder / 'collections.yml'}:2"
    assert ours["Heist Movies"].source == f"{folder / 'collections.yml'}:16"
    again = [w.split(": collection")[0] for w in warned if "is defined again" in w]
    assert again == [
        f"{folder / 'enhanced_collections.yml'}:2",
        f"{folder / 'enhanced_collections.yml'}:35",
        f"{folder / 'sample_collections.yml'}:2",
        f"{folder / 'sample_collections.yml'}:16",
    ]


def test_a_taglist_kometa_ai_does_not_write_is_a_warning(peer):
    file = DATA / "tests-fixtures" / "collections_mismatched.yml"
    ours, warned = ours_read(file)
    assert ours["Film Noir"].tag == "kai-wrong-tag"
    assert peer_read(peer, file)["Film Noir"].tag == "KAI-film-noir"
    assert any("Kometa-AI 0.5.7 tags the collection's movies KAI-film-noir" in w for w in warned)


def test_the_same_collection_twice_in_one_file_is_still_an_error(tmp_path):
    """YAML (and so Kometa, which reads the file) refuses a repeated key: exit 2, not a warning."""
    text = (DATA / "tests-fixtures" / "collections.yml").read_text()
    path = tmp_path / "twice.yml"
    path.write_text(text + text.removeprefix("collections:\n"))
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="is set twice"):
        load_collections(path)


def test_toml_stays_strict(tmp_path):
    from core.errors import ConfigError

    path = tmp_path / "reelscale.toml"
    path.write_text(
        '[[collection]]\nname = "Noir"\nprompt = "p"\nuse_iterative_refinement = true\n'
    )
    with pytest.raises(ConfigError, match="use_iterative_refinement"):
        load_collections(path)


def test_config_check_on_kometa_ais_folders_prints_warnings_and_passes():
    from core.cli import cli

    for folder in ("kometa-config", "config-examples"):
        args = ["config", "check", "--config", str(DATA / folder)]
        result = CliRunner().invoke(cli, args, env=RUNNABLE)
        assert result.exit_code == 0, result.output
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"Warning: {DATA / folder}/") for line in lines)
