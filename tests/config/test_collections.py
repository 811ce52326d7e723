import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.cli.config import config as config_group
from core.config.collection import Collection, slugify
from core.config.entry import ConfigWarning, Problems
from core.config.files import find_config, load_collections
from core.config.kometa_blocks import read_kometa
from core.errors import ConfigError
from synthetic.library.collection_defs import COLLECTIONS, to_toml

KOMETA_DIR = Path(__file__).parents[1] / "data" / "config" / "kometa"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problem(path, text):
    """The message of the ConfigError that loading ``text`` (as ``path``) raises."""
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_collections(path)
    assert info.value.exit_code == 2
    return str(info.value)


# --- TOML ---------------------------------------------------------------------------------------


def test_synthetic_collections_load(tmp_path):
    path = write(tmp_path, "reelscale.toml", to_toml())
    loaded = load_collections(path)
    assert len(loaded) == 10
    assert {c.name for c in loaded} == {c.name for c in COLLECTIONS}
    by_name = {c.name: c for c in loaded}
    assert by_name["Film Noir"].tag == "kai-film-noir"
    assert by_name["Based on a True Story"].tag == "kai-based-on-a-true-story"
    assert by_name["Mind-Bending"].tag == "kai-mind-bending"
    assert by_name["Film Noir"].source == f"{path}:3"
    assert all(c.enabled and c.confidence_threshold == 0.7 for c in loaded)
    assert [c.name for c in loaded] == sorted(c.name for c in COLLECTIONS)


def test_toml_every_key(tmp_path):
    path = write(
        tmp_path,
        "reelscale.toml",
        '''
        [radarr]                      # other settings are left to their own readers
        url = "http://localhost:7878"

        [[collection]]
        name = "Film Noir"
        prompt = """
        Crime stories in the noir tradition.
        """
        tag = "KAI-Noir"
        confidence_threshold = 0.85
        enabled = false
        priority = 2
        genres_any = ["Crime", " Thriller "]
        genres_none = ["Animation"]
        year_min = 1940
        year_max = 1965

        [[collection]]
        name = "Heist Movies"
        prompt = "Robberies and cons."
        priority = 5
        ''',
    )
    heist, noir = load_collections(path)
    assert heist.name == "Heist Movies" and heist.priority == 5
    assert (heist.tag, heist.enabled, heist.confidence_threshold) == ("kai-heist-movies", True, 0.7)
    assert noir == Collection(
        name="Film Noir",
        slug="film-noir",
        prompt="Crime stories in the noir tradition.",
        tag="kai-noir",
        confidence_threshold=0.85,
        enabled=False,
        priority=2,
        genres_any=("Crime", "Thriller"),
        genres_none=("Animation",),
        year_min=1940,
        year_max=1965,
        source=f"{path}:4",
    )


def test_prompt_hash_is_16_hex_of_the_stripped_prompt():
    import hashlib

    c = Collection(name="X", slug="x", prompt="Noir films.", tag="kai-x")
    assert c.prompt_hash == hashlib.sha256(b"Noir films.").hexdigest()[:16]


TOML_PROBLEMS = [
    (
        '[[collection]]\nname = "Film Noir"\nprompt = "p"\ntreshold = 0.5\n',
        "4: unknown key 'treshold' in collection 'Film Noir'; did you mean 'confidence_threshold'?",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\ncandidate_genres = ["Crime"]\n',
        "4: unknown key 'candidate_genres' in collection 'A'; did you mean 'genres_any'?",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nzzz = 1\n',
        "4: unknown key 'zzz' in collection 'A'; the known keys are name, prompt, tag, "
        "kind, confidence_threshold, enabled, priority, genres_any, genres_none, year_min, "
        "year_max",
    ),
    (
        '[[collection]]\nprompt = "p"\n',
        '1: a collection has no name; add name = "..." to its table',
    ),
    (
        '[[collection]]\nname = "A"\n',
        "1: 'A' has no prompt; add one describing which movies belong in it",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "  "\n',
        "3: prompt of 'A' is '  '; write it as non-empty text",
    ),
    (
        '[[collection]]\nname = 3\nprompt = "p"\n',
        "2: name of this collection is 3; write it as non-empty text",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nconfidence_threshold = 1.5\n',
        "4: confidence_threshold of 'A' is 1.5, out of range; "
        "use a number above 0 and at most 1, e.g. 0.7",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nconfidence_threshold = 0\n',
        "4: confidence_threshold of 'A' is 0, out of range; "
        "use a number above 0 and at most 1, e.g. 0.7",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nconfidence_threshold = "high"\n',
        "4: confidence_threshold of 'A' is 'high', not a number; "
        "use a number above 0 and at most 1, e.g. 0.7",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nenabled = "yes"\n',
        "4: enabled of 'A' is 'yes'; write true or false",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\npriority = true\n',
        "4: priority of 'A' is true, not a whole number; write one, e.g. 10",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\ngenres_any = "Crime, Drama"\n',
        "4: genres_any of 'A' is 'Crime, Drama'; "
        'write a list of genre names, e.g. ["Crime", "Drama"]',
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\ngenres_none = ["Crime", 3]\n',
        '4: genres_none of \'A\' is a list; write a list of genre names, e.g. ["Crime", "Drama"]',
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nyear_min = "1990"\n',
        "4: year_min of 'A' is '1990', not a whole number; write one, e.g. 1990",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nyear_max = 1950\nyear_min = 1960\n',
        "5: year_min 1960 of 'A' is after year_max 1950; swap them",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\ntag = "film noir"\n',
        "4: tag of 'A' is 'film noir', which Radarr rejects; use only a-z, 0-9 and '-'",
    ),
    (
        '[[collection]]\nname = "日本映画"\nprompt = "p"\n',
        "2: '日本映画' has no letters a-z or digits to make a tag from; "
        "set tag explicitly, e.g. kai-my-collection",
    ),
    (
        '[[collection]]\nname = "Film Noir"\nprompt = "p"\n\n[[collection]]\nname = "film  noir"\n'
        'prompt = "q"\n',
        "5: collection 'film  noir' is defined twice (first at {path}:1); "
        "rename or delete one of them",
    ),
    (
        '[[collection]]\nname = "Film Noir"\nprompt = "p"\n\n[[collection]]\nname = "Film-Noir"\n'
        'prompt = "q"\n',
        "5: tag 'kai-film-noir' of 'Film-Noir' is already used by 'Film Noir' ({path}:1); "
        "give one of them another tag",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\n\n[[collection]]\nname = "B"\nprompt = "q"\n'
        'tag = "KAI-A"\n',
        "5: tag 'kai-a' of 'B' is already used by 'A' ({path}:1); give one of them another tag",
    ),
    (
        '[collection]\nname = "A"\nprompt = "p"\n',
        "1: 'collection' is a single table; "
        "write each collection as a [[collection]] table (double brackets)",
    ),
    (
        "collection = [1]\n",
        "1: collection 1 is not a table; write each collection as a [[collection]] table",
    ),
    (
        '[[collections]]\nname = "A"\nprompt = "p"\n',
        "1: unknown top-level key 'collections'; did you mean [[collection]]?",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = "p"\nenabled = tru\n',
        "4: invalid TOML: Invalid value (column 11); fix the syntax there",
    ),
    (
        '[[collection]]\nname = "A"\nprompt = """\n[[collection]]\nname = "B"\n"""\ntag = "x y"\n',
        "7: tag of 'A' is 'x y', which Radarr rejects; use only a-z, 0-9 and '-'",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TOML_PROBLEMS)
def test_toml_problem(tmp_path, text, expected):
    path = tmp_path / "reelscale.toml"
    assert problem(path, text) == f"{path}:" + expected.format(path=path)


def test_all_problems_in_one_error_in_line_order(tmp_path):
    path = tmp_path / "reelscale.toml"
    message = problem(
        path,
        """
        [[collection]]
        name = "A"
        enabled = 1
        colour = "red"

        [[collection]]
        name = "A"
        prompt = "p"
        """,
    )
    assert message.split("\n") == [
        "4 problems in the config:",
        f"{path}:1: 'A' has no prompt; add one describing which movies belong in it",
        f"{path}:3: enabled of 'A' is 1; write true or false",
        f"{path}:4: unknown key 'colour' in collection 'A'; the known keys are name, prompt, tag, "
        "kind, confidence_threshold, enabled, priority, genres_any, genres_none, year_min, "
        "year_max",
        f"{path}:6: collection 'A' is defined twice (first at {path}:1); "
        "rename or delete one of them",
    ]


def test_toml_without_collections_is_empty(tmp_path):
    assert load_collections(write(tmp_path, "reelscale.toml", '[radarr]\nurl = "x"\n')) == []


# --- files and paths ----------------------------------------------------------------------------


def test_file_problems(tmp_path):
    with pytest.raises(ConfigError, match=f"^{tmp_path / 'nope.toml'}: no such file or folder"):
        load_collections(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match=r"not a config file reelscale reads; use a \.toml"):
        load_collections(write(tmp_path, "c.json", "{}"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"no \.yml or \.yaml files in this folder"):
        load_collections(tmp_path / "empty")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'# ok\n[[collection]]\nname = "Am\xe9lie"\n')
    with pytest.raises(ConfigError) as info:
        load_collections(bad)
    assert str(info.value) == f"{bad}:3: the file is not valid UTF-8; save it as UTF-8"


def test_bom_and_crlf_are_read(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_bytes(b'\xef\xbb\xbf[[collection]]\r\nname = "A"\r\nprompt = "p"\r\n')
    assert [c.tag for c in load_collections(path)] == ["kai-a"]


def test_find_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REELSCALE_CONFIG", raising=False)
    with pytest.raises(ConfigError) as info:
        find_config(None)
    assert str(info.value) == (
        "reelscale.toml: no config in the current folder; create one with [[collection]] "
        "tables, pass --config PATH (a reelscale.toml, a Kometa YAML file or folder), or run "
        "'reelscale synth collections -o reelscale.toml' for an example"
    )
    write(tmp_path, "reelscale.toml", "")
    assert find_config(None) == Path("reelscale.toml")
    monkeypatch.setenv("REELSCALE_CONFIG", str(KOMETA_DIR))
    assert find_config(None) == KOMETA_DIR
    assert find_config("reelscale.toml") == Path("reelscale.toml")
    with pytest.raises(ConfigError, match=r"^x\.toml: config not found \(from --config\)"):
        find_config("x.toml")
    monkeypatch.setenv("REELSCALE_CONFIG", "y.toml")
    with pytest.raises(ConfigError, match=r"^y\.toml: config not found \(from REELSCALE_CONFIG\)"):
        find_config(None)


# --- Kometa-AI blocks ---------------------------------------------------------------------------


def test_kometa_folder_like_kometa_ai():
    loaded = load_collections(KOMETA_DIR)
    assert [(c.name, c.tag, c.enabled, c.priority) for c in loaded] == [
        ("Time Travel", "kai-time-travel", True, 5),
        ("Christmas Movies", "kai-christmas-movies", False, 0),
        ("Film Noir", "kai-film-noir", True, 0),
        ("Heist Movies", "kai-heists", False, 0),
    ]
    travel, christmas, noir, heist = loaded
    assert noir.genres_any == ("Crime", "Thriller", "Film-Noir")
    assert (noir.year_min, noir.year_max, noir.confidence_threshold) == (None, 1965, 0.7)
    assert noir.prompt == (
        "Identify film noir movies: crime dramas with cynical heroes,\n"
        "femmes fatales and moral ambiguity, shot in a low-key style."
    )
    assert noir.source == f"{KOMETA_DIR / 'collections' / 'noir.yml'}:13"
    assert travel.genres_any == ("Science Fiction", "Fantasy")
    assert travel.genres_none == ("Documentary", "Animation")
    assert travel.prompt == "Movies where characters travel through time or relive the same day."
    assert travel.confidence_threshold == 0.8
    assert heist.year_min == 1990
    assert christmas.source == f"{KOMETA_DIR / 'collections' / 'sub' / 'holiday.yaml'}:2"


def test_kometa_file_without_blocks_has_no_collections():
    assert load_collections(KOMETA_DIR / "config.yml") == []


def test_kometa_single_file_and_lenient_values(tmp_path):
    path = write(
        tmp_path,
        "movies.yml",
        """
        collections:
          # === KOMETA-AI ===
          #enabled: "yes"
          #confidence_threshold: "0.9"
          #priority: '2'
          #candidate_exclude_genres: Horror,  Animation ,
          #prompt: 'It''s a heist.'
          # === END KOMETA-AI ===
          'Heists':   # a comment
            radarr_taglist: KAI-heists, favourites
        """,
    )
    (c,) = load_collections(path)
    assert (c.name, c.tag, c.enabled, c.confidence_threshold, c.priority) == (
        "Heists",
        "kai-heists",
        True,
        0.9,
        2,
    )
    assert c.genres_none == ("Horror", "Animation") and c.prompt == "It's a heist."


KOMETA_WARNINGS = [
    (
        "collections:\n  # === KOMETA-AI ===\n  # candidate_genre: Crime\n  # prompt: p\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    sync_mode: sync\n",
        "3: unknown field 'candidate_genre' in the KOMETA-AI block, which Kometa-AI 0.5.7 "
        "ignores; so does reelscale; did you mean 'candidate_genres'?",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # name: Noir\n  # prompt: p\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    sync_mode: sync\n",
        "3: unknown field 'name' in the KOMETA-AI block, which Kometa-AI 0.5.7 ignores; so does "
        "reelscale; the name is the collection key below the block; delete this line",
    ),
]


@pytest.mark.parametrize("text,expected", KOMETA_WARNINGS)
def test_kometa_unknown_fields_warn_and_go_on(tmp_path, text, expected):
    """Kometa-AI ignores fields it does not know; reelscale says so, and reads the rest."""
    path = tmp_path / "movies.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(ConfigWarning) as caught:
        (noir,) = load_collections(path)
    assert noir.name == "Noir"
    assert [str(w.message) for w in caught] == [f"{path}:{expected}"]


KOMETA_PROBLEMS = [
    (
        "collections:\n  # === KOMETA-AI ===\n  # enabled: true\n  # === END KOMETA-AI ===\n"
        "  Film Noir:\n    radarr_taglist: KAI-film-noir\n",
        "2: 'Film Noir' has no prompt; add one describing which movies belong in it",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  Noir:\n    sync_mode: sync\n",
        "4: a line inside a KOMETA-AI block is not a comment; "
        "start it with '#', or close the block with '# === END KOMETA-AI ==='",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n",
        "2: the KOMETA-AI block has no '# === END KOMETA-AI ===' marker; "
        "close it and put the block right above the collection's key",
    ),
    (
        "collections:\n  # prompt: p\n  # === END KOMETA-AI ===\n  Noir:\n    sync_mode: sync\n",
        "3: '# === END KOMETA-AI ===' without a start marker above it; "
        "add '# === KOMETA-AI ===' where the block starts, or delete it",
    ),
    (
        "# === KOMETA-AI ===\n# prompt: p\n# === END KOMETA-AI ===\ncollections:\n  Noir:\n"
        "    sync_mode: sync\n",
        "4: the KOMETA-AI block sits above the top-level key 'collections', not a collection; "
        "move it below 'collections:', right above the collection's key",
    ),
    (
        "collections:\n  Noir:\n    sync_mode: sync\n  # === KOMETA-AI ===\n  # prompt: p\n"
        "  # === END KOMETA-AI ===\n\n",
        "6: no collection key follows the KOMETA-AI block; "
        "put the block right above the collection's key",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # === END KOMETA-AI ===\n"
        "  # === KOMETA-AI ===\n  # prompt: q\n  # === END KOMETA-AI ===\n  Noir:\n    a: b\n",
        "4: two KOMETA-AI blocks without a collection key between; "
        "merge them into one; put the block right above the collection's key",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # enabled: true\n  # prompt: Noir: dark films\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    a: b\n",
        "4: invalid YAML in the KOMETA-AI block: mapping values are not allowed here (column 17); "
        "quote a value that contains ': ', or write it as a block ('field: |' and the text on the "
        "lines below)",
    ),
    (
        'collections:\n  # === KOMETA-AI ===\n  # prompt: "dark films\n  # === END KOMETA-AI ===\n'
        "  Noir:\n    a: b\n",
        "3: invalid YAML in the KOMETA-AI block: while scanning a quoted scalar, found unexpected "
        "end of stream (column 13); close the quote",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  #  enabled: true\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    a: b\n",
        "4: invalid YAML in the KOMETA-AI block: mapping values are not allowed here (column 13); "
        "quote a value that contains ': ', or write it as a block ('field: |' and the text on the "
        "lines below)",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # prompt: q\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    a: b\n",
        "4: 'prompt' is set twice; keep one of the two lines",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # enabled: maybe\n"
        "  # === END KOMETA-AI ===\n  Noir:\n    a: b\n",
        "4: enabled of 'Noir' is 'maybe'; write true or false",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # === END KOMETA-AI ===\n"
        "  Noir:\n    radarr_taglist: one, two\n",
        "6: radarr_taglist of 'Noir' lists several tags (one, two); "
        "reelscale writes one tag per collection; keep one",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # === END KOMETA-AI ===\n"
        "  Noir:\n    radarr_taglist:\n    sync_mode: sync\n",
        "6: radarr_taglist of 'Noir' is empty, so Kometa would collect untagged movies; "
        "set it to the collection's tag, e.g. KAI-<name>",
    ),
    (
        "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # === END KOMETA-AI ===\n"
        "  Noir:\n    radarr_taglist: KAI film_noir\n",
        "6: radarr_taglist of 'Noir' is 'KAI film_noir', which Radarr rejects; "
        "use only a-z, 0-9 and '-'",
    ),
]


@pytest.mark.parametrize(("text", "expected"), KOMETA_PROBLEMS)
def test_kometa_problem(tmp_path, text, expected):
    path = tmp_path / "movies.yml"
    assert problem(path, text) == f"{path}:{expected}"


def test_kometa_duplicate_tag_across_files(tmp_path):
    block = "collections:\n  # === KOMETA-AI ===\n  # prompt: p\n  # === END KOMETA-AI ===\n"
    write(tmp_path, "a.yml", block + "  Noir:\n    radarr_taglist: KAI-noir\n")
    write(tmp_path, "b/c.yml", block + "  Dark:\n    radarr_taglist: kai-NOIR\n")
    with pytest.raises(ConfigError) as info:
        load_collections(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'b' / 'c.yml'}:2: tag 'kai-noir' of 'Dark' is already used by 'Noir' "
        f"({tmp_path / 'a.yml'}:2); give one of them another tag"
    )


BLOCK_BODIES = [
    "enabled: true\nconfidence_threshold: 0.75\npriority: -3\nprompt: plain text here",
    "candidate_genres: [Crime, 'Film-Noir', \"Sci Fi\"]\ncandidate_year_min: 1990",
    "candidate_genres:\n  - Crime\n  - 'Thriller'\ncandidate_exclude_genres:\n- Horror\n- x",
    "prompt: |\n  Line one.\n\n  Line three,\n    indented.\n\nenabled: false",
    "prompt: |-\n  keep\n  no newline\npriority: 1",
    "prompt: >\n  folded\n  text\n\n  new paragraph\n    more indented\n  back\n",
    "prompt: >-\n  a\n  b\n",
    "prompt: |+\n  kept\n\n\nenabled: true",
    "prompt: 'single ''quoted'' # not a comment'  # a comment\nenabled: TRUE",
    'candidate_genres: ["a # b", c]  # comment\nprompt: x',
    "candidate_genres: [\n  Crime,  # comment\n  'Drama'\n  ]",
    'prompt: "double \\"quoted\\" \\u00e9 \\t tab"\nconfidence_threshold: .5',
    "prompt: a plain\n  multi-line\n  scalar\nenabled: null",
    "prompt: ~\nenabled: yes\nconfidence_threshold: 7.5e-1",
    "# a comment\nprompt: x # trailing\n\n# another\nenabled: False",
    'prompt:\n  "quoted on the\n  next lines"',
    "prompt: text:with colons:x and a#hash, [brackets] and {braces}",
]


@pytest.mark.parametrize("body", BLOCK_BODIES)
def test_block_reader_agrees_with_yaml(body):
    """A block reads as an independent parser (PyYAML) reads its body, each field at its line."""
    yaml = pytest.importorskip("yaml")
    text = (
        "collections:\n  # === KOMETA-AI ===\n"
        + "".join(f"  # {line}\n" for line in body.split("\n"))
        + "  # === END KOMETA-AI ===\n  Noir:\n    radarr_taglist: KAI-noir\n"
    )
    problems = Problems()
    (entry,) = read_kometa("movies.yml", text, problems)
    assert problems.error() is None
    read = {f.key: f.value for name, f in entry.fields.items() if name not in ("name", "tag")}
    theirs = {k: v for k, v in yaml.safe_load(body).items() if v is not None}  # empty is unset
    assert read == theirs  # PyYAML reads YAML 1.1 (yes is true); reelscale's leniency agrees
    lines = text.split("\n")
    for fld in entry.fields.values():
        assert lines[fld.line - 1].lstrip("# ").startswith(f"{fld.key}:") or fld.key in (
            "collection key",
            "radarr_taglist",
        )
    assert (entry.fields["name"].line, entry.fields["tag"].line) == (len(lines) - 2, len(lines) - 1)


# --- prefilters and slugs -----------------------------------------------------------------------

PREFILTERED = Collection(
    name="Noir",
    slug="noir",
    prompt="p",
    tag="kai-noir",
    genres_any=("Crime", "Film Noir"),
    genres_none=("Animation",),
    year_min=1940,
    year_max=1965,
)


@pytest.mark.parametrize(
    ("genres", "year", "expected"),
    [
        (["Crime"], 1950, True),
        (["crime", "Drama"], 1950, True),
        (["FILM  noir"], 1950, True),
        (["Drama"], 1950, False),
        (["Crime", "animation"], 1950, False),
        (["Crime"], 1939, False),
        (["Crime"], 1940, True),
        (["Crime"], 1965, True),
        (["Crime"], 1966, False),
        (None, 1950, True),
        ([], 1950, True),
        (["Crime"], None, True),
        (["Crime"], 0, True),
        (None, None, True),
        (None, 2000, False),
        (["Comedy"], None, False),
    ],
)
def test_applies_to(genres, year, expected):
    assert PREFILTERED.applies_to(genres, year) is expected


def test_no_prefilters_let_everything_through():
    plain = Collection(name="A", slug="a", prompt="p", tag="kai-a")
    assert plain.applies_to(["Anything"], 1900) and plain.applies_to(None, None)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Film Noir", "film-noir"),
        ("Mind-Bending", "mind-bending"),
        ("Sci-Fi & Fantasy", "sci-fi-fantasy"),
        ("  Spaced \t Out  ", "spaced-out"),
        ("80's Action!", "80s-action"),
        ("Amélie's Picks", "amlies-picks"),
        ("--Edge--Case--", "edge-case"),
        ("日本映画", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_collection_refuses_bad_values():
    with pytest.raises(ValueError, match="tag"):
        Collection(name="A", slug="a", prompt="p", tag="Kai A")
    with pytest.raises(ValueError, match="confidence_threshold"):
        Collection(name="A", slug="a", prompt="p", tag="kai-a", confidence_threshold=0)


# --- reelscale config check ---------------------------------------------------------------------


@pytest.fixture
def cli():
    """The real CLI once ``config`` is registered there, else a group with the same handler."""
    from core.cli import _Group
    from core.cli import cli as root

    if "config" in root.commands:
        return root
    return _Group(name="reelscale", commands={"config": config_group})


#: What a Radarr run needs besides the collections (no request is sent by `config check`).
RUNNABLE = {
    "RADARR_URL": "http://radarr.invalid:7878",
    "RADARR_API_KEY": "0123456789abcdef",
    "ANTHROPIC_API_KEY": "sk-test-0123456789",
}


def test_config_check_json(cli, tmp_path):
    path = write(tmp_path, "reelscale.toml", to_toml())
    args = ["config", "check", "--config", str(path), "--json"]
    result = CliRunner().invoke(cli, args, env=RUNNABLE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["config"] == str(path)
    assert len(report["collections"]) == 10
    assert set(report["collections"][0]) == {
        "name",
        "slug",
        "tag",
        "kind",
        "prompt",
        "prompt_hash",
        "confidence_threshold",
        "enabled",
        "priority",
        "genres_any",
        "genres_none",
        "year_min",
        "year_max",
        "source",
    }


def test_config_check_table(cli, monkeypatch):
    monkeypatch.setenv("REELSCALE_CONFIG", str(KOMETA_DIR))
    result = CliRunner().invoke(cli, ["config", "check"], env=RUNNABLE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"Config: {KOMETA_DIR}", "4 collections (2 enabled), by priority:"]
    # the test folder writes some fields as YAML lists and a folded prompt; Kometa-AI reads those
    # line by line, so reelscale warns (file and line) where the two readings differ
    warned = result.stderr.splitlines()
    assert [w.split(": ")[1] for w in warned] == [
        f"{KOMETA_DIR}/collections/noir.yml:{n}" for n in (30, 33, 34)
    ]
    assert lines[2].split() == [
        "NAME",
        "TAG",
        "KIND",
        "THRESHOLD",
        "ENABLED",
        "PRIORITY",
        "PREFILTERS",
        "SOURCE",
    ]
    assert lines[5].split()[:8] == [
        "Film",
        "Noir",
        "kai-film-noir",
        "movies",
        "0.7",
        "yes",
        "0",
        "genres",
    ]
    assert "Crime|Thriller|Film-Noir; -1965" in lines[5]


def test_config_check_bad_file_exits_2(cli, tmp_path):
    path = write(tmp_path, "reelscale.toml", '[[collection]]\nname = "A"\nprompt = "p"\nx = 1\n')
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}:4: unknown key 'x' in collection 'A'; the known keys are name, prompt, "
        "tag, kind, confidence_threshold, enabled, priority, genres_any, genres_none, "
        "year_min, year_max\n"
    )


def test_config_check_rejects_what_run_rejects(cli, tmp_path):
    """The same checks as `run`: a config `run` refuses never passes `config check`."""
    path = write(tmp_path, "reelscale.toml", to_toml())
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(path), "--json"])
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert any("RADARR_URL" in p for p in problems) and any(
        "ANTHROPIC_API_KEY" in p for p in problems
    )
    run = CliRunner().invoke(cli, ["run", "--config", str(path), "--db", str(tmp_path / "r.db")])
    assert run.exit_code == 2 and "RADARR_URL" in run.output
    assert not (tmp_path / "r.db").exists()
    # A Kometa-AI block without `enabled:` is disabled (Kometa-AI's default): nothing to run.
    kometa = write(
        tmp_path,
        "kometa.yml",
        "collections:\n  # === KOMETA-AI ===\n  # prompt: Noir.\n  # === END KOMETA-AI ===\n"
        "  Film Noir:\n    radarr_taglist: KAI-film-noir\n",
    )
    for command in (["config", "check"], ["run", "--db", str(tmp_path / "r.db")]):
        result = CliRunner().invoke(cli, [*command, "--config", str(kometa)], env=RUNNABLE)
        assert result.exit_code == 2, result.output
        assert "no enabled collection among the 1" in result.output


# --- robustness ---------------------------------------------------------------------------------

YAMLISH = st.sampled_from(
    [
        "# === KOMETA-AI ===",
        "  # === KOMETA-AI ===",
        "# === END KOMETA-AI ===",
        "  # === END KOMETA-AI ===",
        "collections:",
        "  Film Noir:",
        "  'Quoted: Key':",
        "    radarr_taglist: KAI-x",
        "    radarr_taglist: [a, 'b'",
        "    radarr_taglist:",
        "      - kai-y",
        "# prompt: |",
        "#   text",
        "# prompt: >-",
        '# prompt: "a \\x',
        "# enabled: true",
        "# candidate_genres: [A, [B]]",
        "# candidate_genres:",
        "#   - A",
        "#  - B",
        "# confidence_threshold: 1e400",
        "# priority: 99999999999999999999",
        "# x: &a *b",
        "#\tprompt: tab",
        "",
        "  ",
        "-",
        ":",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.text(), st.lists(st.one_of(YAMLISH, st.text(max_size=12))).map("\n".join)),
    suffix=st.sampled_from([".toml", ".yml"]),
)
def test_any_text_loads_or_raises_config_error(tmp_path, text, suffix):
    path = tmp_path / f"config{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        result = load_collections(path)
    except ConfigError as exc:
        assert str(exc)
    else:
        assert all(isinstance(c, Collection) for c in result)
